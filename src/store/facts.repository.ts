/**
 * The analysis facts (migration 0013): `case_facts`, one row per case, and `clock_facts`, one
 * row per clock instance. Written only by the decision writer (store/decisions.ts), in the
 * transition's transaction, and by migration 0013's back-fill; read by reports/statistics.ts.
 */
import type { Transaction } from 'kysely';
import type { WorkingCalendar } from '../domain/calendar/index.js';
import type { Clock, Complaint } from '../domain/complaint/types.js';
import { clockFactKey, clockFactRows, foldCaseFacts, type FactEvent } from '../reports/facts.js';
import type { CaseFactsTable, ClockFactsTable, DB } from './schema.js';
import type { Executor } from './db.js';

const CASE_KEY = ['complaint_id'] as const;

async function upsertCaseFacts(db: Executor, row: CaseFactsTable): Promise<void> {
  const { complaint_id: _id, ...rest } = row;
  await db.insertInto('case_facts').values(row).onConflict((oc) => oc.columns([...CASE_KEY]).doUpdateSet(rest)).execute();
}

async function upsertClockFacts(db: Executor, rows: ClockFactsTable[]): Promise<void> {
  for (const row of rows) {
    const { complaint_id: _c, kind: _k, started_at: _s, ...rest } = row;
    await db.insertInto('clock_facts').values(row).onConflict((oc) => oc.columns(['complaint_id', 'kind', 'started_at']).doUpdateSet(rest)).execute();
  }
}

/**
 * Folds one transaction's transitions of a case into its facts: `complaint` is the case after
 * them, `events` their events in order, `changedClocks` the clock rows they wrote. A clock
 * started again (a new instance of its kind) leaves the previous instance as it stood, marked
 * `replaced` when it had not stopped.
 */
export async function recordFacts(trx: Transaction<DB> | Executor, complaint: Complaint, events: FactEvent[], changedClocks: Clock[], calendar: WorkingCalendar | null): Promise<void> {
  const prev = (await trx.selectFrom('case_facts').selectAll().where('complaint_id', '=', complaint.id).executeTakeFirst()) ?? null;
  await upsertCaseFacts(trx, foldCaseFacts(prev, complaint, events, changedClocks, calendar));
  if (!changedClocks.length) return;
  const kinds = [...new Set(changedClocks.map((k) => k.kind))];
  const stored = await trx.selectFrom('clock_facts').selectAll().where('complaint_id', '=', complaint.id).where('kind', 'in', kinds).execute();
  const byKey = new Map(stored.map((r) => [clockFactKey(r.complaint_id, r.kind, r.started_at), r]));
  for (const k of changedClocks) {
    // Earlier instances of a restarted kind that never stopped: replaced at the new start.
    for (const r of stored)
      if (r.kind === k.kind && r.started_at < k.startedAt && (r.status === 'running' || r.status === 'paused'))
        await trx
          .updateTable('clock_facts')
          .set({ status: 'replaced', stopped_at: k.startedAt, updated_at: complaint.updatedAt })
          .where('complaint_id', '=', r.complaint_id)
          .where('kind', '=', r.kind)
          .where('started_at', '=', r.started_at)
          .execute();
  }
  await upsertClockFacts(trx, clockFactRows(changedClocks, complaint.cycle, byKey, calendar, complaint.updatedAt));
}
