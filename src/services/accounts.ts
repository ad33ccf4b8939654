/**
 * Accounts (issue 12 §2): an administrator edits a user (name, contacts, department, roles…),
 * deactivates one (their history stays; their sessions end at once; their open cases are listed
 * for reassignment) or reactivates them, and resets a password (the user must change it at their
 * next sign-in); a user changes their own password (the current one required) and signs out
 * everywhere. A role change ends the user's sessions too, so nothing keeps the old roles.
 *
 * Passwords follow a policy (at least PASSWORD_MIN_LENGTH characters, not the username, not on a
 * built-in list of common passwords). argon2 hashing happens before any write, never inside a
 * database transaction. Every change is an auth event (`auth_events`) and a log line, with the
 * username and the acting user, never a password.
 */
import { AppError, fieldProblem } from '../domain/errors.js';
import type { Role } from '../domain/complaint/types.js';
import { insertAuthEvent, type AuthEventKind } from '../store/login-throttle.repository.js';
import { getPasswordHash, getUser, openCasesOf, setPasswordHash, setUserActive, updateUser, type UserChanges, type UserRecord } from '../store/user.repository.js';
import type { App } from './app.js';
import { uuidv7 } from './ids.js';
import { announceUserChanged, hashPassword, revokeSessions, verifyPassword } from './sessions.js';

export const PASSWORD_MIN_LENGTH = 10;

/** Passwords that head every breach list (compared case-insensitively). */
const COMMON_PASSWORDS = new Set([
  '123456789012',
  '1234567890',
  '12345678910',
  '0123456789',
  '1q2w3e4r5t',
  '1qaz2wsx3edc',
  'qwertyuiop',
  'qwertyuiop123',
  'password123',
  'password1234',
  'passw0rd123',
  'p@ssw0rd123',
  'iloveyou123',
  'administrator',
  'admin123456',
  'admin@123456',
  'welcome123',
  'welcome2024',
  'welcome2025',
  'welcome2026',
  'letmein123',
  'abc1234567',
  'abcdefghij',
  'aa123456789',
  'qwerty123456',
  'football123',
  'baseball123',
  'sunshine123',
  'princess123',
  'dragon12345',
  'monkey12345',
  'zxcvbnm123',
  '1111111111',
  '0000000000',
  '8888888888',
  '5201314520',
  'woaini1314',
  'kesu-demo123',
  'changeme123',
  'changeme1234',
]);

export type PasswordProblem = 'too_short' | 'common' | 'same_as_username';

export function passwordProblem(password: string, username: string): PasswordProblem | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) return 'too_short';
  const p = password.toLowerCase();
  if (p === username.toLowerCase()) return 'same_as_username';
  if (COMMON_PASSWORDS.has(p) || /^(.)\1+$/.test(p)) return 'common';
  return null;
}

/** Refuses a password that breaks the policy (invalid_input on `field`). */
export function assertPasswordPolicy(password: string, username: string, field = 'password'): void {
  const p = passwordProblem(password, username);
  if (p === 'too_short')
    throw new AppError('invalid_input', 'password too short', [fieldProblem(field, `密码至少 ${PASSWORD_MIN_LENGTH} 个字符`, `The password needs at least ${PASSWORD_MIN_LENGTH} characters`, `密碼至少 ${PASSWORD_MIN_LENGTH} 個字元`)]);
  if (p === 'same_as_username') throw new AppError('invalid_input', 'password is the username', [fieldProblem(field, '密码不能与用户名相同', 'The password may not be the username', '密碼不能與使用者名稱相同')]);
  if (p === 'common') throw new AppError('invalid_input', 'common password', [fieldProblem(field, '这个密码太常见，请换一个', 'This password is too common: choose another', '這個密碼太常見，請換一個')]);
}

async function audit(app: App, kind: AuthEventKind, e: { username: string; actorId: string; address?: string | null; detail?: Record<string, unknown> }): Promise<void> {
  const now = app.now();
  await insertAuthEvent(app.database.db, { id: uuidv7(now.getTime()), at: now.toISOString(), kind, username: e.username, address: e.address ?? null, actorId: e.actorId, detail: e.detail ?? {} });
  app.log.info({ audit: `auth.${kind}`, username: e.username, actorId: e.actorId, ...e.detail }, `account: ${kind.replaceAll('_', ' ')}`);
}

async function userOrThrow(app: App, id: string): Promise<UserRecord> {
  const u = await getUser(app.database.db, id);
  if (!u) throw new AppError('not_found', 'no such user');
  return u;
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/**
 * Edits a user. A change of roles, department, managed departments or approval levels (what
 * decides what they may see and do) ends their sessions, so every open session and stream
 * re-authorises; name, contacts and language do not.
 */
export async function editUser(app: App, actorId: string, id: string, c: UserChanges, opts: { keepSession?: string } = {}): Promise<{ user: UserRecord; sessionsEnded: number }> {
  const before = await userOrThrow(app, id);
  if (c.roles && before.id === actorId && before.roles.includes('admin') && !c.roles.includes('admin'))
    throw new AppError('invalid_input', 'own admin role', [fieldProblem('roles', '不能取消自己的管理员角色', 'You may not remove your own admin role', '不能取消自己的管理員角色')]);
  await updateUser(app.database.db, id, c);
  const after = await userOrThrow(app, id);
  const changed = (Object.keys(c) as (keyof UserChanges)[]).filter((k) => k !== 'email' && k !== 'phone' && JSON.stringify((before as unknown as Record<string, unknown>)[k]) !== JSON.stringify(c[k]));
  const contacts = (['email', 'phone'] as const).filter((k) => c[k] !== undefined);
  const authz = !sameSet(before.roles, after.roles) || before.departmentCode !== after.departmentCode || !sameSet(before.managerOf, after.managerOf) || !sameSet(before.approvalLevels, after.approvalLevels);
  // Which fields changed, never the contact values themselves (personal data).
  await audit(app, 'user_updated', { username: after.username, actorId, detail: { fields: [...changed, ...contacts] } });
  let sessionsEnded = 0;
  if (authz) {
    await audit(app, 'roles_changed', { username: after.username, actorId, detail: { roles: { from: before.roles, to: after.roles }, departmentCode: { from: before.departmentCode, to: after.departmentCode } } });
    sessionsEnded = await revokeSessions(app, id, 'roles_changed', id === actorId ? opts.keepSession : undefined);
  } else announceUserChanged(app, id, 'user_updated');
  return { user: after, sessionsEnded };
}

/** Deactivates a user: they can no longer sign in, their sessions and streams end now, their history stays. */
export async function deactivateUser(app: App, actorId: string, id: string): Promise<{ user: UserRecord; sessionsEnded: number; openCases: { id: string; number: string; state: string; relation: string }[] }> {
  const u = await userOrThrow(app, id);
  if (id === actorId) throw new AppError('invalid_input', 'self', [fieldProblem('id', '不能停用自己的账号', 'You may not deactivate your own account', '不能停用自己的帳號')]);
  if (u.active) await setUserActive(app.database.db, id, false, app.now().toISOString());
  const sessionsEnded = await revokeSessions(app, id, 'deactivated');
  const openCases = await openCasesOf(app.database.db, id);
  await audit(app, 'user_deactivated', { username: u.username, actorId, detail: { wasActive: u.active, sessionsEnded, openCases: openCases.length } });
  return { user: { ...u, active: false }, sessionsEnded, openCases };
}

export async function reactivateUser(app: App, actorId: string, id: string): Promise<UserRecord> {
  const u = await userOrThrow(app, id);
  if (!u.active) await setUserActive(app.database.db, id, true, app.now().toISOString());
  await audit(app, 'user_reactivated', { username: u.username, actorId, detail: { wasActive: u.active } });
  return { ...u, active: true };
}

/** An administrator sets a temporary password: the user's sessions end and they must change it at sign-in. */
export async function resetPassword(app: App, actorId: string, id: string, password: string): Promise<{ sessionsEnded: number }> {
  const u = await userOrThrow(app, id);
  assertPasswordPolicy(password, u.username);
  const h = await hashPassword(password); // before any write
  await setPasswordHash(app.database.db, id, h, true);
  const sessionsEnded = await revokeSessions(app, id, 'password_reset');
  await audit(app, 'password_reset', { username: u.username, actorId, detail: { sessionsEnded } });
  return { sessionsEnded };
}

/** The user changes their own password: the current one is required; their other sessions end. */
export async function changeOwnPassword(app: App, userId: string, current: string, next: string, opts: { keepSession: string; address?: string }): Promise<{ sessionsEnded: number }> {
  const u = await userOrThrow(app, userId);
  const stored = await getPasswordHash(app.database.db, userId);
  if (!stored || !(await verifyPassword(stored, current))) {
    await audit(app, 'password_change_refused', { username: u.username, actorId: userId, address: opts.address, detail: { reason: 'wrong_current_password' } });
    throw new AppError('invalid_input', 'wrong current password', [fieldProblem('currentPassword', '当前密码不正确', 'The current password is wrong', '目前密碼不正確')]);
  }
  assertPasswordPolicy(next, u.username, 'newPassword');
  if (next === current) throw new AppError('invalid_input', 'same password', [fieldProblem('newPassword', '新密码不能与当前密码相同', 'The new password must differ from the current one', '新密碼不能與目前密碼相同')]);
  const h = await hashPassword(next); // before any write
  await setPasswordHash(app.database.db, userId, h, false);
  const sessionsEnded = await revokeSessions(app, userId, 'password_changed', opts.keepSession);
  await audit(app, 'password_changed', { username: u.username, actorId: userId, address: opts.address, detail: { otherSessionsEnded: sessionsEnded } });
  return { sessionsEnded };
}

/** Ends every session of the user, this one included. */
export async function signOutEverywhere(app: App, userId: string, address?: string): Promise<{ sessionsEnded: number }> {
  const u = await userOrThrow(app, userId);
  const sessionsEnded = await revokeSessions(app, userId, 'signed_out_everywhere');
  await audit(app, 'signed_out_everywhere', { username: u.username, actorId: userId, address, detail: { sessionsEnded } });
  return { sessionsEnded };
}

export type { Role };
