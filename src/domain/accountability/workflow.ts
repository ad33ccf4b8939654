/**
 * The life of an accountability entry, as pure rules: proposed → confirmed by the person's
 * manager (an amount within the rule's range), or appealed by the person (with a reason) →
 * upheld or overturned by an approver at the policy's appeal level. Who may see an entry, and
 * the scorecard fold. The service (services/accountability.ts) reads and writes; these decide.
 */
import { z } from 'zod';
import type { Actor } from '../complaint/types.js';
import { AppError, fieldProblem } from '../errors.js';
import type { Policy } from '../policy/index.js';
import { levelAtLeast } from '../lifecycle/machine.js';
import { OVERSIGHT_ROLES } from '../permissions/relations.js';
import type { AccountabilityTrigger } from '../policy/accountability.js';

export const ENTRY_STATUSES = ['proposed', 'confirmed', 'appealed', 'upheld', 'overturned'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];
/** Statuses whose points and amount count on the scorecard. */
export const EFFECTIVE_STATUSES: readonly EntryStatus[] = ['confirmed', 'upheld'];
/** Statuses still waiting for someone. */
export const OPEN_STATUSES: readonly EntryStatus[] = ['proposed', 'appealed'];

export interface Entry {
  id: string;
  complaintId: string;
  complaintNumber: string;
  policyKey: string;
  /** The case version of the transition that made it (its timeline event). */
  sourceVersion: number;
  sourceAction: string;
  ruleCode: string;
  trigger: AccountabilityTrigger;
  effect: 'penalty' | 'reward';
  points: number;
  /** A fixed amount; null when the rule has a range (the confirmer sets it) or no amount. */
  amount: number | null;
  amountMin: number | null;
  amountMax: number | null;
  personId: string | null;
  departmentCode: string | null;
  status: EntryStatus;
  /** What happened, for the entry's page (clock name, satisfaction, cycle); never personal data. */
  detail: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export const ConfirmInput = z.strictObject({
  /** Required when the rule gives a range (001 篇6: 200–1500, by severity). */
  amount: z.number().nonnegative().optional(),
  note: z.string().trim().max(2000).optional(),
});
export const AppealInput = z.strictObject({ reason: z.string().trim().min(1).max(2000) });
export const DecideInput = z.strictObject({
  outcome: z.enum(['upheld', 'overturned']),
  reason: z.string().trim().min(1).max(2000),
  /** An upheld appeal of an entry whose range was never set sets it here. */
  amount: z.number().nonnegative().optional(),
});

function rule(policy: Policy, e: Entry) {
  return policy.accountability?.rules.find((r) => r.code === e.ruleCode);
}

function holdsLevel(policy: Policy, actor: Actor, level: string | undefined): boolean {
  return !!level && actor.roles.includes('approver') && levelAtLeast(policy, actor.approvalLevels, level);
}

/** The level that decides an appeal of `e` (the rule's, else the section's). */
export function appealLevelOf(policy: Policy, e: Entry): string | null {
  return rule(policy, e)?.appealLevel ?? policy.accountability?.appealLevel ?? null;
}

/** The manager of the entry's department, or an approver at the confirm level — never the person. */
export function canConfirm(policy: Policy, actor: Actor, e: Entry): boolean {
  if (actor.kind !== 'user' || actor.id === e.personId) return false;
  if (e.departmentCode && actor.managerOf.includes(e.departmentCode)) return true;
  return holdsLevel(policy, actor, rule(policy, e)?.confirmLevel ?? policy.accountability?.confirmLevel);
}

/** The person a penalty names; for a department's penalty, its manager. */
export function canAppeal(actor: Actor, e: Entry): boolean {
  if (actor.kind !== 'user' || e.effect !== 'penalty') return false;
  return e.personId ? actor.id === e.personId : !!e.departmentCode && actor.managerOf.includes(e.departmentCode);
}

export function canDecide(policy: Policy, actor: Actor, e: Entry): boolean {
  if (actor.kind !== 'user' || actor.id === e.personId) return false;
  const level = appealLevelOf(policy, e);
  return holdsLevel(policy, actor, level ?? undefined);
}

/** Whether the actor may read the entry: their own, their department's, or someone who judges or oversees entries. */
export function canSeeEntry(policy: Policy, actor: Actor, e: Entry): boolean {
  if (actor.kind === 'system') return true;
  if (e.personId === actor.id) return true;
  if (actor.roles.some((r) => OVERSIGHT_ROLES.includes(r))) return true;
  return canConfirm(policy, actor, e) || canDecide(policy, actor, e);
}

/**
 * `canSeeEntry` for every entry of one policy at once, for a query (scorecards summed in SQL):
 * apart from their own entries and their departments' (`managerOf`), which need no policy, a
 * reader sees the entries whose confirm or appeal level they hold — `visibleRules` among the
 * policy's `ruleCodes`, and for a rule code the policy no longer has (its levels fall back to
 * the section's) `otherRules`. `all` for the system and those who oversee.
 */
export interface EntryAccess {
  all: boolean;
  ruleCodes: string[];
  visibleRules: string[];
  otherRules: boolean;
}

export function entryAccess(policy: Policy, actor: Actor): EntryAccess {
  if (actor.kind === 'system' || actor.roles.some((r) => OVERSIGHT_ROLES.includes(r))) return { all: true, ruleCodes: [], visibleRules: [], otherRules: true };
  const section = policy.accountability;
  const levelled = (confirm: string | undefined, appeal: string | undefined) => actor.kind === 'user' && (holdsLevel(policy, actor, confirm) || holdsLevel(policy, actor, appeal));
  const rules = section?.rules ?? [];
  const ruleCodes = [...new Set(rules.map((r) => r.code))];
  // As `rule()`: the first rule of a code decides.
  const visibleRules = ruleCodes.filter((code) => {
    const r = rules.find((x) => x.code === code)!;
    return levelled(r.confirmLevel ?? section?.confirmLevel, r.appealLevel ?? section?.appealLevel);
  });
  return { all: false, ruleCodes, visibleRules, otherRules: levelled(section?.confirmLevel, section?.appealLevel) };
}

/** Actions the actor may take on the entry now (the console's buttons). */
export function entryActions(policy: Policy, actor: Actor, e: Entry): ('confirm' | 'appeal' | 'decide')[] {
  const out: ('confirm' | 'appeal' | 'decide')[] = [];
  if (e.status === 'proposed' && canConfirm(policy, actor, e)) out.push('confirm');
  if ((e.status === 'proposed' || e.status === 'confirmed') && canAppeal(actor, e)) out.push('appeal');
  if (e.status === 'appealed' && canDecide(policy, actor, e)) out.push('decide');
  return out;
}

function refuseState(e: Entry, what: string): AppError {
  return new AppError('illegal_transition', `entry ${e.id} is ${e.status}: cannot ${what}`);
}

/** The amount an entry ends with: the fixed one, or `given` within the range (4xx naming `amount`). */
export function settleAmount(e: Entry, given: number | undefined): number | null {
  if (e.amountMin === null || e.amountMax === null) {
    if (given !== undefined && given !== e.amount)
      throw new AppError('invalid_input', 'amount: fixed by the rule', [fieldProblem('amount', `该规则金额固定为 ${e.amount ?? 0}`, `the rule fixes the amount at ${e.amount ?? 0}`, `該規則金額固定為 ${e.amount ?? 0}`)]);
    return e.amount;
  }
  const current = given ?? e.amount;
  if (current === null || current === undefined)
    throw new AppError('invalid_input', 'amount: required', [
      fieldProblem('amount', `请在 ${e.amountMin}–${e.amountMax} 之间确定金额`, `set an amount between ${e.amountMin} and ${e.amountMax}`, `請在 ${e.amountMin}–${e.amountMax} 之間確定金額`),
    ]);
  if (current < e.amountMin || current > e.amountMax)
    throw new AppError('invalid_input', `amount: outside ${e.amountMin}-${e.amountMax}`, [
      fieldProblem('amount', `金额须在 ${e.amountMin}–${e.amountMax} 之间`, `the amount must be between ${e.amountMin} and ${e.amountMax}`, `金額須在 ${e.amountMin}–${e.amountMax} 之間`),
    ]);
  return current;
}

/** The entry after a confirmation, or a refusal. */
export function confirmEntry(policy: Policy, actor: Actor, e: Entry, input: z.output<typeof ConfirmInput>, at: string): Entry {
  if (!canConfirm(policy, actor, e)) throw new AppError('forbidden', 'only the manager of the entry may confirm it');
  if (e.status !== 'proposed') throw refuseState(e, 'confirm');
  return { ...e, amount: settleAmount(e, input.amount), status: 'confirmed', updatedAt: at };
}

export function appealEntry(actor: Actor, e: Entry, at: string): Entry {
  if (!canAppeal(actor, e)) throw new AppError('forbidden', 'only the person named may appeal a penalty');
  if (e.status !== 'proposed' && e.status !== 'confirmed') throw refuseState(e, 'appeal');
  return { ...e, status: 'appealed', updatedAt: at };
}

export function decideAppeal(policy: Policy, actor: Actor, e: Entry, input: z.output<typeof DecideInput>, at: string): Entry {
  if (!canDecide(policy, actor, e)) throw new AppError(actor.roles.includes('approver') ? 'approval_level_too_low' : 'forbidden', "an appeal is decided at the policy's appeal level");
  if (e.status !== 'appealed') throw refuseState(e, 'decide');
  if (input.outcome === 'overturned') return { ...e, status: 'overturned', updatedAt: at };
  return { ...e, amount: settleAmount(e, input.amount), status: 'upheld', updatedAt: at };
}

// ---------------------------------------------------------------------------------------------
// Scorecards
// ---------------------------------------------------------------------------------------------

export interface Scorecard {
  /** A person's id, or a department's code. */
  key: string;
  penaltyPoints: number;
  rewardPoints: number;
  /** Fines (罚款) and rewards (奖励) in the policy's currency. */
  penaltyAmount: number;
  rewardAmount: number;
  /** Entries still proposed or appealed, and those overturned (not counted above). */
  open: number;
  overturned: number;
  /** Counted entries per rule code. */
  byRule: { rule: string; count: number; points: number; amount: number }[];
}

function blank(key: string): Scorecard {
  return { key, penaltyPoints: 0, rewardPoints: 0, penaltyAmount: 0, rewardAmount: 0, open: 0, overturned: 0, byRule: [] };
}

/** Folds entries into one scorecard per key (`keyOf` returns null to leave an entry out). */
export function foldScorecards(entries: readonly Entry[], keyOf: (e: Entry) => string | null): Scorecard[] {
  const cards = new Map<string, Scorecard>();
  for (const e of entries) {
    const key = keyOf(e);
    if (key === null) continue;
    let card = cards.get(key);
    if (!card) cards.set(key, (card = blank(key)));
    if (OPEN_STATUSES.includes(e.status)) card.open += 1;
    if (e.status === 'overturned') card.overturned += 1;
    if (!EFFECTIVE_STATUSES.includes(e.status)) continue;
    const amount = e.amount ?? 0;
    if (e.effect === 'penalty') ((card.penaltyPoints += e.points), (card.penaltyAmount += amount));
    else ((card.rewardPoints += e.points), (card.rewardAmount += amount));
    let r = card.byRule.find((x) => x.rule === e.ruleCode);
    if (!r) card.byRule.push((r = { rule: e.ruleCode, count: 0, points: 0, amount: 0 }));
    r.count += 1;
    r.points += e.points;
    r.amount += amount;
  }
  for (const c of cards.values()) c.byRule.sort((a, b) => a.rule.localeCompare(b.rule));
  return [...cards.values()].sort((a, b) => a.key.localeCompare(b.key));
}
