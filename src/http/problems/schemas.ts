/** Response schemas of repeat links, the systemic-issue ranking and problem records (issue 13 §2). */
import { z } from 'zod';
import type { RelatedCase as RelatedCaseType } from '../../repeats/related.js';
import type { SubjectCase as SubjectCaseType, SystemicRanking as SystemicRankingType } from '../../repeats/systemic.js';
import type { Problem as ProblemType, ProblemDetail as ProblemDetailType } from '../../services/problems.js';
import type { Describes } from '../schemas/common.js';
import { named } from '../schemas/registry.js';

export const RelatedCase = named(
  'RelatedCase',
  z.strictObject({
    id: z.string(),
    number: z.string(),
    title: z.string(),
    state: z.string(),
    category: z.string().nullable(),
    receivedAt: z.string(),
    direction: z.enum(['earlier', 'later']),
    reasons: z.array(z.strictObject({ reason: z.enum(['customer', 'reference', 'text']), detail: z.string().nullable() })),
  }),
  'A case linked to another at intake, with why',
);
const _r: Describes<typeof RelatedCase, RelatedCaseType> = true;
void _r;

const ProblemState = z.enum(['open', 'action_done', 'verified']);
const ProblemStep = z.enum(['action_done', 'verify', 'reopen']);

const problemShape = {
  id: z.string(),
  title: z.string(),
  action: z.string(),
  owner: z.strictObject({ id: z.string(), name: z.string() }),
  dueDate: z.string(),
  state: ProblemState,
  createdAt: z.string(),
  updatedAt: z.string(),
  cases: z.array(z.strictObject({ id: z.string(), number: z.string(), title: z.string(), state: z.string() })),
  overdue: z.boolean(),
  steps: z.array(ProblemStep),
};

export const Problem = named('Problem', z.strictObject(problemShape), 'A problem record (问题单): cases grouped around a corrective action (only the cases the reader may see)');

export const ProblemDetail = named(
  'ProblemDetail',
  z.strictObject({
    ...problemShape,
    history: z.array(z.strictObject({ step: z.enum(['open', 'action_done', 'verify', 'reopen']), fromState: ProblemState.nullable(), toState: ProblemState, by: z.string(), at: z.string(), reason: z.string() })),
  }),
  'A problem record with every step (who, when, why)',
);

const _p: Describes<typeof Problem, ProblemType> = true;
const _d: Describes<typeof ProblemDetail, ProblemDetailType> = true;
void _p;
void _d;

export const SystemicRanking = named(
  'SystemicRanking',
  z.strictObject({
    period: z.strictObject({ from: z.string(), to: z.string(), previousFrom: z.string(), previousTo: z.string(), timeZone: z.string() }),
    subjects: z.array(
      z.strictObject({
        category: z.string().nullable(),
        product: z.string().nullable(),
        cases: z.number(),
        linked: z.number(),
        previous: z.number(),
        change: z.number(),
        changePercent: z.number().nullable(),
      }),
    ),
  }),
  '系统性问题: subjects (category + product) ranked by recurrence in the period, with the previous period for the trend',
);
const _s: Describes<typeof SystemicRanking, SystemicRankingType> = true;
void _s;

export const SubjectCase = named(
  'SubjectCase',
  z.strictObject({ id: z.string(), number: z.string(), title: z.string(), state: z.string(), grade: z.string().nullable(), receivedAt: z.string() }),
  'A case of a systemic subject (drill-down)',
);
const _c: Describes<typeof SubjectCase, SubjectCaseType> = true;
void _c;
