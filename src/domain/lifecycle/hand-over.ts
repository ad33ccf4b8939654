/**
 * A case changing hands without a person routing it: re-handling one tier up after an unsatisfied
 * follow-up (follow_up), and how a handler selector is shown on the timeline (also classify's
 * `routing.majorTo`). Who fits is handlers.ts's `pickHandler`.
 */
import type { HandlerSelector } from '../policy/schema.js';
import { pickHandler } from './handlers.js';
import type { Ctx, Draft } from './action-spec.js';

/** A handler selector as the timeline shows it. */
export function describeSelector(s: HandlerSelector): string {
  return s === 'department_manager' ? 'department_manager' : `approvalLevel:${s.approvalLevel}`;
}

/**
 * Hands the case to the person `selector` names (re-handling one tier up): they become the primary
 * handler; the previous handlers stay on as co-handlers (they know the case). Nobody fitting (or
 * only the complained-about person) leaves the handlers in place and tells the specialists.
 */
export function handOver(d: Draft, ctx: Ctx, selector: HandlerSelector, by: string): void {
  const who = pickHandler(selector, d.c, ctx.policy, ctx.staff ?? []);
  if (!who) {
    d.eventData.handover = { to: null, by, selector: describeSelector(selector), note: 'nobody fits: the handlers keep the case' };
    d.happened.push({ type: 'handover_failed' });
    return;
  }
  if (who.id === d.c.primaryHandlerId) return;
  const previous = [d.c.primaryHandlerId, d.c.backupHandlerId].filter((x): x is string => !!x);
  d.eventData.handover = { to: who.id, toName: who.name, by, selector: describeSelector(selector), previous: { primaryHandlerId: d.c.primaryHandlerId, backupHandlerId: d.c.backupHandlerId } };
  d.c.primaryHandlerId = who.id;
  d.c.backupHandlerId = null;
  d.c.coHandlerIds = [...new Set([...d.c.coHandlerIds, ...previous])].filter((x) => x !== who.id);
}
