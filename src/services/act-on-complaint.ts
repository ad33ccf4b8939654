/**
 * Performs one lifecycle action: lock the case, check the caller may see it, run the pure
 * machine, and persist the new case, its event, its clocks and its outbox messages in one
 * transaction. A refusal changes nothing.
 */
import type { Actor, Clock, Complaint } from '../domain/complaint/types.js';
import type { Policy } from '../domain/policy/index.js';
import type { WorkingCalendar } from '../domain/calendar/index.js';
import { apply } from '../domain/lifecycle/apply.js';
import { canSee } from '../domain/permissions/visibility.js';
import { AppError, fieldProblem } from '../domain/errors.js';
import { lockComplaint } from '../store/complaint.repository.js';
import { listClocks } from '../store/clock.repository.js';
import { persistDecisions, type CaseState } from '../store/decisions.js';
import { getUsers } from '../store/user.repository.js';
import { staffAt } from '../store/absence.repository.js';
import type { Executor } from '../store/db.js';
import type { Transaction } from 'kysely';
import type { DB } from '../store/schema.js';
import type { App } from './app.js';

/** Assignees must be existing, active users who can handle cases (also the triage's route step, services/triage.ts). */
export async function checkAssignees(db: Executor, input: unknown): Promise<void> {
  const i = (input ?? {}) as { primaryHandlerId?: unknown; backupHandlerId?: unknown; coHandlerIds?: unknown };
  const wanted: [string, unknown][] = [['primaryHandlerId', i.primaryHandlerId], ['backupHandlerId', i.backupHandlerId], ...(Array.isArray(i.coHandlerIds) ? i.coHandlerIds.map((v, n): [string, unknown] => [`coHandlerIds[${n}]`, v]) : [])];
  const ids = wanted.map(([, v]) => v).filter((v): v is string => typeof v === 'string');
  const users = new Map((await getUsers(db, ids)).map((u) => [u.id, u]));
  for (const [path, v] of wanted) {
    if (typeof v !== 'string') continue;
    const u = users.get(v);
    if (!u || !u.active) throw new AppError('invalid_input', `${path}: unknown user`, [fieldProblem(path, '没有此用户', 'No such user')]);
    if (!u.roles.includes('handler') && !u.roles.includes('approver')) throw new AppError('invalid_input', `${path}: not a handler`, [fieldProblem(path, '该用户没有处理人角色', 'This user is not a handler')]);
  }
}

/**
 * Actions that read the staff: those that may hand the case over by policy (a major case to
 * routing.majorTo, re-handling one tier up) and routing, which never names someone away while a
 * present colleague could take the case (absences, services/absences.ts).
 */
const HANDOVER_ACTIONS = new Set(['classify', 'follow_up', 'route', 'reroute']);

/** Actions that pick a department: they read which departments are deactivated now. */
const ROUTING_ACTIONS = new Set(['route', 'reroute']);

/** The departments the active policy deactivates (the case's own version may predate that). */
export async function deactivatedNow(app: App, trx: Transaction<DB>): Promise<ReadonlySet<string>> {
  const active = await app.activePolicy(trx);
  return new Set(active.departments.filter((d) => d.active === false).map((d) => d.code));
}

/**
 * Extra work of a channel that must commit or roll back with the transition (issue 4: a survey
 * link used up, attachment rows of a customer's supplement). Throwing rolls everything back.
 */
export interface ActHooks {
  inTransaction?: (trx: Transaction<DB>, saved: Complaint) => Promise<void>;
}

/** A case locked for a decision, with what `apply` needs: its clocks, policy and calendar. */
export interface LockedCase extends CaseState {
  policy: Policy;
  calendar: WorkingCalendar;
}

/**
 * Locks a case in `trx` (`skipLocked`: leave a case another instance holds, for the sweeper) and
 * loads its clocks, policy and calendar through the transaction. Null when there is no such case
 * (or it is locked elsewhere and `skipLocked`).
 */
export async function lockForDecision(app: App, trx: Transaction<DB>, id: string, skipLocked = false): Promise<LockedCase | null> {
  const complaint = await lockComplaint(trx, app.database.dialect, id, skipLocked);
  if (!complaint) return null;
  const policy = await app.policyByKey(complaint.policyKey, trx);
  return { complaint, clocks: await listClocks(trx, id), policy, calendar: await app.calendarFor(policy, trx) };
}

/** Warns about deadlines just computed without holiday data for some years. */
export function warnMissingHolidays(app: App, c: Complaint, clocks: Clock[]): void {
  for (const k of clocks)
    if (k.missingHolidayYears.length && k.status !== 'stopped')
      app.log.warn({ complaint: c.number, clock: k.kind, years: k.missingHolidayYears }, 'deadline computed without holiday data for these years: add them (PUT /api/v1/calendar/years/{year})');
}

export async function actOnComplaint(app: App, actor: Actor, id: string, action: string, input: unknown, hooks: ActHooks = {}): Promise<Complaint> {
  const saved = await app.database.db.transaction().execute(async (trx) => {
    const locked = await lockForDecision(app, trx, id);
    // Avoidance and need-to-know: a case the caller may not see does not exist for them.
    if (!locked || !canSee(locked.complaint, actor)) throw new AppError('not_found', `complaint ${id}`);
    if (action === 'route' || action === 'reroute') await checkAssignees(trx, input);
    const { policy, calendar } = locked;
    const staff = HANDOVER_ACTIONS.has(action) ? await staffAt(trx, app.now()) : undefined;
    const deactivatedDepartments = ROUTING_ACTIONS.has(action) ? await deactivatedNow(app, trx) : undefined;
    const d = apply(locked.complaint, locked.clocks, action, input, { actor, now: app.now(), policy, calendar, staff, deactivatedDepartments });
    if (d.kind === 'refused') throw new AppError(d.code, d.detail, d.fields);
    const after = await persistDecisions(trx, locked, [d]);
    await hooks.inTransaction?.(trx, after.complaint);
    warnMissingHolidays(app, after.complaint, after.changedClocks);
    return after.complaint;
  });
  app.events.emit('case_changed', { id: saved.id, number: saved.number, state: saved.state, action, at: saved.updatedAt });
  return saved;
}
