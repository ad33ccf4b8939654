/**
 * Absences and the duties stand-ins took over during them (migration 0018). Times are ISO-8601
 * UTC text, compared as text. The cases themselves change only through lifecycle transitions
 * (services/absences.ts); a handover row is written in the same transaction as its transition.
 */
import type { Absence } from '../domain/absence/absence.js';
import type { Duty } from '../domain/absence/stand-ins.js';
import type { Complaint } from '../domain/complaint/types.js';
import type { Executor } from './db.js';
import type { StaffMember } from '../domain/lifecycle/handlers.js';
import { listUsers, type UserRecord } from './user.repository.js';
import type { AbsencesTable, AbsenceHandoversTable } from './schema.js';

function toAbsence(r: AbsencesTable): Absence {
  return {
    id: r.id,
    userId: r.user_id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    reason: r.reason,
    standInId: r.stand_in_id,
    recordedBy: r.recorded_by,
    recordedAt: r.recorded_at,
    cancelledAt: r.cancelled_at,
    cancelledBy: r.cancelled_by,
    handedOverAt: r.handed_over_at,
    finishedAt: r.finished_at,
  };
}

export async function insertAbsence(db: Executor, a: Absence): Promise<void> {
  await db
    .insertInto('absences')
    .values({
      id: a.id,
      user_id: a.userId,
      starts_at: a.startsAt,
      ends_at: a.endsAt,
      reason: a.reason,
      stand_in_id: a.standInId,
      recorded_by: a.recordedBy,
      recorded_at: a.recordedAt,
      cancelled_at: a.cancelledAt,
      cancelled_by: a.cancelledBy,
      handed_over_at: a.handedOverAt,
      finished_at: a.finishedAt,
    })
    .execute();
}

export async function getAbsence(db: Executor, id: string): Promise<Absence | null> {
  const r = await db.selectFrom('absences').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toAbsence(r) : null;
}

export interface AbsenceFilter {
  /** Only absences running at this instant. */
  activeAt?: string;
  /** Only absences not over (nor cancelled) at this instant. */
  notOverAt?: string;
  /** Only this person's (as the absent person or as the named stand-in). */
  userId?: string;
}

/** Absences by start, the filter applied; cancelled ones only when neither `activeAt` nor `notOverAt` is given. */
export async function listAbsences(db: Executor, f: AbsenceFilter = {}): Promise<Absence[]> {
  let q = db.selectFrom('absences').selectAll();
  if (f.activeAt) q = q.where('cancelled_at', 'is', null).where('starts_at', '<=', f.activeAt).where('ends_at', '>', f.activeAt);
  if (f.notOverAt) q = q.where('cancelled_at', 'is', null).where('ends_at', '>', f.notOverAt);
  if (f.userId) q = q.where((eb) => eb.or([eb('user_id', '=', f.userId!), eb('stand_in_id', '=', f.userId!)]));
  const rows = await q.orderBy('starts_at').orderBy('id').limit(1000).execute();
  return rows.map(toAbsence);
}

/** The absences of `userIds` (not cancelled) overlapping [startsAt, endsAt). */
export async function overlappingAbsences(db: Executor, userIds: string[], startsAt: string, endsAt: string): Promise<Absence[]> {
  if (!userIds.length) return [];
  const rows = await db.selectFrom('absences').selectAll().where('user_id', 'in', userIds).where('cancelled_at', 'is', null).where('starts_at', '<', endsAt).where('ends_at', '>', startsAt).execute();
  return rows.map(toAbsence);
}

/** Absences the job still has work for: not finished, and started (or cancelled) by `now`. */
export async function absencesToProcess(db: Executor, now: string): Promise<Absence[]> {
  const rows = await db
    .selectFrom('absences')
    .selectAll()
    .where('finished_at', 'is', null)
    .where((eb) => eb.or([eb('starts_at', '<=', now), eb('cancelled_at', 'is not', null)]))
    .orderBy('starts_at')
    .orderBy('id')
    .execute();
  return rows.map(toAbsence);
}

/** Cancels an absence that is not cancelled yet; false when it already was. */
export async function cancelAbsence(db: Executor, id: string, by: string, at: string): Promise<boolean> {
  const r = await db.updateTable('absences').set({ cancelled_at: at, cancelled_by: by }).where('id', '=', id).where('cancelled_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function markHandedOver(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('absences').set({ handed_over_at: at }).where('id', '=', id).where('handed_over_at', 'is', null).execute();
}

export async function markFinished(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('absences').set({ finished_at: at }).where('id', '=', id).where('finished_at', 'is', null).execute();
}

// ---------------------------------------------------------------------------------------------
// Handovers

export interface Handover {
  id: string;
  absenceId: string;
  complaintId: string;
  duty: Duty;
  absentId: string;
  /** Null: nobody present fitted (recorded so the job does not retry every pass). */
  standInId: string | null;
  previous: { primaryHandlerId: string | null; backupHandlerId: string | null };
  at: string;
  endedAt: string | null;
  /** returned | stayed | changed | over */
  outcome: string | null;
}

function toHandover(r: AbsenceHandoversTable): Handover {
  return {
    id: r.id,
    absenceId: r.absence_id,
    complaintId: r.complaint_id,
    duty: r.duty as Duty,
    absentId: r.absent_id,
    standInId: r.stand_in_id,
    previous: JSON.parse(r.previous) as Handover['previous'],
    at: r.at,
    endedAt: r.ended_at,
    outcome: r.outcome,
  };
}

export async function insertHandover(db: Executor, h: Handover): Promise<void> {
  await db
    .insertInto('absence_handovers')
    .values({
      id: h.id,
      absence_id: h.absenceId,
      complaint_id: h.complaintId,
      duty: h.duty,
      absent_id: h.absentId,
      stand_in_id: h.standInId,
      previous: JSON.stringify(h.previous),
      at: h.at,
      ended_at: h.endedAt,
      outcome: h.outcome,
    })
    .execute();
}

export async function handoverExists(db: Executor, absenceId: string, complaintId: string, duty: Duty): Promise<boolean> {
  const r = await db.selectFrom('absence_handovers').select('id').where('absence_id', '=', absenceId).where('complaint_id', '=', complaintId).where('duty', '=', duty).executeTakeFirst();
  return !!r;
}

/** Handovers of these absences (all, or only those not ended). */
export async function handoversOf(db: Executor, absenceIds: string[], opts: { open?: boolean } = {}): Promise<Handover[]> {
  if (!absenceIds.length) return [];
  let q = db.selectFrom('absence_handovers').selectAll().where('absence_id', 'in', absenceIds);
  if (opts.open) q = q.where('ended_at', 'is', null);
  const rows = await q.orderBy('at').orderBy('id').execute();
  return rows.map(toHandover);
}

export async function endHandover(db: Executor, id: string, at: string, outcome: string): Promise<void> {
  await db.updateTable('absence_handovers').set({ ended_at: at, outcome }).where('id', '=', id).where('ended_at', 'is', null).execute();
}

// ---------------------------------------------------------------------------------------------
// Cases an absence may concern (read outside any lock; each is re-checked under its lock)

/** Ids of the cases `userId` is the primary handler of, in the given states. */
export async function casesHandledBy(db: Executor, userId: string, states: readonly string[]): Promise<string[]> {
  if (!states.length) return [];
  const rows = await db
    .selectFrom('complaints')
    .select('id')
    .where('primary_handler_id', '=', userId)
    .where('state', 'in', [...states])
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/** The cases waiting for an approver's decision (a proposal or an extension request). */
export async function casesAwaitingDecision(db: Executor): Promise<Complaint[]> {
  const rows = await db.selectFrom('complaints').select('body').where('needs_approval', '=', 1).orderBy('id').execute();
  return rows.map((r) => JSON.parse(r.body) as Complaint);
}

/** Case numbers by id (the absence list shows which cases a stand-in took over). */
export async function caseNumbers(db: Executor, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('complaints').select(['id', 'number']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.number]));
}

/**
 * The staff, each with whether they are away at `at`: what the machine's hand-over rules read
 * (`Ctx.staff`: routing, a major case's handler, re-handling one tier up, stand-ins). Read through
 * the transaction when inside one.
 */
export async function staffAt(db: Executor, at: Date): Promise<(UserRecord & StaffMember)[]> {
  const users = await listUsers(db);
  const away = new Set((await listAbsences(db, { activeAt: at.toISOString() })).map((a) => a.userId));
  return users.map((u) => ({ ...u, absent: away.has(u.id) }));
}
