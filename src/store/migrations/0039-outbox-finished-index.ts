/**
 * `outbox_finished`: the finished outbox rows (sent, skipped, dead, expanded) by the moment they
 * ended, the order housekeeping prunes them in (store/housekeeping.repository.ts). Without it
 * every prune batch scanned the whole outbox — 126 ms a batch with ~80 000 rows on SQLite
 * (bench:http, 2026-12-03), holding the only writer, so a pass of 40 batches stalled intake and
 * queue pages for seconds. Partial, so the rows the dispatcher still works on (pending, sending)
 * are not in it. Index only: every row stays as it is. Frozen once released.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index outbox_finished on outbox ((coalesce(delivered_at, last_attempt_at, created_at))) where status in ('sent', 'skipped', 'dead', 'expanded')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('outbox_finished').ifExists().execute();
}
