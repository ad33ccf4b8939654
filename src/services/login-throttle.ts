/**
 * Sign-in throttling (issue 12): failed sign-ins are counted per account (its username, whether
 * it exists or not, so the answer does not tell) and per client address, in the database so every
 * instance counts together (store/login-throttle.repository.ts). When an account reaches
 * `maxFailures` failures within `windowMs`, or an address `maxFailuresPerAddress`, it is locked
 * for `lockMs`: while locked every sign-in for it is refused with `login_throttled` (429,
 * Retry-After) *before* the password is checked — the right password too. An administrator can
 * lift a lock at once. A successful sign-in clears the account's count (not the address's).
 *
 * Every failure, lock-out, refusal while locked and unlock is an auth event (table
 * `auth_events`) and a log line — with the username and address, never the password.
 */
import { AppError } from '../domain/errors.js';
import { clearKey, countFailure, insertAuthEvent, listLocked, lockKey, purgeThrottle, readThrottle, type AuthEventKind, type ThrottleRow } from '../store/login-throttle.repository.js';
import type { App } from './app.js';
import { uuidv7 } from './ids.js';

export interface LoginThrottleSettings {
  /** Failures of one account within the window that lock it (default 10). */
  maxFailures: number;
  /** Failures from one client address within the window that lock the address (default 50). */
  maxFailuresPerAddress: number;
  /** The counting window (default 15 min). */
  windowMs: number;
  /** How long a lock-out lasts (default 15 min). */
  lockMs: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleSettings = { maxFailures: 10, maxFailuresPerAddress: 50, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

const PURGE_EVERY_MS = 60_000;
const purgedAt = new WeakMap<App, number>();

export const accountKey = (username: string) => `account:${username.trim().toLowerCase()}`;
export const addressKey = (address: string) => `address:${address}`;

async function audit(app: App, kind: AuthEventKind, e: { username?: string | null; address?: string | null; actorId?: string | null; detail?: Record<string, unknown> }): Promise<void> {
  const now = app.now();
  await insertAuthEvent(app.database.db, { id: uuidv7(now.getTime()), at: now.toISOString(), kind, username: e.username ?? null, address: e.address ?? null, actorId: e.actorId ?? null, detail: e.detail ?? {} });
  const line = { audit: `auth.${kind}`, username: e.username ?? undefined, address: e.address ?? undefined, actorId: e.actorId ?? undefined, ...e.detail };
  if (kind === 'unlocked' || kind === 'login_failed') app.log.info(line, `sign-in: ${kind.replace('_', ' ')}`);
  else app.log.warn(line, `sign-in: ${kind.replace('_', ' ')}`);
}

function lockedRow(rows: ThrottleRow[], now: number): ThrottleRow | null {
  const locked = rows.filter((r) => r.lockedUntil !== null && r.lockedUntil > now);
  return locked.sort((a, b) => b.lockedUntil! - a.lockedUntil!)[0] ?? null;
}

function refusal(until: number, now: number): AppError {
  const retryAfter = Math.max(1, Math.ceil((until - now) / 1000));
  return new AppError('login_throttled', 'sign-in locked', [], { retryAfter, lockedUntil: new Date(until).toISOString() });
}

/** Refuses (login_throttled) when the account or the address is locked. */
export async function assertNotLocked(app: App, username: string, address: string): Promise<void> {
  const now = app.now().getTime();
  const locked = lockedRow(await readThrottle(app.database.db, [accountKey(username), addressKey(address)]), now);
  if (!locked) return;
  await audit(app, 'refused_locked', { username, address, detail: { lock: locked.key.split(':')[0], lockedUntil: new Date(locked.lockedUntil!).toISOString() } });
  throw refusal(locked.lockedUntil!, now);
}

/** Counts a failed sign-in; locks the account and/or the address when they reach their limits. */
export async function recordFailure(app: App, s: LoginThrottleSettings, username: string, address: string): Promise<void> {
  const db = app.database.db;
  const now = app.now().getTime();
  const [account, from] = await Promise.all([countFailure(db, accountKey(username), s.windowMs, now), countFailure(db, addressKey(address), s.windowMs, now)]);
  await audit(app, 'login_failed', { username, address, detail: { accountFailures: account.failures, addressFailures: from.failures } });
  const until = now + s.lockMs;
  if (account.failures >= s.maxFailures && !(account.lockedUntil && account.lockedUntil > now)) {
    await lockKey(db, account.key, until);
    await audit(app, 'locked', { username, address, detail: { lock: 'account', failures: account.failures, lockedUntil: new Date(until).toISOString() } });
  }
  if (from.failures >= s.maxFailuresPerAddress && !(from.lockedUntil && from.lockedUntil > now)) {
    await lockKey(db, from.key, until);
    await audit(app, 'locked', { username, address, detail: { lock: 'address', failures: from.failures, lockedUntil: new Date(until).toISOString() } });
  }
  const last = purgedAt.get(app) ?? 0;
  if (now - last >= PURGE_EVERY_MS) {
    purgedAt.set(app, now);
    await purgeThrottle(db, now).catch((err: unknown) => app.log.warn({ err }, 'login throttle: could not delete ended windows'));
  }
}

/** A successful sign-in: the account's failures are forgotten. */
export async function recordSuccess(app: App, username: string): Promise<void> {
  await clearKey(app.database.db, accountKey(username), app.now().getTime());
}

export interface LoginLock {
  kind: 'account' | 'address';
  /** The username or the address. */
  subject: string;
  failures: number;
  lockedUntil: string;
}

export async function currentLocks(app: App): Promise<LoginLock[]> {
  return (await listLocked(app.database.db, app.now().getTime())).map((r) => {
    const [kind, ...rest] = r.key.split(':');
    return { kind: kind as 'account' | 'address', subject: rest.join(':'), failures: r.failures, lockedUntil: new Date(r.lockedUntil!).toISOString() };
  });
}

/** An administrator lifts the lock (and the count) of an account or an address; returns whether one was locked. */
export async function unlock(app: App, target: { username?: string; address?: string }, actorId: string): Promise<boolean> {
  const now = app.now().getTime();
  const key = target.username !== undefined ? accountKey(target.username) : addressKey(target.address!);
  const wasLocked = await clearKey(app.database.db, key, now);
  await audit(app, 'unlocked', { username: target.username ?? null, address: target.address ?? null, actorId, detail: { wasLocked } });
  return wasLocked;
}
