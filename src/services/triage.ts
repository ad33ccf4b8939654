/**
 * One-step triage (issue 14): 判定 → 分类分级 → 分派 of a newly received complaint in one
 * request. Each step is still its own transition of the lifecycle machine — `apply` with that
 * action's own input schema, guard and effect, one audit event each — but all are decided first,
 * on the case as the previous step left it, and written together in ONE transaction. A step that
 * is refused refuses the whole request, naming its field under the step (`classify.grade`), and
 * nothing is written.
 *
 * The sequence stops early where the machine says so: a complaint judged invalid gets only the
 * judgement; a major case the policy hands to a manager on classification (routing.majorTo) is
 * assigned by that transition, and the route step is not applied (the event says who got it).
 */
import { z } from 'zod';
import type { Actor, Complaint } from '../domain/complaint/types.js';
import { apply, type Decision } from '../domain/lifecycle/apply.js';
import { canSee } from '../domain/permissions/visibility.js';
import { AppError } from '../domain/errors.js';
import { afterDecision, persistDecisions, type CaseState } from '../store/decisions.js';
import type { Transaction } from 'kysely';
import type { DB } from '../store/schema.js';
import { listUsers, type UserRecord } from '../store/user.repository.js';
import { checkAssignees, deactivatedNow, lockForDecision, warnMissingHolidays, type ActHooks, type LockedCase } from './act-on-complaint.js';
import type { App } from './app.js';

/** The steps in the order they apply; each input is that action's own input (GET /api/v1/lifecycle). */
export const TRIAGE_STEPS = ['judge', 'classify', 'route'] as const;
export type TriageStep = (typeof TRIAGE_STEPS)[number];

const StepInput = z.record(z.string(), z.unknown());

/** The request: one object per step; each is validated by its action's schema when the step is reached. */
export const TriageInput = z
  .object({
    judge: StepInput,
    classify: StepInput.optional(),
    route: StepInput.optional(),
  })
  .strict();
export type TriageInput = z.output<typeof TriageInput>;

export interface TriageResult {
  complaint: Complaint;
  /** The steps that were applied, in order. */
  applied: TriageStep[];
}

/** Re-throws a step's refusal with its fields named under the step (`grade` → `classify.grade`). */
function underStep(step: TriageStep, e: AppError): AppError {
  const fields = e.fields.map((f) => ({ ...f, path: f.path && f.path !== '(body)' ? `${step}.${f.path}` : step }));
  return new AppError(e.code, `${step}: ${e.detail ?? e.code}`, fields, { ...e.extra, step });
}

/**
 * Decides the steps on `state` in order. Pure apart from the reads it needs (the staff for a
 * handover by policy, the assignees' accounts); throws the first refusal.
 */
async function decideSteps(app: App, trx: Transaction<DB>, actor: Actor, locked: LockedCase, input: TriageInput): Promise<{ decisions: Decision[]; applied: TriageStep[] }> {
  const ctx = { actor, now: app.now(), policy: locked.policy, calendar: locked.calendar, deactivatedDepartments: await deactivatedNow(app, trx) };
  const decisions: Decision[] = [];
  const applied: TriageStep[] = [];
  let state: CaseState = locked;
  const step = async (name: TriageStep, body: unknown, staff?: UserRecord[]): Promise<Decision> => {
    if (name === 'route') {
      try {
        await checkAssignees(trx, body);
      } catch (e) {
        throw e instanceof AppError ? underStep(name, e) : e;
      }
    }
    const d = apply(state.complaint, state.clocks, name, body ?? {}, staff ? { ...ctx, staff } : ctx);
    if (d.kind === 'refused') throw underStep(name, new AppError(d.code, d.detail, d.fields));
    decisions.push(d);
    applied.push(name);
    state = afterDecision(state, d);
    return d;
  };
  const judged = await step('judge', input.judge);
  if (judged.complaint.state !== 'valid') return { decisions, applied };
  const classified = await step('classify', input.classify ?? {}, await listUsers(trx));
  // Already assigned by the policy's routing of major cases: routing by hand is not a step now.
  if (classified.complaint.state !== 'classified') return { decisions, applied };
  await step('route', input.route ?? {});
  return { decisions, applied };
}

export async function triageComplaint(app: App, actor: Actor, id: string, rawInput: unknown, hooks: ActHooks = {}): Promise<TriageResult> {
  const input = parseTriage(rawInput);
  const result = await app.database.db.transaction().execute(async (trx) => {
    const locked = await lockForDecision(app, trx, id);
    // A case the caller may not see does not exist for them (as for every action).
    if (!locked || !canSee(locked.complaint, actor)) throw new AppError('not_found', `complaint ${id}`);
    const { decisions, applied } = await decideSteps(app, trx, actor, locked, input);
    const after = await persistDecisions(trx, locked, decisions);
    await hooks.inTransaction?.(trx, after.complaint);
    warnMissingHolidays(app, after.complaint, after.changedClocks);
    return { complaint: after.complaint, applied, decisions };
  });
  // After the commit: one notification per transition, as if each had been its own request.
  for (const d of result.decisions) app.events.emit('case_changed', { id: d.complaint.id, number: d.complaint.number, state: d.complaint.state, action: d.events[0]!.action!, at: d.complaint.updatedAt });
  return { complaint: result.complaint, applied: result.applied };
}

function parseTriage(raw: unknown): TriageInput {
  const r = TriageInput.safeParse(raw ?? {});
  if (r.success) return r.data;
  // Only the envelope is checked here (each step's own schema runs in `apply`): name the first bad part.
  const issue = r.error.issues[0]!;
  const path = issue.code === 'unrecognized_keys' ? issue.keys.join(',') : issue.path.join('.') || '(body)';
  throw new AppError('invalid_input', `triage body: ${path}`, [
    { path, message: { 'zh-CN': '应包含 judge、classify、route 三个步骤的输入对象', 'zh-TW': '應包含 judge、classify、route 三個步驟的輸入物件', en: 'Expected an input object per step: judge, classify, route' } },
  ]);
}
