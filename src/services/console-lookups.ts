/**
 * Small read-only lookups the web console needs on every screen: the staff directory (names of
 * colleagues for routing pickers and for showing who handles a case) and one year of the
 * holiday calendar with its adjusted working days (调休), built-in or added by an administrator,
 * and each handler's current load of open cases for the routing pickers.
 */
import { builtInHolidayYears, type HolidayYear } from '../domain/calendar/index.js';
import { listUsers } from '../store/user.repository.js';
import { listHolidayYears } from '../store/calendar.repository.js';
import { CLOSED_STATES } from '../store/contact-key.repository.js';
import type { App } from './app.js';

export interface StaffEntry {
  id: string;
  username: string;
  name: string;
  roles: string[];
  departmentCode: string | null;
  managerOf: string[];
  approvalLevels: string[];
  active: boolean;
}

/** Every colleague's name, roles and department: what an internal phone list shows, nothing more. */
export async function staffDirectory(app: App): Promise<StaffEntry[]> {
  const users = await listUsers(app.database.db);
  return users.map((u) => ({
    id: u.id,
    username: u.username,
    name: u.name,
    roles: u.roles,
    departmentCode: u.departmentCode,
    managerOf: u.managerOf,
    approvalLevels: u.approvalLevels,
    active: u.active,
  }));
}

/** The holiday year: an administrator's version wins over the built-in one; null when neither exists. */
export async function holidayYear(app: App, region: string, year: number): Promise<(HolidayYear & { origin: 'admin' | 'built_in' }) | null> {
  const added = (await listHolidayYears(app.database.db)).find((y) => y.region === region && y.year === year);
  if (added) return { ...added, origin: 'admin' };
  const builtIn = region === 'CN' ? builtInHolidayYears('CN').find((y) => y.year === year) : undefined;
  return builtIn ? { ...builtIn, origin: 'built_in' } : null;
}

/** How many open cases a colleague holds as primary handler (主要责任人). */
export interface HandlerLoad {
  userId: string;
  openCases: number;
}

/**
 * Open cases per primary handler, for the pickers that choose one (分派, 改派, one-step triage):
 * one grouped count over the cases table, whatever the number of handlers. Open means not in a
 * closed state (the same list the caller history uses). Colleagues holding none are left out.
 */
export async function handlerLoads(app: App): Promise<HandlerLoad[]> {
  const rows = await app.database.db
    .selectFrom('complaints')
    .select(['primary_handler_id', (eb) => eb.fn.countAll<number | string | bigint>().as('n')])
    .where('primary_handler_id', 'is not', null)
    .where('state', 'not in', [...CLOSED_STATES])
    .groupBy('primary_handler_id')
    .execute();
  // PostgreSQL returns count(*) as a bigint string.
  return rows.map((r) => ({ userId: r.primary_handler_id!, openCases: Number(r.n) }));
}
