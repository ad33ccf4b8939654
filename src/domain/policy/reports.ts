/**
 * The policy's `reports` section (issue 11 §3): which reports are generated on a schedule, on
 * which day and time of the policy's calendar, what a report holds and who receives it.
 *
 * A report covers one *period* of its kind (weekly: Monday–Sunday; monthly; quarterly; yearly)
 * and runs once the period has ended: by default on the first `weekday` (weekly) or on `day` of
 * the next month (monthly …) at `at`, or at the first occurrence of a `cron` rule after the
 * period's end. When that day is not a working day of the calendar, `onHoliday:
 * nextWorkingDay` moves the run to the next working day (调休 working days count as working);
 * `keep` runs it anyway. The schedule itself is computed in `src/reports/schedule.ts`.
 *
 * Default when the section is absent — 002 篇7 (每周二周报、每月2日月报): weekly every Tuesday
 * 09:00 for the previous Monday–Sunday, monthly on the 2nd 09:00 for the previous month,
 * moved to the next working day; quarterly and yearly off.
 */
import { z } from 'zod';
import { Cron } from 'croner';
import type { IssueText } from './schema.js';

/** The kinds of scheduled report, i.e. of report period. */
export const REPORT_KINDS = ['weekly', 'monthly', 'quarterly', 'yearly'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** The parts of the statistics a report presents (docs/reports.md). */
export const REPORT_SECTIONS = ['intake', 'validity', 'handling', 'onTime', 'satisfaction', 'reopen', 'repeat', 'extensions', 'escalations'] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];

const text = (zh: string, en: string) => ({ params: { 'zh-CN': zh, en } satisfies IssueText });

const atTime = z.string().superRefine((s, ctx) => {
  if (!/^(?:[01]\d|2[0-3]):[0-5]\d$/.test(s)) ctx.addIssue({ code: 'custom', ...text('时间应写成 HH:MM（24 小时制，需加引号），如 "09:00"', 'a time is HH:MM on a 24-hour clock, quoted, e.g. "09:00"') });
});

const cronRule = z.string().superRefine((s, ctx) => {
  try {
    new Cron(s, { paused: true });
  } catch (e) {
    ctx.addIssue({ code: 'custom', ...text(`“${s}”不是有效的 cron 规则（分 时 日 月 周，如 "0 9 * * 2"）：${(e as Error).message}`, `"${s}" is not a cron rule (minute hour day month weekday, e.g. "0 9 * * 2"): ${(e as Error).message}`) });
  }
});

const onHoliday = z.enum(['keep', 'nextWorkingDay']);

/** Who receives a report: users by user name, roles, plain e-mail addresses, staff bots by name (KESU_STAFF_BOTS). */
export const reportRecipients = z.strictObject({
  users: z.array(z.string().min(1)).default(() => []),
  /** Staff roles (`admin`, `approver`, …) or escalation roles (`manager`, `general_manager`, `department_manager`). */
  roles: z.array(z.string().regex(/^[a-z_]+$/)).default(() => []),
  emails: z.array(z.email()).default(() => []),
  bots: z.array(z.string().min(1)).default(() => []),
});
export type ReportRecipients = z.output<typeof reportRecipients>;

/** What every kind of report may override of the section's common settings. */
const common = {
  enabled: z.boolean(),
  /** Local time of the run, HH:MM (default 09:00). */
  at: atTime.default('09:00'),
  /** Instead of weekday/day/month: the run is the first occurrence of this rule (in the calendar's time zone) after the period ends. */
  cron: cronRule.optional(),
  onHoliday: onHoliday.optional(),
  sections: z.array(z.enum(REPORT_SECTIONS)).min(1).optional(),
  recipients: reportRecipients.optional(),
};

const weekly = z.strictObject({ ...common, enabled: common.enabled.default(true), /** ISO weekday of the run, 1 = Monday … 7 = Sunday (default 2, Tuesday). */ weekday: z.number().int().min(1).max(7).default(2) }).prefault({});
const monthly = z.strictObject({ ...common, enabled: common.enabled.default(true), /** Day of the next month (past its end: the last day). */ day: z.number().int().min(1).max(31).default(2) }).prefault({});
const quarterly = z.strictObject({ ...common, enabled: common.enabled.default(false), /** Day of the quarter's next month. */ day: z.number().int().min(1).max(31).default(5) }).prefault({});
const yearly = z.strictObject({ ...common, enabled: common.enabled.default(false), /** Month and day of the next year. */ month: z.number().int().min(1).max(12).default(1), day: z.number().int().min(1).max(31).default(10) }).prefault({});

export const reportsPolicy = z
  .strictObject({
    /** What a run on a rest day or holiday does: `nextWorkingDay` (default) or `keep`. */
    onHoliday: onHoliday.default('nextWorkingDay'),
    /** The sections a report presents (default: all). */
    sections: z
      .array(z.enum(REPORT_SECTIONS))
      .min(1)
      .default(() => [...REPORT_SECTIONS]),
    /** Who receives every report (each kind may name its own). */
    recipients: reportRecipients.prefault({}),
    weekly,
    monthly,
    quarterly,
    yearly,
  })
  .prefault({});
export type ReportsPolicy = z.output<typeof reportsPolicy>;

/** One kind's schedule with the section's common settings filled in. */
export interface ReportRule {
  kind: ReportKind;
  enabled: boolean;
  at: string;
  cron?: string;
  onHoliday: 'keep' | 'nextWorkingDay';
  sections: ReportSection[];
  recipients: ReportRecipients;
  weekday?: number;
  day?: number;
  month?: number;
}

/**
 * The section of a stored policy with its defaults: policies stored before the section existed
 * have none (their JSON is not parsed again on load), and get the default schedule.
 */
export function reportsOf(policy: { reports?: unknown }): ReportsPolicy {
  return reportsPolicy.parse(policy.reports ?? {});
}

export function reportRule(r: ReportsPolicy, kind: ReportKind): ReportRule {
  const k = r[kind] as ReportsPolicy['yearly'] & { weekday?: number };
  return {
    kind,
    enabled: k.enabled,
    at: k.at,
    cron: k.cron,
    onHoliday: k.onHoliday ?? r.onHoliday,
    sections: k.sections ?? r.sections,
    recipients: k.recipients ?? r.recipients,
    weekday: k.weekday,
    day: k.day,
    month: k.month,
  };
}
