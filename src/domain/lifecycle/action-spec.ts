/**
 * The shape of one row of the lifecycle table (machine.ts): who may act, the context an action
 * runs in, the draft its effect changes, a guard's refusal and the action spec itself.
 */
import type { z } from 'zod';
import type { WorkingCalendar } from '../calendar/index.js';
import type { Policy } from '../policy/index.js';
import type { Actor, Complaint, ComplaintKind, Role, State } from '../complaint/types.js';
import type { ErrorCode, FieldProblem } from '../errors.js';
import type { Relation } from '../permissions/relations.js';
import type { ClockSet } from './clocks.js';
import type { DomainEvent } from './domain-events.js';
import type { StaffMember } from './handlers.js';

/**
 * Who may act: a role, or a relation to the case.
 * - first_responder: the agent who received it (首问责任人)
 * - assigned_handler: the primary or backup responsible person
 * - co_handler: a co-handler (cross-department)
 * - department_manager: manager of the case's responsible department
 * - qualified_approver: an approver whose level meets the proposal's required level
 * - extension_approver: an approver whose level meets policy.extension.approvalLevel (with
 *   stages: the level of the stage the waiting request is at)
 * - customer: the complainant through the portal or e-mail (CUSTOMER_ACTOR; the channel has
 *   checked the access code, survey token or sender first) — issue 4
 * - system: the deadline sweeper
 */
export type Who = Role | 'first_responder' | 'assigned_handler' | 'co_handler' | 'department_manager' | 'qualified_approver' | 'extension_approver' | 'customer' | 'system';

/** The performers that are relations to the case, and the relation each one reads (domain/permissions/relations.ts). */
export const WHO_RELATIONS = {
  first_responder: 'first_responder',
  assigned_handler: 'handler',
  co_handler: 'co_handler',
  department_manager: 'department_manager',
} as const satisfies Partial<Record<Who, Relation>>;

export interface Ctx {
  actor: Actor;
  now: Date;
  policy: Policy;
  /** The policy's default calendar; its `named` calendars serve the clocks that count on one. */
  calendar: WorkingCalendar;
  /**
   * The organisation's staff, for the transitions that hand a case over by policy (classify: a
   * major case to `routing.majorTo`; an unsatisfied follow-up: the tier's handler). Without it
   * the handlers keep the case.
   */
  staff?: readonly StaffMember[];
  /**
   * Departments the organisation's ACTIVE policy marks deactivated. A case keeps the policy version
   * it started under, so its own `policy.departments` can still call a since-deactivated department
   * active; routing reads this set too, so no new case goes there. Without it only the case's
   * version is read.
   */
  deactivatedDepartments?: ReadonlySet<string>;
}

export interface Draft {
  c: Complaint;
  clocks: ClockSet;
  /** What happened that someone may need to hear of; notifications.ts says who is told, with which message. */
  happened: DomainEvent[];
  /** Extra data recorded on the transition's event. */
  eventData: Record<string, unknown>;
}

export interface GuardRefusal {
  code: ErrorCode;
  detail: string;
  fields?: FieldProblem[];
}

export interface ActionSpec<S extends z.ZodType = z.ZodType> {
  /** States the action starts from, per kind of case. */
  from: Partial<Record<ComplaintKind, readonly State[]>>;
  /** Every state the action can lead to (the flowchart and the soundness test read this). */
  targets: readonly State[];
  who: readonly Who[];
  input: S;
  /** Policy rules that need the input (role and state are checked before). */
  guard?: (c: Complaint, input: z.output<S>, ctx: Ctx, clocks: ClockSet) => GuardRefusal | null;
  /** Applies the action to the draft (recording its domain events) and returns the new state. */
  effect: (d: Draft, input: z.output<S>, ctx: Ctx) => State;
  /** Short labels for documentation and the UI. */
  label: { 'zh-CN': string; 'zh-TW': string; en: string };
}

/** Types one row of the table by its input schema (the guard and effect see that schema's output). */
export function spec<S extends z.ZodType>(s: ActionSpec<S>): ActionSpec<S> {
  return s;
}
