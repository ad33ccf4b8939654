/**
 * Duties and their history (migration 0027). Case duties are written by the decision writer in
 * the transition's transaction (store/decisions.ts); organisation duties by the duty job
 * (jobs/duties.ts), once per period — the UNIQUE (code, period) constraint is what keeps two
 * instances from creating the same month's duty twice.
 */
import type { Duty, DutyRecord } from '../domain/duties/duties.js';
import type { Executor } from './db.js';
import type { DutiesTable } from './schema.js';
import type { WorkingCalendar } from '../domain/calendar/index.js';
import { workingMs } from '../reports/facts.js';
import { touchRolledUp } from './facts.repository.js';

export function toRow(d: Duty): DutiesTable {
  return {
    id: d.id,
    code: d.code,
    complaint_id: d.complaintId,
    period: d.period,
    policy_key: d.policyKey,
    created_at: d.createdAt,
    created_by: d.createdBy,
    owner_role: d.ownerRole,
    owner_user_id: d.ownerUserId,
    owner_department: d.ownerDepartment,
    due_at: d.dueAt,
    remind_at: JSON.stringify(d.remindAt),
    next_check_at: d.nextCheckAt,
    status: d.status,
    breached_at: d.breachedAt,
    completed_at: d.completedAt,
    completed_by: d.completedBy,
    record: d.record ? JSON.stringify(d.record) : null,
  };
}

export function fromRow(r: DutiesTable): Duty {
  return {
    id: r.id,
    code: r.code,
    complaintId: r.complaint_id,
    period: r.period,
    policyKey: r.policy_key,
    createdAt: r.created_at,
    createdBy: r.created_by,
    ownerRole: r.owner_role,
    ownerUserId: r.owner_user_id,
    ownerDepartment: r.owner_department,
    dueAt: r.due_at,
    remindAt: JSON.parse(r.remind_at) as string[],
    nextCheckAt: r.next_check_at,
    status: r.status as Duty['status'],
    breachedAt: r.breached_at,
    completedAt: r.completed_at,
    completedBy: r.completed_by,
    record: r.record ? (JSON.parse(r.record) as DutyRecord) : null,
  };
}

export interface DutyActor {
  id: string;
  name: string;
}

export async function appendDutyHistory(db: Executor, dutyId: string, at: string, step: string, actor: DutyActor, data: Record<string, unknown> = {}): Promise<void> {
  const last = await db
    .selectFrom('duty_history')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('duty_id', '=', dutyId)
    .executeTakeFirst();
  await db
    .insertInto('duty_history')
    .values({ duty_id: dutyId, seq: Number(last?.seq ?? 0) + 1, at, step, actor_id: actor.id, actor_name: actor.name, data: JSON.stringify(data) })
    .execute();
}

/** Inserts case duties (a transition's). */
export async function insertDuties(db: Executor, duties: Duty[], actor: DutyActor): Promise<void> {
  for (const d of duties) {
    await db.insertInto('duties').values(toRow(d)).execute();
    await appendDutyHistory(db, d.id, d.createdAt, 'created', actor, { by: d.createdBy });
  }
}

/**
 * Inserts an organisation duty unless its (code, period) exists; true when this call created it.
 * ON CONFLICT DO NOTHING works on both engines, so a second instance racing this one just loses.
 */
export async function insertScheduledDuty(db: Executor, d: Duty, actor: DutyActor): Promise<boolean> {
  const r = await db
    .insertInto('duties')
    .values(toRow(d))
    .onConflict((oc) => oc.columns(['code', 'period']).doNothing())
    .executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0n) === 0) return false;
  await appendDutyHistory(db, d.id, d.createdAt, 'created', actor, { by: 'schedule', period: d.period });
  return true;
}

export async function getDuty(db: Executor, id: string): Promise<Duty | null> {
  const r = await db.selectFrom('duties').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? fromRow(r) : null;
}

export async function caseDuties(db: Executor, complaintId: string): Promise<Duty[]> {
  return (await db.selectFrom('duties').selectAll().where('complaint_id', '=', complaintId).orderBy('created_at').orderBy('id').execute()).map(fromRow);
}

/** Open duties `who` owns: by user, by one of their roles, or as manager of the duty's department. */
export async function openDutiesOwnedBy(db: Executor, who: { id: string; roles: readonly string[]; managerOf: readonly string[] }): Promise<Duty[]> {
  const rows = await db
    .selectFrom('duties')
    .selectAll()
    .where('status', '=', 'open')
    .where((eb) => eb.or([eb('owner_user_id', '=', who.id), ...(who.roles.length ? [eb('owner_role', 'in', [...who.roles])] : []), ...(who.managerOf.length ? [eb('owner_department', 'in', [...who.managerOf])] : [])]))
    .orderBy('due_at')
    .orderBy('id')
    .execute();
  return rows.map(fromRow);
}

/** Open duties whose next check (reminder or due time) has come, oldest first. */
export async function dueDuties(db: Executor, nowIso: string, limit: number): Promise<Duty[]> {
  return (await db.selectFrom('duties').selectAll().where('status', '=', 'open').where('next_check_at', '<=', nowIso).orderBy('next_check_at').limit(limit).execute()).map(fromRow);
}

/** Writes a duty's mutable fields, only while it is still as `expected` saw it (a concurrent step wins otherwise). */
export async function saveDutyStep(db: Executor, d: Duty, expectedNextCheck: string | null): Promise<boolean> {
  const row = toRow(d);
  let q = db
    .updateTable('duties')
    .set({ remind_at: row.remind_at, next_check_at: row.next_check_at, status: row.status, breached_at: row.breached_at, completed_at: row.completed_at, completed_by: row.completed_by, record: row.record })
    .where('id', '=', d.id)
    .where('status', '=', 'open');
  q = expectedNextCheck === null ? q.where('next_check_at', 'is', null) : q.where('next_check_at', '=', expectedNextCheck);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * A case duty's on-time fact (clock_facts, kind `duty:<code>`), so the reports count duties in
 * their on-time figures beside the clocks: running while open, met when completed in time,
 * breached once late. Organisation duties belong to no case and have none.
 */
export async function recordDutyFact(db: Executor, d: Duty, cycle: number, cal: WorkingCalendar | null, at: string): Promise<void> {
  if (!d.complaintId) return;
  const done = d.status === 'done';
  const row = {
    complaint_id: d.complaintId,
    kind: `duty:${d.code}`,
    started_at: d.createdAt,
    cycle,
    status: done ? 'stopped' : 'running',
    due_at: d.dueAt,
    warned_at: null,
    breached_at: d.breachedAt,
    stopped_at: d.completedAt,
    outcome: d.breachedAt ? 'breached' : done ? 'met' : 'running',
    extensions: 0,
    pauses: 0,
    elapsed_wms: done && d.completedAt ? workingMs(cal, d.createdAt, d.completedAt) : null,
    updated_at: at,
  };
  const { complaint_id: _c, kind: _k, started_at: _s, cycle: _y, ...rest } = row;
  await db
    .insertInto('clock_facts')
    .values(row)
    .onConflict((oc) => oc.columns(['complaint_id', 'kind', 'started_at']).doUpdateSet(rest))
    .execute();
  await touchRolledUp(db, d.complaintId, at); // a rolled-up case's on-time figures changed
}
