/**
 * The complaint as the domain sees it. These shapes are persisted (as columns and as JSON), so
 * changing a field is a migration: add optional fields, never repurpose one.
 */
import type { Locale } from '../errors.js';

export type ComplaintKind = 'complaint' | 'inquiry' | 'suggestion';

export const STATES = ['received', 'invalid', 'valid', 'classified', 'assigned', 'investigating', 'investigated', 'awaiting_approval', 'implementing', 'pending', 'answered', 'followed_up', 'closed', 'archived'] as const;
export type State = (typeof STATES)[number];

export type Role = 'agent' | 'specialist' | 'handler' | 'approver' | 'followup' | 'admin' | 'auditor';
export const ROLES: readonly Role[] = ['agent', 'specialist', 'handler', 'approver', 'followup', 'admin', 'auditor'];

export type Satisfaction = 'very_satisfied' | 'satisfied' | 'neutral' | 'unsatisfied';

/** Who acts. `system` is the deadline sweeper and other jobs. */
export interface Actor {
  id: string;
  kind: 'user' | 'system';
  name: string;
  roles: Role[];
  /** Department the user belongs to (code). */
  departmentCode?: string | null;
  /** Departments this user manages (部门经理): sees and may act as manager for their cases. */
  managerOf: string[];
  /** Approval levels (policy codes) this user holds. */
  approvalLevels: string[];
  locale?: Locale;
}

export const SYSTEM_ACTOR: Actor = {
  id: 'system',
  kind: 'system',
  name: 'Kesu',
  roles: [],
  managerOf: [],
  approvalLevels: [],
};

/**
 * The complainant acting for themself through the public portal or e-mail (issue 4): adds
 * information (`supplement`) and answers the survey (`follow_up`). Never a signed-in user, so it
 * is a `system`-kind actor with its own id; the `customer` performer in the machine matches only
 * this id, and the service verifies the access code, survey token or sender before acting.
 */
export const CUSTOMER_ACTOR: Actor = {
  id: 'customer',
  kind: 'system',
  name: '客户',
  roles: [],
  managerOf: [],
  approvalLevels: [],
};

export interface Complainant {
  anonymous: boolean;
  name?: string;
  phone?: string;
  email?: string;
  idNumber?: string;
  address?: string;
  customerClass?: string;
}

/** The complained-about party (投诉对象). Employees named here are subject to avoidance (回避). */
export interface ComplaintSubject {
  departmentCode?: string;
  employeeIds: string[];
  description?: string;
}

export interface Findings {
  facts: string;
  cause: string;
  responsibility: {
    type: 'department' | 'employee' | 'customer' | 'misunderstanding' | 'none';
    departmentCode?: string;
    employeeId?: string;
    note?: string;
  };
}

export interface Proposal {
  solutions: string[];
  amount: number;
  description: string;
  /** Approval level the policy requires for this proposal, or null when none is needed. */
  requiredLevel: string | null;
  proposedBy: string;
  proposedAt: string;
}

export interface ExtensionRequest {
  reason: string;
  duration: string;
  special: boolean;
  requestedBy: string;
  requestedAt: string;
}

export interface Complaint {
  id: string;
  /** Human number read to the customer, e.g. KS-2026-000123. */
  number: string;
  kind: ComplaintKind;
  channel: string;
  state: State;
  /** State to return to when a pending item (未了事宜) is resumed. */
  resumeState: State | null;
  /** `policyId@version` the case started under; it keeps it for life. */
  policyKey: string;
  title: string;
  description: string;
  complainant: Complainant;
  subject: ComplaintSubject;
  /** `call`: the telephony call the case was taken from (screen-pop, issue 13). */
  references: { order?: string; product?: string; plate?: string; call?: { id: string; recordingUrl?: string } };
  demands: { types: string[]; amount?: number; text?: string };
  regulator: { name: string; externalRef: string; dueAt: string } | null;
  firstResponderId: string;
  validity: { valid: boolean; reason?: string; explanation?: string; malicious: boolean } | null;
  category: string | null;
  grade: string | null;
  vicious: boolean;
  emergency: boolean;
  departmentCode: string | null;
  primaryHandlerId: string | null;
  backupHandlerId: string | null;
  coHandlerIds: string[];
  findings: Findings | null;
  proposal: Proposal | null;
  approverIds: string[];
  answer: { text: string; method: string; written: boolean; answeredBy: string; answeredAt: string } | null;
  followUp: {
    attempts: number;
    callerIds: string[];
    outcome: 'satisfied' | 'unreachable' | null;
    satisfaction: Satisfaction | null;
    scores: { attitude?: number; efficiency?: number; result?: number } | null;
    comment?: string;
  };
  /** Escalation tier, 1-based (policy.escalation.tiers). */
  tier: number;
  /** Handling cycles: 1 at first, +1 each time an unsatisfied follow-up sends it back. */
  cycle: number;
  extensionRequest: ExtensionRequest | null;
  /** Extensions granted on the resolve clock, as duration texts. */
  extensions: string[];
  pendingReason: string | null;
  receivedAt: string;
  updatedAt: string;
  closedAt: string | null;
  archivedAt: string | null;
  /** Optimistic-concurrency version, +1 per transition. */
  version: number;
}

export type ClockKind = string;

/**
 * One running or finished clock of a case. Kinds: triage, dispatch, first_response, resolve,
 * approval, follow_up, escalation, regulator, grade_rise.<n>.
 */
export interface Clock {
  complaintId: string;
  kind: ClockKind;
  status: 'running' | 'paused' | 'stopped';
  startedAt: string;
  /** Duration text from the policy, or null for a fixed due time (a regulator's deadline). */
  duration: string | null;
  extensions: string[];
  pauses: { from: string; to: string | null }[];
  dueAt: string | null;
  warnAt: string | null;
  warnedAt: string | null;
  breachedAt: string | null;
  stoppedAt: string | null;
  /** Years without holiday data that this clock's arithmetic had to assume (loud warning). */
  missingHolidayYears: number[];
  explanation: unknown;
  /** Next instant the sweeper must look at this clock (warn or breach), null when nothing is left. */
  nextCheckAt: string | null;
  /**
   * When staff recorded, while this clock ran and before it breached, that the customer could not
   * be reached (`contact_failed`): the clock counts to its `unreachable` limit since (its rule's,
   * or its grade's for a built-in clock; lifecycle/clock-rules.ts `unreachableLimit`).
   * Absent on every other clock (and on clocks stored before the field existed).
   */
  customerUnreachableAt?: string;
}

/** An event of the case's timeline (append-only; the store hash-chains them). */
export interface ComplaintEvent {
  complaintId: string;
  type: string;
  action: string | null;
  actorId: string;
  actorName: string;
  at: string;
  fromState: State | null;
  toState: State | null;
  data: Record<string, unknown>;
}

/** A message to deliver after the commit (outbox pattern; the dispatcher is issue 4). */
export interface OutboxMessage {
  complaintId: string | null;
  channel: 'staff' | 'customer' | 'webhook';
  template: string;
  /** Recipient selector: user ids, a role, or the customer. */
  to: { userIds?: string[]; role?: string; departmentCode?: string; customer?: boolean };
  payload: Record<string, unknown>;
  createdAt: string;
}
