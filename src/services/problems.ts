/**
 * Problem records (问题单, issue 13 §2, 003 规范5): a manager groups repeat cases around a systemic
 * problem, names the corrective action, its owner and due date; the owner (or a manager) reports
 * the action done; a manager verifies it (the record is closed) or reopens it. States:
 * open → action_done → verified, action_done|verified → open (reopen). Every step is a history
 * row (who, when, why) written in one transaction with the state change; nothing is deleted.
 *
 * Managers are the roles in MANAGERS. Anyone signed in may read a record, but its cases are only
 * those the reader may see (avoidance included) — and a record is opened only over cases the
 * manager may see.
 */
import { DateTime } from 'luxon';
import type { Actor } from '../domain/complaint/types.js';
import { AppError, fieldProblem } from '../domain/errors.js';
import { canSee } from '../domain/permissions/visibility.js';
import { getComplaint } from '../store/complaint.repository.js';
import { getUser } from '../store/user.repository.js';
import { getProblem, insertProblem, listProblems, problemHistory, problemsOfCase, stepProblem, visibleCaseIds, visibleProblemCases, type ProblemRow, type ProblemStepRow } from '../store/problem.repository.js';
import { uuidv7 } from './ids.js';
import type { App } from './app.js';

export const PROBLEM_STATES = ['open', 'action_done', 'verified'] as const;
export type ProblemState = (typeof PROBLEM_STATES)[number];
export const PROBLEM_STEPS = ['action_done', 'verify', 'reopen'] as const;
export type ProblemStep = (typeof PROBLEM_STEPS)[number];

/** Roles that open, verify and reopen problem records. */
export const MANAGERS: readonly string[] = ['approver', 'admin'];

/** Each step: the states it leaves from and the state it reaches. */
const STEPS: Record<ProblemStep, { from: readonly ProblemState[]; to: ProblemState }> = {
  action_done: { from: ['open'], to: 'action_done' },
  verify: { from: ['action_done'], to: 'verified' },
  reopen: { from: ['action_done', 'verified'], to: 'open' },
};

export interface ProblemCase {
  id: string;
  number: string;
  title: string;
  state: string;
}

export interface ProblemHistoryEntry {
  step: 'open' | ProblemStep;
  fromState: ProblemState | null;
  toState: ProblemState;
  by: string;
  at: string;
  reason: string;
}

export interface Problem {
  id: string;
  title: string;
  action: string;
  owner: { id: string; name: string };
  dueDate: string;
  state: ProblemState;
  createdAt: string;
  updatedAt: string;
  /** The grouped cases the reader may see. */
  cases: ProblemCase[];
  /** Whether the action is past its due date and not yet done. */
  overdue: boolean;
  /** The steps the reader may take now. */
  steps: ProblemStep[];
}

export interface ProblemDetail extends Problem {
  history: ProblemHistoryEntry[];
}

export interface OpenProblemInput {
  title: string;
  action: string;
  ownerId: string;
  dueDate: string;
  caseIds: string[];
  reason: string;
}

const isManager = (a: Actor) => a.roles.some((r) => MANAGERS.includes(r));

function stepsFor(actor: Actor, p: ProblemRow): ProblemStep[] {
  return PROBLEM_STEPS.filter((s) => STEPS[s].from.includes(p.state) && (isManager(actor) || (s === 'action_done' && p.owner_id === actor.id)));
}

async function today(app: App): Promise<string> {
  const zone = (await app.activePolicy()).calendar.timeZone;
  return DateTime.fromJSDate(app.now(), { zone }).toISODate()!;
}

async function views(app: App, actor: Actor, rows: ProblemRow[]): Promise<Problem[]> {
  const cases = await visibleProblemCases(
    app.database.db,
    actor,
    rows.map((r) => r.id),
  );
  const day = await today(app);
  return rows.map((p) => ({
    id: p.id,
    title: p.title,
    action: p.action,
    owner: { id: p.owner_id, name: p.owner_name },
    dueDate: p.due_date,
    state: p.state,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
    cases: cases.filter((c) => c.problemId === p.id).map(({ problemId: _, ...c }) => c),
    overdue: p.state === 'open' && p.due_date < day,
    steps: stepsFor(actor, p),
  }));
}

const historyView = (h: ProblemStepRow): ProblemHistoryEntry => ({ step: h.step, fromState: h.from_state as ProblemState | null, toState: h.to_state as ProblemState, by: h.actor_name, at: h.at, reason: h.reason });

export async function openProblem(app: App, actor: Actor, input: OpenProblemInput): Promise<ProblemDetail> {
  if (!isManager(actor)) throw new AppError('forbidden', 'only managers open problem records');
  const ids = [...new Set(input.caseIds)];
  const visible = await visibleCaseIds(app.database.db, actor, ids);
  const missing = ids.find((id) => !visible.has(id));
  if (missing) throw new AppError('invalid_input', 'unknown case', [fieldProblem('caseIds', `没有这个案件：${missing}`, `No such case: ${missing}`, `沒有這個案件：${missing}`)]);
  const owner = await getUser(app.database.db, input.ownerId);
  if (!owner?.active) throw new AppError('invalid_input', 'unknown owner', [fieldProblem('ownerId', '责任人不存在或已停用', 'The owner does not exist or is inactive', '責任人不存在或已停用')]);
  if (input.dueDate < (await today(app))) throw new AppError('invalid_input', 'due in the past', [fieldProblem('dueDate', '完成期限不能早于今天', 'The due date cannot be before today', '完成期限不能早於今天')]);
  const at = app.now().toISOString();
  const id = uuidv7(app.now().getTime());
  const row: ProblemRow = { id, title: input.title, action: input.action, owner_id: owner.id, owner_name: owner.name, due_date: input.dueDate, state: 'open', created_by: actor.id, created_at: at, updated_at: at };
  const first: ProblemStepRow = { id: uuidv7(app.now().getTime()), problem_id: id, seq: 1, step: 'open', from_state: null, to_state: 'open', actor_id: actor.id, actor_name: actor.name, at, reason: input.reason };
  await app.database.db.transaction().execute((trx) => insertProblem(trx, row, ids, first));
  app.log.info({ audit: 'problem.open', problemId: id, cases: ids.length, actorId: actor.id }, 'problem record opened');
  return showProblem(app, actor, id);
}

export async function takeProblemStep(app: App, actor: Actor, id: string, step: ProblemStep, reason: string): Promise<ProblemDetail> {
  const p = await getProblem(app.database.db, id);
  if (!p) throw new AppError('not_found', 'no such problem record');
  const rule = STEPS[step];
  if (!rule.from.includes(p.state))
    throw new AppError('conflict', 'wrong state', [fieldProblem('step', `问题单当前状态（${p.state}）不能执行此步骤`, `The problem record is ${p.state}: this step is not possible`, `問題單當前狀態（${p.state}）不能執行此步驟`)]);
  if (!stepsFor(actor, p).includes(step)) throw new AppError('forbidden', 'may not take this step');
  const at = app.now().toISOString();
  // The next number: a concurrent step from the same state loses the compare-and-set below.
  const seq = (await problemHistory(app.database.db, id)).length + 1;
  const row: ProblemStepRow = { id: uuidv7(app.now().getTime()), problem_id: id, seq, step, from_state: p.state, to_state: rule.to, actor_id: actor.id, actor_name: actor.name, at, reason };
  const moved = await app.database.db.transaction().execute((trx) => stepProblem(trx, id, p.state, row));
  if (!moved) throw new AppError('conflict', 'changed meanwhile', [fieldProblem('step', '问题单已被他人更改，请刷新', 'The problem record was changed meanwhile: reload it', '問題單已被他人更改，請重新整理')]);
  app.log.info({ audit: `problem.${step}`, problemId: id, actorId: actor.id }, 'problem record step');
  return showProblem(app, actor, id);
}

export async function showProblem(app: App, actor: Actor, id: string): Promise<ProblemDetail> {
  const p = await getProblem(app.database.db, id);
  if (!p) throw new AppError('not_found', 'no such problem record');
  const [v] = await views(app, actor, [p]);
  return { ...v!, history: (await problemHistory(app.database.db, id)).map(historyView) };
}

export async function listProblemRecords(app: App, actor: Actor, opts: { state?: ProblemState; limit?: number }): Promise<Problem[]> {
  return views(app, actor, await listProblems(app.database.db, { state: opts.state, limit: opts.limit ?? 100 }));
}

/** The problem records grouping a case the reader may see. */
export async function problemsForCase(app: App, actor: Actor, complaintId: string): Promise<Problem[]> {
  const c = await getComplaint(app.database.db, complaintId);
  if (!c || !canSee(c, actor)) throw new AppError('not_found', 'no such case');
  return views(app, actor, await problemsOfCase(app.database.db, complaintId));
}
