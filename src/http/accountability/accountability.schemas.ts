/** Accountability entries and scorecards (issue 11 §4) as the API answers them. No complainant data, ever. */
import { z } from 'zod';
import type { EntryView, Scorecards as ScorecardsType } from '../../services/accountability.js';
import type { HistoryRow } from '../../store/accountability.repository.js';
import { ENTRY_STATUSES } from '../../domain/accountability/workflow.js';
import { ACCOUNTABILITY_TRIGGERS } from '../../domain/policy/accountability.js';
import { I18nText, type Describes } from '../schemas/common.js';
import { named } from '../schemas/registry.js';

const EntryCase = z.strictObject({
  number: z.string(),
  category: z.string().nullable(),
  grade: z.string().nullable(),
  /** Only for a reader who may open the case (the person complained about never may). */
  id: z.string().optional(),
  title: z.string().optional(),
  state: z.string().optional(),
});

export const AccountabilityEntry = named(
  'AccountabilityEntry',
  z.strictObject({
    id: z.string(),
    complaintId: z.string(),
    complaintNumber: z.string(),
    policyKey: z.string(),
    sourceVersion: z.number().int(),
    sourceAction: z.string(),
    ruleCode: z.string(),
    ruleName: I18nText.nullable(),
    trigger: z.enum(ACCOUNTABILITY_TRIGGERS),
    effect: z.enum(['penalty', 'reward']),
    points: z.number(),
    /** The amount set (fixed by the rule, or by the confirmer within `amountMin`–`amountMax`); null until set. */
    amount: z.number().nullable(),
    amountMin: z.number().nullable(),
    amountMax: z.number().nullable(),
    personId: z.string().nullable(),
    personName: z.string().nullable(),
    departmentCode: z.string().nullable(),
    status: z.enum(ENTRY_STATUSES),
    detail: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    updatedAt: z.string(),
    case: EntryCase,
    /** What the caller may do now. */
    actions: z.array(z.enum(['confirm', 'appeal', 'decide'])),
  }),
);

const HistoryStep = z.strictObject({
  seq: z.number().int(),
  step: z.enum(ENTRY_STATUSES),
  at: z.string(),
  actorId: z.string(),
  actorName: z.string(),
  amount: z.number().nullable(),
  reason: z.string().nullable(),
});

export const AccountabilityEntryDetail = named('AccountabilityEntryDetail', AccountabilityEntry.extend({ history: z.array(HistoryStep) }));

const Card = {
  key: z.string(),
  penaltyPoints: z.number(),
  rewardPoints: z.number(),
  penaltyAmount: z.number(),
  rewardAmount: z.number(),
  open: z.number().int(),
  overturned: z.number().int(),
  byRule: z.array(z.strictObject({ rule: z.string(), count: z.number().int(), points: z.number(), amount: z.number() })),
};

export const AccountabilityScorecards = named(
  'AccountabilityScorecards',
  z.strictObject({
    period: z.strictObject({ from: z.string(), to: z.string(), fromInstant: z.string(), toInstant: z.string() }),
    people: z.array(z.strictObject({ ...Card, name: z.string().nullable(), departmentCode: z.string().nullable() })),
    departments: z.array(z.strictObject(Card)),
  }),
);

const _entry: Describes<typeof AccountabilityEntry, EntryView> = true;
const _detail: Describes<typeof AccountabilityEntryDetail, EntryView & { history: HistoryRow[] }> = true;
const _cards: Describes<typeof AccountabilityScorecards, ScorecardsType> = true;
(void _entry, _detail, _cards);
