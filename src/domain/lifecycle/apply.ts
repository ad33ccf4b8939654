/**
 * `apply` is the only way a case changes state: a pure function from (case, its clocks, action,
 * input, context) to the new case, the clock rows to upsert, the event for the timeline, the
 * domain events the effect recorded and the messages for the outbox (their notifications,
 * notifications.ts) — or a typed refusal. The service persists a decision in one transaction
 * (services/act-on-complaint.ts).
 */
import type { Policy } from '../policy/index.js';
import { CUSTOMER_ACTOR, type Actor, type Clock, type Complaint, type ComplaintEvent, type OutboxMessage } from '../complaint/types.js';
import { AppError, type ErrorCode, type FieldProblem } from '../errors.js';
import { parseInput } from '../validation.js';
import { relations, type Relation } from '../permissions/relations.js';
import { mustAvoid } from '../permissions/visibility.js';
import { ClockSet, clockCalendars } from './clocks.js';
import { applyClockRules, transitionEvents } from './clock-rules.js';
import { extensionLevel } from './extension-stages.js';
import { notificationsOf, type OutboxDraft } from './notifications.js';
import type { DomainEvent } from './domain-events.js';
import { ACTIONS, SYSTEM_ACTIONS, WHO_RELATIONS, levelAtLeast, type ActionName, type ActionSpec, type Ctx, type Draft, type Who } from './machine.js';

export interface Decision {
  kind: 'applied';
  complaint: Complaint;
  clocks: Clock[];
  events: ComplaintEvent[];
  outbox: OutboxMessage[];
  /** What happened, as typed domain events (domain-events.ts): the outbox's messages are their notifications. */
  happened: DomainEvent[];
}

export interface Refusal {
  kind: 'refused';
  code: ErrorCode;
  detail: string;
  fields: FieldProblem[];
}

function refuse(code: ErrorCode, detail: string, fields: FieldProblem[] = []): Refusal {
  return { kind: 'refused', code, detail, fields };
}

function isRelationWho(who: Who): who is keyof typeof WHO_RELATIONS {
  return Object.prototype.hasOwnProperty.call(WHO_RELATIONS, who);
}

/**
 * Whether the actor is one of the action's performers: a relation to the case (read from
 * `relations`, passed in when the caller checks several), an approval level, or a role.
 */
export function whoMatches(who: Who, c: Complaint, actor: Actor, p: Policy, rel: ReadonlySet<Relation> = relations(c, actor)): boolean {
  // The complainant through the portal or e-mail (issue 4); it can do nothing a system job does.
  if (who === 'customer') return actor.id === CUSTOMER_ACTOR.id;
  if (who === 'system') return actor.kind === 'system' && actor.id !== CUSTOMER_ACTOR.id;
  if (actor.kind === 'system') return false;
  if (isRelationWho(who)) return rel.has(WHO_RELATIONS[who]);
  switch (who) {
    case 'qualified_approver':
      return actor.roles.includes('approver') && !!c.proposal?.requiredLevel && levelAtLeast(p, actor.approvalLevels, c.proposal.requiredLevel);
    case 'extension_approver': {
      // The waiting request's stage names its level (staged extensions), else extension.approvalLevel.
      const level = extensionLevel(c, p);
      return actor.roles.includes('approver') && level !== null && levelAtLeast(p, actor.approvalLevels, level);
    }
    default:
      return actor.roles.includes(who);
  }
}

/** Actions this actor may start on this case now (input-dependent guards are not evaluated). */
export function allowedActions(c: Complaint, actor: Actor, p: Policy): ActionName[] {
  if (mustAvoid(c, actor)) return [];
  const rel = relations(c, actor);
  return (Object.keys(ACTIONS) as ActionName[]).filter((name) => {
    if (SYSTEM_ACTIONS.includes(name)) return false;
    // Offered per open duty (GET …/duties and the case's duties card), not as a case button.
    if (name === 'complete_duty') return false;
    const a = ACTIONS[name];
    if (!a.from[c.kind]?.includes(c.state)) return false;
    if (name === 'grant_extension' || name === 'refuse_extension') if (!c.extensionRequest) return false;
    if (name === 'request_extension' && c.extensionRequest) return false;
    return a.who.some((w) => whoMatches(w, c, actor, p, rel));
  });
}

/** An action table: the machine's (`ACTIONS`), or a test's own. */
export type ActionTable = Readonly<Record<string, ActionSpec<any>>>;

/**
 * An effect returned a state its action does not declare in `targets` (none declared: the state
 * it started from). A programming error in the table, not a refusal: the flowchart, the
 * soundness test and the console read the declaration, so the code must keep to it.
 */
export class UndeclaredTargetError extends Error {
  constructor(
    readonly action: string,
    readonly from: Complaint['state'],
    readonly to: Complaint['state'],
    readonly declared: readonly Complaint['state'][],
  ) {
    super(`action '${action}' led from '${from}' to '${to}', which is not one of its declared targets (${declared.join(', ')})`);
    this.name = 'UndeclaredTargetError';
  }
}

export function apply(c: Complaint, clocks: Clock[], action: string, rawInput: unknown, ctx: Ctx, actions: ActionTable = ACTIONS): Decision | Refusal {
  if (!Object.prototype.hasOwnProperty.call(actions, action)) return refuse('not_found', `unknown action '${action}'`);
  const spec = actions[action]!;
  if (mustAvoid(c, ctx.actor)) return refuse('avoidance', 'the complained-about person cannot act on this case');
  if (!spec.from[c.kind]?.includes(c.state)) return refuse('illegal_transition', `'${action}' is not allowed for a ${c.kind} in state '${c.state}'`);
  const rel = relations(c, ctx.actor);
  if (!spec.who.some((w) => whoMatches(w, c, ctx.actor, ctx.policy, rel)))
    return refuse(action === 'approve' || action === 'reject' ? (ctx.actor.roles.includes('approver') ? 'approval_level_too_low' : 'forbidden') : 'forbidden', `'${action}' needs one of: ${spec.who.join(', ')}`);

  let input: unknown;
  try {
    input = parseInput(spec.input, rawInput ?? {});
  } catch (e) {
    if (e instanceof AppError) return refuse(e.code, e.detail ?? '', e.fields);
    throw e;
  }
  const grade = c.grade ?? ctx.policy.defaultGrade;
  const warnAt = ctx.policy.grades.find((g) => g.code === grade)?.warnAt ?? 0.8;
  // Named calendars follow the case as the transition changes it (classify may set the emergency flag).
  let current = c;
  const clockSet = new ClockSet(
    c.id,
    clocks,
    ctx.calendar,
    warnAt,
    clockCalendars(ctx, () => current),
  );
  // The table is typed per action; here the input has been parsed by that action's own schema.
  const guard = spec.guard as ((c: Complaint, i: unknown, ctx: Ctx, k: ClockSet) => ReturnType<NonNullable<typeof spec.guard>>) | undefined;
  const refusal = guard?.(c, input, ctx, clockSet);
  if (refusal) return refuse(refusal.code, refusal.detail, refusal.fields);

  const draft: Draft = { c: structuredClone(c), clocks: clockSet, happened: [], eventData: {} };
  current = draft.c;
  const effect = spec.effect as (d: Draft, i: unknown, ctx: Ctx) => Complaint['state'];
  const promised = promise(clockSet);
  const to = effect(draft, input, ctx);
  // The policy's clock rules start and stop at the events this transition is (issue 10 §1).
  const ruled = applyClockRules(ctx.policy, { ...draft.c, state: to }, clockSet, transitionEvents(action, c.state, to, c.cycle, draft.c.cycle), ctx.now, ctx.now);
  // `retimed` only when a rule clock's limit changed (graded, flagged), so other events keep their shape.
  if (ruled.started.length || ruled.stopped.length || ruled.retimed.length) draft.eventData.clockRules = ruled.retimed.length ? ruled : { started: ruled.started, stopped: ruled.stopped };
  promiseMoved(draft, promised, promise(clockSet), action);
  const declared = spec.targets.length ? spec.targets : [c.state];
  if (!declared.includes(to)) throw new UndeclaredTargetError(action, c.state, to, declared);
  const at = ctx.now.toISOString();
  const fromState = c.state;
  draft.c.state = to;
  draft.c.updatedAt = at;
  draft.c.version = c.version + 1;
  const event: ComplaintEvent = {
    complaintId: c.id,
    type: action,
    action,
    actorId: ctx.actor.id,
    actorName: ctx.actor.name,
    at,
    fromState,
    toState: to,
    // The input is stored on the event as given: no action carries secrets (access codes and
    // survey tokens are checked by the services before acting).
    data: { input, ...draft.eventData, tier: draft.c.tier, cycle: draft.c.cycle },
  };
  return {
    kind: 'applied',
    complaint: draft.c,
    clocks: clockSet.changes(),
    events: [event],
    outbox: [...notificationsOf(draft.happened, draft.c, ctx), caseEventMessage(draft.c, action, fromState)].map((m) => ({ ...m, complaintId: c.id, createdAt: at })),
    happened: draft.happened,
  };
}

/** The promised time (承诺时限): the running resolve clock's due time. */
function promise(clocks: ClockSet): string | null {
  const k = clocks.get('resolve');
  return k && k.status === 'running' ? k.dueAt : null;
}

/**
 * A transition that moved the running promise (grading, an extension, a grade raised) says so on
 * its event (`promise`: from, to, because — the timeline shows why) and records `promise_moved`:
 * a later promise is a delay the customer hears of, and so is an earlier one moved by a holiday
 * change (notifications.ts). A clock that stops, pauses or restarts is no move.
 */
function promiseMoved(d: Draft, from: string | null, to: string | null, action: string): void {
  if (!from || !to || from === to) return;
  d.eventData.promise = { from, to, because: action };
  d.happened.push({ type: 'promise_moved', from, to, because: action });
}

/**
 * Every transition is also a case event for outgoing webhooks (issue 4), queued in the same
 * transaction so an integration never misses one. No personal data: receivers fetch the case
 * through the API. The dispatcher skips these rows when no webhook is configured.
 */
export function caseEventMessage(c: Complaint, action: string, fromState: Complaint['state'] | null): OutboxDraft {
  return {
    channel: 'webhook',
    template: `case.${action}`,
    to: {},
    payload: { number: c.number, kind: c.kind, channel: c.channel, action, fromState, toState: c.state, tier: c.tier, cycle: c.cycle, version: c.version },
  };
}

export type { Ctx };
