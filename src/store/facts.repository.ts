/**
 * The analysis facts (migration 0013): `case_facts`, one row per case, and `clock_facts`, one
 * row per clock instance. Written only by the decision writer (store/decisions.ts), in the
 * transition's transaction, and by migration 0013's back-fill; read by reports/statistics.ts.
 */
import { PostgresAdapter, type Transaction } from 'kysely';
import type { WorkingCalendar } from '../domain/calendar/index.js';
import type { Clock, Complaint } from '../domain/complaint/types.js';
import { clockFactKey, clockFactRows, foldCaseFacts, type FactEvent } from '../reports/facts.js';
import type { CaseFactsTable, ClockFactsTable, DB } from './schema.js';
import { uuidv7 } from './ids.js';
import type { Executor } from './db.js';

const CASE_KEY = ['complaint_id'] as const;

/** How the roll-ups count a case (migration 0032, 0036): under its day only (rolled up settled), or with its own part (rolled up open). */
export interface RolledUp {
  day: string;
  part: boolean;
}

/**
 * Writes the row; returns how the roll-up job counts the case (the row as stored, after any
 * roll-up committed meanwhile: `rolled_day` and `rolled_part` are the job's alone and never
 * written here). `schema`: which of those columns the database has (a migration test writes its
 * old cases with today's writer on the schema it starts from).
 */
async function upsertCaseFacts(db: Executor, row: CaseFactsTable, schema: 'none' | 'day' | 'part'): Promise<RolledUp | null> {
  const { complaint_id: _id, rolled_day: _r, rolled_part: _p, ...rest } = row;
  const { rolled_day: _n, rolled_part: _q, ...values } = row;
  const upsert = db
    .insertInto('case_facts')
    .values(values)
    .onConflict((oc) => oc.columns([...CASE_KEY]).doUpdateSet(rest));
  if (schema === 'none') {
    await upsert.execute();
    return null;
  }
  if (schema === 'day') {
    const stored = await upsert.returning('rolled_day').executeTakeFirst();
    return stored?.rolled_day ? { day: stored.rolled_day, part: false } : null;
  }
  const stored = await upsert.returning(['rolled_day', 'rolled_part']).executeTakeFirst();
  return stored?.rolled_day ? { day: stored.rolled_day, part: stored.rolled_part === 1 } : null;
}

/** The states a roll-up counts as settled (reports/rollups.ts reads this list too). */
export const SETTLED_STATES: readonly string[] = ['closed', 'archived'];
/** Columns no figure reads: the row's bookkeeping and the job's own. */
const NOT_FIGURES = new Set(['updated_at', 'rolled_day', 'rolled_part']);

/** One stored value as the figures compare it (PostgreSQL hands back dates and numbers in other types than the fold writes). */
function figureValue(v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number' || typeof v === 'bigint') return Number(v);
  const text = String(v);
  if (/^\d{4}-\d\d-\d\dT/.test(text)) return Date.parse(text);
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

/**
 * Whether a settled case's facts row, before and after a write, counts the same in every figure
 * the roll-ups hold: every column equal but the bookkeeping ones, and its state settled before
 * and after (the statistics tell only open, pending and settled apart: closed and archived count
 * alike). Then its day's roll-up still holds it exactly and needs no mark.
 */
export function sameSettledFigures(prev: CaseFactsTable, next: CaseFactsTable): boolean {
  if (!SETTLED_STATES.includes(prev.state) || !SETTLED_STATES.includes(next.state)) return false;
  const keys = new Set([...Object.keys(prev), ...Object.keys(next)]);
  for (const k of keys) {
    if (NOT_FIGURES.has(k) || k === 'state') continue;
    if (figureValue((prev as unknown as Record<string, unknown>)[k]) !== figureValue((next as unknown as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/**
 * Marks one rolled-up open case changed (migration 0036): the statistics take its part off its
 * day's roll-up and read it from the facts until the job rebuilds the day. An upsert of the
 * case's own row (no row another case's transaction writes): the transition's only extra write.
 */
export async function markRolledCase(db: Executor, complaintId: string, receivedAt: string, at: string): Promise<void> {
  await db
    .insertInto('report_rollup_case_marks')
    .values({ complaint_id: complaintId, received_at: receivedAt, created_at: at })
    .onConflict((oc) => oc.column('complaint_id').doNothing())
    .execute();
}

/**
 * Marks the roll-ups of the cases received in [from, to] stale (migration 0032): the statistics
 * read those days from the facts until the roll-up job (reports/rollups.ts) has rebuilt them.
 * An insert of a new row: a transition never waits on another for it.
 */
export async function markRollupsStale(db: Executor, from: string, to: string, at: string): Promise<void> {
  await db.insertInto('report_rollup_marks').values({ id: uuidv7(), from_at: from, to_at: to, created_at: at }).execute();
}

/** Several ranges marked stale, each as `markRollupsStale` marks one, in one insert per chunk (the retention purge's groups). */
export async function markRollupsStaleMany(db: Executor, ranges: readonly { from: string; to: string }[], at: string): Promise<void> {
  const rows = ranges.map((r) => ({ id: uuidv7(), from_at: r.from, to_at: r.to, created_at: at }));
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('report_rollup_marks')
      .values(rows.slice(i, i + 500))
      .execute();
}

/** Repeat windows up to this many days are answered from the roll-ups (the API allows up to 3660). */
export const ROLLUP_MAX_WINDOW_DAYS = 400;

/** A case's repeat-complaint figure reaches the cases received this long after it (the roll-ups' widest window and a day). */
export const REPEAT_REACH_MS = (ROLLUP_MAX_WINDOW_DAYS + 1) * 86_400_000;

/** The last receipt instant whose repeat figure a case received at `at` can change. */
export function reach(at: string): string {
  return new Date(Date.parse(at) + REPEAT_REACH_MS).toISOString();
}

/**
 * For a write that changes a case's figures outside `recordFacts` (a duty's clock facts): marks
 * the case's day stale when it is rolled up. On PostgreSQL the case's facts row is also written
 * (unchanged), so a roll-up of its day running meanwhile (REPEATABLE READ) fails and is made
 * again; a row another transaction holds is not waited for (the duty sweeper holds the duty's
 * row, a transition completing that duty holds the facts row and then waits for the duty's):
 * then the day is marked whatever it is.
 */
export async function touchRolledUp(db: Executor, complaintId: string, at: string): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const row = await db
      .updateTable('case_facts')
      .set((eb) => ({ updated_at: eb.ref('updated_at') }))
      .where('complaint_id', 'in', db.selectFrom('case_facts as l').select('l.complaint_id').where('l.complaint_id', '=', complaintId).forUpdate().skipLocked())
      .returning(['rolled_day', 'received_at'])
      .executeTakeFirst();
    if (row) {
      if (row.rolled_day) await markRollupsStale(db, row.received_at, row.received_at, at);
      return;
    }
  }
  // SQLite: the roll-up's transaction and this one never interleave (one writer at a time); on
  // PostgreSQL, a row held by another transaction: marked whether rolled up or not.
  const row = await db.selectFrom('case_facts').select(['rolled_day', 'received_at']).where('complaint_id', '=', complaintId).executeTakeFirst();
  if (row && (row.rolled_day || db.getExecutor().adapter instanceof PostgresAdapter)) await markRollupsStale(db, row.received_at, row.received_at, at);
}

async function upsertClockFacts(db: Executor, rows: ClockFactsTable[]): Promise<void> {
  for (const row of rows) {
    const { complaint_id: _c, kind: _k, started_at: _s, ...rest } = row;
    await db
      .insertInto('clock_facts')
      .values(row)
      .onConflict((oc) => oc.columns(['complaint_id', 'kind', 'started_at']).doUpdateSet(rest))
      .execute();
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
  // A rolled-up case that changes leaves its day to be read from the facts until it is rolled up again;
  // a case that changes kind changes the repeat figure of the complaints after it too.
  // A case's first row cannot be rolled up yet (the job only sees committed rows); nor can a row
  // of a schema before migration 0032 (no roll-up column: the migration tests write their old
  // cases with today's writer on the schema they start from).
  // A case rolled up while open has its own part in the roll-up: only the case is marked (0036).
  const schema = prev === null ? 'none' : 'rolled_part' in prev ? 'part' : 'rolled_day' in prev ? 'day' : 'none';
  const next = foldCaseFacts(prev, complaint, events, changedClocks, calendar);
  const rolled = await upsertCaseFacts(trx, next, schema);
  if (rolled?.part) await markRolledCase(trx, complaint.id, complaint.receivedAt, complaint.updatedAt);
  // A settled case whose figures did not change (a note, an attachment, closed → archived) leaves its day as rolled up.
  else if (rolled && !(prev && !changedClocks.length && sameSettledFigures(prev, next))) await markRollupsStale(trx, complaint.receivedAt, complaint.receivedAt, complaint.updatedAt);
  if (prev && prev.kind !== complaint.kind) await markRollupsStale(trx, complaint.receivedAt, reach(complaint.receivedAt), complaint.updatedAt);
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
