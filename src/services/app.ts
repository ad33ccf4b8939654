/**
 * What every service needs: the database, the current time (injectable for tests) and the
 * policy and calendar lookups. Policies are immutable per key, so they are cached forever; the
 * active one is cached until the policies' cache stamp changes (services/policies.ts);
 * calendars are rebuilt when an administrator changes a holiday year — on every instance of the
 * database: the change bumps the calendars' cache stamp in its transaction
 * (store/cache-stamp.repository.ts), and `calendarFor` compares the stamp with the one its
 * calendars were built at, reading it at most once per `cacheCheckMs` (1 s).
 */
import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import type { Database } from '../store/db.js';
import type { Policy } from '../domain/policy/index.js';
import { calendarNames, calendarSpec, policyKey } from '../domain/policy/index.js';
import { WorkingCalendar, builtInHolidayYears, type HolidayYear } from '../domain/calendar/index.js';
import { getPolicy, listPolicies } from '../store/policy.repository.js';
import { activePolicyCache } from './policies.js';
import { listHolidayYears } from '../store/calendar.repository.js';
import { readCacheStamp } from '../store/cache-stamp.repository.js';
import { AppError } from '../domain/errors.js';
import type { Executor } from '../store/db.js';
import { Heartbeats } from './heartbeats.js';
import { defaultChannelConfig, settingsFromConfig, type ChannelSettings } from '../channels/settings.js';
import type { FileStore } from '../storage/file-store.js';
import { DEV_CONTACT_KEY } from './contact-keys.js';
import { DEFAULT_IDEMPOTENCY_TTL_HOURS } from './idempotent-requests.js';
import { DEFAULT_SESSIONS, type SessionSettings } from './sessions.js';

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

/**
 * What the services read from the configuration, resolved once by the composition root
 * (src/app/compose.ts) and handed to `createApp`. An app made without it (tests, tools) gets
 * the defaults of `defaultAppSettings`; no service reads the environment.
 */
export interface AppSettings {
  /** Providers, links, limits of the customer channels (KESU_SMTP_URL, KESU_SMS_*, KESU_PUBLIC_URL …). */
  channels: ChannelSettings;
  /** The key of the contact hashes (KESU_CONTACT_KEY or `<dataDir>/contact.key`). */
  contactKey: Buffer;
  /** KESU_TELEPHONY_SECRET: the screen-pop webhook's shared secret; null: the endpoint refuses calls. */
  telephonySecret: string | null;
  /** KESU_IDEMPOTENCY_TTL_HOURS: how long an Idempotency-Key is remembered. */
  idempotencyTtlHours: number;
  /** KESU_SESSION_IDLE_MIN, KESU_SESSION_MAX_HOURS. */
  sessions: SessionSettings;
  /** Where attachments live (KESU_S3_*); null: the local folder under `channels.dataDir`. */
  files: FileStore | null;
}

/**
 * The settings of an app nobody configured: the documented defaults, without reading the
 * environment. The channel settings are made on first use only, because they resolve the seal
 * key — a file under ./data created when missing — and most tests never send anything; a test
 * may also replace them (`app.settings.channels = …`) before first use.
 */
export function defaultAppSettings(given: Partial<AppSettings> = {}): AppSettings {
  let channels = given.channels;
  return {
    get channels() {
      return (channels ??= settingsFromConfig({ port: 3000, dataDir: resolve('data'), channels: defaultChannelConfig() }));
    },
    set channels(s: ChannelSettings) {
      channels = s;
    },
    contactKey: given.contactKey ?? DEV_CONTACT_KEY,
    telephonySecret: given.telephonySecret ?? null,
    idempotencyTtlHours: given.idempotencyTtlHours ?? DEFAULT_IDEMPOTENCY_TTL_HOURS,
    sessions: given.sessions ?? DEFAULT_SESSIONS,
    files: given.files ?? null,
  };
}

export interface App {
  database: Database;
  /** The configuration the services read (see AppSettings); replaced only by tests. */
  settings: AppSettings;
  /**
   * Notifications: 'case_changed' (CaseChanged) after each committed transition, for live
   * updates. Emitted in-process; on PostgreSQL the case relay (services/case-relay.ts, started
   * by `kesu serve`) also publishes them to the other instances and re-emits theirs here.
   */
  events: EventEmitter;
  now: () => Date;
  log: Logger;
  /** Heartbeats of the background jobs this instance runs, for readiness. */
  heartbeats: Heartbeats;
  policyByKey(key: string, db?: Executor): Promise<Policy>;
  activePolicy(db?: Executor): Promise<Policy>;
  /**
   * The policy's working calendar (`name`: one of its named `calendars`; the default one carries
   * the named ones in `named`). Inside a transaction pass the transaction: a cache miss reads
   * the administrators' holiday years, and on SQLite a read through the root handle would wait
   * for the transaction for ever (store/transaction-guard.ts refuses it).
   */
  calendarFor(policy: Policy, db?: Executor, name?: string): Promise<WorkingCalendar>;
  /**
   * The policy's named calendars (`calendars`), by name; empty when it has none. The default
   * calendar carries them too (`calendarFor(policy).named`), which is how a clock finds its own.
   */
  calendarsFor(policy: Policy, db?: Executor): Promise<Record<string, WorkingCalendar>>;
  /**
   * Loads every policy version and its calendar, so the jobs and the
   * first requests after a start find them cached. Called by `kesu serve` before the jobs start.
   */
  warm(): Promise<void>;
  /**
   * Forget cached calendars at once (after a holiday year was added). Other instances learn of the
   * change from the cache stamp the change bumped, within `cacheCheckMs`.
   */
  invalidateCalendars(): void;
  /**
   * Forget the cached active policy at once (services/policies.ts `activatePolicy` calls it).
   * Other instances learn of a new active version from the policies' cache stamp within `cacheCheckMs`.
   */
  invalidateActivePolicy(): void;
}

export function createApp(database: Database, opts: { now?: () => Date; log?: Logger; cacheCheckMs?: number; settings?: Partial<AppSettings> } = {}): App {
  const policies = new Map<string, Policy>();
  const calendars = new Map<string, WorkingCalendar>();
  let adminYears: Promise<HolidayYear[]> | null = null;
  const cacheCheckMs = opts.cacheCheckMs ?? 1000;
  const active = activePolicyCache(cacheCheckMs);
  // The calendars' stamp these caches were built at, when it was last read (monotonic ms), and a
  // generation that a load started before an invalidation must still match to be cached.
  let calendarStamp: number | null = null;
  let stampReadAt = -Infinity;
  let generation = 0;
  const forgetCalendars = () => {
    calendars.clear();
    adminYears = null;
    generation += 1;
  };
  const checkCalendarStamp = async (db: Executor) => {
    if (performance.now() - stampReadAt < cacheCheckMs) return;
    const readAt = performance.now();
    const stamp = await readCacheStamp(db, 'calendars');
    stampReadAt = Math.max(stampReadAt, readAt);
    if (stamp === calendarStamp) return;
    if (calendarStamp !== null) forgetCalendars();
    calendarStamp = stamp;
  };
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const now = opts.now ?? (() => new Date());
  const app: App = {
    database,
    settings: defaultAppSettings(opts.settings),
    events,
    now,
    log: opts.log ?? silentLogger,
    heartbeats: new Heartbeats(now),
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
      const p = await active.get(db);
      if (!p) throw new AppError('policy_invalid', 'no active policy: run `kesu seed-demo` or upload one');
      const key = policyKey(p);
      if (!policies.has(key)) policies.set(key, p);
      return p;
    },
    async calendarFor(policy, db = database.db, name) {
      // The stamp is read before the years, so cached years are never older than the stamp kept.
      await checkCalendarStamp(db);
      const key = name === undefined ? policyKey(policy) : `${policyKey(policy)}#${name}`;
      const cached = calendars.get(key);
      if (cached) return cached;
      const built = generation;
      if (!adminYears) {
        const loading = listHolidayYears(db);
        adminYears = loading;
        // A failed read (a rolled-back transaction, a lost connection) must not stay cached.
        loading.catch(() => {
          if (adminYears === loading) adminYears = null;
        });
      }
      // Any region: the built-in years (CN only) first, then the ones administrators imported for it.
      const spec = calendarSpec(policy, name);
      const region = spec.holidays;
      const years = region === 'none' ? [] : [...(region === 'CN' ? builtInHolidayYears('CN') : []), ...(await adminYears).filter((y) => y.region === region)];
      const cal = new WorkingCalendar(spec, years);
      if (name === undefined) for (const other of calendarNames(policy)) cal.named[other] = await app.calendarFor(policy, db, other);
      // Years read before an invalidation serve this call but are not kept.
      if (built === generation) calendars.set(key, cal);
      return cal;
    },
    async calendarsFor(policy, db = database.db) {
      return { ...(await app.calendarFor(policy, db)).named };
    },
    async warm() {
      // Every stored version (a handful): open cases keep the version they started under.
      for (const { key } of await listPolicies(database.db)) await app.calendarFor(await app.policyByKey(key));
    },
    invalidateCalendars() {
      forgetCalendars();
      stampReadAt = -Infinity;
    },
    invalidateActivePolicy() {
      active.invalidate();
    },
  };
  // Storage faults are logged once, on whatever log the app has by then (`kesu serve` sets the server's).
  database.storage.log = { error: (o, m) => app.log.error(o, m), info: (o, m) => app.log.info(o, m) };
  return app;
}
