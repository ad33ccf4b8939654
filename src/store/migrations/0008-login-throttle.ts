/**
 * Sign-in throttling shared by every instance of one database (issue 12):
 * - `login_throttle`: failed sign-ins per key — `account:<username>` (lower case, known or not)
 *   and `address:<client address>` — in a fixed window, and the time until which the key is
 *   locked out (null: not locked). A row whose window ended and that is not locked is dead weight
 *   and deleted now and then.
 * - `auth_events`: the audit trail of sign-in security events — failures, lock-outs, refusals
 *   while locked, unlocks by an administrator — with the username and address, never a password.
 * Both start empty. Frozen once released.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('login_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_ends_at', 'bigint', (c) => c.notNull())
    .addColumn('locked_until', 'bigint')
    .execute();
  await db.schema.createIndex('login_throttle_window_ends_at').on('login_throttle').column('window_ends_at').execute();
  await db.schema
    .createTable('auth_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('username', 'text')
    .addColumn('address', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('detail', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('auth_events_at').on('auth_events').column('at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('auth_events').ifExists().execute();
  await db.schema.dropTable('login_throttle').ifExists().execute();
}
