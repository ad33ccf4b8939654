/**
 * Sign-in with argon2-hashed passwords and opaque session tokens (only their SHA-256 is stored,
 * so a leaked database does not leak live sessions).
 */
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Actor } from '../domain/complaint/types.js';
import { AppError } from '../domain/errors.js';
import { actorOf, deleteSession, findSession, findUserByUsername, getUser, insertSession, type UserRecord } from '../store/user.repository.js';
import type { App } from './app.js';

const SESSION_HOURS = 12;
// A hash to verify against when the user does not exist, so timing does not reveal usernames.
let dummyHash: Promise<string> | null = null;

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function signIn(app: App, username: string, password: string): Promise<{ token: string; user: UserRecord; expiresAt: string }> {
  const u = await findUserByUsername(app.database.db, username);
  dummyHash ??= hash('not-a-password');
  const ok = await verify(u?.passwordHash ?? (await dummyHash), password).catch(() => false);
  if (!u || !ok || !u.active) throw new AppError('unauthenticated', 'wrong username or password');
  const token = randomBytes(32).toString('base64url');
  const now = app.now();
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString();
  await insertSession(app.database.db, { tokenHash: tokenHash(token), userId: u.id, createdAt: now.toISOString(), expiresAt });
  const { passwordHash: _omit, ...user } = u;
  return { token, user, expiresAt };
}

export async function authenticate(app: App, token: string): Promise<{ actor: Actor; user: UserRecord } | null> {
  const s = await findSession(app.database.db, tokenHash(token), app.now().toISOString());
  if (!s) return null;
  const u = await getUser(app.database.db, s.userId);
  if (!u || !u.active) return null;
  return { actor: actorOf(u), user: u };
}

export async function signOut(app: App, token: string): Promise<void> {
  await deleteSession(app.database.db, tokenHash(token));
}
