/**
 * `outbox_pending_channel`: the pending outbox rows by channel. The dispatcher settles the
 * webhook rows as skipped on every pass when no webhook is configured
 * (store/delivery.repository.ts `skipPending`); `outbox_pending (status, next_attempt_at)` has no
 * channel, so each pass read every pending row to find none — 33–35 ms a pass at a 600-row backlog
 * on SQLite (bench:http, 2026-12-06), holding the only writer. Partial, so only the rows still
 * waiting are in it (a handful, not the sent history). The statement must say
 * `status = 'pending'` literally for SQLite to use it. Index only: every row stays as it is.
 * Frozen once released.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index outbox_pending_channel on outbox (channel) where status = 'pending'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('outbox_pending_channel').ifExists().execute();
}
