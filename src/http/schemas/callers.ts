/** Caller history (issue 13) as the API answers it. */
import { z } from 'zod';
import type { CallerHistory as CallerHistoryType } from '../../services/caller-history.js';
import type { Describes } from './common.js';
import { named } from './registry.js';
import { CustomerFlag } from './customer-flags.js';

const Satisfaction = z.enum(['very_satisfied', 'satisfied', 'neutral', 'unsatisfied']);

export const CallerCase = named(
  'CallerCase',
  z.strictObject({
    id: z.string(),
    number: z.string(),
    kind: z.string(),
    state: z.string(),
    title: z.string(),
    grade: z.string().nullable(),
    category: z.string().nullable(),
    channel: z.string(),
    receivedAt: z.string(),
    closedAt: z.string().nullable(),
    complainantName: z.string().nullable(),
    /** Always masked (`138****5678`): the case page shows it unmasked to the people who contact the customer. */
    phone: z.string().nullable(),
    satisfaction: Satisfaction.nullable(),
    followUpOutcome: z.enum(['satisfied', 'unreachable']).nullable(),
  }),
  "One of a caller's cases, as anyone who may see the case sees it",
);

export const CallerHistory = named(
  'CallerHistory',
  z.strictObject({
    /** What was looked up, masked. */
    lookup: z.strictObject({ by: z.enum(['phone', 'email', 'id_number', 'last4_name', 'last4_date']), shown: z.string() }),
    /** Visible cases of the caller (counted up to 1000): open ones and earlier (closed, invalid) ones. */
    counts: z.strictObject({ total: z.number().int(), open: z.number().int(), earlier: z.number().int() }),
    /** The latest follow-up result among the cases shown. */
    lastSatisfaction: z.strictObject({ caseId: z.string(), number: z.string(), satisfaction: Satisfaction, at: z.string() }).nullable(),
    open: z.array(CallerCase),
    earlier: z.array(CallerCase),
    /** Flags in force for this customer (恶意投诉): shown at intake, never blocking it. */
    flags: z.array(CustomerFlag),
  }),
  "A caller's visible earlier and open cases (at most 50, newest first), their counts and last satisfaction",
);

const _history: Describes<typeof CallerHistory, CallerHistoryType> = true;
void _history;
