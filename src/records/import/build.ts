/**
 * A ledger row as a Kesu case (pure): the case in its historical state with its real receipt,
 * closure, grade and handler, and the one `imported` event of its timeline. No clocks (the
 * limits of a case closed years ago are not deadlines anyone can meet, and an open imported case
 * gets its deadlines from its next transition), no outbox rows (the customer was answered then).
 *
 * The facts fold (reports/facts.ts) reads transitions: it is handed the answer and the closing
 * the ledger records as fact events (never stored), so an imported case counts in the reports
 * — answered and closed when the ledger says so — like a case handled in Kesu.
 */
import type { Actor, Complaint, ComplaintEvent } from '../../domain/complaint/types.js';
import { policyKey, type Policy } from '../../domain/policy/index.js';
import type { FactEvent } from '../../reports/facts.js';
import type { LedgerRecord } from './validate.js';

export interface ImportedCase {
  complaint: Complaint;
  event: ComplaintEvent;
  factEvents: FactEvent[];
}

export interface Provenance {
  /** The file's base name. */
  source: string;
  /** The mapping's name. */
  mapping: string;
}

export function buildImportedCase(r: LedgerRecord, ids: { id: string; number: string }, ctx: { actor: Actor; now: Date; policy: Policy; provenance: Provenance }): ImportedCase {
  const at = ctx.now.toISOString();
  const closedAt = r.closedAt?.toISOString() ?? null;
  const done = r.state === 'closed' || r.state === 'archived';
  const handlerId = r.handler?.id ?? null;
  const anonymous = !r.customer.name && !r.customer.phone && !r.customer.email;
  const complaint: Complaint = {
    id: ids.id,
    number: ids.number,
    kind: r.kind,
    channel: r.channel,
    state: r.state,
    resumeState: null,
    policyKey: policyKey(ctx.policy),
    title: r.title || r.description.slice(0, 40),
    description: r.description,
    complainant: { anonymous, ...r.customer },
    subject: { employeeIds: [] },
    references: {},
    demands: { types: [], ...(r.demands ? { text: r.demands } : {}) },
    regulator: null,
    firstResponderId: ctx.actor.id,
    // A ledger records the cases a centre handled: a handled case was a valid one.
    validity: done || r.state === 'investigating' ? { valid: true, malicious: false } : null,
    category: r.category,
    grade: r.grade,
    vicious: false,
    emergency: false,
    departmentCode: r.departmentCode,
    primaryHandlerId: handlerId,
    backupHandlerId: null,
    coHandlerIds: [],
    findings: null,
    proposal: null,
    approverIds: [],
    answer: done && r.result ? { text: r.result, method: 'ledger', written: false, answeredBy: handlerId ?? ctx.actor.id, answeredAt: closedAt! } : null,
    followUp: { attempts: 0, callerIds: [], outcome: null, satisfaction: r.satisfaction, scores: null },
    tier: 1,
    cycle: 1,
    extensionRequest: null,
    extensions: [],
    pendingReason: null,
    receivedAt: r.receivedAt.toISOString(),
    updatedAt: at,
    closedAt,
    archivedAt: r.state === 'archived' ? closedAt : null,
    version: 1,
  };
  const event: ComplaintEvent = {
    complaintId: ids.id,
    type: 'imported',
    action: 'import',
    actorId: ctx.actor.id,
    actorName: ctx.actor.name,
    // The event's own time is the import; the ledger's times are in the case and below.
    at,
    fromState: null,
    toState: r.state,
    data: {
      source: ctx.provenance.source,
      mapping: ctx.provenance.mapping,
      row: r.row,
      ledgerId: r.externalId,
      receivedAt: complaint.receivedAt,
      closedAt,
      kind: r.kind,
      channel: r.channel,
      category: r.category,
      grade: r.grade,
      departmentCode: r.departmentCode,
      handler: r.handler ? { id: r.handler.id, name: r.handler.name } : null,
      satisfaction: r.satisfaction,
    },
  };
  const factEvents: FactEvent[] = [];
  const by = handlerId ?? ctx.actor.id;
  if (complaint.answer) factEvents.push({ action: 'answer', at: closedAt!, actorId: by, data: {} });
  if (closedAt) factEvents.push({ action: 'close', at: closedAt, actorId: by, data: {} });
  return { complaint, event, factEvents };
}
