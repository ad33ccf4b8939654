/**
 * What a transition did that someone may need to hear of: the typed domain events the action
 * table's effects (machine.ts), intake (intake.ts) and `apply` (a moved promise) record on their
 * draft. They say what happened — a case assigned, a deadline breached, a stand-in found — and
 * never who is told: the notification table (notifications.ts) maps each event to its recipients
 * and template. Each event's payload has its own zod schema; the types below are derived from
 * them, so an effect cannot record an event with the wrong fields.
 *
 * The payloads carry what only the effect knows at that moment (the due time after an extension,
 * the stand-in it found); what the case itself says after the transition (its number, handlers,
 * first responder, tier, cycle) the notification table reads from the case.
 */
import { z } from 'zod';

const id = z.string().min(1);
const time = z.string().nullable();

export const DOMAIN_EVENTS = {
  /** A complaint was received (intake). */
  received: z.object({ promisedAt: time }).strict(),
  /** A complaint was judged not valid (judge). */
  judged_invalid: z.object({ reason: z.string().optional() }).strict(),
  /** The case was graded (intake or classify) at a grade the policy sends straight to the managers. */
  major_graded: z.object({ grade: z.string() }).strict(),
  /** The case was flagged as an emergency (intake or classify). */
  emergency_flagged: z.object({}).strict(),
  /** The case got its handlers: routed, re-routed, or sent by `routing.majorTo` at classify (`major`). */
  assigned: z.object({ major: z.boolean() }).strict(),
  /** A proposal needs an approval at `level` (propose). */
  approval_requested: z.object({ level: z.string() }).strict(),
  proposal_approved: z.object({}).strict(),
  proposal_rejected: z.object({ comment: z.string() }).strict(),
  /** The customer was answered (answer). */
  answered: z.object({ text: z.string() }).strict(),
  /** The follow-up window opened, due at `dueAt` (answer, when the policy requires a follow-up). */
  follow_up_started: z.object({ dueAt: time }).strict(),
  /** An extension waits for a decision at `level` (request_extension). */
  extension_requested: z.object({ level: z.string().nullable() }).strict(),
  /** An extension was granted; the promise is now `dueAt`. */
  extension_granted: z.object({ dueAt: time }).strict(),
  extension_refused: z.object({ comment: z.string() }).strict(),
  /** The customer could not be reached for the follow-up and no retry is left, nor may the case close so. */
  follow_up_unreachable: z.object({}).strict(),
  /** Re-handling one tier up found nobody to hand the case to. */
  handover_failed: z.object({}).strict(),
  /** An unsatisfied follow-up sent the case back for handling cycle `cycle` at tier `tier`. */
  handled_again: z.object({ cycle: z.number().int(), tier: z.number().int() }).strict(),
  /** The case was closed; `invalid`: it was closed from `invalid`. */
  closed: z.object({ invalid: z.boolean() }).strict(),
  /** A manager urged the case's handlers on (urge, 催办); `comment`: what they asked for. */
  urged: z.object({ comment: z.string().optional() }).strict(),
  /** The customer added information (supplement) or contacted us again (add_contact). */
  customer_added: z.object({ attachments: z.number().int(), via: z.string() }).strict(),
  /** A deadline's warning time came (warn). */
  deadline_warned: z.object({ clock: z.string(), dueAt: time }).strict(),
  /** A deadline was missed (breach); `tier`: the case's tier after it. */
  deadline_breached: z.object({ clock: z.string(), tier: z.number().int() }).strict(),
  /** The case's grade was raised to `to`. */
  grade_raised: z.object({ from: z.string(), to: z.string() }).strict(),
  /** An absent approver's decision went to `standInId` (null: nobody could take it). */
  approval_stood_in: z.object({ standInId: id.nullable(), standInFor: z.string().nullable(), until: z.string(), level: z.string().nullable() }).strict(),
  /** An absent primary handler's case went to `standInId` (null: nobody could take it). */
  handler_stood_in: z.object({ standInId: id.nullable(), standInFor: z.string().nullable(), until: z.string() }).strict(),
  /** The primary handler `to` is back and has the case again from the stand-in `from`. */
  returned_from_absence: z.object({ to: id, from: id }).strict(),
  /** The promised time moved from `from` to `to` (an extension, a grading, a raised grade). */
  promise_moved: z.object({ from: z.string(), to: z.string(), because: z.string() }).strict(),
} as const;

export type DomainEventType = keyof typeof DOMAIN_EVENTS;

/** The named fields of a schema's output (an empty strict object's is an index signature of `never`). */
type Fields<T> = { [F in keyof T as string extends F ? never : F]: T[F] };

/** One domain event: its `type` and the fields of its schema. */
export type DomainEventOf<K extends DomainEventType> = { type: K } & Fields<z.output<(typeof DOMAIN_EVENTS)[K]>>;
export type DomainEvent = { [K in DomainEventType]: DomainEventOf<K> }[DomainEventType];

export const DOMAIN_EVENT_TYPES = Object.keys(DOMAIN_EVENTS) as DomainEventType[];

/** Checks one event against its schema (the tests run every recorded event through it). */
export function parseDomainEvent(e: { type: string }): DomainEvent {
  const schema = DOMAIN_EVENTS[e.type as DomainEventType];
  if (!schema) throw new Error(`unknown domain event '${e.type}'`);
  const { type, ...payload } = e;
  return { type, ...schema.parse(payload) } as DomainEvent;
}
