/**
 * Effect helpers the lifecycle table's actions share (machine.ts): the case's limits, the tier
 * ceiling, opening the follow-up window and raising the grade. They change the draft and record
 * domain events; none addresses a message (notifications.ts does).
 */
import { gradeRank, limitsFor, type Policy } from '../policy/index.js';
import type { Complaint } from '../complaint/types.js';
import type { Ctx, Draft } from './action-spec.js';

export function maxTier(p: Policy): number {
  return p.escalation.tiers.length;
}

/** Limits of the case's grade and flags (emergency overrides, vicious raises). */
export function limits(c: Complaint, p: Policy) {
  return limitsFor(p, c.grade ?? p.defaultGrade, { vicious: c.vicious, emergency: c.emergency });
}

/** Starts the follow-up window, or leaves the case ready to close when the policy needs none. */
export function startFollowUp(d: Draft, ctx: Ctx): void {
  if (d.c.kind !== 'complaint' || !ctx.policy.followUp.required) return;
  d.clocks.start('follow_up', ctx.policy.followUp.window, ctx.now, ctx.now);
  d.happened.push({ type: 'follow_up_started', dueAt: d.clocks.get('follow_up')?.dueAt ?? null });
}

/** Raises the case to `to` when that is a higher grade than its own (a grade-rise clock, a rule clock's breach). */
export function raiseGradeTo(d: Draft, p: Policy, to: string): void {
  const from = d.c.grade ?? p.defaultGrade;
  if (gradeRank(p, to) > gradeRank(p, from)) {
    d.c.grade = to;
    d.eventData.grade = { from, to };
    d.happened.push({ type: 'grade_raised', from, to });
  }
}
