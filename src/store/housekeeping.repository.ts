/**
 * Housekeeping deletes (issue 15 §6): finished outbox rows older than a cut-off, in small
 * batches. Finished means `sent`, `skipped` or `dead` (a dead letter an administrator did not
 * send again within the age), and `expanded` — a logical row whose physical delivery rows are
 * all gone already (they are removed first, so a parent never outlives a delivery that may still
 * be retried). `pending` and `sending` rows are never touched. The age counts from the row's end:
 * its delivery, else its last attempt, else its creation.
 *
 * Safe with several instances: on PostgreSQL the batch is chosen `FOR UPDATE SKIP LOCKED`
 * (two instances take different rows, neither waits for a dispatcher holding a lease row), and
 * the DELETE checks the status and age again, so a row sent back to `pending` after it was
 * chosen is kept. Deleting is idempotent: a row deleted twice is deleted once.
 */
import { sql } from 'kysely';
import type { Database } from './db.js';

export const FINISHED = ['sent', 'skipped', 'dead'] as const;

const endedAt = sql<string>`coalesce(delivered_at, last_attempt_at, created_at)`;

/**
 * Deletes at most `limit` finished outbox rows that ended before `before` (ISO instant), outside
 * any transaction (one statement); returns how many it deleted. The batch is read through the
 * partial index `outbox_finished` (migration 0039): its status list is repeated as a term of its
 * own so that both engines see the query implies the index's condition, and SQLite is told to use
 * it — without statistics it prefers `outbox_pending (status)`, which reads every sent row.
 * The DELETE's own status check is `+status` on SQLite (no index for that term): otherwise SQLite
 * walks `outbox_pending` over every sent row to find the batch's ids instead of looking each id
 * up by its key — 27–165 ms a batch of 100 at 60,000 sent rows on a loaded machine, 2–6 ms so
 * (bench:http --profile, docs/performance.md 2026-12-06).
 */
export async function pruneOutbox(database: Database, before: string, limit: number): Promise<number> {
  const r = await pruneOutboxStatement(database.dialect, before, limit).execute(database.db);
  return Number(r.numAffectedRows ?? 0n);
}

/** The one statement of `pruneOutbox` (exported so a test can read SQLite's plan of it). */
export function pruneOutboxStatement(dialect: Database['dialect'], before: string, limit: number) {
  const pg = dialect === 'postgres';
  // A CTE run once: PostgreSQL may re-run an `IN (… limit …)` subquery and so delete more than a batch.
  return sql`
    with batch as ${pg ? sql`materialized` : sql``} (
      select id from outbox o ${pg ? sql`` : sql`indexed by outbox_finished`}
      where o.status in ('sent', 'skipped', 'dead', 'expanded')
        and ((o.status in ('sent', 'skipped', 'dead'))
          or (o.status = 'expanded' and not exists (select 1 from outbox c where c.parent_id = o.id)))
        and coalesce(o.delivered_at, o.last_attempt_at, o.created_at) < ${before}
      limit ${limit}
      ${pg ? sql`for update skip locked` : sql``}
    )
    delete from outbox
    where id in (select id from batch)
      and ${pg ? sql`status` : sql`+status`} in ('sent', 'skipped', 'dead', 'expanded')
      and ${endedAt} < ${before}`;
}

/**
 * Deletes at most `limit` rows of sessions past their absolute lifetime, or of survey links whose
 * expiry is before `before` (one statement each, outside any transaction); returns how many.
 * Such a session is refused on use anyway and such a link answers "expired" until it is
 * pruned, then "not found". Idempotent with several instances: a row deleted twice is deleted once.
 */
export async function pruneExpired(database: Database, table: 'sessions' | 'survey_tokens', before: string, limit: number): Promise<number> {
  const r = await sql`
    delete from ${sql.table(table)}
    where token_hash in (select token_hash from ${sql.table(table)} where expires_at < ${before} limit ${limit})
      and expires_at < ${before}`.execute(database.db);
  return Number(r.numAffectedRows ?? 0n);
}
