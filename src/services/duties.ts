/**
 * Duties for people (issue 10 §2): 我的待办 (the open duties the caller owns, case ones and
 * organisation ones), a case's duties, and completing one — a case duty through the audited
 * `complete_duty` transition of its case, an organisation duty here with its history row.
 */
import type { Actor } from '../domain/complaint/types.js';
import { recordProblems, type Duty, type DutyRecord } from '../domain/duties/duties.js';
import { dutiesOf } from '../domain/policy/duties.js';
import type { Policy } from '../domain/policy/index.js';
import { AppError, fieldProblem } from '../domain/errors.js';
import { canSee } from '../domain/permissions/visibility.js';
import { appendDutyHistory, caseDuties, getDuty, openDutiesOwnedBy, saveDutyStep } from '../store/duty.repository.js';
import { getComplaint } from '../store/complaint.repository.js';
import { actOnComplaint } from './act-on-complaint.js';
import type { App } from './app.js';

export interface DutyView {
  id: string;
  code: string;
  name: { 'zh-CN': string; 'zh-TW': string; en: string };
  record: 'note' | 'report' | 'verification';
  complaintId: string | null;
  number: string | null;
  period: string | null;
  createdAt: string;
  createdBy: string;
  owner: { userId: string | null; role: string | null; departmentCode: string | null };
  dueAt: string;
  status: 'open' | 'done';
  overdue: boolean;
  breachedAt: string | null;
  completedAt: string | null;
  completedBy: string | null;
  result: DutyRecord | null;
}

export interface CompleteDutyBody {
  text?: string | undefined;
  result?: 'ok' | 'not_ok' | undefined;
  attachmentIds: string[];
}

function view(d: Duty, policy: Policy, number: string | null, nowIso: string): DutyView {
  const def = dutiesOf(policy).find((x) => x.code === d.code);
  return {
    id: d.id,
    code: d.code,
    name: def?.name ?? { 'zh-CN': d.code, 'zh-TW': d.code, en: d.code },
    record: def?.record ?? 'note',
    complaintId: d.complaintId,
    number,
    period: d.period,
    createdAt: d.createdAt,
    createdBy: d.createdBy,
    owner: { userId: d.ownerUserId, role: d.ownerRole, departmentCode: d.ownerDepartment },
    dueAt: d.dueAt,
    status: d.status,
    overdue: d.status === 'open' && d.dueAt <= nowIso,
    breachedAt: d.breachedAt,
    completedAt: d.completedAt,
    completedBy: d.completedBy,
    result: d.record,
  };
}

async function policyOf(app: App, d: Duty): Promise<Policy> {
  return d.policyKey ? app.policyByKey(d.policyKey).catch(() => app.activePolicy()) : app.activePolicy();
}

/** Whether `actor` owns the duty: by name, by role, or as manager of its department. */
export function owns(actor: Actor, d: Duty): boolean {
  return d.ownerUserId === actor.id || (!!d.ownerRole && (actor.roles as string[]).includes(d.ownerRole)) || (!!d.ownerDepartment && actor.managerOf.includes(d.ownerDepartment));
}

/** 我的待办: open duties the caller owns, by due time; case duties only on cases they may see. */
export async function listMyDuties(app: App, actor: Actor): Promise<DutyView[]> {
  const { db } = app.database;
  const nowIso = app.now().toISOString();
  const out: DutyView[] = [];
  for (const d of await openDutiesOwnedBy(db, actor)) {
    const c = d.complaintId ? await getComplaint(db, d.complaintId) : null;
    if (d.complaintId && (!c || !canSee(c, actor))) continue;
    out.push(view(d, await policyOf(app, d), c?.number ?? null, nowIso));
  }
  return out;
}

export async function listCaseDuties(app: App, actor: Actor, complaintId: string): Promise<DutyView[]> {
  const { db } = app.database;
  const c = await getComplaint(db, complaintId);
  if (!c || !canSee(c, actor)) throw new AppError('not_found', `complaint ${complaintId}`);
  const policy = await app.policyByKey(c.policyKey);
  const nowIso = app.now().toISOString();
  return (await caseDuties(db, c.id)).map((d) => view(d, policy, c.number, nowIso));
}

async function ownedOpenDuty(app: App, actor: Actor, dutyId: string): Promise<Duty> {
  const d = await getDuty(app.database.db, dutyId);
  if (!d) throw new AppError('not_found', `duty ${dutyId}`);
  if (d.status !== 'open') throw new AppError('conflict', `duty ${dutyId} is already completed`);
  if (!owns(actor, d) && !actor.roles.includes('specialist')) throw new AppError('forbidden', 'only the duty’s owner (or a specialist) completes it');
  return d;
}

/** Completes a case duty: the `complete_duty` transition of the case (its record checked by the machine's guard). */
export async function completeCaseDuty(app: App, actor: Actor, complaintId: string, dutyId: string, body: CompleteDutyBody): Promise<DutyView> {
  const { db } = app.database;
  const c = await getComplaint(db, complaintId);
  if (!c || !canSee(c, actor)) throw new AppError('not_found', `complaint ${complaintId}`);
  const d = await ownedOpenDuty(app, actor, dutyId);
  if (d.complaintId !== c.id) throw new AppError('not_found', `duty ${dutyId}`);
  const files = body.attachmentIds.length ? await db.selectFrom('attachments').selectAll().where('complaint_id', '=', c.id).where('id', 'in', body.attachmentIds).execute() : [];
  body.attachmentIds.forEach((id, i) => {
    if (!files.some((f) => f.id === id)) throw new AppError('invalid_input', `attachmentIds[${i}]: not a file of this case`, [fieldProblem(`attachmentIds[${i}]`, '不是本案的附件', 'Not a file of this case', '不是本案的附件')]);
  });
  const attachments = body.attachmentIds.map((id) => files.find((f) => f.id === id)!).map((f) => ({ id: f.id, name: f.name, size: f.size, contentType: f.content_type, sha256: f.sha256 }));
  await actOnComplaint(app, actor, c.id, 'complete_duty', { dutyId, code: d.code, ...(body.text ? { text: body.text } : {}), ...(body.result ? { result: body.result } : {}), attachments });
  return view((await getDuty(db, dutyId))!, await app.policyByKey(c.policyKey), c.number, app.now().toISOString());
}

/** Completes an organisation duty (no case): the record checked by the same rule, the step in its history. */
export async function completeOrganisationDuty(app: App, actor: Actor, dutyId: string, body: CompleteDutyBody): Promise<DutyView> {
  const d = await ownedOpenDuty(app, actor, dutyId);
  if (d.complaintId) throw new AppError('not_found', `duty ${dutyId} belongs to a case: complete it on the case`);
  const policy = await policyOf(app, d);
  const def = dutiesOf(policy).find((x) => x.code === d.code);
  if (body.attachmentIds.length)
    throw new AppError('invalid_input', 'attachmentIds: an organisation duty has no case files', [fieldProblem('attachmentIds', '机构职责不关联案件附件', 'An organisation duty has no case files', '機構職責不關聯案件附件')]);
  const fields = recordProblems(def?.record ?? 'note', body);
  if (fields.length) throw new AppError('invalid_input', fields.map((f) => f.path).join(', '), fields);
  const nowIso = app.now().toISOString();
  const done: Duty = { ...d, status: 'done', nextCheckAt: null, remindAt: [], completedAt: nowIso, completedBy: actor.id, record: { ...(body.text ? { text: body.text } : {}), ...(body.result ? { result: body.result } : {}) } };
  await app.database.db.transaction().execute(async (trx) => {
    if (!(await saveDutyStep(trx, done, d.nextCheckAt))) throw new AppError('conflict', `duty ${dutyId} changed meanwhile`);
    await appendDutyHistory(trx, d.id, nowIso, 'completed', { id: actor.id, name: actor.name }, { late: nowIso > d.dueAt, record: done.record });
  });
  return view(done, policy, null, nowIso);
}
