/** Users and sessions, audit, the outbox and the dashboard as the API answers them. */
import { z } from 'zod';
import type { UserRecord } from '../../store/user.repository.js';
import type { StaffEntry as StaffEntryType } from '../../services/console-lookups.js';
import type { PiiAccess as PiiAccessType } from '../../store/pii-access.repository.js';
import type { ChainProblem as ChainProblemType } from '../../store/event.repository.js';
import type { Dashboard as DashboardType } from '../../services/report-dashboard.js';
import { I18nText, JsonObject, Locale, type Describes } from './common.js';
import { Role } from './cases.js';
import { named } from './registry.js';

const Instant = z.string();

export const User = named(
  'User',
  z.strictObject({
    id: z.string(),
    username: z.string(),
    name: z.string(),
    roles: z.array(Role),
    departmentCode: z.string().nullable(),
    /** Departments this user manages (部门经理). */
    managerOf: z.array(z.string()),
    /** Approval levels (policy codes) this user holds. */
    approvalLevels: z.array(z.string()),
    locale: Locale,
    active: z.boolean(),
  }),
);
const _user: Describes<typeof User, UserRecord> = true;

/** A colleague as the staff directory shows them (no language, no contact details). */
export const StaffEntry = named(
  'StaffEntry',
  z.strictObject({
    id: z.string(),
    username: z.string(),
    name: z.string(),
    roles: z.array(z.string()),
    departmentCode: z.string().nullable(),
    managerOf: z.array(z.string()),
    approvalLevels: z.array(z.string()),
    active: z.boolean(),
  }),
);
const _staff: Describes<typeof StaffEntry, StaffEntryType> = true;

export const Session = z.strictObject({
  /** Send as `Authorization: Bearer <token>`; the `kesu_session` cookie carries the same. */
  token: z.string(),
  user: User,
  expiresAt: Instant,
});

export const Ok = z.strictObject({ ok: z.literal(true) });

export const Department = z.strictObject({ code: z.string(), name: z.string() });

export const CreatedUser = z.strictObject({ id: z.string(), username: z.string() });

export const StaffContact = z.strictObject({ id: z.string(), email: z.string().nullable().optional(), phone: z.string().nullable().optional() });

export const PiiAccess = named(
  'PiiAccess',
  z.strictObject({
    id: z.string(),
    at: Instant,
    userId: z.string(),
    userName: z.string(),
    complaintId: z.string(),
    complaintNumber: z.string(),
    /** The unmasked fields that had a value: phone, idNumber, email, address. */
    fields: z.array(z.string()),
    /** The route that showed them, e.g. `GET /api/v1/complaints/:id`; null outside HTTP. */
    route: z.string().nullable(),
    /** Why a masked reader revealed one field (POST /api/v1/complaints/:id/reveal); null for views. */
    reason: z.string().nullable().optional(),
  }),
);
const _pii: Describes<typeof PiiAccess, PiiAccessType> = true;

export const PiiAccessPage = z.strictObject({ items: z.array(PiiAccess), nextCursor: z.string().nullable() });

const ChainProblem = z.strictObject({
  complaintId: z.string(),
  seq: z.number().int(),
  problem: z.enum(['hash_mismatch', 'broken_link', 'gap', 'unknown_key', 'head_missing', 'head_mismatch', 'head_forged', 'case_mismatch', 'case_missing', 'behind_checkpoint', 'checkpoint_forged']),
  log: z.enum(['events', 'access', 'checkpoint', 'purge']),
});
const _chain: Describes<typeof ChainProblem, ChainProblemType> = true;

export const ChainCheck = z.strictObject({ ok: z.boolean(), checked: z.number().int(), cases: z.number().int(), accessChecked: z.number().int(), checkpoint: z.string().nullable(), problems: z.array(ChainProblem) });

/** An outbox message as an administrator sees it: addresses masked, sealed secrets left out. */
export const OutboxMessage = named(
  'OutboxMessage',
  z.strictObject({
    id: z.string(),
    complaintId: z.string().nullable(),
    channel: z.string(),
    template: z.string(),
    recipient: JsonObject,
    payload: JsonObject,
    /** pending, sending, sent, dead, skipped, fanned_out … */
    status: z.string(),
    attempts: z.number().int(),
    nextAttemptAt: Instant,
    createdAt: Instant,
    deliveredAt: Instant.nullable(),
    lastError: z.string().nullable(),
    parentId: z.string().nullable(),
    lastAttemptAt: Instant.nullable(),
  }),
);

export const OutboxPage = z.strictObject({
  items: z.array(OutboxMessage),
  nextCursor: z.string().nullable(),
  /** Messages per status, over the whole outbox. */
  counts: z.record(z.string(), z.number().int()),
});

const Count = z.strictObject({ key: z.string().nullable(), count: z.number().int() });

const DeadlineRow = z.strictObject({
  id: z.string(),
  number: z.string(),
  title: z.string(),
  kind: z.string(),
  state: z.string(),
  grade: z.string().nullable(),
  departmentCode: z.string().nullable(),
  primaryHandlerId: z.string().nullable(),
  tier: z.number().int(),
  /** The clock that is breached or close to it. */
  clock: z.string(),
  /** A policy clock rule's name (clock `rule:<code>`, clockRules[].name) in the active policy; absent for the built-in clocks. */
  clockName: I18nText.optional(),
  dueAt: Instant,
});

export const Dashboard = named(
  'Dashboard',
  z.strictObject({
    at: Instant,
    timeZone: z.string(),
    open: z.strictObject({
      total: z.number().int(),
      byState: z.array(Count),
      byGrade: z.array(Count),
      byDepartment: z.array(Count),
      byChannel: z.array(Count),
      byKind: z.array(Count),
    }),
    /** Overdue cases the caller may open. */
    overdue: z.array(DeadlineRow),
    /** Nearly overdue cases the caller may open, not already overdue. */
    nearlyOverdue: z.array(DeadlineRow),
    /** In the whole organisation (the lists may show fewer). */
    counts: z.strictObject({ overdue: z.number().int(), nearlyOverdue: z.number().int() }),
    /** One entry per local day (policy time zone), oldest first. */
    trend: z.array(z.strictObject({ day: z.string(), received: z.number().int(), closed: z.number().int() })),
    satisfaction: z.strictObject({
      since: Instant,
      /** Cases followed up since then; `counts` and `scores` are theirs, each case by its latest follow-up. */
      cases: z.number().int(),
      /** Follow-up calls since then (a case called twice counts twice here, once in `cases`). */
      calls: z.number().int(),
      counts: z.strictObject({
        very_satisfied: z.number().int(),
        satisfied: z.number().int(),
        neutral: z.number().int(),
        unsatisfied: z.number().int(),
        unreachable: z.number().int(),
      }),
      /** Mean score (1–5) per dimension over the cases' latest follow-ups that gave one, or null. */
      scores: z.strictObject({ attitude: z.number().nullable(), efficiency: z.number().nullable(), result: z.number().nullable() }),
    }),
  }),
  'The manager dashboard',
);
const _dashboard: Describes<typeof Dashboard, DashboardType> = true;

void [_user, _staff, _pii, _chain, _dashboard];
