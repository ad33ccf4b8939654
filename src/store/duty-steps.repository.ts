/**
 * The duty steps the decision writer takes in a transition's transaction (store/decisions.ts):
 * the case duties a transition created, and the completion `complete_duty` records — the duty
 * named on the event must be open and of this case, or the whole transition rolls back.
 */
import type { Transaction } from 'kysely';
import type { Complaint } from '../domain/complaint/types.js';
import type { Decision } from '../domain/lifecycle/apply.js';
import type { Duty, DutyRecord } from '../domain/duties/duties.js';
import type { WorkingCalendar } from '../domain/calendar/index.js';
import { AppError } from '../domain/errors.js';
import type { Policy } from '../domain/policy/index.js';
import { dutyNotifications } from '../domain/duties/notifications.js';
import { enqueueMessages } from './outbox.repository.js';
import type { DB } from './schema.js';
import { appendDutyHistory, getDuty, insertDuties, recordDutyFact, saveDutyStep } from './duty.repository.js';

export async function createCaseDuties(trx: Transaction<DB>, c: Complaint, duties: Duty[], d: Decision, cal: WorkingCalendar, policy?: Policy): Promise<void> {
  if (!duties.length) return;
  const e = d.events[0]!;
  await insertDuties(trx, duties, { id: e.actorId, name: e.actorName });
  for (const duty of duties) await recordDutyFact(trx, duty, c.cycle, cal, e.at);
  // The owner learns of it when it is created (through the outbox, after commit).
  if (policy)
    await enqueueMessages(
      trx,
      duties.flatMap((duty) => dutyNotifications(duty, 'duty_assigned', policy, e.at)),
    );
}

export async function completeCaseDuty(trx: Transaction<DB>, c: Complaint, d: Decision, cal: WorkingCalendar | null): Promise<void> {
  const e = d.events[0]!;
  const input = (e.data as { input: { dutyId: string; code: string; text?: string; result?: 'ok' | 'not_ok'; attachments?: DutyRecord['attachments'] } }).input;
  const duty = await getDuty(trx, input.dutyId);
  if (!duty || duty.complaintId !== c.id || duty.code !== input.code) throw new AppError('not_found', `duty ${input.dutyId}`);
  if (duty.status !== 'open') throw new AppError('conflict', `duty ${input.dutyId} is already completed`);
  const done: Duty = {
    ...duty,
    status: 'done',
    nextCheckAt: null,
    remindAt: [],
    completedAt: e.at,
    completedBy: e.actorId,
    record: { ...(input.text ? { text: input.text } : {}), ...(input.result ? { result: input.result } : {}), ...(input.attachments?.length ? { attachments: input.attachments.map((a) => ({ name: a.name, sha256: a.sha256 })) } : {}) },
  };
  if (!(await saveDutyStep(trx, done, duty.nextCheckAt))) throw new AppError('conflict', `duty ${input.dutyId} changed meanwhile`);
  await appendDutyHistory(trx, duty.id, e.at, 'completed', { id: e.actorId, name: e.actorName }, { version: c.version, late: !!duty.breachedAt || e.at > duty.dueAt });
  await recordDutyFact(trx, done.breachedAt || e.at <= duty.dueAt ? done : { ...done, breachedAt: duty.dueAt }, c.cycle, cal, e.at);
}
