/**
 * Clock rules (issue 10 §1): clocks a policy declares beside the five built-in ones — a name, the
 * lifecycle event that starts it and the one that stops it, the limit per grade / kind / flag /
 * channel, the calendar it counts on, and what its warning and breach do. "Propose a solution
 * within 30 minutes of receipt" (001 篇3 §16) starts at `receive` and stops at `propose`; the
 * chain of 002 篇7 (responsibility 24 h, management review 4 h, GM 4 h, implementation 8 h) is one
 * rule per link, each started by the event that stops the one before.
 *
 * Optional: a policy without `clockRules` (every policy stored before the section existed) has
 * only the built-in clocks, exactly as before. A rule clock is stored as kind `rule:<code>`.
 *
 * Events: a lifecycle action's name (`route`, `accept`, `investigate`, `propose`, `approve`,
 * `answer`, `follow_up`, …, checked against the machine in domain/lifecycle/clock-rules.ts),
 * `receive` (intake, counted from the time of receipt), `reopen` (an unsatisfied follow-up sends
 * the case back for handling) or `state:<state>` (the case enters that state by any action).
 */
import { z } from 'zod';
import { codeText, durationText, i18nText, type IssueText } from './schema.js';

/** Kind prefix of a rule clock in the `clocks` table. */
export const RULE_CLOCK_PREFIX = 'rule:';

/** Who a rule's warning or breach tells: `role:<role>` or a relation to the case. */
export const CLOCK_RULE_RELATIONS = ['primary_handler', 'backup_handler', 'first_responder', 'department_manager'] as const;

/*
 * schema.ts imports this file for its one line and this file reads schema.ts's building blocks:
 * the section is built on first use (after both modules have loaded), never at import time.
 */
function build() {
  const eventName = z.string().superRefine((s, ctx) => {
    if (!/^(?:state:)?[a-z_]{1,64}$/.test(s))
      ctx.addIssue({
        code: 'custom',
        params: { 'zh-CN': `“${s}”不是流程事件：应写动作名（如 propose）、receive、reopen 或 state:<状态>`, en: `"${s}" is not a lifecycle event: write an action name (e.g. propose), receive, reopen or state:<state>` } satisfies IssueText,
      });
  });
  const events = z.union([eventName, z.array(eventName).min(1).max(50)]);

  const target = z.string().superRefine((s, ctx) => {
    if (!/^(?:role:)?[a-z_]{1,64}$/.test(s))
      ctx.addIssue({
        code: 'custom',
        params: { 'zh-CN': `“${s}”不是通知对象：应写 role:<角色> 或案件关系（如 primary_handler）`, en: `"${s}" is not someone to notify: write role:<role> or a relation to the case (e.g. primary_handler)` } satisfies IssueText,
      });
  });

  const clockRule = z.strictObject({
    /** Stable code; the clock is stored as `rule:<code>`. */
    code: codeText,
    /** What the console, the timeline and the reports call it. */
    name: i18nText,
    /** Event(s) that start (or restart) the clock. */
    start: events,
    /** Event(s) that stop it (closing the case or judging it invalid stops every clock anyway). */
    stop: events,
    /** The limit when none of the more specific ones below applies; without it the rule only applies where one does. */
    limit: durationText.optional(),
    /** Per grade (the case's current grade, re-timed when it changes). */
    grades: z.record(codeText, durationText).optional(),
    /** Per kind of case. */
    kinds: z.partialRecord(z.enum(['complaint', 'inquiry', 'suggestion']), durationText).optional(),
    /** Per flag: an emergency or a vicious case. */
    flags: z.strictObject({ emergency: durationText.optional(), vicious: durationText.optional() }).optional(),
    /** Per channel of receipt. */
    channels: z.record(codeText, durationText).optional(),
    /**
     * The conditional limit when the customer could not be reached (002 篇7: 24小时内没有联系上的客户 … 48小时):
     * staff record the failed attempt (`contact_failed`) while this rule's clock runs and before it
     * breaches, and the clock is re-timed to this limit counted from its own start. It then
     * replaces the rule's other limits for that clock; a clock started later counts as usual.
     */
    unreachable: durationText.optional(),
    /** A named calendar (`calendars`) the clock counts on; the default calendar otherwise. */
    calendar: codeText.optional(),
    /** Whether the clock pauses while the case is pending (未了事宜), as the built-in ones do. */
    pause: z.boolean().default(true),
    warn: z
      .strictObject({
        notify: z
          .array(target)
          .max(10)
          .default(() => []),
      })
      .prefault({}),
    breach: z
      .strictObject({
        /** Escalate the case one tier, as a breached handling clock does. */
        escalate: z.boolean().default(true),
        notify: z
          .array(target)
          .max(10)
          .default(() => []),
        /** Raise the case to at least this grade. */
        raiseGrade: codeText.optional(),
        /** Tell the customer (the `overdue_notice` message: sorry, the case is being pressed) — a promise made to them was missed. */
        tellCustomer: z.boolean().default(false),
      })
      .prefault({}),
    /** Seed reference, for people reading the policy. */
    source: z.string().min(1).max(200).optional(),
  });

  return z.array(clockRule).max(50);
}

let built: ReturnType<typeof build> | undefined;
/** The section's schema (z.lazy in schema.ts). */
export function clockRulesSection(): ReturnType<typeof build> {
  return (built ??= build());
}
export type ClockRule = z.infer<ReturnType<typeof build>>[number];

/** The policy's clock rules; none for a policy stored before the section existed. */
export function clockRulesOf(policy: { clockRules?: ClockRule[] | undefined }): ClockRule[] {
  return policy.clockRules ?? [];
}

export function ruleClockKind(code: string): string {
  return `${RULE_CLOCK_PREFIX}${code}`;
}

/** The rule a clock kind belongs to, if it is a rule clock of this policy. */
export function ruleOfClock(policy: { clockRules?: ClockRule[] | undefined }, kind: string): ClockRule | undefined {
  if (!kind.startsWith(RULE_CLOCK_PREFIX)) return undefined;
  const code = kind.slice(RULE_CLOCK_PREFIX.length);
  return clockRulesOf(policy).find((r) => r.code === code);
}

export function eventsOf(x: string | string[]): string[] {
  return typeof x === 'string' ? [x] : x;
}

/**
 * The limit of a rule for a case: the flag's (emergency, then vicious), else the channel's, else
 * the grade's, else the kind's, else `limit`; undefined when none applies (the clock does not run).
 */
export function ruleLimit(rule: ClockRule, c: { kind: string; grade: string | null; emergency: boolean; vicious: boolean; channel: string }, defaultGrade: string): string | undefined {
  return (c.emergency ? rule.flags?.emergency : undefined) ?? (c.vicious ? rule.flags?.vicious : undefined) ?? rule.channels?.[c.channel] ?? rule.grades?.[c.grade ?? defaultGrade] ?? rule.kinds?.[c.kind as 'complaint'] ?? rule.limit;
}
