/** Cases as the API answers them: the case view, the list, files, the lifecycle table. */
import { z } from 'zod';
import { STATES, ROLES, type Complaint as ComplaintType, type Role as RoleType } from '../../domain/complaint/types.js';
import type { TimelineEvent as TimelineEventType } from '../../store/event.repository.js';
import type { ListRow as ListRowType } from '../../store/complaint.repository.js';
import type { AttachmentView } from '../../services/case-attachments.js';
import type { ComplaintView } from '../../services/view-complaint.js';
import type { CaseChanged as CaseChangedType } from '../../services/app.js';
import type { ClockView as ClockViewType } from '../../domain/lifecycle/clock-remaining.js';
import { I18nText, JsonObject, Texts, type Describes } from './common.js';
import { DueExplanation } from './policy.js';
import { named } from './registry.js';

/** An instant, ISO-8601 UTC (`2026-09-28T01:00:00.000Z`). */
const Instant = z.string();

export const State = named('State', z.enum(STATES));
export const Kind = named('Kind', z.enum(['complaint', 'inquiry', 'suggestion']));
export const Role = named('Role', z.enum(ROLES as readonly [RoleType, ...RoleType[]]));

const Complainant = z.strictObject({
  anonymous: z.boolean(),
  name: z.string().optional(),
  /** Masked (`138****5678`) unless the caller contacts the customer; so are idNumber, email and address. */
  phone: z.string().optional(),
  email: z.string().optional(),
  idNumber: z.string().optional(),
  address: z.string().optional(),
  customerClass: z.string().optional(),
});

const Satisfaction = z.enum(['very_satisfied', 'satisfied', 'neutral', 'unsatisfied']);

export const Complaint = named(
  'Complaint',
  z.strictObject({
    id: z.string(),
    /** Read to the customer, e.g. KS-2026-000123. */
    number: z.string(),
    kind: Kind,
    channel: z.string(),
    state: State,
    /** The state a pending case (未了事宜) returns to when resumed. */
    resumeState: State.nullable(),
    /** `policyId@version` the case started under and keeps. */
    policyKey: z.string(),
    title: z.string(),
    description: z.string(),
    complainant: Complainant,
    subject: z.strictObject({ departmentCode: z.string().optional(), employeeIds: z.array(z.string()), description: z.string().optional() }),
    references: z.strictObject({
      order: z.string().optional(),
      product: z.string().optional(),
      plate: z.string().optional(),
      /** The telephony call the case was taken from (screen-pop): the PBX's call id and recording URL. */
      call: z.strictObject({ id: z.string(), recordingUrl: z.string().optional() }).optional(),
    }),
    demands: z.strictObject({ types: z.array(z.string()), amount: z.number().optional(), text: z.string().optional() }),
    regulator: z.strictObject({ name: z.string(), externalRef: z.string(), dueAt: Instant }).nullable(),
    firstResponderId: z.string(),
    validity: z.strictObject({ valid: z.boolean(), reason: z.string().optional(), explanation: z.string().optional(), malicious: z.boolean() }).nullable(),
    category: z.string().nullable(),
    grade: z.string().nullable(),
    vicious: z.boolean(),
    emergency: z.boolean(),
    departmentCode: z.string().nullable(),
    primaryHandlerId: z.string().nullable(),
    backupHandlerId: z.string().nullable(),
    coHandlerIds: z.array(z.string()),
    findings: z
      .strictObject({
        facts: z.string(),
        cause: z.string(),
        responsibility: z.strictObject({
          type: z.enum(['department', 'employee', 'customer', 'misunderstanding', 'none']),
          departmentCode: z.string().optional(),
          employeeId: z.string().optional(),
          note: z.string().optional(),
        }),
      })
      .nullable(),
    proposal: z
      .strictObject({
        solutions: z.array(z.string()),
        amount: z.number(),
        description: z.string(),
        /** The approval level the policy requires, or null when none is needed. */
        requiredLevel: z.string().nullable(),
        proposedBy: z.string(),
        proposedAt: Instant,
      })
      .nullable(),
    approverIds: z.array(z.string()),
    answer: z.strictObject({ text: z.string(), method: z.string(), written: z.boolean(), answeredBy: z.string(), answeredAt: Instant }).nullable(),
    followUp: z.strictObject({
      attempts: z.number().int(),
      callerIds: z.array(z.string()),
      outcome: z.enum(['satisfied', 'unreachable']).nullable(),
      satisfaction: Satisfaction.nullable(),
      scores: z.strictObject({ attitude: z.number().optional(), efficiency: z.number().optional(), result: z.number().optional() }).nullable(),
      comment: z.string().optional(),
    }),
    /** Escalation tier, 1-based. */
    tier: z.number().int(),
    /** Handling cycles: +1 each time an unsatisfied follow-up sends the case back. */
    cycle: z.number().int(),
    extensionRequest: z.strictObject({ reason: z.string(), duration: z.string(), special: z.boolean(), requestedBy: z.string(), requestedAt: Instant }).nullable(),
    /** Extensions granted on the resolve clock, as duration texts. */
    extensions: z.array(z.string()),
    pendingReason: z.string().nullable(),
    receivedAt: Instant,
    updatedAt: Instant,
    closedAt: Instant.nullable(),
    archivedAt: Instant.nullable(),
    /** +1 per transition. */
    version: z.number().int(),
    /** Whether the complainant's personal data is masked for the caller. */
    piiMasked: z.boolean(),
    /** On a masked view: whether the reader may reveal one field with a reason (POST /api/v1/complaints/{id}/reveal). */
    piiRevealable: z.boolean().optional(),
  }),
  'A case, personal data masked unless the caller needs it',
);

/** How a clock's due time came about: computed from its duration, fixed by a regulator, or a chain across extensions. */
const ClockExplanation = z.union([DueExplanation, z.strictObject({ fixed: z.literal(true), start: Instant, due: Instant.nullable() }), z.strictObject({ chain: z.array(DueExplanation) }), z.null()]);

export const Clock = named(
  'Clock',
  z.strictObject({
    complaintId: z.string(),
    /** triage, dispatch, first_response, resolve, approval, follow_up, escalation, regulator, grade_rise.<n> */
    kind: z.string(),
    status: z.enum(['running', 'paused', 'stopped']),
    startedAt: Instant,
    /** The policy's duration text, or null for a fixed due time. */
    duration: z.string().nullable(),
    extensions: z.array(z.string()),
    pauses: z.array(z.strictObject({ from: Instant, to: Instant.nullable() })),
    dueAt: Instant.nullable(),
    warnAt: Instant.nullable(),
    warnedAt: Instant.nullable(),
    breachedAt: Instant.nullable(),
    stoppedAt: Instant.nullable(),
    /** Years without holiday data the arithmetic had to assume plain weekdays for. */
    missingHolidayYears: z.array(z.number().int()),
    explanation: ClockExplanation,
    nextCheckAt: Instant.nullable(),
    /** A policy clock rule's name (kind `rule:<code>`, clockRules[].name); absent for the built-in clocks. */
    name: I18nText.optional(),
    /** A clock re-timed because the customer could not be reached (contact_failed): when that was recorded; the clock counts to clockRules[].unreachable (a rule clock) or grades[].unreachable (a built-in one). */
    customerUnreachableAt: Instant.optional(),
    /** While paused: the time left, per unit and as text per language (已暂停，剩余 …); null when not paused or not tellable. */
    remaining: z
      .strictObject({
        /** One entry per unit; empty when the clock had run out before the pause. */
        parts: z.array(z.strictObject({ amount: z.number(), unit: z.string() })),
        text: Texts,
      })
      .nullable(),
  }),
);

export const TimelineEvent = named(
  'TimelineEvent',
  z.strictObject({
    complaintId: z.string(),
    seq: z.number().int(),
    type: z.string(),
    action: z.string().nullable(),
    actorId: z.string(),
    actorName: z.string(),
    at: Instant,
    fromState: State.nullable(),
    toState: State.nullable(),
    /** What the event recorded; its shape depends on the action (`input`, `attachments`, `tier`, …). */
    data: JsonObject,
    /** The hash chaining this event to the previous one (`kesu audit verify`). */
    hash: z.string(),
  }),
);

export const Attachment = named(
  'Attachment',
  z.strictObject({
    id: z.string(),
    sha256: z.string(),
    name: z.string(),
    contentType: z.string(),
    size: z.number().int(),
    /** portal or email (from the customer), staff. */
    source: z.string(),
    createdAt: Instant,
  }),
);

export const AttachmentList = z.strictObject({ items: z.array(Attachment) });

export const AttachmentLimits = named('AttachmentLimits', z.strictObject({ maxBytes: z.number().int(), maxFiles: z.number().int(), types: z.array(z.string()), extensions: z.array(z.string()) }));

export const CaseView = named(
  'CaseView',
  z.strictObject({
    complaint: Complaint,
    timeline: z.array(TimelineEvent),
    clocks: z.array(Clock),
    /** What the caller may do now. */
    allowedActions: z.array(z.string()),
    /** The promised time (承诺时限): the resolve clock's due time. */
    promisedAt: Instant.nullable(),
    attachments: z.array(Attachment),
  }),
  'The case page: the case, its timeline, its clocks with their explanations, the actions the caller may take, its files',
);

export const ListRow = named(
  'ListRow',
  z.strictObject({
    id: z.string(),
    number: z.string(),
    kind: z.string(),
    channel: z.string(),
    state: z.string(),
    grade: z.string().nullable(),
    category: z.string().nullable(),
    departmentCode: z.string().nullable(),
    primaryHandlerId: z.string().nullable(),
    tier: z.number().int(),
    cycle: z.number().int(),
    title: z.string(),
    receivedAt: Instant,
    updatedAt: Instant,
    resolveDueAt: Instant.nullable(),
    /** The running clock due next, for countdowns; null when none runs. */
    nextDue: z.strictObject({ kind: z.string(), dueAt: Instant, warnAt: Instant.nullable() }).nullable(),
    overdue: z.boolean(),
  }),
);

export const ComplaintList = z.strictObject({
  items: z.array(ListRow),
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: z.string().nullable(),
});

export const LifecycleAction = named(
  'LifecycleAction',
  z.strictObject({
    name: z.string(),
    label: Texts,
    /** Per kind, the states the action applies to. */
    from: z.strictObject({ complaint: z.array(State).optional(), inquiry: z.array(State).optional(), suggestion: z.array(State).optional() }),
    targets: z.array(State),
    /** Who may take it: roles and relations to the case. */
    who: z.array(z.string()),
    /** Taken by the system (the deadline sweeper), never by a person. */
    system: z.boolean(),
    /** Taken through its own endpoint (attach: POST …/attachments), not …/actions/{action}. */
    ownEndpoint: z.boolean(),
    /** JSON Schema (draft 2020-12) of the action's body; the console builds its forms from it. */
    input: JsonObject,
    /** How the console shows it (domain/lifecycle/ui-hints.ts): its place among the forward steps (null: not one), a danger button, a panel of its own instead of a button. */
    ui: z.strictObject({ forward: z.number().int().nullable(), danger: z.boolean(), panel: z.boolean() }),
  }),
);

export const Lifecycle = named('Lifecycle', z.strictObject({ states: z.array(State), actions: z.array(LifecycleAction) }));

/**
 * A case view as sent: the domain keeps a clock's explanation `unknown`; the schema names its
 * three shapes, and the serializer checks the value against them.
 */
export function documentedClocks<V extends { clocks: ClockViewType[] }>(v: V): Omit<V, 'clocks'> & { clocks: z.output<typeof Clock>[] } {
  return v as Omit<V, 'clocks'> & { clocks: z.output<typeof Clock>[] };
}

/** The data of a `case_changed` server-sent event (GET /api/v1/stream): refetch the case to see it. */
export const CaseChangedEvent = named('CaseChanged', z.strictObject({ id: z.string(), number: z.string(), state: z.string(), action: z.string(), at: Instant }));
const _changed: Describes<typeof CaseChangedEvent, CaseChangedType> = true;

export const AccessCode = z.strictObject({ number: z.string(), accessCode: z.string() });

// The schemas describe the server's own types exactly.
const _complaint: Describes<typeof Complaint, ComplaintType & { piiMasked: boolean; piiRevealable?: boolean }> = true;
const _clock: Describes<typeof Clock, Omit<ClockViewType, 'explanation'> & { explanation: z.output<typeof ClockExplanation>; name?: z.output<typeof I18nText> }> = true;
const _event: Describes<typeof TimelineEvent, TimelineEventType> = true;
const _attachment: Describes<typeof Attachment, AttachmentView> = true;
const _row: Describes<typeof ListRow, ListRowType> = true;
const _view: Describes<typeof CaseView, Omit<ComplaintView, 'clocks'> & { clocks: z.output<typeof Clock>[]; attachments: AttachmentView[] }> = true;
void [_complaint, _clock, _event, _attachment, _row, _view, _changed];
