/**
 * Problem records (问题单, migration 0026): the record, its cases and its append-only history.
 * A step changes the state only from the state it was read in (compare-and-set), with its history
 * row, in the caller's transaction.
 */
import type { Actor } from '../domain/complaint/types.js';
import { visibleTo } from './complaint.repository.js';
import type { Executor } from './db.js';
import type { ProblemHistoryTable, ProblemsTable } from './schema.js';

export type ProblemRow = ProblemsTable;
export type ProblemStepRow = ProblemHistoryTable;

export async function insertProblem(db: Executor, p: ProblemRow, caseIds: readonly string[], first: ProblemStepRow): Promise<void> {
  await db.insertInto('problems').values(p).execute();
  await db
    .insertInto('problem_cases')
    .values(caseIds.map((c) => ({ problem_id: p.id, complaint_id: c })))
    .execute();
  await db.insertInto('problem_history').values(first).execute();
}

/** Moves the record from `from` to the step's state; false when it was no longer in `from`. */
export async function stepProblem(db: Executor, id: string, from: ProblemRow['state'], step: ProblemStepRow): Promise<boolean> {
  const r = await db
    .updateTable('problems')
    .set({ state: step.to_state as ProblemRow['state'], updated_at: step.at })
    .where('id', '=', id)
    .where('state', '=', from)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return false;
  await db.insertInto('problem_history').values(step).execute();
  return true;
}

export async function getProblem(db: Executor, id: string): Promise<ProblemRow | null> {
  return (await db.selectFrom('problems').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function listProblems(db: Executor, opts: { state?: ProblemRow['state']; limit: number }): Promise<ProblemRow[]> {
  let q = db.selectFrom('problems').selectAll();
  if (opts.state) q = q.where('state', '=', opts.state);
  return q.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
}

export async function problemHistory(db: Executor, id: string): Promise<ProblemStepRow[]> {
  return db.selectFrom('problem_history').selectAll().where('problem_id', '=', id).orderBy('seq').execute();
}

/** The grouped cases the actor may see: id, number, title, state. */
export async function visibleProblemCases(db: Executor, actor: Actor, problemIds: readonly string[]): Promise<{ problemId: string; id: string; number: string; title: string; state: string }[]> {
  if (!problemIds.length) return [];
  const rows = await db
    .selectFrom('problem_cases')
    .innerJoin('complaints', 'complaints.id', 'problem_cases.complaint_id')
    .select(['problem_cases.problem_id', 'complaints.id', 'complaints.number', 'complaints.title', 'complaints.state'])
    .where('problem_cases.problem_id', 'in', [...problemIds])
    .where(visibleTo(actor) as never)
    .orderBy('complaints.received_at')
    .orderBy('complaints.number') // cases received in the same instant keep their numbers' order
    .execute();
  return rows.map((r) => ({ problemId: r.problem_id, id: r.id, number: r.number, title: r.title, state: r.state }));
}

/** The problem records grouping a case. */
export async function problemsOfCase(db: Executor, complaintId: string): Promise<ProblemRow[]> {
  return db.selectFrom('problems').innerJoin('problem_cases', 'problem_cases.problem_id', 'problems.id').selectAll('problems').where('problem_cases.complaint_id', '=', complaintId).orderBy('problems.created_at', 'desc').execute();
}

/** Of these case ids, those the actor may see. */
export async function visibleCaseIds(db: Executor, actor: Actor, ids: readonly string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db
    .selectFrom('complaints')
    .select('id')
    .where('id', 'in', [...ids])
    .where(visibleTo(actor) as never)
    .execute();
  return new Set(rows.map((r) => r.id));
}
