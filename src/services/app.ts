/**
 * What every service needs: the database, the current time (injectable for tests) and the
 * policy and calendar lookups. Policies are immutable per key, so they are cached forever;
 * calendars are rebuilt when an administrator changes a holiday year.
 */
import { EventEmitter } from 'node:events';
import type { Database } from '../store/db.js';
import type { Policy } from '../domain/policy/index.js';
import { policyKey } from '../domain/policy/index.js';
import { WorkingCalendar, builtInHolidayYears, type HolidayYear } from '../domain/calendar/index.js';
import { getActivePolicy, getPolicy } from '../store/policy.repository.js';
import { listHolidayYears } from '../store/calendar.repository.js';
import { AppError } from '../domain/errors.js';
import type { Executor } from '../store/db.js';

export interface Logger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** Emitted on `app.events` after a transaction that changed a case has committed. */
export interface CaseChanged {
  id: string;
  number: string;
  state: string;
  action: string;
  at: string;
}

export interface App {
  database: Database;
  /**
   * Notifications: 'case_changed' (CaseChanged) after each committed transition, for live
   * updates. Emitted in-process; on PostgreSQL the case relay (services/case-relay.ts, started
   * by `kesu serve`) also publishes them to the other instances and re-emits theirs here.
   */
  events: EventEmitter;
  now: () => Date;
  log: Logger;
  policyByKey(key: string, db?: Executor): Promise<Policy>;
  activePolicy(db?: Executor): Promise<Policy>;
  calendarFor(policy: Policy): Promise<WorkingCalendar>;
  /** Forget cached calendars (after a holiday year was added). */
  invalidateCalendars(): void;
}

export function createApp(database: Database, opts: { now?: () => Date; log?: Logger } = {}): App {
  const policies = new Map<string, Policy>();
  const calendars = new Map<string, WorkingCalendar>();
  let adminYears: Promise<HolidayYear[]> | null = null;
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const app: App = {
    database,
    events,
    now: opts.now ?? (() => new Date()),
    log: opts.log ?? silentLogger,
    async policyByKey(key, db = database.db) {
      let p = policies.get(key);
      if (!p) {
        const found = await getPolicy(db, key);
        if (!found) throw new AppError('not_found', `policy ${key}`);
        p = found;
        policies.set(key, p);
      }
      return p;
    },
    async activePolicy(db = database.db) {
      const p = await getActivePolicy(db);
      if (!p) throw new AppError('policy_invalid', 'no active policy: run `kesu seed-demo` or upload one');
      policies.set(policyKey(p), p);
      return p;
    },
    async calendarFor(policy) {
      const key = policyKey(policy);
      let cal = calendars.get(key);
      if (!cal) {
        adminYears ??= listHolidayYears(database.db);
        const years = policy.calendar.holidays === 'CN' ? [...builtInHolidayYears('CN'), ...(await adminYears).filter((y) => y.region === 'CN')] : [];
        cal = new WorkingCalendar(policy.calendar, years);
        calendars.set(key, cal);
      }
      return cal;
    },
    invalidateCalendars() {
      calendars.clear();
      adminYears = null;
    },
  };
  return app;
}
