/**
 * The policy's `retention` section (001 篇4 §四(五)3: 资料保存一年，重要的资料延期保存): how long a
 * closed case is kept, counted from its archiving, what the purge then does, and who may stop it
 * with a legal hold. Written in its own file (schema.ts references it) and read by the purge job
 * (records/retention.ts) through `retentionDaysOf`, so the rule lives in one place.
 */
import { z } from 'zod';

/** What the purge does to an expired case. */
export const RETENTION_MODES = ['anonymise', 'remove'] as const;
export type RetentionMode = (typeof RETENTION_MODES)[number];

/**
 * Who may set and lift legal holds: user roles, and `manager` for anyone who manages a
 * department (`managerOf` not empty).
 */
export const HOLD_ROLES = ['manager', 'admin', 'specialist', 'approver', 'followup', 'handler', 'agent', 'auditor'] as const;
export type HoldRole = (typeof HOLD_ROLES)[number];

const days = z.number().int().positive();

export const retention = z.strictObject({
  /** Days a closed case is kept (001 篇4 §五: one year). */
  defaultDays: days,
  /** Longer (or shorter) retention for some grades, by grade code. */
  byGrade: z.record(z.string(), days).default(() => ({})),
  /** Retention by kind (complaint, inquiry, suggestion) for cases whose grade has no entry. */
  byKind: z.partialRecord(z.enum(['complaint', 'inquiry', 'suggestion']), days).default(() => ({})),
  /** `anonymise` (default): personal data, free text and files go, the case and its statistics stay; `remove`: the case goes, its statistics stay. */
  mode: z.enum(RETENTION_MODES).default('anonymise'),
  /** Who may set and lift legal holds (default managers and administrators). */
  holdRoles: z
    .array(z.enum(HOLD_ROLES))
    .min(1)
    .default(() => ['manager', 'admin'] as HoldRole[]),
});
export type Retention = z.infer<typeof retention>;

/** The default who-may-hold when a policy has no `retention` section. */
export const DEFAULT_HOLD_ROLES: readonly HoldRole[] = ['manager', 'admin'];

/**
 * Days a case is kept after archiving: its grade's entry, else its kind's, else the default;
 * null when the policy has no retention (kept indefinitely).
 */
export function retentionDaysOf(r: Retention | undefined, c: { grade: string | null; kind: string }): number | null {
  if (!r) return null;
  if (c.grade && r.byGrade[c.grade] !== undefined) return r.byGrade[c.grade]!;
  const k = r.byKind[c.kind as keyof Retention['byKind']];
  return k ?? r.defaultDays;
}
