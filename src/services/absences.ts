/**
 * Absences and stand-ins (issue 10 §3): a person — or their department manager, or an
 * administrator — records an absence (a period, a reason, optionally the colleague who stands
 * in), lists absences, cancels one. While it runs, the absence job (`sweepAbsences`, on the
 * deadline sweeper's tick) hands the person's work to stand-ins, each case as a lifecycle
 * transition (`stand_in`) persisted with its event and outbox rows in one transaction together
 * with the handover's row; when it ends, the policy decides whether the cases go back
 * (`return_from_absence`, policy `absence.returnToPrimary`) or stay with the stand-in.
 *
 * Who stands in is domain/absence/stand-ins.ts; routing and the hand-over rules of the machine
 * skip absent people through `Ctx.staff` (`staffAt`).
 */
import { AppError, fieldProblem } from '../domain/errors.js';
import { SYSTEM_ACTOR, type Actor, type Complaint } from '../domain/complaint/types.js';
import { absencePeriod, overlaps, type Absence, type RecordAbsenceInput } from '../domain/absence/absence.js';
import { HANDLING_STATES, awaitedApprovers, standInProblems, type Duty } from '../domain/absence/stand-ins.js';
import { returnsToPrimary } from '../domain/policy/absence.js';
import type { StaffMember } from '../domain/lifecycle/handlers.js';
import { apply } from '../domain/lifecycle/apply.js';
import { OVERSIGHT_ROLES } from '../domain/permissions/relations.js';
import {
  absencesToProcess,
  cancelAbsence,
  caseNumbers,
  casesAwaitingDecision,
  casesHandledBy,
  endHandover,
  getAbsence,
  handoverExists,
  handoversOf,
  insertAbsence,
  insertHandover,
  listAbsences,
  markFinished,
  markHandedOver,
  overlappingAbsences,
  staffAt,
  type Handover,
} from '../store/absence.repository.js';
import { getUser, listUsers, type UserRecord } from '../store/user.repository.js';
import { persistDecisions } from '../store/decisions.js';
import type { Transaction } from 'kysely';
import type { DB } from '../store/schema.js';
import { lockForDecision, warnMissingHolidays } from './act-on-complaint.js';
import type { App } from './app.js';
import { uuidv7 } from './ids.js';

// ---------------------------------------------------------------------------------------------
// Recording, listing, cancelling

/** Whether `actor` may record or cancel `user`'s absences: themself, their department's manager, an administrator. */
export function mayManageAbsenceOf(actor: Actor, user: Pick<UserRecord, 'id' | 'departmentCode'>): boolean {
  return actor.id === user.id || actor.roles.includes('admin') || (!!user.departmentCode && actor.managerOf.includes(user.departmentCode));
}

export type AbsenceStatus = 'upcoming' | 'active' | 'over' | 'cancelled';

export interface AbsenceHandoverView {
  complaintId: string;
  number: string | null;
  duty: Duty;
  standInId: string | null;
  standInName: string | null;
  at: string;
  endedAt: string | null;
  outcome: string | null;
}

/** An absence as the API shows it. */
export interface AbsenceView {
  id: string;
  userId: string;
  userName: string | null;
  startsAt: string;
  endsAt: string;
  status: AbsenceStatus;
  /** Only for the person, their manager and administrators (it may be personal: 病假); null for others. */
  reason: string | null;
  standInId: string | null;
  standInName: string | null;
  recordedBy: string;
  recordedAt: string;
  cancelledAt: string | null;
  /** What stand-ins took over (cases the reader may know of: theirs, or every one for those who oversee or manage it). */
  handovers: AbsenceHandoverView[];
}

function statusOf(a: Absence, now: string): AbsenceStatus {
  if (a.cancelledAt) return 'cancelled';
  if (a.endsAt <= now) return 'over';
  return a.startsAt <= now ? 'active' : 'upcoming';
}

async function views(app: App, reader: Actor, absences: Absence[]): Promise<AbsenceView[]> {
  const db = app.database.db;
  const now = app.now().toISOString();
  const users = new Map((await listUsers(db)).map((u) => [u.id, u]));
  const handovers = await handoversOf(
    db,
    absences.map((a) => a.id),
  );
  const numbers = await caseNumbers(db, [...new Set(handovers.map((h) => h.complaintId))]);
  const oversees = reader.roles.some((r) => OVERSIGHT_ROLES.includes(r));
  return absences.map((a) => {
    const user = users.get(a.userId);
    const manages = !!user && mayManageAbsenceOf(reader, user);
    return {
      id: a.id,
      userId: a.userId,
      userName: user?.name ?? null,
      startsAt: a.startsAt,
      endsAt: a.endsAt,
      status: statusOf(a, now),
      reason: manages ? a.reason : null,
      standInId: a.standInId,
      standInName: a.standInId ? (users.get(a.standInId)?.name ?? null) : null,
      recordedBy: a.recordedBy,
      recordedAt: a.recordedAt,
      cancelledAt: a.cancelledAt,
      handovers: handovers
        .filter((h) => h.absenceId === a.id && (manages || oversees || h.standInId === reader.id))
        .map((h) => ({
          complaintId: h.complaintId,
          number: numbers.get(h.complaintId) ?? null,
          duty: h.duty,
          standInId: h.standInId,
          standInName: h.standInId ? (users.get(h.standInId)?.name ?? null) : null,
          at: h.at,
          endedAt: h.endedAt,
          outcome: h.outcome,
        })),
    };
  });
}

/** Absences not over yet (`past`: every one), only those running now (`active`), or one person's. */
export async function listAbsenceViews(app: App, reader: Actor, q: { active?: boolean; past?: boolean; userId?: string }): Promise<AbsenceView[]> {
  const now = app.now().toISOString();
  const found = await listAbsences(app.database.db, { ...(q.active ? { activeAt: now } : q.past ? {} : { notOverAt: now }), ...(q.userId ? { userId: q.userId } : {}) });
  return views(app, reader, found);
}

export async function getAbsenceView(app: App, reader: Actor, id: string): Promise<AbsenceView> {
  const a = await getAbsence(app.database.db, id);
  if (!a) throw new AppError('not_found', `absence ${id}`);
  return (await views(app, reader, [a]))[0]!;
}

/**
 * Records an absence. Refused (nothing written) with the field named: an unknown user, a caller
 * who may not record for them (403), a period that is not one (`to` before `from`, already past,
 * longer than a year), an overlap with the person's other absences, a stand-in who could not
 * stand in (stand-ins.ts `standInProblems`). An absence that has started is handed over at once.
 */
export async function recordAbsence(app: App, actor: Actor, input: RecordAbsenceInput, inTransaction: (trx: Transaction<DB>) => Promise<void> = async () => {}): Promise<AbsenceView> {
  const db = app.database.db;
  const now = app.now();
  const userId = input.userId ?? actor.id;
  const user = await getUser(db, userId);
  if (!user || !user.active) throw new AppError('invalid_input', 'userId: unknown user', [fieldProblem('userId', '没有此用户', 'No such user', '沒有此使用者')]);
  if (!mayManageAbsenceOf(actor, user)) throw new AppError('forbidden', 'only the person, their department manager or an administrator records an absence');
  const policy = await app.activePolicy();
  const period = absencePeriod(input, policy.calendar.timeZone, now);
  if ('problems' in period) throw new AppError('invalid_input', period.problems.map((p) => `${p.path}: ${p.message.en}`).join('; '), period.problems);
  const span = { startsAt: period.startsAt.toISOString(), endsAt: period.endsAt.toISOString() };
  const others = await overlappingAbsences(db, [userId, ...(input.standInId ? [input.standInId] : [])], span.startsAt, span.endsAt);
  const own = others.find((a) => a.userId === userId && overlaps(a, span));
  if (own)
    throw new AppError('invalid_input', 'from: overlaps another absence', [
      fieldProblem('from', `与已登记的缺勤重叠（${own.startsAt} – ${own.endsAt}）`, `Overlaps an absence already recorded (${own.startsAt} – ${own.endsAt})`, `與已登記的缺勤重疊（${own.startsAt} – ${own.endsAt}）`),
    ]);
  if (input.standInId) {
    const standIn = input.standInId === userId ? user : ((await getUser(db, input.standInId)) ?? undefined);
    const problems = standInProblems(
      policy,
      user,
      standIn,
      others.some((a) => a.userId === input.standInId),
    );
    if (problems.length) throw new AppError('invalid_input', `standInId: ${problems[0]!.message.en}`, problems);
  }
  const absence: Absence = {
    id: uuidv7(now.getTime()),
    userId,
    ...span,
    reason: input.reason,
    standInId: input.standInId ?? null,
    recordedBy: actor.id,
    recordedAt: now.toISOString(),
    cancelledAt: null,
    cancelledBy: null,
    handedOverAt: null,
    finishedAt: null,
  };
  await db.transaction().execute(async (trx) => {
    await insertAbsence(trx, absence);
    await inTransaction(trx);
  });
  app.log.info({ audit: 'absence.recorded', absenceId: absence.id, userId, actorId: actor.id }, 'absence recorded');
  if (absence.startsAt <= now.toISOString()) await processSoon(app, absence);
  return getAbsenceView(app, actor, absence.id);
}

/**
 * Cancels an absence (the person came back early, or it was recorded by mistake). One that has
 * started ends now: its cases go back or stay as the policy says. One that is over cannot be
 * cancelled (409); cancelling twice answers the cancelled absence.
 */
export async function cancelAbsenceBy(app: App, actor: Actor, id: string): Promise<AbsenceView> {
  const db = app.database.db;
  const now = app.now().toISOString();
  const a = await getAbsence(db, id);
  if (!a) throw new AppError('not_found', `absence ${id}`);
  const user = await getUser(db, a.userId);
  if (!user || !mayManageAbsenceOf(actor, user)) throw new AppError('forbidden', 'only the person, their department manager or an administrator cancels an absence');
  if (!a.cancelledAt) {
    if (a.endsAt <= now) throw new AppError('conflict', 'the absence is over', [fieldProblem('id', '该缺勤已结束，不能取消', 'This absence is over: it cannot be cancelled', '該缺勤已結束，不能取消')]);
    await cancelAbsence(db, id, actor.id, now);
    app.log.info({ audit: 'absence.cancelled', absenceId: id, userId: a.userId, actorId: actor.id }, 'absence cancelled');
    const cancelled = await getAbsence(db, id);
    if (cancelled) await processSoon(app, cancelled);
  }
  return getAbsenceView(app, actor, id);
}

// ---------------------------------------------------------------------------------------------
// The absence job

export interface AbsenceSweep {
  /** Duties handed to a stand-in (or recorded as nobody fitting: `standInId` null). */
  handedOver: { absenceId: string; complaintId: string; duty: Duty; standInId: string | null }[];
  /** Cases back with their primary handler. */
  returned: { absenceId: string; complaintId: string }[];
}

/**
 * One pass over the absences that started or ended by now (the deadline sweeper runs it on every
 * tick, so an absence recorded ahead starts on time): a running one hands over whatever of the
 * person's work has no stand-in yet — cases routed to them meanwhile too —, an ended or cancelled
 * one finishes. Idempotent: a handover is one row per absence, case and duty.
 */
export async function sweepAbsences(app: App): Promise<AbsenceSweep> {
  const result: AbsenceSweep = { handedOver: [], returned: [] };
  const todo = await absencesToProcess(app.database.db, app.now().toISOString());
  for (const a of todo) {
    // One absence failing (a case locked too long, a bad row) never holds up the others; the next pass retries it.
    await processAbsence(app, a, result).catch((e: unknown) => app.log.error({ err: e, absenceId: a.id }, 'absence: hand-over failed, retried on the next pass'));
  }
  return result;
}

/**
 * Processes an absence just recorded or cancelled at once, so the answer already shows the
 * hand-over. The absence is committed by then: a failure here is left to the next pass of the job.
 */
async function processSoon(app: App, a: Absence): Promise<void> {
  await processAbsence(app, a).catch((e: unknown) => app.log.error({ err: e, absenceId: a.id }, 'absence: hand-over failed, retried on the next pass'));
}

async function processAbsence(app: App, a: Absence, result: AbsenceSweep = { handedOver: [], returned: [] }): Promise<AbsenceSweep> {
  const now = app.now();
  const nowIso = now.toISOString();
  if (a.finishedAt) return result;
  const over = !!a.cancelledAt || a.endsAt <= nowIso;
  if (!over && a.startsAt > nowIso) return result;
  const staff = await staffAt(app.database.db, now);
  if (over) await finish(app, a, staff, result);
  else await handOver(app, a, staff, result);
  return result;
}

const HANDLED = [...new Set(Object.values(HANDLING_STATES).flat())];

async function handOver(app: App, a: Absence, staff: StaffMember[], result: AbsenceSweep): Promise<void> {
  const db = app.database.db;
  const person = staff.find((u) => u.id === a.userId);
  const work: { complaintId: string; duty: Duty }[] = (await casesHandledBy(db, a.userId, HANDLED)).map((complaintId) => ({ complaintId, duty: 'primary_handler' }));
  if (person?.roles.includes('approver')) {
    for (const c of await casesAwaitingDecision(db)) {
      const policy = await app.policyByKey(c.policyKey);
      if (awaitedApprovers(c, policy, staff).some((u) => u.id === a.userId)) work.push({ complaintId: c.id, duty: 'approval' });
    }
  }
  // What this absence handed over already (re-checked under each case's lock): no transaction for those.
  const done = new Set((await handoversOf(db, [a.id])).map((h) => `${h.complaintId}:${h.duty}`));
  for (const w of work.filter((x) => !done.has(`${x.complaintId}:${x.duty}`))) {
    const h = await standInOnCase(app, a, w.complaintId, w.duty, staff);
    if (h) result.handedOver.push({ absenceId: a.id, complaintId: w.complaintId, duty: w.duty, standInId: h.standInId });
  }
  if (!a.handedOverAt) await markHandedOver(db, a.id, app.now().toISOString());
}

/** One case's `stand_in` transition and its handover row, in one transaction; null when there was nothing to do. */
async function standInOnCase(app: App, a: Absence, complaintId: string, duty: Duty, staff: StaffMember[]): Promise<Handover | null> {
  const now = app.now();
  const done = await app.database.db.transaction().execute(async (trx) => {
    const locked = await lockForDecision(app, trx, complaintId, true);
    // Checked under the case's lock: another instance may have handed it over meanwhile.
    if (!locked || (await handoverExists(trx, a.id, complaintId, duty))) return null;
    const input = { absenceId: a.id, absentId: a.userId, duty, ...(a.standInId ? { standInId: a.standInId } : {}), until: a.endsAt };
    const d = apply(locked.complaint, locked.clocks, 'stand_in', input, { actor: SYSTEM_ACTOR, now, policy: locked.policy, calendar: locked.calendar, staff });
    // Refused: no longer theirs (re-routed, decided) since the list was read.
    if (d.kind === 'refused') return null;
    const after = await persistDecisions(trx, locked, [d]);
    const chosen = (d.events[0]!.data.standIn as { to: string | null } | undefined)?.to ?? null;
    const h: Handover = {
      id: uuidv7(now.getTime()),
      absenceId: a.id,
      complaintId,
      duty,
      absentId: a.userId,
      standInId: chosen,
      previous: { primaryHandlerId: locked.complaint.primaryHandlerId, backupHandlerId: locked.complaint.backupHandlerId },
      at: now.toISOString(),
      endedAt: null,
      outcome: null,
    };
    await insertHandover(trx, h);
    warnMissingHolidays(app, after.complaint, after.changedClocks);
    return { h, complaint: after.complaint };
  });
  if (!done) return null;
  announce(app, done.complaint, 'stand_in');
  return done.h;
}

async function finish(app: App, a: Absence, staff: StaffMember[], result: AbsenceSweep): Promise<void> {
  const db = app.database.db;
  let pending = 0;
  for (const h of await handoversOf(db, [a.id], { open: true })) {
    const nowIso = app.now().toISOString();
    // A decision's stand-in, or a handover that found nobody: nothing on the case to undo.
    if (h.duty !== 'primary_handler' || !h.standInId) {
      await endHandover(db, h.id, nowIso, 'over');
      continue;
    }
    const r = await returnCase(app, a, h, staff);
    if (r === 'busy') pending += 1;
    else if (r === 'returned') result.returned.push({ absenceId: a.id, complaintId: h.complaintId });
  }
  // A case another instance held is tried again on the next pass.
  if (!pending) await markFinished(db, a.id, app.now().toISOString());
}

/** Ends one handover: the case goes back to the primary handler when its policy says so (a transition), else stays. */
async function returnCase(app: App, a: Absence, h: Handover, staff: StaffMember[]): Promise<'returned' | 'stayed' | 'changed' | 'busy'> {
  const now = app.now();
  const nowIso = now.toISOString();
  const done = await app.database.db.transaction().execute(async (trx) => {
    const locked = await lockForDecision(app, trx, h.complaintId, true);
    if (!locked) return { outcome: 'busy' as const };
    if (!returnsToPrimary(locked.policy)) {
      await endHandover(trx, h.id, nowIso, 'stayed');
      return { outcome: 'stayed' as const };
    }
    const input = { absenceId: a.id, absentId: h.absentId, standInId: h.standInId!, backupHandlerId: h.previous.backupHandlerId };
    const d = apply(locked.complaint, locked.clocks, 'return_from_absence', input, { actor: SYSTEM_ACTOR, now, policy: locked.policy, calendar: locked.calendar, staff });
    if (d.kind === 'refused') {
      // Re-routed meanwhile, closed, or the person is away again: the case stays where it is.
      await endHandover(trx, h.id, nowIso, 'changed');
      return { outcome: 'changed' as const };
    }
    const after = await persistDecisions(trx, locked, [d]);
    await endHandover(trx, h.id, nowIso, 'returned');
    warnMissingHolidays(app, after.complaint, after.changedClocks);
    return { outcome: 'returned' as const, complaint: after.complaint };
  });
  if (done.outcome === 'returned') announce(app, done.complaint, 'return_from_absence');
  return done.outcome;
}

function announce(app: App, c: Complaint, action: string): void {
  app.events.emit('case_changed', { id: c.id, number: c.number, state: c.state, action, at: c.updatedAt });
}
