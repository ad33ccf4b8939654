/**
 * The `accountability` section of a policy (考核, 001 篇2 §9–10, 篇6 §7, 篇7 §七): which happenings
 * on a case give a person or a department points and/or an amount, who confirms an entry and
 * which approval level decides an appeal. Optional: a policy without it creates no entries.
 * Cross-field rules (levels that exist, a range's order) are in `check.ts`'s neighbour
 * `checkAccountability` (domain/accountability/check.ts). Explained in docs/policy.md.
 */
import { z } from 'zod';
import { SATISFACTION_LEVELS, codeText, i18nText } from './schema.js';

/** What happened on the case (the transition that creates the entry). */
export const ACCOUNTABILITY_TRIGGERS = [
  /** investigate: responsibility found against an employee or a department (责任认定). */
  'responsibility',
  /** breach: a stage clock ran out (the case's primary handler, else its department). */
  'breach',
  /** judge valid: a valid complaint against each employee named as its subject (投诉一次扣一分). */
  'valid_complaint',
  /** follow_up unsatisfied → handled again (循环往复): the handler who answered. */
  'reopen',
  /** judge invalid and malicious (恶意投诉): the employees named as subject (a relief or record). */
  'malicious_complaint',
  /** follow_up at a praising satisfaction level: the handler who answered (表扬). */
  'praise',
] as const;
export type AccountabilityTrigger = (typeof ACCOUNTABILITY_TRIGGERS)[number];

/*
 * schema.ts imports this file for its one line and this file reads schema.ts's building blocks:
 * the section is built on first use (after both modules have loaded), never at import time.
 */
function build() {
  const amountRange = z.strictObject({ min: z.number().nonnegative(), max: z.number().nonnegative() });

  const rule = z.strictObject({
    /** Names the rule in scorecards (counts by rule). */
    code: codeText,
    name: i18nText,
    on: z.enum(ACCOUNTABILITY_TRIGGERS),
    /** penalty (扣分/罚款) or reward (加分/奖励). */
    effect: z.enum(['penalty', 'reward']).default('penalty'),
    /** Points deducted (penalty) or added (reward). */
    points: z.number().nonnegative().default(0),
    /** A fixed amount (yuan), or a range the confirmer picks from by severity (001 篇6: 200–1500). */
    amount: z.union([z.number().nonnegative(), amountRange]).optional(),
    /** breach only: the clocks that count (all deadline clocks when absent). */
    clocks: z.array(codeText).optional(),
    /** responsibility only: against whom (both when absent). */
    against: z.array(z.enum(['employee', 'department'])).optional(),
    /** praise only: the satisfaction levels that count as praise (default very_satisfied). */
    levels: z.array(z.enum(SATISFACTION_LEVELS)).optional(),
    /** Grades the rule applies to (all when absent). */
    grades: z.array(codeText).optional(),
    /** Who confirms this rule's entries; overrides the section's `confirmBy`. */
    confirmLevel: codeText.optional(),
    /** The approval level that decides an appeal of this rule's entries; overrides the section's. */
    appealLevel: codeText.optional(),
  });
  return z.strictObject({
    /**
     * Who confirms an entry: the manager of the person's department (部门负责人, the default),
     * and when that department has none, an approver at `confirmLevel` or above.
     */
    confirmLevel: codeText.optional(),
    /** The approval level (or higher) that decides appeals (申诉); required so an appeal always has a judge. */
    appealLevel: codeText,
    rules: z.array(rule).min(1),
  });
}

let built: ReturnType<typeof build> | undefined;
/** The section's schema (z.lazy in schema.ts). */
export function accountabilitySection(): ReturnType<typeof build> {
  return (built ??= build());
}
export type AccountabilityPolicy = z.infer<ReturnType<typeof build>>;
export type AccountabilityRule = AccountabilityPolicy['rules'][number];
