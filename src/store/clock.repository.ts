/** Clocks (deadlines): one row per (case, kind); the sweeper reads them by `next_check_at`. */
import type { Clock } from '../domain/complaint/types.js';
import type { Executor } from './db.js';

export async function upsertClocks(db: Executor, clocks: Clock[]): Promise<void> {
  for (const k of clocks) {
    const row = {
      complaint_id: k.complaintId,
      kind: k.kind,
      status: k.status,
      started_at: k.startedAt,
      due_at: k.dueAt,
      next_check_at: k.nextCheckAt,
      body: JSON.stringify(k),
    };
    await db
      .insertInto('clocks')
      .values(row)
      .onConflict((oc) => oc.columns(['complaint_id', 'kind']).doUpdateSet({ status: row.status, started_at: row.started_at, due_at: row.due_at, next_check_at: row.next_check_at, body: row.body }))
      .execute();
  }
}

export async function listClocks(db: Executor, complaintId: string): Promise<Clock[]> {
  const rows = await db.selectFrom('clocks').select('body').where('complaint_id', '=', complaintId).orderBy('started_at').execute();
  return rows.map((r) => JSON.parse(r.body) as Clock);
}

/** Cases with a clock to look at by `now`, earliest first (uses the partial index). */
export async function dueComplaintIds(db: Executor, now: string, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('clocks').select(['complaint_id', 'next_check_at']).where('next_check_at', 'is not', null).where('next_check_at', '<=', now).orderBy('next_check_at').limit(limit).execute();
  return [...new Set(rows.map((r) => r.complaint_id))];
}

/**
 * Cases of these policies with a running clock, by id after `after`, in id order (a batch of
 * the clock recalculation after a holiday change, services/recalculate-clocks.ts).
 */
export async function caseIdsWithRunningClocks(db: Executor, policyKeys: readonly string[], after: string, limit: number): Promise<string[]> {
  if (!policyKeys.length) return [];
  const rows = await db
    .selectFrom('clocks')
    .innerJoin('complaints', 'complaints.id', 'clocks.complaint_id')
    .select('clocks.complaint_id')
    .distinct()
    .where('clocks.status', '=', 'running')
    .where('complaints.policy_key', 'in', [...policyKeys])
    .where('clocks.complaint_id', '>', after)
    .orderBy('clocks.complaint_id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.complaint_id);
}
