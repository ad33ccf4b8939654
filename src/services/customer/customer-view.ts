/** What a customer sees of their case: state, promised time, their own timeline, files, what they may do now. */
import { CUSTOMER_ACTOR, type Complaint, type Satisfaction } from '../../domain/complaint/types.js';
import { ACTIONS } from '../../domain/lifecycle/machine.js';
import { assignedOnClassify } from '../../domain/lifecycle/handlers.js';
import { listEvents } from '../../store/event.repository.js';
import { listClocks } from '../../store/clock.repository.js';
import { listAttachments } from '../../store/customer.repository.js';
import type { App } from '../app.js';

/** What happened, for the customer (the pages and API clients word it). */
export const CUSTOMER_EVENT_CODES = [
  'received',
  'validated',
  'invalid',
  'routed',
  'accepted',
  'investigated',
  'solution_approved',
  'answered',
  'paused',
  'resumed',
  'delayed',
  'followup_unreachable',
  'followed_up',
  'reopened',
  'closed',
  'message',
  'supplemented',
] as const;
export type CustomerEventCode = (typeof CUSTOMER_EVENT_CODES)[number];

/** One line of the customer's own timeline: no internal notes, staff only by role, no complained-about party. */
export interface CustomerEvent {
  at: string;
  code: CustomerEventCode;
  by: 'you' | 'service' | 'department';
  text?: string;
  dueAt?: string | null;
  satisfaction?: Satisfaction;
  cycle?: number;
  attachments?: string[];
}

export interface CustomerView {
  number: string;
  kind: Complaint['kind'];
  state: Complaint['state'];
  cycle: number;
  receivedAt: string;
  /** The promised time while the case is being handled (the resolve clock). */
  promisedAt: string | null;
  timeline: CustomerEvent[];
  attachments: { name: string; size: number; at: string }[];
  canSupplement: boolean;
  /** The follow-up survey can be answered now (answered, and the policy follows up by survey). */
  surveyOpen: boolean;
}

function customerTimeline(events: Awaited<ReturnType<typeof listEvents>>): CustomerEvent[] {
  const out: CustomerEvent[] = [];
  for (const e of events) {
    const input = (e.data.input ?? {}) as Record<string, unknown>;
    const by = e.actorId === CUSTOMER_ACTOR.id ? 'you' : 'service';
    const add = (ev: Omit<CustomerEvent, 'at'>) => out.push({ at: e.at, ...ev });
    switch (e.action) {
      case 'receive':
        add({ code: 'received', by: 'service' });
        break;
      case 'judge':
        if (input.valid) add({ code: 'validated', by: 'service' });
        else add({ code: 'invalid', by: 'service', text: typeof input.explanation === 'string' ? input.explanation : undefined });
        break;
      case 'route':
      case 'reroute':
        add({ code: 'routed', by: 'service' });
        break;
      case 'classify':
        // A case the policy hands over on classification (routing.majorTo) is routed by it.
        if (assignedOnClassify(e.data)) add({ code: 'routed', by: 'service' });
        break;
      case 'accept':
        add({ code: 'accepted', by: 'department' });
        break;
      case 'investigate':
        add({ code: 'investigated', by: 'department' });
        break;
      case 'approve':
        add({ code: 'solution_approved', by: 'service' });
        break;
      case 'answer':
        add({ code: 'answered', by: 'service', text: typeof input.text === 'string' ? input.text : undefined });
        break;
      case 'pend':
        add({ code: 'paused', by: 'service' });
        break;
      case 'resume':
        add({ code: 'resumed', by: 'service' });
        break;
      case 'grant_extension':
        add({ code: 'delayed', by: 'service', dueAt: ((e.data.extension ?? {}) as { newDueAt?: string | null }).newDueAt ?? null });
        break;
      case 'follow_up':
        if (input.reached === false) add({ code: 'followup_unreachable', by: 'service' });
        else if (e.toState === 'investigating') add({ code: 'reopened', by, satisfaction: input.satisfaction as Satisfaction, cycle: Number(e.data.cycle) || undefined });
        else add({ code: 'followed_up', by, satisfaction: input.satisfaction as Satisfaction });
        break;
      case 'close':
        add({ code: 'closed', by: 'service' });
        break;
      case 'note':
        if (e.data.internal === false && typeof e.data.text === 'string') add({ code: 'message', by: 'service', text: e.data.text });
        break;
      case 'supplement':
        add({
          code: 'supplemented',
          by: 'you',
          text: typeof e.data.text === 'string' && e.data.text ? e.data.text : undefined,
          attachments: Array.isArray(e.data.attachments) ? (e.data.attachments as { name: string }[]).map((a) => a.name) : [],
        });
        break;
      default:
        // classify, propose, reject, extension requests, system deadline events: internal.
        break;
    }
  }
  return out;
}

export function canSupplement(c: Complaint): boolean {
  return !!ACTIONS.supplement.from[c.kind]?.includes(c.state);
}

export async function customerView(app: App, c: Complaint): Promise<CustomerView> {
  const db = app.database.db;
  const [events, clocks, files, policy] = await Promise.all([listEvents(db, c.id), listClocks(db, c.id), listAttachments(db, c.id), app.policyByKey(c.policyKey)]);
  const resolve = clocks.find((k) => k.kind === 'resolve' && k.status !== 'stopped');
  return {
    number: c.number,
    kind: c.kind,
    state: c.state,
    cycle: c.cycle,
    receivedAt: c.receivedAt,
    promisedAt: resolve?.dueAt ?? null,
    timeline: customerTimeline(events),
    attachments: files.map((f) => ({ name: f.name, size: f.size, at: f.createdAt })),
    canSupplement: canSupplement(c),
    surveyOpen: c.kind === 'complaint' && c.state === 'answered' && policy.followUp.methods.includes('survey'),
  };
}
