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
    })
    .execute();
}

export async function findUserByUsername(db: Executor, username: string): Promise<(UserRecord & { passwordHash: string }) | null> {
  const r = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  return r ? { ...toUser(r), passwordHash: r.password_hash } : null;
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
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
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
  await db.insertInto('sessions').values({ token_hash: s.tokenHash, user_id: s.userId, created_at: s.createdAt, expires_at: s.expiresAt }).execute();
}

export async function findSession(db: Executor, tokenHash: string, now: string): Promise<{ userId: string } | null> {
  const r = await db.selectFrom('sessions').select('user_id').where('token_hash', '=', tokenHash).where('expires_at', '>', now).executeTakeFirst();
  return r ? { userId: r.user_id } : null;
}

export async function deleteSession(db: Executor, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}
