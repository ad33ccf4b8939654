/**
 * Need-to-know visibility (001 篇1 §二(七)4, 003 规范1/3) and avoidance (回避, 001 篇1 §二(一),
 * 002 篇7 §四). The store's list query applies the same rules in SQL
 * (store/complaint.repository.ts `visibleTo`); a test checks the two agree.
 */
import type { Actor, Complaint, Role } from '../complaint/types.js';

/** Roles that oversee every case (triage, administration, audit). */
export const OVERSIGHT_ROLES: readonly Role[] = ['specialist', 'admin', 'auditor'];

/** States in which follow-up callers need to see a case (their worklist). */
export const FOLLOWUP_STATES = ['answered', 'followed_up'] as const;

export function isComplainedAbout(c: Pick<Complaint, 'subject'>, actor: Actor): boolean {
  return actor.kind === 'user' && c.subject.employeeIds.includes(actor.id);
}

export function isInvolved(c: Complaint, actor: Actor): boolean {
  return (
    c.firstResponderId === actor.id ||
    c.primaryHandlerId === actor.id ||
    c.backupHandlerId === actor.id ||
    c.coHandlerIds.includes(actor.id) ||
    c.approverIds.includes(actor.id) ||
    c.followUp.callerIds.includes(actor.id) ||
    (!!c.departmentCode && actor.managerOf.includes(c.departmentCode))
  );
}

/**
 * Whether the actor may see the case at all. Approvers see cases waiting for a decision (the
 * approval queue; the level check is the action's guard), follow-up callers the cases waiting
 * for or done with follow-up.
 */
export function canSee(c: Complaint, actor: Actor): boolean {
  if (actor.kind === 'system') return true;
  if (isComplainedAbout(c, actor)) return false;
  if (actor.roles.some((r) => OVERSIGHT_ROLES.includes(r))) return true;
  if (isInvolved(c, actor)) return true;
  if (actor.roles.includes('approver') && (c.state === 'awaiting_approval' || c.extensionRequest !== null)) return true;
  if (actor.roles.includes('followup') && (FOLLOWUP_STATES as readonly string[]).includes(c.state)) return true;
  return false;
}
