/**
 * Request counters shared by every instance of one PostgreSQL (migration 0007): one fixed window
 * per key, counted by one atomic upsert, so concurrent requests on any instance each get their
 * own count. Used by the portal's rate limit (http/rate-limit-store.ts); SQLite, one instance,
 * counts in memory instead. Not for use inside a transaction: each hit commits on its own.
 */
import { sql } from 'kysely';
import type { Executor } from './db.js';

/** Counts one hit on `key` at `nowMs` (epoch ms): the hits in the current window and when it ends. */
export async function countHit(db: Executor, key: string, windowMs: number, nowMs: number): Promise<{ hits: number; resetsAt: number }> {
  const now = Math.trunc(nowMs);
  const end = now + Math.max(1, Math.trunc(windowMs));
  // In ON CONFLICT … DO UPDATE both expressions read the row as it was: a window that has ended
  // starts again at this hit.
  const row = await db
    .insertInto('rate_limits')
    .values({ key, hits: 1, resets_at: end })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql<number>`case when rate_limits.resets_at <= ${now} then 1 else rate_limits.hits + 1 end`,
        resets_at: sql<number>`case when rate_limits.resets_at <= ${now} then ${end} else rate_limits.resets_at end`,
      }),
    )
    .returning(['hits', 'resets_at'])
    .executeTakeFirstOrThrow();
  return { hits: Number(row.hits), resetsAt: Number(row.resets_at) };
}

/** The hits counted on `key` in the window running at `nowMs` (0 when none runs), without counting. */
export async function readHits(db: Executor, key: string, nowMs: number): Promise<{ hits: number; resetsAt: number }> {
  const row = await db.selectFrom('rate_limits').select(['hits', 'resets_at']).where('key', '=', key).where('resets_at', '>', Math.trunc(nowMs)).executeTakeFirst();
  return row ? { hits: Number(row.hits), resetsAt: Number(row.resets_at) } : { hits: 0, resetsAt: 0 };
}

/** Deletes the counters whose window has ended; returns how many. */
export async function purgeEndedWindows(db: Executor, nowMs: number): Promise<number> {
  const r = await db.deleteFrom('rate_limits').where('resets_at', '<=', Math.trunc(nowMs)).executeTakeFirst();
  return Number(r.numDeletedRows);
}
