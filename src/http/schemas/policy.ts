/** The policy, its problems, and the holiday calendar as the API answers them. */
import { z } from 'zod';
import { PolicySchema, type Policy as PolicyType, type PolicyProblem as PolicyProblemType } from '../../domain/policy/index.js';
import type { DueExplanation as DueExplanationType, HolidayYear as HolidayYearType } from '../../domain/calendar/index.js';
import type { Describes } from './common.js';
import { named } from './registry.js';

/** The active policy: the domain's own schema (what was validated is what is described). */
export const Policy = named('Policy', PolicySchema, 'A validated policy (制度), defaults applied; see docs/policy.md');
// As the schema gives it: `defaultGrade` optional there (validatePolicy fills it in, so PolicyType has it).
const _policy: Describes<typeof Policy, z.output<typeof PolicySchema>> = true;

export const PolicyProblem = named(
  'PolicyProblem',
  z.strictObject({
    /** `grades[2].limits.resolve`, `line 4, column 7`, or '' for the whole document. */
    path: z.string(),
    message: z.strictObject({ 'zh-CN': z.string(), 'zh-TW': z.string().optional(), en: z.string() }),
    line: z.number().int().optional(),
    column: z.number().int().optional(),
  }),
);
const _problem: Describes<typeof PolicyProblem, PolicyProblemType> = true;

export const PolicyVersion = z.strictObject({ key: z.string(), active: z.boolean(), createdAt: z.string() });

export const PolicyCheck = z.strictObject({ ok: z.boolean(), problems: z.array(PolicyProblem) });

export const HolidayDay = z.strictObject({
  date: z.string(),
  /** true: a public holiday; false: an adjusted working day (调休上班). */
  off: z.boolean(),
  name: z.string().optional(),
});

export const HolidayYear = named('HolidayYear', z.strictObject({ region: z.string(), year: z.number().int(), days: z.array(HolidayDay), source: z.union([z.array(z.string()), z.string()]).optional() }));
const _year: Describes<typeof HolidayYear, HolidayYearType> = true;

const Instant = z.string();

export const DueExplanation = named(
  'DueExplanation',
  z.strictObject({
    start: Instant,
    duration: z.string(),
    /** null while an open pause stops the clock. */
    due: Instant.nullable(),
    timeZone: z.string(),
    skippedDays: z.array(z.strictObject({ date: z.string(), reason: z.enum(['weekend', 'public_holiday']), name: z.string().optional() })),
    adjustedWorkdays: z.array(z.strictObject({ date: z.string(), name: z.string().optional() })),
    pauses: z.array(z.strictObject({ from: Instant, to: Instant.nullable() })),
    missingHolidayYears: z.array(z.number().int()),
    tickedMs: z.number(),
    /** Present when the statutory convention counted the period: its last day, and where it was moved from. */
    statutory: z.strictObject({ lastDay: z.string(), movedFrom: z.string().optional(), periodEnd: z.enum(['midnight', 'close']) }).optional(),
    /** Present when an alignment (`@eod`, `@09:00`) moved the due time: the instant before it was moved. */
    alignedFrom: Instant.optional(),
    text: z.strictObject({ 'zh-CN': z.string(), 'zh-TW': z.string(), en: z.string() }),
  }),
  'Why a due time is what it is: the days skipped, the adjusted working days counted, the pauses',
);
const _explanation: Describes<typeof DueExplanation, DueExplanationType> = true;

void [_policy, _problem, _year, _explanation];
