/**
 * Sign-in with argon2-hashed passwords and opaque session tokens (only their SHA-256 is stored,
 * so a leaked database does not leak live sessions).
 *
 * A session ends at the first of: its absolute lifetime from sign-in (KESU_SESSION_MAX_HOURS,
 * default 12 h), an idle time without any request (KESU_SESSION_IDLE_MIN, default 30 min),
 * sign-out, "sign out everywhere", or a revocation by an administrator's change to the account
 * (deactivation, role change, password reset: services/accounts.ts). Revocations are announced
 * in-process (`onSessionsRevoked`) so open live streams end at once; other instances see them at
 * their next heartbeat, which re-checks the session and the roles.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Actor } from '../domain/complaint/types.js';
import { AppError } from '../domain/errors.js';
import { actorOf, deleteSession, deleteSessionsOf, findSession, findUserByUsername, getUserForSession, insertSession, touchSession, type UserRecord } from '../store/user.repository.js';
import type { App } from './app.js';

export interface SessionSettings {
  /** A session unused this long ends (KESU_SESSION_IDLE_MIN). */
  idleMs: number;
  /** A session ends this long after sign-in whatever its use (KESU_SESSION_MAX_HOURS). */
  maxMs: number;
}

export const DEFAULT_SESSIONS: SessionSettings = { idleMs: 30 * 60_000, maxMs: 12 * 3600_000 };
/** Writes of `last_seen_at` are spared while the last one is this recent. */
const TOUCH_EVERY_MS = 60_000;

type RevokedListener = (userId: string, reason: string) => void;
const listeners = new WeakMap<App, Set<RevokedListener>>();

/** The session lifetimes of the app (`app.settings`: from the configuration, else DEFAULT_SESSIONS). */
export function sessionSettings(app: App): SessionSettings {
  return app.settings.sessions;
}

/** Called after a user's sessions were revoked or their roles changed (live streams re-check). */
export function onSessionsRevoked(app: App, fn: RevokedListener): () => void {
  let set = listeners.get(app);
  if (!set) listeners.set(app, (set = new Set()));
  set.add(fn);
  return () => set.delete(fn);
}

function announce(app: App, userId: string, reason: string): void {
  for (const fn of listeners.get(app) ?? []) {
    try {
      fn(userId, reason);
    } catch (e) {
      app.log.error({ err: e }, 'session revocation listener failed');
    }
  }
}

// A hash to verify against when the user does not exist, so timing does not reveal usernames.
let dummyHash: Promise<string> | null = null;

/** argon2id: slow on purpose; call it outside any database transaction. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password).catch(() => false);
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function signIn(app: App, username: string, password: string): Promise<{ token: string; user: UserRecord; expiresAt: string; mustChangePassword: boolean }> {
  const u = await findUserByUsername(app.database.db, username);
  dummyHash ??= hash('not-a-password');
  const ok = await verifyPassword(u?.passwordHash ?? (await dummyHash), password);
  if (!u || !ok || !u.active) throw new AppError('unauthenticated', 'wrong username or password');
  const { token, expiresAt } = await startSession(app, u.id);
  const { passwordHash: _omit, mustChangePassword, ...user } = u;
  return { token, user, expiresAt, mustChangePassword };
}

/** A new session for a user whose identity is established (a password above, or single sign-on: services/sso.ts). */
export async function startSession(app: App, userId: string): Promise<{ token: string; expiresAt: string }> {
  const token = randomBytes(32).toString('base64url');
  const now = app.now();
  const expiresAt = new Date(now.getTime() + sessionSettings(app).maxMs).toISOString();
  await insertSession(app.database.db, { tokenHash: tokenHash(token), userId, createdAt: now.toISOString(), expiresAt });
  return { token, expiresAt };
}

export async function authenticate(app: App, token: string, opts: { touch?: boolean } = {}): Promise<{ actor: Actor; user: UserRecord; mustChangePassword: boolean; tokenHash: string } | null> {
  const db = app.database.db;
  const h = tokenHash(token);
  const now = app.now();
  const s = await findSession(db, h, now.toISOString());
  if (!s) return null;
  const seen = new Date(s.lastSeenAt).getTime();
  if (now.getTime() - seen >= sessionSettings(app).idleMs) {
    await deleteSession(db, h);
    return null;
  }
  const found = await getUserForSession(db, s.userId);
  if (!found || !found.active) return null;
  if (opts.touch !== false && now.getTime() - seen >= TOUCH_EVERY_MS) await touchSession(db, h, now.toISOString());
  const { mustChangePassword, ...user } = found;
  return { actor: actorOf(user), user, mustChangePassword, tokenHash: h };
}

export async function signOut(app: App, token: string): Promise<void> {
  await deleteSession(app.database.db, tokenHash(token));
}

/** Ends every session of a user (but the one whose token hash is `keep`); announces it to live streams. */
export async function revokeSessions(app: App, userId: string, reason: string, keep?: string): Promise<number> {
  const n = await deleteSessionsOf(app.database.db, userId, keep);
  announce(app, userId, reason);
  return n;
}

/** Announces a change to a user (roles) whose sessions stay: live streams re-authorise. */
export function announceUserChanged(app: App, userId: string, reason: string): void {
  announce(app, userId, reason);
}
