/**
 * The people pickers with context (issue 14 §3): a handler is shown with the department they
 * belong to and how many open cases they hold as primary handler (GET /api/v1/directory/load),
 * with room for an absence tag; the complained-about employee is chosen among the people who
 * serve customers, in the complained-about department when one is chosen.
 *
 * No runtime imports: test/web/action-forms.test.ts builds the forms in Node.
 */
import type { components } from '../../api/generated/openapi.js';

type StaffEntry = components['schemas']['StaffEntry'];

export interface PersonOption {
  value: string;
  label: string;
  /** The person's department (for filtering by the chosen department and sorting its people first). */
  department?: string | null;
}

export interface PersonContext {
  /** Department name in the UI language. */
  deptName: (code: string) => string;
  /** Open cases held as primary handler, by user id; undefined while not loaded (then not shown). */
  loads?: ReadonlyMap<string, number>;
  /** A short tag for someone away (absence), by user id, when the console knows one. */
  absence?: (id: string) => string | undefined;
  /** "3 open" in the UI language. */
  loadText: (n: number) => string;
}

/** Accounts that do not serve customers: administrators and auditors only oversee the system. */
const OVERSIGHT_ROLES = ['admin', 'auditor'];

/** Whether a colleague serves customers (has some role besides administration and audit). */
export function servesCustomers(u: StaffEntry): boolean {
  return u.active && u.roles.some((r) => !OVERSIGHT_ROLES.includes(r));
}

/** "王强 · 客服中心 · 在办 3" — name, department, load, absence; a bare name when nothing is known. */
export function personLabel(u: StaffEntry, c: PersonContext, mark = ''): string {
  const parts = [u.name];
  if (u.departmentCode) parts.push(c.deptName(u.departmentCode));
  if (c.loads) parts.push(c.loadText(c.loads.get(u.id) ?? 0));
  const away = c.absence?.(u.id);
  if (away) parts.push(away);
  return parts.join(' · ') + mark;
}

/** Active handlers with their context; `warn` marks people the case names as complained about. */
export function handlerOptions(staff: readonly StaffEntry[], c: PersonContext, warn: (id: string) => boolean = () => false): PersonOption[] {
  return staff.filter((u) => u.active && u.roles.includes('handler')).map((u) => ({ value: u.id, label: personLabel(u, c, warn(u.id) ? ' ⚠' : ''), department: u.departmentCode }));
}

/** The options without the people already chosen elsewhere on the form (the backup is not the primary). */
export function without<T extends { value: unknown }>(options: readonly T[], chosen: readonly unknown[]): T[] {
  return options.filter((o) => !chosen.includes(o.value));
}

/** The chosen department's people first, each group in its original order. */
export function departmentFirst<T extends { department?: string | null }>(options: readonly T[], department: string | null | undefined): T[] {
  if (!department) return [...options];
  return [...options.filter((o) => o.department === department), ...options.filter((o) => o.department !== department)];
}

/** Complained-about employees: people who serve customers, in `department` when one is chosen. */
export function subjectEmployeeOptions(staff: readonly StaffEntry[], department: string | null | undefined, deptName: (code: string) => string): PersonOption[] {
  return staff
    .filter((u) => servesCustomers(u) && (!department || u.departmentCode === department))
    .map((u) => ({ value: u.id, label: u.departmentCode ? `${u.name}（${deptName(u.departmentCode)}）` : u.name, department: u.departmentCode }));
}
