/**
 * Who hears of a duty, as outbox rows (staff channel): its owner when it is created and
 * reminded; its owner and the policy's `escalateTo` role when it is late (001 篇2 §8: the first
 * responder chases what is overdue).
 */
import type { OutboxMessage } from '../complaint/types.js';
import type { Policy } from '../policy/index.js';
import { dutiesOf } from '../policy/duties.js';
import type { Duty } from './duties.js';

export type DutyTemplate = 'duty_assigned' | 'duty_reminder' | 'duty_overdue';

export function dutyOwnerSelector(d: Duty): OutboxMessage['to'] {
  if (d.ownerUserId) return { userIds: [d.ownerUserId] };
  if (d.ownerDepartment) return { role: 'department_manager', departmentCode: d.ownerDepartment };
  return { role: d.ownerRole ?? 'specialist' };
}

export function dutyNotifications(d: Duty, template: DutyTemplate, policy: Policy, at: string): OutboxMessage[] {
  const def = dutiesOf(policy).find((x) => x.code === d.code);
  const payload = { dutyId: d.id, duty: d.code, name: def?.name['zh-CN'] ?? d.code, dueAt: d.dueAt, ...(d.period ? { period: d.period } : {}) };
  const base = { complaintId: d.complaintId, channel: 'staff' as const, payload, createdAt: at };
  const out: OutboxMessage[] = [{ ...base, template, to: dutyOwnerSelector(d) }];
  if (template === 'duty_overdue' && def?.escalateTo) out.push({ ...base, template, to: { role: def.escalateTo }, payload: { ...payload, escalated: true } });
  return out;
}
