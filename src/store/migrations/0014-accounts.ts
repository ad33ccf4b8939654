/**
 * Accounts and sessions (issue 12 §2):
 * - `users.must_change_password` (0/1): set by an administrator's password reset, cleared when
 *   the user sets a new one; `users.deactivated_at`: when the account was deactivated (null:
 *   never, or reactivated). Existing users start with 0 and null.
 * - `sessions.last_seen_at`: the last time the session was used (idle timeout). Existing
 *   sessions are carried forward as seen at migration time, so nobody signed in is cut off by
 *   the upgrade; their absolute lifetime (`expires_at`) is unchanged.
 * - an index on `sessions.user_id` (sign out everywhere, revocation).
 * Frozen once released.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('users').addColumn('deactivated_at', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('last_seen_at', 'text').execute();
  await db.updateTable('sessions').set({ last_seen_at: new Date().toISOString() }).execute();
  await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('sessions_user_id').ifExists().execute();
  await db.schema.alterTable('sessions').dropColumn('last_seen_at').execute();
  await db.schema.alterTable('users').dropColumn('deactivated_at').execute();
  await db.schema.alterTable('users').dropColumn('must_change_password').execute();
}
