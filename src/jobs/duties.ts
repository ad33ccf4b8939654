/**
 * The duty job (issue 10 §2), run on every sweeper tick (jobs/deadline-sweeper.ts):
 * - creates the active policy's scheduled (organisation) duties whose time in this period has
 *   come — once per period, even with several instances (UNIQUE (code, period));
 * - sends each open duty's reminders as they fall due, and marks it breached at its due time,
 *   escalating to the policy's role (notifications through the outbox, in the same transaction as
 *   the duty's history row and on-time fact).
 */
import type { App } from '../services/app.js';
import { SYSTEM_ACTOR } from '../domain/complaint/types.js';
import { scheduledDutiesDue, nextCheck, type Duty } from '../domain/duties/duties.js';
import { dutiesOf } from '../domain/policy/duties.js';
import { dutyNotifications } from '../domain/duties/notifications.js';
import { appendDutyHistory, dueDuties, insertScheduledDuty, recordDutyFact, saveDutyStep } from '../store/duty.repository.js';
import { enqueueMessages } from '../store/outbox.repository.js';
import { uuidv7 } from '../services/ids.js';
import { policyKey } from '../domain/policy/index.js';

export interface DutySweep {
  created: { code: string; period: string }[];
  reminded: string[];
  breached: string[];
}

const SYSTEM = { id: SYSTEM_ACTOR.id, name: SYSTEM_ACTOR.name };

export async function sweepDuties(app: App, opts: { limit?: number } = {}): Promise<DutySweep> {
  const { db } = app.database;
  const now = app.now();
  const nowIso = now.toISOString();
  const out: DutySweep = { created: [], reminded: [], breached: [] };
  const policy = await app.activePolicy();
  if (dutiesOf(policy).some((d) => d.schedule)) {
    const cal = await app.calendarFor(policy);
    for (const d of scheduledDutiesDue(policy, now, cal, () => uuidv7(now.getTime()))) {
      const created = await db.transaction().execute(async (trx) => {
        const fresh = { ...d, policyKey: policyKey(policy) };
        if (!(await insertScheduledDuty(trx, fresh, SYSTEM))) return false;
        await enqueueMessages(trx, dutyNotifications(fresh, 'duty_assigned', policy, nowIso));
        return true;
      });
      if (created) out.created.push({ code: d.code, period: d.period! });
    }
  }
  for (const d of await dueDuties(db, nowIso, opts.limit ?? 200)) {
    await db.transaction().execute(async (trx) => {
      const policyOf = d.complaintId ? await app.policyByKey(d.policyKey, trx).catch(() => policy) : policy;
      const cal = await app.calendarFor(policyOf, trx);
      const step = nextStep(d, nowIso);
      if (!(await saveDutyStep(trx, step.duty, d.nextCheckAt))) return; // another instance took this step
      await appendDutyHistory(trx, d.id, nowIso, step.kind, SYSTEM, { dueAt: d.dueAt });
      await enqueueMessages(trx, dutyNotifications(step.duty, step.kind === 'breached' ? 'duty_overdue' : 'duty_reminder', policyOf, nowIso));
      if (step.kind === 'breached' && d.complaintId) {
        const cycle = (await trx.selectFrom('complaints').select('cycle').where('id', '=', d.complaintId).executeTakeFirst())?.cycle ?? 1;
        await recordDutyFact(trx, step.duty, Number(cycle), cal, nowIso);
      }
      (step.kind === 'breached' ? out.breached : out.reminded).push(d.id);
    });
  }
  return out;
}

/** The duty after its due step: a reminder sent (the next one, else the due time, next), or the breach (no more checks). */
export function nextStep(d: Duty, nowIso: string): { kind: 'reminded' | 'breached'; duty: Duty } {
  if (d.dueAt <= nowIso) return { kind: 'breached', duty: { ...d, breachedAt: nowIso, remindAt: [], nextCheckAt: null } };
  const remindAt = d.remindAt.filter((t) => t > nowIso);
  return { kind: 'reminded', duty: { ...d, remindAt, nextCheckAt: nextCheck(remindAt, d.dueAt) } };
}
