/**
 * Who is told what, as one table keyed on the domain events (domain-events.ts): for each event,
 * the outbox messages it sends — channel, template, recipients and payload. The action table's
 * effects only record what happened; `apply` (and intake) turn the events into messages here, in
 * the order the events were recorded, and the decision writer stores them as outbox rows in the
 * transition's own transaction (store/decisions.ts).
 *
 * Recipients are read from the case as the transition leaves it (its handlers, first responder,
 * department and tier), from the policy (escalation tiers, clock rules' notify lists, the
 * follow-up's methods) and from the event's payload. Pure, like the rest of the domain.
 */
import type { Actor, Complaint, OutboxMessage } from '../complaint/types.js';
import type { Policy } from '../policy/index.js';
import { ruleOfClock, type ClockRule } from '../policy/clock-rules.js';
import type { DomainEvent, DomainEventOf, DomainEventType } from './domain-events.js';

/** An outbox message before `apply` adds the case id and the transition time. */
export type OutboxDraft = Omit<OutboxMessage, 'complaintId' | 'createdAt'>;

export interface NotifyCtx {
  /** Who performed the transition. */
  actor: Actor;
  policy: Policy;
}

type Payload = Record<string, unknown>;
type Notifier<K extends DomainEventType> = (e: DomainEventOf<K>, c: Complaint, ctx: NotifyCtx) => OutboxDraft[];

const staff = (template: string, to: OutboxDraft['to'], payload: Payload): OutboxDraft => ({ channel: 'staff', template, to, payload });
const customer = (template: string, payload: Payload): OutboxDraft => ({ channel: 'customer', template, to: { customer: true }, payload });
const role = (r: string, template: string, payload: Payload): OutboxDraft => staff(template, { role: r }, payload);

/** The primary and backup handler, when the case has any. */
function toHandlers(c: Complaint, template: string, payload: Payload): OutboxDraft[] {
  const ids = [c.primaryHandlerId, c.backupHandlerId].filter((x): x is string => !!x);
  return ids.length ? [staff(template, { userIds: ids }, payload)] : [];
}

/** The first responder is told of each major step (001 篇2 §8 首问负责制). */
function toFirstResponder(c: Complaint, template: string, payload: Payload): OutboxDraft {
  return staff(template, { userIds: [c.firstResponderId] }, payload);
}

const progress = (c: Complaint, step: string): OutboxDraft => toFirstResponder(c, 'case_progress', { number: c.number, step });

/** The handlers, and the role of the case's escalation tier in its department (a deadline's warning or breach). */
function toTier(c: Complaint, p: Policy, template: string, payload: Payload): OutboxDraft[] {
  const tier = p.escalation.tiers[c.tier - 1];
  const out = toHandlers(c, template, { number: c.number, ...payload });
  if (tier && tier.role !== 'handler' && tier.role !== 'agent') out.push(staff(template, { role: tier.role, departmentCode: c.departmentCode ?? undefined }, { number: c.number, ...payload }));
  return out;
}

/** The staff messages a rule's warning or breach sends to its `notify` list. */
export function ruleNotices(rule: ClockRule | undefined, when: 'warn' | 'breach', c: Complaint, template: string, payload: Payload): OutboxDraft[] {
  if (!rule) return [];
  const out: OutboxDraft[] = [];
  for (const t of rule[when].notify) {
    const to: OutboxDraft['to'] | null = t.startsWith('role:')
      ? { role: t.slice(5), departmentCode: c.departmentCode ?? undefined }
      : t === 'primary_handler'
        ? c.primaryHandlerId
          ? { userIds: [c.primaryHandlerId] }
          : null
        : t === 'backup_handler'
          ? c.backupHandlerId
            ? { userIds: [c.backupHandlerId] }
            : null
          : t === 'first_responder'
            ? { userIds: [c.firstResponderId] }
            : t === 'department_manager'
              ? { role: 'department_manager', departmentCode: c.departmentCode ?? undefined }
              : null;
    if (to) out.push(staff(template, to, { ...payload, rule: rule.code, ruleName: rule.name }));
  }
  return out;
}

/** What the customer added reaches the handlers (the specialists while nobody handles the case) and the first responder. */
function customerAdded(e: DomainEventOf<'customer_added'>, c: Complaint): OutboxDraft[] {
  const payload = { number: c.number, attachments: e.attachments, via: e.via };
  return [...(c.primaryHandlerId ? toHandlers(c, 'customer_supplement', payload) : [role('specialist', 'customer_supplement', payload)]), toFirstResponder(c, 'customer_supplement', payload)];
}

export const NOTIFICATIONS: { [K in DomainEventType]: Notifier<K> } = {
  received: (e, c) => [customer('acknowledgement', { number: c.number, promisedAt: e.promisedAt }), ...(c.kind === 'complaint' ? [role('specialist', 'triage_waiting', { number: c.number })] : [])],
  judged_invalid: (e, c) => [toFirstResponder(c, 'invalid_explain', { number: c.number, reason: e.reason })],
  major_graded: (e, c) => [role('approver', 'major_case', { number: c.number, grade: e.grade })],
  emergency_flagged: (_e, c) => [role('approver', 'emergency_case', { number: c.number })],
  assigned: (e, c) => [
    ...toHandlers(c, 'case_assigned', e.major ? { number: c.number, major: true } : { number: c.number }),
    ...(c.coHandlerIds.length ? [staff('case_assigned', { userIds: c.coHandlerIds }, { number: c.number, co: true })] : []),
    progress(c, 'route'),
  ],
  approval_requested: (e, c) => [role('approver', 'approval_waiting', { number: c.number, level: e.level })],
  proposal_approved: (_e, c) => [...toHandlers(c, 'proposal_approved', { number: c.number }), progress(c, 'approve')],
  proposal_rejected: (e, c) => toHandlers(c, 'proposal_rejected', { number: c.number, comment: e.comment }),
  answered: (e, c) => [customer('answer', { number: c.number, text: e.text }), progress(c, 'answer')],
  follow_up_started: (e, c, { policy }) => [
    role('followup', 'followup_due', { number: c.number }),
    // A survey by message (SMS / e-mail link) when the policy allows it; the dispatcher mints the
    // tokenized link for this handling cycle when it delivers the invitation (issue 4).
    ...(policy.followUp.methods.includes('survey') ? [customer('survey_invitation', { number: c.number, cycle: c.cycle, dueAt: e.dueAt })] : []),
  ],
  extension_requested: (e, c) => [role('approver', 'extension_waiting', { number: c.number, level: e.level })],
  extension_granted: (e, c) => toHandlers(c, 'extension_granted', { number: c.number, dueAt: e.dueAt }),
  extension_refused: (e, c) => toHandlers(c, 'extension_refused', { number: c.number, comment: e.comment }),
  follow_up_unreachable: (_e, c) => [role('specialist', 'followup_unreachable', { number: c.number })],
  handover_failed: (_e, c) => [role('specialist', 'handover_failed', { number: c.number, tier: c.tier })],
  handled_again: (e, c, { policy }) => [
    staff('handle_again', { role: policy.escalation.tiers[e.tier - 1]?.role ?? 'approver', departmentCode: c.departmentCode ?? undefined }, { number: c.number, cycle: e.cycle, tier: e.tier }),
    ...toHandlers(c, 'handle_again', { number: c.number, cycle: e.cycle }),
    ...(e.cycle > policy.unsatisfied.maxCycles ? [role('approver', 'cycles_exceeded', { number: c.number, cycle: e.cycle })] : []),
  ],
  closed: (e, c, { actor }) => [
    ...(actor.id !== c.firstResponderId ? [progress(c, 'close')] : []),
    e.invalid ? customer('invalid_explanation', { number: c.number, explanation: c.validity?.explanation }) : customer('closure', { number: c.number }),
  ],
  customer_added: (e, c) => customerAdded(e, c),
  urged: (e, c, { actor }) => toHandlers(c, 'case_urged', { number: c.number, by: actor.name, ...(e.comment ? { comment: e.comment } : {}) }),
  deadline_warned: (e, c, { policy }) => [
    ...toTier(c, policy, 'deadline_warning', { clock: e.clock, dueAt: e.dueAt }),
    ...ruleNotices(ruleOfClock(policy, e.clock), 'warn', c, 'deadline_warning', { number: c.number, clock: e.clock, dueAt: e.dueAt }),
  ],
  deadline_breached: (e, c, { policy }) => {
    const rule = ruleOfClock(policy, e.clock);
    return [
      ...toTier(c, policy, 'deadline_breached', { clock: e.clock, tier: e.tier }),
      ...ruleNotices(rule, 'breach', c, 'deadline_breached', { number: c.number, clock: e.clock, tier: e.tier }),
      // A rule whose limit was promised to the customer says sorry when it is missed (clockRules[].breach.tellCustomer).
      ...(rule?.breach.tellCustomer ? [customer('overdue_notice', { number: c.number, clock: e.clock })] : []),
    ];
  },
  grade_raised: (e, c) => [role('approver', 'grade_raised', { number: c.number, grade: e.to })],
  approval_stood_in: (e, c) => {
    const payload = { number: c.number, standInFor: e.standInFor, until: e.until, level: e.level };
    return [e.standInId ? staff('stand_in_approval', { userIds: [e.standInId] }, payload) : role('specialist', 'stand_in_failed', payload)];
  },
  handler_stood_in: (e, c) => {
    const payload = { number: c.number, standInFor: e.standInFor, until: e.until };
    return [e.standInId ? staff('stand_in_assigned', { userIds: [e.standInId] }, payload) : role('specialist', 'stand_in_failed', payload)];
  },
  returned_from_absence: (e, c) => [staff('case_assigned', { userIds: [e.to] }, { number: c.number, returned: true }), staff('stand_in_ended', { userIds: [e.from] }, { number: c.number })],
  // A later promise is a delay: the customer gets the policy's delay notice with the new time, once
  // for this change (004 §四). An earlier one moved by a holiday change (`recalculate_clocks`: nobody
  // acted on the case, the time the customer was given simply no longer holds) is told too, with
  // `promise_earlier`; one moved earlier by a step on the case is only recorded on the event.
  promise_moved: (e, c) => {
    const later = Date.parse(e.to) > Date.parse(e.from);
    if (!later && e.because !== 'recalculate_clocks') return [];
    return [customer(later ? 'delay_notice' : 'promise_earlier', { number: c.number, dueAt: e.to, previousDueAt: e.from, because: e.because })];
  },
};

/** The messages a transition's events send, in the order the events happened. */
export function notificationsOf(events: readonly DomainEvent[], c: Complaint, ctx: NotifyCtx): OutboxDraft[] {
  return events.flatMap((e) => (NOTIFICATIONS[e.type] as Notifier<DomainEventType>)(e as DomainEventOf<DomainEventType>, c, ctx));
}
