/**
 * Failed sign-ins and lock-outs per key (migration 0008), shared by every instance of the
 * database: `account:<username>` and `address:<client address>`. Each failure is counted by one
 * atomic upsert in a fixed window; a key whose count reaches its limit is locked until a time.
 * Also the sign-in security events (`auth_events`). Not for use inside a transaction: each
 * statement commits on its own.
 */
import { sql } from 'kysely';
import type { Executor } from './db.js';

export interface ThrottleRow {
  key: string;
  failures: number;
  windowEndsAt: number;
  lockedUntil: number | null;
}

function row(r: { key: string; failures: number; window_ends_at: number | string; locked_until: number | string | null }): ThrottleRow {
  return { key: r.key, failures: Number(r.failures), windowEndsAt: Number(r.window_ends_at), lockedUntil: r.locked_until === null ? null : Number(r.locked_until) };
}

/** The rows of these keys. */
export async function readThrottle(db: Executor, keys: string[]): Promise<ThrottleRow[]> {
  if (!keys.length) return [];
  return (await db.selectFrom('login_throttle').selectAll().where('key', 'in', keys).execute()).map(row);
}

/** Counts one failure on `key` at `nowMs`: the failures in the window running (a new one when it ended). */
export async function countFailure(db: Executor, key: string, windowMs: number, nowMs: number): Promise<ThrottleRow> {
  const now = Math.trunc(nowMs);
  const end = now + Math.max(1, Math.trunc(windowMs));
  const r = await db
    .insertInto('login_throttle')
    .values({ key, failures: 1, window_ends_at: end, locked_until: null })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql<number>`case when login_throttle.window_ends_at <= ${now} then 1 else login_throttle.failures + 1 end`,
        window_ends_at: sql<number>`case when login_throttle.window_ends_at <= ${now} then ${end} else login_throttle.window_ends_at end`,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return row(r);
}

/** Locks `key` until `untilMs` (a later lock already set is kept). */
export async function lockKey(db: Executor, key: string, untilMs: number): Promise<void> {
  const until = Math.trunc(untilMs);
  await db
    .updateTable('login_throttle')
    .set({ locked_until: sql<number>`case when locked_until is not null and locked_until > ${until} then locked_until else ${until} end` })
    .where('key', '=', key)
    .execute();
}

/** Forgets a key (a successful sign-in for an account; an unlock): returns whether it was locked at `nowMs`. */
export async function clearKey(db: Executor, key: string, nowMs: number): Promise<boolean> {
  const r = await db.deleteFrom('login_throttle').where('key', '=', key).returning(['locked_until']).executeTakeFirst();
  return !!r && r.locked_until !== null && Number(r.locked_until) > nowMs;
}

/** The keys locked at `nowMs`. */
export async function listLocked(db: Executor, nowMs: number): Promise<ThrottleRow[]> {
  return (await db.selectFrom('login_throttle').selectAll().where('locked_until', '>', Math.trunc(nowMs)).orderBy('key').execute()).map(row);
}

/** Deletes rows whose window ended and that are not locked; returns how many. */
export async function purgeThrottle(db: Executor, nowMs: number): Promise<number> {
  const now = Math.trunc(nowMs);
  const r = await db
    .deleteFrom('login_throttle')
    .where('window_ends_at', '<=', now)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export type AuthEventKind =
  | 'login_failed'
  | 'locked'
  | 'refused_locked'
  | 'unlocked'
  // accounts and sessions (services/accounts.ts)
  | 'user_updated'
  | 'roles_changed'
  | 'user_deactivated'
  | 'user_reactivated'
  | 'password_reset'
  | 'password_changed'
  | 'password_change_refused'
  | 'signed_out_everywhere'
  // departments edited in the console (services/departments.ts); `username` is null, the code in the detail
  | 'department_created'
  | 'department_changed'
  | 'department_deactivated'
  | 'department_reactivated'
  | 'department_deleted'
  // a policy version activated by an upload or the console's editor (services/policy-publish.ts); the key in the detail
  | 'policy_published'
  // single sign-on (services/sso.ts): `username` is the matched user's, or null when none matched
  | 'sso_signed_in'
  | 'sso_refused';

export interface AuthEvent {
  id: string;
  at: string;
  kind: AuthEventKind;
  username: string | null;
  address: string | null;
  actorId: string | null;
  detail: Record<string, unknown>;
}

export async function insertAuthEvent(db: Executor, e: AuthEvent): Promise<void> {
  await db
    .insertInto('auth_events')
    .values({ id: e.id, at: e.at, kind: e.kind, username: e.username, address: e.address, actor_id: e.actorId, detail: JSON.stringify(e.detail) })
    .execute();
}

/** The newest events first. */
export async function listAuthEvents(db: Executor, limit: number): Promise<AuthEvent[]> {
  const rows = await db.selectFrom('auth_events').selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, at: r.at, kind: r.kind as AuthEventKind, username: r.username, address: r.address, actorId: r.actor_id, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}
