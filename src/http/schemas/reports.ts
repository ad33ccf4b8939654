/** Statistics over a period and filters (issue 11; definitions in docs/reports.md) as the API answers them. */
import { z } from 'zod';
import type { Statistics as StatisticsType, StatisticsCase as StatisticsCaseType } from '../../reports/statistics.js';
import type { Describes } from './common.js';
import { named } from './registry.js';
import { I18nText } from './common.js';

const Count = z.strictObject({ key: z.string().nullable(), count: z.number().int() });
/** A share: `count` of `of`, and their ratio (4 places), null when `of` is 0. */
const Rate = named('StatisticsRate', z.strictObject({ count: z.number().int(), of: z.number().int(), rate: z.number().nullable() }));
const OnTime = { met: z.number().int(), breached: z.number().int(), rate: z.number().nullable() };
/** Cases by calendar age: under 1 day, 1–3 days, 3–7 days, 7 days and more. */
const AgeBuckets = z.strictObject({ lt1d: z.number().int(), d1to3: z.number().int(), d3to7: z.number().int(), ge7d: z.number().int() });
const Filters = z.strictObject({
  departmentCode: z.array(z.string()).optional(),
  category: z.array(z.string()).optional(),
  grade: z.array(z.string()).optional(),
  kind: z.array(z.string()).optional(),
  channel: z.array(z.string()).optional(),
  customerClass: z.array(z.string()).optional(),
  handlerId: z.array(z.string()).optional(),
  policyKey: z.array(z.string()).optional(),
});

export const Statistics = named(
  'Statistics',
  z.strictObject({
    period: z.strictObject({ from: z.string(), to: z.string(), timeZone: z.string(), fromInstant: z.string(), toInstant: z.string(), groupBy: z.enum(['day', 'week', 'month']) }),
    filters: Filters,
    intake: z.strictObject({
      total: z.number().int(),
      byKind: z.array(Count),
      byChannel: z.array(Count),
      byCategory: z.array(Count),
      byDepartment: z.array(Count),
      byGrade: z.array(Count),
      byCustomerClass: z.array(Count),
      trend: z.array(z.strictObject({ bucket: z.string(), start: z.string(), received: z.number().int(), closed: z.number().int() })),
    }),
    validity: z.strictObject({
      judged: z.number().int(),
      unjudged: z.number().int(),
      valid: Rate,
      invalid: Rate,
      malicious: Rate,
      byReason: z.array(z.strictObject({ reason: z.string().nullable(), count: z.number().int(), malicious: z.number().int() })),
    }),
    handling: z.strictObject({
      closed: z.number().int(),
      modes: z.strictObject({ immediate: Rate, within_limit: Rate, overdue: Rate, repeated: Rate }),
      firstContactResolution: Rate,
      time: z.strictObject({ cases: z.number().int(), averageHours: z.number().nullable(), p90Hours: z.number().nullable() }),
      pendingNow: z.number().int(),
    }),
    onTime: z.strictObject({
      /** `name`: a policy clock rule's name (stage `rule:<code>`, clockRules[].name) in the active policy; absent for the built-in stages. */
      byStage: z.array(z.strictObject({ stage: z.string(), name: I18nText.optional(), ...OnTime })),
      byGrade: z.array(z.strictObject({ grade: z.string().nullable(), ...OnTime })),
      byDuty: z.array(z.strictObject({ code: z.string(), ...OnTime })),
    }),
    backlog: z.strictObject({ asOf: z.string(), open: AgeBuckets, pending: AgeBuckets }),
    satisfaction: z.strictObject({
      cases: z.number().int(),
      satisfied: Rate,
      byLevel: z.strictObject({ very_satisfied: z.number().int(), satisfied: z.number().int(), neutral: z.number().int(), unsatisfied: z.number().int() }),
      scores: z.strictObject({ attitude: z.number().nullable(), efficiency: z.number().nullable(), result: z.number().nullable() }),
    }),
    reopen: z.strictObject({ reopened: Rate, reopens: z.number().int() }),
    repeat: z.strictObject({ windowDays: z.number().int(), repeated: Rate }),
    extensions: z.strictObject({ extended: Rate, total: z.number().int(), special: z.number().int() }),
    escalations: z.strictObject({ escalated: Rate, total: z.number().int(), byMaxTier: z.array(z.strictObject({ tier: z.number().int(), count: z.number().int() })) }),
  }),
  'Figures over the cases received in a period that match the filters (docs/reports.md)',
);
const _statistics: Describes<typeof Statistics, StatisticsType> = true;
void _statistics;

export const StatisticsCase = named(
  'StatisticsCase',
  z.strictObject({ id: z.string(), number: z.string(), kind: z.string(), state: z.string(), grade: z.string().nullable(), receivedAt: z.string() }),
  'A case a figure counts, among those the caller may open',
);
const _case: Describes<typeof StatisticsCase, StatisticsCaseType> = true;
void _case;
