/** Users, departments and sessions. */
import type { Actor, Role } from '../domain/complaint/types.js';
import type { Locale } from '../domain/errors.js';
import type { Executor } from './db.js';
import type { UsersTable } from './schema.js';

export interface UserRecord {
  id: string;
  username: string;
  name: string;
  roles: Role[];
  departmentCode: string | null;
  managerOf: string[];
  approvalLevels: string[];
  locale: Locale;
  active: boolean;
}

/** Decodes a users row (JSON columns included). */
export function toUser(r: UsersTable): UserRecord {
  return {
    id: r.id,
    username: r.username,
    name: r.name,
    roles: JSON.parse(r.roles) as Role[],
    departmentCode: r.department_code,
    managerOf: JSON.parse(r.manager_of) as string[],
    approvalLevels: JSON.parse(r.approval_levels) as string[],
    locale: r.locale as Locale,
    active: Number(r.active) === 1,
  };
}

export function actorOf(u: UserRecord): Actor {
  return { id: u.id, kind: 'user', name: u.name, roles: u.roles, departmentCode: u.departmentCode, managerOf: u.managerOf, approvalLevels: u.approvalLevels, locale: u.locale };
}

export async function insertUser(db: Executor, u: UserRecord & { passwordHash: string; createdAt: string }): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: u.id,
      username: u.username,
      name: u.name,
      password_hash: u.passwordHash,
      roles: JSON.stringify(u.roles),
      department_code: u.departmentCode,
      manager_of: JSON.stringify(u.managerOf),
      approval_levels: JSON.stringify(u.approvalLevels),
      locale: u.locale,
      active: u.active ? 1 : 0,
      created_at: u.createdAt,
      must_change_password: 0,
      deactivated_at: null,
    })
    .execute();
}

export async function findUserByUsername(db: Executor, username: string): Promise<(UserRecord & { passwordHash: string; mustChangePassword: boolean }) | null> {
  const r = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  return r ? { ...toUser(r), passwordHash: r.password_hash, mustChangePassword: Number(r.must_change_password) === 1 } : null;
}

/** The user and whether they must change their password before anything else (sessions). */
export async function getUserForSession(db: Executor, id: string): Promise<(UserRecord & { mustChangePassword: boolean }) | null> {
  const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? { ...toUser(r), mustChangePassword: Number(r.must_change_password) === 1 } : null;
}

export async function getUser(db: Executor, id: string): Promise<UserRecord | null> {
  const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toUser(r) : null;
}

export async function getUsers(db: Executor, ids: string[]): Promise<UserRecord[]> {
  if (!ids.length) return [];
  const rows = await db.selectFrom('users').selectAll().where('id', 'in', ids).execute();
  return rows.map(toUser);
}

export async function listUsers(db: Executor): Promise<UserRecord[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('username').execute();
  return rows.map(toUser);
}

export async function countUsers(db: Executor): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function upsertDepartment(db: Executor, code: string, name: string, at: string): Promise<void> {
  await db
    .insertInto('departments')
    .values({ code, name, created_at: at })
    .onConflict((oc) => oc.column('code').doUpdateSet({ name }))
    .execute();
}

export async function listDepartments(db: Executor): Promise<{ code: string; name: string }[]> {
  return db.selectFrom('departments').select(['code', 'name']).orderBy('code').execute();
}

export async function insertSession(db: Executor, s: { tokenHash: string; userId: string; createdAt: string; expiresAt: string }): Promise<void> {
  await db.insertInto('sessions').values({ token_hash: s.tokenHash, user_id: s.userId, created_at: s.createdAt, expires_at: s.expiresAt, last_seen_at: s.createdAt }).execute();
}

/** The session unless it passed its absolute lifetime (`expires_at`); the caller checks idleness on `lastSeenAt`. */
export async function findSession(db: Executor, tokenHash: string, now: string): Promise<{ userId: string; createdAt: string; lastSeenAt: string } | null> {
  const r = await db.selectFrom('sessions').select(['user_id', 'created_at', 'last_seen_at']).where('token_hash', '=', tokenHash).where('expires_at', '>', now).executeTakeFirst();
  return r ? { userId: r.user_id, createdAt: r.created_at, lastSeenAt: r.last_seen_at ?? r.created_at } : null;
}

export async function touchSession(db: Executor, tokenHash: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('token_hash', '=', tokenHash).execute();
}

/** Ends every session of a user (all but `keep`, a token hash, when given); returns how many. */
export async function deleteSessionsOf(db: Executor, userId: string, keep?: string): Promise<number> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keep) q = q.where('token_hash', '!=', keep);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function getPasswordHash(db: Executor, id: string): Promise<string | null> {
  const r = await db.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirst();
  return r?.password_hash ?? null;
}

export interface UserChanges {
  name?: string;
  email?: string | null;
  phone?: string | null;
  departmentCode?: string | null;
  roles?: Role[];
  managerOf?: string[];
  approvalLevels?: string[];
  locale?: Locale;
}

export async function updateUser(db: Executor, id: string, c: UserChanges): Promise<void> {
  const set: Record<string, unknown> = {};
  if (c.name !== undefined) set.name = c.name;
  if (c.email !== undefined) set.email = c.email;
  if (c.phone !== undefined) set.phone = c.phone;
  if (c.departmentCode !== undefined) set.department_code = c.departmentCode;
  if (c.roles !== undefined) set.roles = JSON.stringify(c.roles);
  if (c.managerOf !== undefined) set.manager_of = JSON.stringify(c.managerOf);
  if (c.approvalLevels !== undefined) set.approval_levels = JSON.stringify(c.approvalLevels);
  if (c.locale !== undefined) set.locale = c.locale;
  if (Object.keys(set).length) await db.updateTable('users').set(set).where('id', '=', id).execute();
}

export async function setUserActive(db: Executor, id: string, active: boolean, at: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ active: active ? 1 : 0, deactivated_at: active ? null : at })
    .where('id', '=', id)
    .execute();
}

export async function setPasswordHash(db: Executor, id: string, passwordHash: string, mustChange: boolean): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash, must_change_password: mustChange ? 1 : 0 })
    .where('id', '=', id)
    .execute();
}

export async function getUserContacts(db: Executor, id: string): Promise<{ email: string | null; phone: string | null } | null> {
  const r = await db.selectFrom('users').select(['email', 'phone']).where('id', '=', id).executeTakeFirst();
  return r ?? null;
}

const CLOSED_STATES = ['invalid', 'closed', 'archived'];

/** Open cases the user handles (primary handler) or takes part in as staff: to be reassigned when they leave. */
export async function openCasesOf(db: Executor, userId: string): Promise<{ id: string; number: string; state: string; relation: string }[]> {
  const primary = await db.selectFrom('complaints').select(['id', 'number', 'state']).where('primary_handler_id', '=', userId).where('state', 'not in', CLOSED_STATES).execute();
  const taking = await db
    .selectFrom('complaint_participants as p')
    .innerJoin('complaints as c', 'c.id', 'p.complaint_id')
    .select(['c.id', 'c.number', 'c.state', 'p.relation'])
    .where('p.user_id', '=', userId)
    .where('p.relation', 'in', ['handler', 'co_handler', 'approver', 'followup'])
    .where('c.state', 'not in', CLOSED_STATES)
    .execute();
  const out = new Map<string, { id: string; number: string; state: string; relation: string }>();
  for (const r of primary) out.set(r.id, { ...r, relation: 'primary_handler' });
  for (const r of taking) if (!out.has(r.id)) out.set(r.id, r);
  return [...out.values()].sort((a, b) => a.number.localeCompare(b.number));
}

export async function deleteSession(db: Executor, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** Users whose e-mail is `email`, compared case-insensitively (single sign-on matches by it: services/sso.ts). */
export async function findUsersByEmail(db: Executor, email: string): Promise<UserRecord[]> {
  const rows = await db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .execute();
  return rows.map(toUser);
}
