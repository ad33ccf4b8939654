/**
 * Clock rules at work (issue 10 §1; the policy section is domain/policy/clock-rules.ts): which
 * events a transition is, starting and stopping the rule clocks those events name, re-timing a
 * running rule clock when the case's grade or flags change its limit. Everything here changes the
 * transition's own ClockSet, so a rule clock changes in the transition's transaction like every
 * other clock. Also the cross-field check of the section (called from domain/policy/check.ts).
 * Who a rule's warning or breach tells is the notification table's (notifications.ts).
 */
import { ROLES, STATES, type Clock, type Complaint, type State } from '../complaint/types.js';
import { effectiveGrade, type PolicyProblem } from '../policy/check.js';
import { CLOCK_NAMES, TIER_ROLES, type ClockName, type Policy } from '../policy/schema.js';
import { CLOCK_RULE_RELATIONS, RULE_CLOCK_PREFIX, clockRulesOf, eventsOf, ruleClockKind, ruleLimit, ruleOfClock } from '../policy/clock-rules.js';
import { ACTIONS } from './machine.js';
import type { ClockSet } from './clocks.js';

/** Events that are not an action of the table: intake, and a case sent back by an unsatisfied follow-up. */
export const EXTRA_EVENTS = ['receive', 'reopen'] as const;

/** States after which no clock runs: a rule clock never starts on entering them. */
const FINAL: readonly State[] = ['invalid', 'closed', 'archived'];

/** The events one transition is: its action, the state it entered (when it changed), `reopen` for a new handling cycle. */
export function transitionEvents(action: string, from: State | null, to: State, cycleBefore: number, cycleAfter: number): string[] {
  const out = [action];
  if (from !== to) out.push(`state:${to}`);
  if (cycleAfter > cycleBefore) out.push('reopen');
  return out;
}

/**
 * Stops the rule clocks `events` stop, then starts (restarts) those they start, measured from
 * `startAt` (the time of receipt for `receive`), then re-times running rule clocks whose limit
 * the transition changed (a case graded or flagged). Returns the kinds started and stopped, and
 * the rule clocks re-timed with their limit and new due time (the timeline says why a clock moved
 * when only the grade or a flag changed).
 */
export function applyClockRules(
  policy: Policy,
  c: Complaint,
  clocks: ClockSet,
  events: readonly string[],
  startAt: Date,
  now: Date,
): { started: string[]; stopped: string[]; retimed: { clock: string; limit: string; dueAt: string | null }[] } {
  const started: string[] = [];
  const stopped: string[] = [];
  const retimed: { clock: string; limit: string; dueAt: string | null }[] = [];
  // A built-in clock the customer could not be reached in keeps its conditional limit when the
  // transition re-timed it (classify: the grade's usual limit) — the rule clocks' branch below.
  for (const kind of CLOCK_NAMES) {
    const k = clocks.get(kind);
    const due = k && conditionalLimit(policy, c, k, k.duration ?? undefined);
    if (k && due && k.status !== 'stopped' && k.duration !== null && k.duration !== due) clocks.retime(kind, due, now);
  }
  const rules = clockRulesOf(policy);
  if (!rules.length) return { started, stopped, retimed };
  const hits = (list: string | string[]) => eventsOf(list).some((e) => events.includes(e));
  for (const r of rules) {
    const kind = ruleClockKind(r.code);
    if (hits(r.stop) && clocks.get(kind)?.status !== 'stopped' && clocks.get(kind)) {
      clocks.stop(kind, now);
      stopped.push(kind);
    }
  }
  for (const r of rules) {
    const kind = ruleClockKind(r.code);
    const limit = ruleLimit(r, c, policy.defaultGrade);
    if (hits(r.start) && !FINAL.includes(c.state) && limit) {
      clocks.start(kind, limit, startAt, now);
      started.push(kind);
    } else if (limit && !started.includes(kind)) {
      const k = clocks.get(kind);
      // A clock the customer could not be reached in keeps its rule's `unreachable` limit (customerUnreachable below).
      const due = k ? conditionalLimit(policy, c, k, limit) : limit;
      if (k && due && k.status !== 'stopped' && k.duration !== null && k.duration !== due) {
        clocks.retime(kind, due, now);
        retimed.push({ clock: kind, limit: due, dueAt: clocks.get(kind)!.dueAt });
      }
    }
  }
  return { started, stopped, retimed };
}

/**
 * The conditional limit of a clock once the customer could not be reached (002 篇7: 24小时内没有联系上的
 * 客户 … 48小时): a rule clock's `clockRules[].unreachable`; a built-in clock's
 * `grades[].unreachable.<clock>` of the case's grade (raised when vicious, as its limits are), for
 * a complaint. Undefined when the policy sets none for that clock. One rule for both kinds of clock.
 */
export function unreachableLimit(policy: Policy, c: Pick<Complaint, 'kind' | 'grade' | 'vicious'>, kind: string): string | undefined {
  if (kind.startsWith(RULE_CLOCK_PREFIX)) return ruleOfClock(policy, kind)?.unreachable;
  // The grades' limits are a complaint's; an inquiry or a suggestion counts its kind's `resolve`.
  if (!(CLOCK_NAMES as readonly string[]).includes(kind) || c.kind !== 'complaint') return undefined;
  const code = effectiveGrade(policy, c.grade ?? policy.defaultGrade, { vicious: c.vicious });
  return policy.grades.find((g) => g.code === code)?.unreachable?.[kind as ClockName];
}

/**
 * The limit a clock counts to: its conditional limit once the customer could not be reached
 * (`customerUnreachableAt`) and the policy sets one for the case as it is now, else `usual`. From
 * then on it replaces the clock's other limits (a later grading does not put the 24 h back).
 */
function conditionalLimit(policy: Policy, c: Pick<Complaint, 'kind' | 'grade' | 'vicious'>, k: Clock, usual: string | undefined): string | undefined {
  return (k.customerUnreachableAt ? unreachableLimit(policy, c, k.kind) : undefined) ?? usual;
}

/**
 * Staff could not reach the customer (`contact_failed`, 002 篇7: 24小时内没有联系上的客户 … 48小时):
 * every clock with a conditional limit (`unreachableLimit`: a rule's, or the grade's for a
 * built-in clock) that is still on (running or paused) and has not breached — by the sweeper's
 * mark or by its due time already past — is re-timed to that limit, counted from the clock's own
 * start, and remembers when (`customerUnreachableAt`). A breached clock, one already re-timed and
 * a clock started later keep their limits: the condition belongs to the window in which the
 * attempt was made. Returns the clocks re-timed with their new due time, the built-in clocks
 * first, then the rule clocks in the policy's order.
 */
export function customerUnreachable(policy: Policy, c: Pick<Complaint, 'kind' | 'grade' | 'vicious'>, clocks: ClockSet, now: Date): { clock: string; dueAt: string | null }[] {
  const out: { clock: string; dueAt: string | null }[] = [];
  for (const kind of [...CLOCK_NAMES, ...clockRulesOf(policy).map((r) => ruleClockKind(r.code))]) {
    const limit = unreachableLimit(policy, c, kind);
    const k = clocks.get(kind);
    if (!limit || !k || k.status === 'stopped' || k.breachedAt || k.customerUnreachableAt || k.duration === null) continue;
    if (k.dueAt && Date.parse(k.dueAt) <= now.getTime()) continue;
    k.customerUnreachableAt = now.toISOString();
    clocks.retime(kind, limit, now);
    out.push({ clock: kind, dueAt: clocks.get(kind)!.dueAt });
  }
  return out;
}

/** Rule clocks that keep running while the case is pending (`pause: false`). */
export function unpausedRuleClocks(policy: Policy): string[] {
  return clockRulesOf(policy)
    .filter((r) => !r.pause)
    .map((r) => ruleClockKind(r.code));
}

/** Whether a breach of this clock escalates the case (a rule clock: its `breach.escalate`). */
export function ruleEscalates(policy: Policy, kind: string): boolean | undefined {
  return ruleOfClock(policy, kind)?.breach.escalate;
}

/** Cross-field rules of `clockRules`: unique codes, known events, grades, channels, calendars and notify targets, start ≠ stop. */
export function checkClockRules(p: Policy): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  const add = (path: string, zh: string, en: string) => out.push({ path, message: { 'zh-CN': zh, en } });
  const known = [...Object.keys(ACTIONS).filter((a) => a !== 'complete_duty'), ...EXTRA_EVENTS, ...STATES.map((s) => `state:${s}`)];
  const seen = new Set<string>();
  const notifiable = [...new Set([...ROLES, ...TIER_ROLES])] as string[];
  clockRulesOf(p).forEach((r, i) => {
    const at = `clockRules[${i}]`;
    if (seen.has(r.code)) add(`${at}.code`, `时限规则代码“${r.code}”重复`, `duplicate clock rule code "${r.code}"`);
    seen.add(r.code);
    for (const side of ['start', 'stop'] as const) {
      const list = r[side];
      eventsOf(list).forEach((e, j) => {
        if (!known.includes(e)) {
          const path = typeof list === 'string' ? `${at}.${side}` : `${at}.${side}[${j}]`;
          add(path, `未知的流程事件“${e}”（可用：流程动作名、receive、reopen、state:<状态>）`, `unknown lifecycle event "${e}" (use an action name, receive, reopen or state:<state>; actions: ${Object.keys(ACTIONS).join(', ')})`);
        }
      });
    }
    const both = eventsOf(r.start).filter((e) => eventsOf(r.stop).includes(e));
    if (both.length) add(`${at}.stop`, `同一事件不能既开始又停止时限：${both.join('、')}`, `an event cannot both start and stop the clock: ${both.join(', ')}`);
    if (!r.limit && !r.grades && !r.kinds && !r.flags && !r.channels) add(`${at}.limit`, '须设置时限（limit，或按等级、类型、标记、渠道设置）', 'set a limit (limit, or per grade, kind, flag or channel)');
    for (const g of Object.keys(r.grades ?? {})) if (!p.grades.some((x) => x.code === g)) add(`${at}.grades.${g}`, `未定义的等级“${g}”`, `no grade "${g}" is defined`);
    for (const ch of Object.keys(r.channels ?? {})) if (!p.channels.includes(ch)) add(`${at}.channels.${ch}`, `未定义的渠道“${ch}”`, `no channel "${ch}" is defined (channels: ${p.channels.join(', ')})`);
    if (r.calendar !== undefined && !Object.keys(p.calendars ?? {}).includes(r.calendar)) add(`${at}.calendar`, `未定义的日历“${r.calendar}”`, `no calendar "${r.calendar}" is defined in calendars`);
    if (r.breach.raiseGrade !== undefined && !p.grades.some((x) => x.code === r.breach.raiseGrade)) add(`${at}.breach.raiseGrade`, `未定义的等级“${r.breach.raiseGrade}”`, `no grade "${r.breach.raiseGrade}" is defined`);
    for (const when of ['warn', 'breach'] as const)
      r[when].notify.forEach((t, j) => {
        const role = t.startsWith('role:') ? t.slice(5) : null;
        if (role !== null ? !notifiable.includes(role) : !(CLOCK_RULE_RELATIONS as readonly string[]).includes(t))
          add(`${at}.${when}.notify[${j}]`, `通知对象须为 role:<角色> 或 ${CLOCK_RULE_RELATIONS.join('、')}`, `notify role:<role> (${notifiable.join(', ')}) or one of ${CLOCK_RULE_RELATIONS.join(', ')}`);
      });
  });
  return out;
}
