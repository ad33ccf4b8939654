/**
 * The schema of a policy (制度即配置): one organisation's complaint regulation written as a YAML or
 * JSON document. This file only describes the *shape* of a policy and the rules that concern a
 * single field (formats, ranges, defaults); rules that relate several fields to each other
 * (references between codes, orderings, sums) live in `check.ts`.
 *
 * Every object is strict, so a misspelt field name is reported instead of silently ignored.
 * Messages for single-field rules are carried in the issue's `params` as
 * `{ 'zh-CN': …, en: … }`, which `load.ts` turns into policy problems.
 *
 * The field names are a contract with the lifecycle engine and the store: keep them stable.
 * See `docs/policy.md` for the format explained field by field.
 */
import { z } from 'zod';
import { highlights } from './highlights.js';
import { customerFlags } from './customer-flags.js';
import { knowledge } from './knowledge.js';
import { personalData } from './personal-data.js';
import { absencePolicy } from './absence.js';
import { repeatsPolicy } from './repeats.js';
import { dutiesSection } from './duties.js';
import { reportsPolicy } from './reports.js';
import { retention } from './retention.js'; // the retention section (retention.ts)
import { accountabilitySection } from './accountability.js';
import { exportsSection } from './exports.js';
import { archiveSection } from './archive.js';
import { clockRulesSection } from './clock-rules.js';

// ---------------------------------------------------------------------------------------------
// Small building blocks
// ---------------------------------------------------------------------------------------------

/** Bilingual message attached to a custom zod issue (`issue.params`). */
export interface IssueText {
  'zh-CN': string;
  en: string;
}

/** A string that must match `re`; the failure message is bilingual. */
function pattern(re: RegExp, zh: string, en: string) {
  return z.string().superRefine((s, ctx) => {
    if (!re.test(s)) ctx.addIssue({ code: 'custom', params: { 'zh-CN': zh, en } satisfies IssueText });
  });
}

/** The unit of a duration text: minutes, hours, calendar days, weeks, calendar months, working days, working hours. */
export type DurationUnit = 'm' | 'h' | 'd' | 'w' | 'mo' | 'wd' | 'wh';
/**
 * Same grammar as the calendar module's `isDurationText`, kept here so policy stays independent:
 * a number and a unit, or `eod`, optionally followed by an alignment `@eod` or `@HH:MM`.
 */
export const DURATION_PATTERN = /^(?:(\d+(?:\.\d+)?)(mo|wd|wh|m|h|d|w)|(eod))(?:@(eod|(?:[01]\d|2[0-3]):[0-5]\d))?$/;

/**
 * Splits `'2.5wd'` into `{ amount: 2.5, unit: 'wd' }`, `'2h@eod'` into `{ amount: 2, unit: 'h',
 * align: 'eod' }` and `'eod'` into `{ amount: 0, unit: 'm', align: 'eod' }`; `null` when the text
 * is not a duration.
 */
export function splitDuration(text: string): { amount: number; unit: DurationUnit; align?: string } | null {
  const m = DURATION_PATTERN.exec(text);
  if (!m) return null;
  if (m[3] === 'eod') return m[4] === undefined ? { amount: 0, unit: 'm', align: 'eod' } : null;
  const out: { amount: number; unit: DurationUnit; align?: string } = { amount: Number(m[1]), unit: m[2] as DurationUnit };
  if (m[4] !== undefined) out.align = m[4];
  return out;
}

/**
 * A duration written as text: `30m`, `2h`, `3d` (calendar days), `1w`, `2wd` (working days),
 * `8wh` (working hours); decimals allowed (`1.5h`); the amount must be greater than zero.
 */
export const durationText = z.string().superRefine((s, ctx) => {
  const d = splitDuration(s);
  if (!d) {
    ctx.addIssue({
      code: 'custom',
      params: {
        'zh-CN': `“${s}”不是有效的时长；应写成数字加单位，如 30m、2h、3d、1w、1mo（月）、2wd（工作日）、8wh（工作小时）、eod（当个工作日结束），可加对齐 @eod 或 @09:00`,
        en: `"${s}" is not a duration; write a number and a unit, e.g. 30m, 2h, 3d, 1w, 1mo (months), 2wd (working days), 8wh (working hours), or eod (end of the working day), optionally aligned with @eod or @09:00`,
      } satisfies IssueText,
    });
  } else if (!(d.amount > 0) && d.align !== 'eod') {
    ctx.addIssue({
      code: 'custom',
      params: { 'zh-CN': '时长必须大于 0', en: 'a duration must be greater than zero' } satisfies IssueText,
    });
  }
});
/** Duration text as stored in a policy, e.g. `'2wd'`. */
export type DurationText = z.infer<typeof durationText>;

/** A stable identifier used by other fields to refer to a department, grade, level, …. */
export const codeText = pattern(
  /^[a-z0-9][a-z0-9_-]{0,63}$/,
  '代码只能由小写字母、数字、下划线和连字符组成（以字母或数字开头，最长 64 个字符）',
  'a code is lowercase letters, digits, "_" and "-" (starting with a letter or digit, at most 64 characters)',
);

/** Text in the UI languages; simplified Chinese is required, the others fall back to it. */
export const i18nText = z.strictObject({
  'zh-CN': z.string().min(1),
  'zh-TW': z.string().min(1).optional(),
  en: z.string().min(1).optional(),
});
export type I18nText = z.infer<typeof i18nText>;

/** `HH:MM` on a 24-hour clock; `24:00` is allowed as the end of a working period. */
const clockTime = pattern(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, '时间应写成 HH:MM（24 小时制，如 08:30；需加引号）', 'a time is HH:MM on a 24-hour clock, e.g. "08:30" (quoted)');

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Enumerations
// ---------------------------------------------------------------------------------------------

/** Roles an escalation tier can name, from least to most authority. */
export const TIER_ROLES = ['agent', 'handler', 'department_manager', 'manager', 'general_manager', 'board'] as const;
export type TierRole = (typeof TIER_ROLES)[number];

/** Satisfaction levels, from best to worst (非常满意 / 满意 / 一般 / 不满意, 002 篇2 §4.3.2). */
export const SATISFACTION_LEVELS = ['very_satisfied', 'satisfied', 'neutral', 'unsatisfied'] as const;
export type Satisfaction = (typeof SATISFACTION_LEVELS)[number];

/** Ways of following up with the customer (回访方式). */
export const FOLLOW_UP_METHODS = ['phone', 'sms', 'email', 'survey', 'visit'] as const;
export type FollowUpMethod = (typeof FOLLOW_UP_METHODS)[number];

/** The five clocks a grade can limit. */
export const CLOCK_NAMES = ['triage', 'dispatch', 'first_response', 'resolve', 'approval'] as const;
export type ClockName = (typeof CLOCK_NAMES)[number];

export const DEFAULT_CHANNELS = ['phone', 'walk_in', 'letter', 'email', 'web', 'chat', 'transfer', 'regulator'];

// ---------------------------------------------------------------------------------------------
// Parts of a policy
// ---------------------------------------------------------------------------------------------

/**
 * Time limits of the clocks of one case. Each is optional: a missing clock is not limited.
 * - `triage`: received → validity judged and graded;
 * - `dispatch`: graded → routed to the responsible department;
 * - `first_response`: routed → the handler accepts (签收 / 回执 / 签复);
 * - `resolve`: received → answered to the customer (the promised time 承诺时限);
 * - `approval`: proposal submitted → the approver decides.
 */
export const clockLimits = z.strictObject({
  triage: durationText.optional(),
  dispatch: durationText.optional(),
  first_response: durationText.optional(),
  resolve: durationText.optional(),
  approval: durationText.optional(),
});
export type ClockLimits = z.infer<typeof clockLimits>;

const workingPeriod = z.strictObject({ start: clockTime, end: clockTime });

const timeZone = z.string().superRefine((tz, ctx) => {
  if (!isTimeZone(tz))
    ctx.addIssue({
      code: 'custom',
      params: {
        'zh-CN': `“${tz}”不是有效的 IANA 时区（如 Asia/Shanghai）`,
        en: `"${tz}" is not a valid IANA time zone (e.g. Asia/Shanghai)`,
      } satisfies IssueText,
    });
});

/** `CN` (built-in mainland data), any other region code whose years are imported (`HK`, `GB`, `GB-SCT`), or `none`. */
const holidayRegion = z.union([z.literal('none'), pattern(/^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/, '节假日地区应写成大写地区代码（如 CN、HK、GB、GB-SCT）或 none', 'a holiday region is an upper-case region code (e.g. CN, HK, GB, GB-SCT) or none')]);

const isoDate = pattern(/^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/, '日期应写成 YYYY-MM-DD（需加引号）', 'a date is YYYY-MM-DD (quoted)');

/** One day of a policy's own holiday list: off (a holiday, the default) or worked (调休上班). */
const holidayDay = z.strictObject({ date: isoDate, off: z.boolean().default(true), name: z.string().min(1).optional() });

/** How periods in days are counted: from the instant (default) or the statutory way (民法典 第二百零一条–第二百零三条). */
const counting = z.enum(['instant', 'statutory']);
/** Where a statutory period ends on its last day: at 24:00 (default) or at the close of business. */
const periodEnd = z.enum(['midnight', 'close']);

const calendar = z
  .strictObject({
    /** IANA time zone in which working days and hours are counted. */
    timeZone: timeZone.default('Asia/Shanghai'),
    /** Public holidays and adjusted working days (调休): a region (CN built in, others imported) or none. */
    holidays: holidayRegion.default('CN'),
    /** The organisation's own days, over the region's data day by day (a company holiday, a Hong Kong office's list). */
    holidayList: z.array(holidayDay).default(() => []),
    /** ISO weekdays that are working days: 1 = Monday … 7 = Sunday. */
    workingWeekdays: z
      .array(z.number().int().min(1).max(7))
      .min(1)
      .default(() => [1, 2, 3, 4, 5]),
    /** Working periods of a working day, in order, not overlapping. */
    workingHours: z
      .array(workingPeriod)
      .min(1)
      .default(() => [
        { start: '08:30', end: '12:00' },
        { start: '13:30', end: '17:30' },
      ]),
    /** `instant` (default) or `statutory`. */
    counting: counting.default('instant'),
    /** `midnight` (default) or `close`; used by `counting: statutory`. */
    periodEnd: periodEnd.default('midnight'),
  })
  .prefault({});

/**
 * A further calendar of the policy (a 24-hour emergency desk beside office hours, an office in
 * another region). Fields left out are those of `calendar`.
 */
const namedCalendar = z.strictObject({
  timeZone: timeZone.optional(),
  holidays: holidayRegion.optional(),
  holidayList: z.array(holidayDay).optional(),
  workingWeekdays: z.array(z.number().int().min(1).max(7)).min(1).optional(),
  workingHours: z.array(workingPeriod).min(1).optional(),
  counting: counting.optional(),
  periodEnd: periodEnd.optional(),
  /** Clocks counted on this calendar (`triage`, `first_response`, `follow_up`, …); the others use `calendar`. */
  clocks: z.array(z.string().regex(/^[a-z_]+(?:\.\d+)?$/)).default(() => []),
});

const kinds = z
  .strictObject({
    /** 投诉 */
    complaint: z.strictObject({ enabled: z.boolean().default(true) }).prefault({}),
    /** 咨询: answered within `resolve` (001 篇4 §四(一): 24 h). */
    inquiry: z.strictObject({ enabled: z.boolean().default(true), resolve: durationText.default('24h') }).prefault({}),
    /** 建议: reported to leadership, the customer told whether it was adopted within `resolve`. */
    suggestion: z.strictObject({ enabled: z.boolean().default(true), resolve: durationText.default('5wd') }).prefault({}),
  })
  .prefault({});

const department = z.strictObject({
  code: codeText,
  name: i18nText,
  /** Username of the department's head (负责人); optional. Set in the console (services/departments.ts). */
  head: z
    .string()
    .regex(/^[a-zA-Z0-9._-]{2,50}$/)
    .optional(),
  /** false: deactivated — kept for the cases and people that name it, offered for no new work; optional, true by default. */
  active: z.boolean().optional(),
});

const category = z.strictObject({
  code: codeText,
  name: i18nText,
  /** Free grouping for statistics, e.g. `service` / `business` / `product` (001 篇3 §4). */
  group: z.string().min(1).optional(),
  /** Department a case of this category is routed to by default. */
  department: codeText.optional(),
});

const grade = z.strictObject({
  code: codeText,
  name: i18nText,
  limits: clockLimits,
  /**
   * The conditional limits of the built-in clocks once the customer could not be reached (002 篇7:
   * 24小时内没有联系上的客户 … 48小时), exactly as `clockRules[].unreachable` for a rule clock: staff
   * record the failed attempt (`contact_failed`) while the clock runs and before it breaches, and
   * it is re-timed to this limit counted from its own start. Optional: without it the grade's
   * clocks keep their limits whatever staff record.
   */
  unreachable: clockLimits.optional(),
  /** Fraction of a clock at which a warning fires before the breach. */
  warnAt: z.number().gt(0).lt(1).default(0.8),
  /** The case skips the department and goes straight to the customer service manager (000). */
  directToManager: z.boolean().default(false),
});

const flags = z
  .strictObject({
    /** 恶性 (001 篇3 §10): media exposure, conflict with the customer, wide social impact. Optional. */
    vicious: z
      .strictObject({
        /** The grade a vicious case is raised to at least. */
        minGrade: codeText,
        /** Limits that override the (raised) grade's limits clock by clock. */
        limits: clockLimits.optional(),
      })
      .optional(),
    /**
     * 紧急抢险抢修 (001 篇2 §6): these limits override the grade's limits clock by clock. Optional:
     * without it the emergency flag changes no limit.
     */
    emergency: z
      .strictObject({
        limits: clockLimits,
        /** After a breach, escalate one more tier each time this passes while still unresolved. */
        escalateEvery: durationText.optional(),
        /** A named calendar (`calendars`) the clocks of an emergency case count on, e.g. a 24-hour desk. */
        calendar: codeText.optional(),
      })
      .optional(),
  })
  .prefault({});

/**
 * Who takes a case over (re-handling one tier up, a major case): the manager of the case's
 * department, or an approver holding an approval level (the lowest-ranked holder of that level or
 * a higher one). The complained-about person is never chosen (回避).
 */
export const handlerSelector = z.union([
  z.literal('department_manager'),
  z.strictObject({
    /** An approver holding this approval level (`approval.levels`), e.g. `manager` for 客服经理. */
    approvalLevel: codeText,
  }),
]);
export type HandlerSelector = z.infer<typeof handlerSelector>;

const tier = z.strictObject({
  level: z.number().int().min(1),
  name: i18nText,
  role: z.enum(TIER_ROLES),
  /**
   * Who handles a case re-handled at this tier (不满意 → 再次处理 one tier up, 001 篇6 §6③,
   * 002 篇2 §4.2). Optional: without it the handlers keep the case.
   */
  handler: handlerSelector.optional(),
  /** The approval level a proposal needs at least while the case is at this tier. Optional. */
  approvalLevel: codeText.optional(),
});

/** The three tiers of 002 篇6, used when a policy names none. */
export const DEFAULT_TIERS = [
  { level: 1, name: { 'zh-CN': '客服代表', 'zh-TW': '客服代表', en: 'Agent' }, role: 'agent' },
  { level: 2, name: { 'zh-CN': '部门经理', 'zh-TW': '部門經理', en: 'Department manager' }, role: 'department_manager' },
  { level: 3, name: { 'zh-CN': '总经理', 'zh-TW': '總經理', en: 'General manager' }, role: 'general_manager' },
] as const;

const escalation = z
  .strictObject({
    /** Escalation tiers 1..n in order (002 篇6: agent → department manager → general manager, the default). */
    tiers: z
      .array(tier)
      .min(1)
      .default(() => DEFAULT_TIERS.map((t) => ({ ...t, name: { ...t.name } }))),
    /** After a breach, escalate again each time this passes while still unresolved. */
    escalateEvery: durationText.optional(),
  })
  .prefault({});

const gradeRise = z.strictObject({
  /** Time since receipt after which an unresolved case rises … */
  after: durationText,
  /** … to this grade (000 注: unresolved within a month → major). */
  to: codeText,
});

/** Where cases go without the usual routing (000: a major case straight to the customer service manager). Optional. */
const routing = z
  .strictObject({
    /**
     * The handler of a case whose grade has `directToManager`: classifying it routes it there at
     * once, and a reopened major case goes there. Without it the specialist routes it as any case.
     */
    majorTo: handlerSelector.optional(),
    /** The department recorded on such a case (default: the category's department). */
    majorDepartment: codeText.optional(),
  })
  .prefault({});

/** Facts recorded at intake (受理登记). Optional. */
const intake = z
  .strictObject({
    /**
     * How long before the registration a case may have been received (`receivedAt`: a letter
     * registered the next morning, a case imported from paper), counted on the calendar.
     */
    receivedAtMaxAge: durationText.default('30d'),
    /** Roles that may set the grade and the 紧急 / 恶性 flags at intake (001 篇2 §6: an emergency cannot wait for triage). */
    gradeRoles: z.array(z.enum(['agent', 'specialist', 'handler', 'approver', 'followup', 'admin'])).default(() => []),
  })
  .prefault({});

const approvalLevel = z.strictObject({ code: codeText, name: i18nText });

const approvalRule = z.strictObject({
  /** The rule matches only these grades (all grades when absent). */
  grades: z.array(codeText).optional(),
  /** The rule matches only proposals whose amount is at least this (any amount when absent). */
  minAmount: z.number().nonnegative().optional(),
  /** The approval level the matching proposal needs. */
  level: codeText,
});

/** Optional: a policy without `approval` has no levels and no rules, so no proposal needs approval. */
const approval = z
  .strictObject({
    /** Approval levels in ascending authority (may be empty: then no rule can name one, and the
     *  policy written back out — JSON export, the admin page — reads in again). */
    levels: z.array(approvalLevel),
    /** The required level is the highest among matching rules; no match → no approval needed. */
    rules: z.array(approvalRule).default(() => []),
  })
  .default(() => ({ levels: [], rules: [] }));

const invalidReason = z.strictObject({ code: codeText, name: i18nText });

/** One stage of a staged extension (issue 10 §5): the n-th extension granted on a case is at stage n. */
const extensionStage = z.strictObject({
  /** Cumulative: all extensions granted through this stage together are at most this long. */
  max: durationText,
  /** The approval level that grants this stage. */
  approvalLevel: codeText,
  /** Only cases of these grades may reach this stage (every grade when absent). */
  grades: z.array(codeText).optional(),
  /** Only cases of these categories may reach this stage (every category when absent). */
  categories: z.array(codeText).optional(),
  /** The request must be marked special (特殊状况) with its reason. */
  special: z.boolean().default(false),
});
/** A stage of `extension.stages`. */
export type ExtensionStage = z.infer<typeof extensionStage>;

/**
 * Either the single form `{ max, specialMax, approvalLevel }` (one cumulative maximum, any number
 * of extensions up to it) or `stages` alone; src/domain/lifecycle/extension-stages.ts applies both.
 */
const extension = z
  .strictObject({
    /** The longest ordinary extension (延期) of the promised time (single form). */
    max: durationText.optional(),
    /** The longest extension in special cases (特殊状况) (single form). */
    specialMax: durationText.optional(),
    /** The approval level that grants an extension (single form). */
    approvalLevel: codeText.optional(),
    /** Extensions in stages, in order; instead of the three fields above. */
    stages: z.array(extensionStage).min(1).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.stages) return;
    // Without stages the single form is required, as it always was.
    for (const key of ['max', 'specialMax', 'approvalLevel'] as const) if (v[key] === undefined) ctx.addIssue({ code: 'invalid_type', expected: 'string', input: undefined, path: [key] });
  });

/** The six reasons of 001 篇3 §9 (also 002 篇1 §2), used when a policy names none. */
export const DEFAULT_INVALID_REASONS = [
  { code: 'facts_contradict', name: { 'zh-CN': '事实与叙述严重不符，责任在投诉方', 'zh-TW': '事實與敘述嚴重不符，責任在投訴方', en: "Facts contradict the account; the fault is the complainant's" } },
  { code: 'outside_service', name: { 'zh-CN': '要求承诺以外或公司禁止的服务', 'zh-TW': '要求承諾以外或公司禁止的服務', en: 'Demand outside the promised service' } },
  { code: 'provocation', name: { 'zh-CN': '寻衅滋事，以投诉相要挟', 'zh-TW': '尋釁滋事，以投訴相要挾', en: 'Provocation or threats' } },
  { code: 'anonymous_no_facts', name: { 'zh-CN': '匿名投诉无具体事实或主要事实不成立', 'zh-TW': '匿名投訴無具體事實或主要事實不成立', en: 'Anonymous, with no concrete facts or facts not established' } },
  { code: 'facts_incomplete', name: { 'zh-CN': '事实不全，无法核实取证', 'zh-TW': '事實不全，無法核實取證', en: 'Facts too incomplete to verify' } },
  { code: 'late_attitude', name: { 'zh-CN': '对服务态度的不满在一个月以后才提出', 'zh-TW': '對服務態度的不滿在一個月以後才提出', en: 'Attitude complaint raised more than a month later' } },
];

/**
 * Optional: without `followUp` a case is not followed up before it closes (`required: false`);
 * the other defaults serve a follow-up done anyway.
 */
const followUp = z
  .strictObject({
    /** Whether every resolved case must be followed up before it can be closed. */
    required: z.boolean().default(false),
    /** Time after the answer to the customer within which the follow-up must happen. */
    window: durationText.default('7d'),
    /** Allowed ways of following up. */
    methods: z
      .array(z.enum(FOLLOW_UP_METHODS))
      .min(1)
      .default((): FollowUpMethod[] => ['phone']),
    /** Delays before each new attempt to reach an unreachable customer (002 篇7: 24 h → 48 h). */
    retries: z.array(durationText).default(() => []),
    /** Close the case when the customer is still unreachable after the last retry. */
    closeWhenUnreachable: z.boolean().default(false),
    /** Answers that count as satisfied; any other sends the case back for handling. */
    acceptedLevels: z
      .array(z.enum(SATISFACTION_LEVELS))
      .min(1)
      .default((): Satisfaction[] => ['very_satisfied', 'satisfied', 'neutral']),
  })
  .prefault({});

const unsatisfied = z
  .strictObject({
    /** Handle again one escalation tier higher each time the customer is unsatisfied. */
    escalateTier: z.boolean().default(true),
    /** Most handling cycles (循环往复处理) before the case goes to the top tier's decision. */
    maxCycles: z.number().int().min(1).default(3),
  })
  .prefault({});

/**
 * One step of a script (话术): a title, an optional hint (when, why) and the lines to say, in the
 * UI languages. Lines may hold placeholders the console fills in: `{customer}` (the caller's
 * name), `{agent}` (the signed-in user), `{number}` (the case number), `{promisedAt}` (the promised
 * time), `{solution}` (the approved solution, follow-up only).
 */
const scriptStep = z.strictObject({
  code: codeText,
  title: i18nText,
  hint: i18nText.optional(),
  lines: z.array(i18nText).min(1),
});

/** Scripts shown where staff work (004 phone script by phase; 000 7-step follow-up template). */
const scripts = z
  .strictObject({
    /** The phone call by phase, in order (004 §二: greeting … closing), beside the intake form. */
    phone: z.array(scriptStep).default(() => []),
    /** Situations that may arise at any point of a call (004 §四(四): abuse, refusal to give details, …). */
    situations: z.array(scriptStep).default(() => []),
    /** The follow-up call, step by step (000 客户投诉回访模板: seven steps), in the follow-up console. */
    followUp: z.array(scriptStep).default(() => []),
  })
  .prefault({});

/**
 * Customer messages the organisation may reword (issue 4). Each names the placeholders it may
 * use; the built-in wording (src/channels/templates.ts) fills every language not overridden.
 */
export const CUSTOMER_MESSAGE_PLACEHOLDERS = {
  acknowledgement: ['organisation', 'number', 'promisedAt', 'trackUrl', 'accessCode'],
  delay_notice: ['organisation', 'number', 'dueAt', 'trackUrl'],
  /** The promise moved earlier by a holiday change (recalculate_clocks). */
  promise_earlier: ['organisation', 'number', 'dueAt', 'trackUrl'],
  answer: ['organisation', 'number', 'answer', 'trackUrl'],
  survey_invitation: ['organisation', 'number', 'surveyUrl', 'expiresAt', 'trackUrl'],
  closure: ['organisation', 'number', 'trackUrl'],
  invalid_explanation: ['organisation', 'number', 'explanation', 'trackUrl'],
  overdue_notice: ['organisation', 'number', 'trackUrl'],
} as const;
export type CustomerMessage = keyof typeof CUSTOMER_MESSAGE_PLACEHOLDERS;
export const CUSTOMER_MESSAGES = Object.keys(CUSTOMER_MESSAGE_PLACEHOLDERS) as CustomerMessage[];

/** Text in any of the UI languages; a language left out keeps the built-in wording. */
const messageText = (allowed: readonly string[]) =>
  z.strictObject({ 'zh-CN': z.string().min(1).optional(), 'zh-TW': z.string().min(1).optional(), en: z.string().min(1).optional() }).superRefine((v, ctx) => {
    for (const [lang, text] of Object.entries(v)) {
      for (const m of (text ?? '').matchAll(/\{([A-Za-z]+)\}/g)) {
        if (!allowed.includes(m[1]!))
          ctx.addIssue({
            code: 'custom',
            path: [lang],
            params: {
              'zh-CN': `未知占位符 {${m[1]}}；此消息可用：${allowed.map((a) => `{${a}}`).join(' ')}`,
              en: `unknown placeholder {${m[1]}}; this message may use ${allowed.map((a) => `{${a}}`).join(' ')}`,
            } satisfies IssueText,
          });
      }
    }
  });

const customerMessage = (allowed: readonly string[]) =>
  z.strictObject({
    /** E-mail subject. */
    subject: messageText(allowed).optional(),
    /** E-mail body (plain text). */
    body: messageText(allowed).optional(),
    /** SMS text (keep it short: one SMS is 70 Chinese characters). */
    sms: messageText(allowed).optional(),
  });

const messages = z.strictObject({
  /** The sender's name in customer messages, e.g. 某某公司客服中心 (default: the policy name). */
  organisation: i18nText.optional(),
  templates: z
    .strictObject({
      acknowledgement: customerMessage(CUSTOMER_MESSAGE_PLACEHOLDERS.acknowledgement).optional(),
      delay_notice: customerMessage(CUSTOMER_MESSAGE_PLACEHOLDERS.delay_notice).optional(),
      promise_earlier: customerMessage(CUSTOMER_MESSAGE_PLACEHOLDERS.promise_earlier).optional(),
      answer: customerMessage(CUSTOMER_MESSAGE_PLACEHOLDERS.answer).optional(),
      survey_invitation: customerMessage(CUSTOMER_MESSAGE_PLACEHOLDERS.survey_invitation).optional(),
      closure: customerMessage(CUSTOMER_MESSAGE_PLACEHOLDERS.closure).optional(),
      invalid_explanation: customerMessage(CUSTOMER_MESSAGE_PLACEHOLDERS.invalid_explanation).optional(),
      overdue_notice: customerMessage(CUSTOMER_MESSAGE_PLACEHOLDERS.overdue_notice).optional(),
    })
    .default(() => ({})),
});
export type PolicyMessages = z.infer<typeof messages>;

// ---------------------------------------------------------------------------------------------
// The policy
// ---------------------------------------------------------------------------------------------

export const PolicySchema = z.strictObject({
  /** Slug naming the policy, e.g. `kesu-default`. */
  id: pattern(/^[a-z0-9][a-z0-9-]*$/, 'id 只能由小写字母、数字和连字符组成，如 kesu-default', 'an id is lowercase letters, digits and "-", e.g. kesu-default'),
  /** Version of this policy, e.g. `'2026.1'` (quoted in YAML). A case stores `id@version`. */
  version: pattern(/^[0-9A-Za-z][0-9A-Za-z._-]*$/, '版本号由字母、数字、点、下划线和连字符组成，如 "2026.1"', 'a version is letters, digits, ".", "_" and "-", e.g. "2026.1"'),
  name: i18nText,
  /** The regulation this policy was written from (seed reference, document number, …). */
  source: z.string().min(1).optional(),
  calendar,
  /** Further named calendars; optional. A clock counts on the one that lists it, else on `calendar`. */
  calendars: z.record(codeText, namedCalendar).default(() => ({})),
  /** Channels complaints arrive on (受理渠道). */
  channels: z
    .array(codeText)
    .min(1)
    .default(() => [...DEFAULT_CHANNELS]),
  kinds,
  /** Organisation units the rules refer to by code. */
  departments: z.array(department).min(1),
  /** Complaint categories (001 篇3 §4–8), each optionally routed to a department. */
  categories: z.array(category).min(1),
  /** Severity grades from least to most severe (000: 一般 / 重要 / 重大). */
  grades: z.array(grade).min(1),
  /** The grade a case has until someone grades it; optional, the first (least severe) grade by default. */
  defaultGrade: codeText.optional(),
  flags,
  escalation,
  /** Where major cases go (000: the customer service manager); optional. */
  routing,
  /** Intake facts: how far back `receivedAt` may go, who may grade at intake; optional. */
  intake,
  /** Grades rising with time while unresolved. */
  gradeRise: z.array(gradeRise).default(() => []),
  approval,
  /** Judging validity (001 篇3 §9–11, 002 篇1 §2); optional, the six reasons of 001 篇3 §9 by default. */
  validity: z
    .strictObject({
      invalidReasons: z
        .array(invalidReason)
        .min(1)
        .default(() => structuredClone(DEFAULT_INVALID_REASONS)),
    })
    .prefault({}),
  /** Moving the promised time (延期); optional — without it no extension can be requested. */
  extension: extension.optional(),
  followUp,
  unsatisfied,
  /** Archiving; optional — without it closed cases are kept indefinitely. */
  retention: retention.optional(),
  /** Scripts for phone intake and follow-up calls; optional (empty when absent). */
  scripts,
  /** Key information marked in complaint texts: the product catalogue and the signal words (issue 13 §5); optional. */
  highlights,
  /** Flagging the customer of a malicious case: who sets, who lifts, how long (issue 13 §3); optional. */
  customerFlags,
  /** Experience library (经验库): who may edit articles (issue 13 §4, src/domain/policy/knowledge.ts); optional. */
  knowledge,
  /** Who may reveal one masked field of a case with a reason (issue 12 §6, personal-data.ts); optional, co-handlers and department managers by default. */
  personalData,
  /** Customer message wording (issue 4); optional, built-in wording when absent. */
  messages: messages.optional(),
  /** Absences: whether a handed-over case returns to the primary handler (absence.ts); optional. */
  absence: absencePolicy,
  /** Repeat-complaint linking windows and text similarity (issue 13 §2, repeats.ts); optional. */
  repeats: repeatsPolicy,
  /** Duties that are not state changes (issue 10 §2, duties.ts); optional — none when absent. */
  duties: dutiesSection.optional(),
  /** Scheduled reports (issue 11 §3, src/domain/policy/reports.ts); optional, weekly on Tuesday and monthly on the 2nd by default. */
  reports: reportsPolicy,
  /** Penalties and rewards (考核); optional — without it no accountability entry is created. */
  accountability: z.lazy(accountabilitySection).optional(),
  /** Exports (issue 11 §5): the ledger's columns; optional (policy/exports.ts). */
  exports: exportsSection.prefault({}),
  /** The yearly archive (案宗, issue 15 §1): how a year's files are grouped; optional (policy/archive.ts). */
  archive: archiveSection.prefault({}),
  /** Clocks the policy declares beside the built-in ones (issue 10 §1, clock-rules.ts); optional — none when absent. */
  clockRules: z.lazy(clockRulesSection).optional(),
});

/** A validated policy, defaults applied (`defaultGrade` filled in by `validatePolicy`). */
export type Policy = Omit<z.infer<typeof PolicySchema>, 'defaultGrade'> & { defaultGrade: string };
/** A policy as written, before defaults. */
export type PolicyInput = z.input<typeof PolicySchema>;
