/**
 * Who a person is to a case, from one rule table. Everything that asks "may this person see /
 * act on / read the personal data of this case?" reads `relations(case, actor)`: the lifecycle
 * guards (`whoMatches`), visibility (`canSee`), personal-data masking (`seesPii`), avoidance
 * (回避: `mustAvoid`, the recipients of notifications). The store derives from the same table
 * the `complaint_participants` rows it writes and the SQL visibility filter of its lists
 * (store/complaint.repository.ts `visibleTo`); test/store/visibility-agreement.test.ts checks,
 * over random cases and actors on both engines, that the SQL and the TypeScript answers agree.
 *
 * Each rule says how the relation is read, once, in terms both sides can evaluate:
 * - `participant`: the actor's id is in some of the case's fields; stored as one
 *   `complaint_participants` row per person, with relation `row`;
 * - `managed`: the case's department is one the actor manages (column `department_code`);
 * - `role`: the actor holds one of `roles` — and, when `where` is given, the case's value of a
 *   column of `complaints` (`where.value`: how the store fills that column) is one of `where.in`.
 * and what the relation grants: `see` (need-to-know visibility), `pii` (unmasked personal data),
 * `reveal` (sees the case masked but may reveal one field with a stated reason: they work the case
 * and may have to contact the customer — services/reveal-field.ts), or `bars` (avoidance:
 * overrides every grant — the complained-about person neither sees nor acts).
 */
import type { Actor, Complaint, Role, State } from '../complaint/types.js';

/** Rows `complaint_participants.relation` holds (persisted: never rename one). */
export type ParticipantRow = 'first_responder' | 'handler' | 'co_handler' | 'approver' | 'followup' | 'subject';

/** Columns of `complaints` (store/schema.ts) a rule reads. */
export type RuleColumn = 'state' | 'needs_approval';

export type RelationSource =
  | { by: 'participant'; row: ParticipantRow; ids: (c: Complaint) => readonly (string | null | undefined)[] }
  | { by: 'managed' }
  | { by: 'role'; roles: readonly Role[]; where?: { column: RuleColumn; value: (c: Complaint) => string | number; in: readonly (string | number)[] } };

export type Grant = 'see' | 'pii' | 'bars' | 'reveal';

export interface RelationRule {
  source: RelationSource;
  grants: readonly Grant[];
}

/** Roles that oversee every case (triage, administration, audit). */
export const OVERSIGHT_ROLES: readonly Role[] = ['specialist', 'admin', 'auditor'];

/** States in which follow-up callers need to see a case (their worklist). */
export const FOLLOWUP_STATES: readonly State[] = ['answered', 'followed_up'];

/** A case waits for an approver: a proposal to decide or an extension request (column `needs_approval`). */
export function needsApproval(c: Pick<Complaint, 'state' | 'extensionRequest'>): boolean {
  return c.state === 'awaiting_approval' || !!c.extensionRequest;
}

const rule = (source: RelationSource, ...grants: Grant[]): RelationRule => ({ source, grants });

/**
 * The rule table. Visibility: need to know (001 篇1 §二(七)4, 003 规范1/3); approvers see cases
 * waiting for a decision (the level check is the action's guard), follow-up callers the cases
 * waiting for or done with follow-up. Personal data (003 规范3, 004 §四(二)): only the people who
 * contact the customer. Avoidance: 001 篇1 §二(一), 002 篇7 §四.
 */
export const RELATION_RULES = {
  /** The agent who received it (首问责任人). */
  first_responder: rule({ by: 'participant', row: 'first_responder', ids: (c) => [c.firstResponderId] }, 'see', 'pii'),
  /** The primary or the backup responsible person. */
  handler: rule({ by: 'participant', row: 'handler', ids: (c) => [c.primaryHandlerId, c.backupHandlerId] }, 'see', 'pii'),
  /** A co-handler (cross-department). */
  co_handler: rule({ by: 'participant', row: 'co_handler', ids: (c) => c.coHandlerIds }, 'see', 'reveal'),
  /** An approver who decided on this case (a proposal or an extension). */
  approver: rule({ by: 'participant', row: 'approver', ids: (c) => c.approverIds }, 'see'),
  /** A follow-up caller who called the customer about this case. */
  followup: rule({ by: 'participant', row: 'followup', ids: (c) => c.followUp.callerIds }, 'see'),
  /** The complained-about employee (投诉对象): avoidance. */
  subject: rule({ by: 'participant', row: 'subject', ids: (c) => c.subject.employeeIds }, 'bars'),
  /** Manager of the case's responsible department. */
  department_manager: rule({ by: 'managed' }, 'see', 'reveal'),
  /** Triage, administration and audit oversee every case. */
  oversight: rule({ by: 'role', roles: OVERSIGHT_ROLES }, 'see'),
  /** An approver, while the case waits for a decision. */
  approval_queue: rule({ by: 'role', roles: ['approver'], where: { column: 'needs_approval', value: (c) => (needsApproval(c) ? 1 : 0), in: [1] } }, 'see'),
  /** A follow-up caller, while the case waits for or is done with follow-up. */
  followup_queue: rule({ by: 'role', roles: ['followup'], where: { column: 'state', value: (c) => c.state, in: FOLLOWUP_STATES } }, 'see'),
  /** The people who contact the customer by their role: specialists and follow-up callers. */
  customer_contact: rule({ by: 'role', roles: ['specialist', 'followup'] }, 'pii'),
} as const satisfies Record<string, RelationRule>;

export type Relation = keyof typeof RELATION_RULES;
export const RELATIONS = Object.keys(RELATION_RULES) as Relation[];

/** Relations granting `g`. */
export function relationsGranting(g: Grant): Relation[] {
  return RELATIONS.filter((r) => (RELATION_RULES[r].grants as readonly Grant[]).includes(g));
}

/** The person a relation is asked about: an actor, or any staff record with these fields. */
export type Person = Pick<Actor, 'id' | 'roles' | 'managerOf'> & { kind?: Actor['kind'] };

/** Whether `p` holds relation `r` to the case (the TypeScript reading of the rule). */
export function holds(r: Relation, c: Complaint, p: Person): boolean {
  if (p.kind === 'system') return false;
  const s: RelationSource = RELATION_RULES[r].source;
  switch (s.by) {
    case 'participant':
      return s.ids(c).includes(p.id);
    case 'managed':
      return !!c.departmentCode && p.managerOf.includes(c.departmentCode);
    case 'role':
      return p.roles.some((x) => s.roles.includes(x)) && (!s.where || s.where.in.includes(s.where.value(c)));
  }
}

/**
 * Every relation the actor has to the case. System actors (jobs, the customer through the
 * portal) have none: they are not people of the organisation (see `canSee`, `seesPii`).
 */
export function relations(c: Complaint, p: Person): Set<Relation> {
  return new Set(RELATIONS.filter((r) => holds(r, c, p)));
}

/** Whether one of the relations grants `g`. */
export function grants(rel: ReadonlySet<Relation>, g: Grant): boolean {
  for (const r of rel) if ((RELATION_RULES[r].grants as readonly Grant[]).includes(g)) return true;
  return false;
}

/** The complaint_participants rows of a case: every person of every participant relation. */
export function participantsOf(c: Complaint): { userId: string; row: ParticipantRow }[] {
  const rows = new Map<string, { userId: string; row: ParticipantRow }>();
  for (const r of RELATIONS) {
    const s: RelationSource = RELATION_RULES[r].source;
    if (s.by === 'participant') for (const userId of idsOf(r, c)) rows.set(`${userId}:${s.row}`, { userId, row: s.row });
  }
  return [...rows.values()];
}

/** The person ids of a participant relation's rule (none for other relations). */
export function idsOf(r: Relation, c: Complaint): string[] {
  const s: RelationSource = RELATION_RULES[r].source;
  return s.by === 'participant' ? s.ids(c).filter((id): id is string => !!id) : [];
}

/** Users who must avoid the case (回避): never shown it, never assigned to it, never told about it. */
export function avoidingUserIds(c: Complaint): string[] {
  return [...new Set(relationsGranting('bars').flatMap((r) => idsOf(r, c)))];
}
