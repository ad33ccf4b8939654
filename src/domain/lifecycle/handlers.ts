/**
 * Who takes a case over when it changes hands without a person routing it: a case re-handled
 * one tier up (不满意 → 再次处理, 001 篇6 §6③, 002 篇2 §4.2) goes to the tier's handler, a major
 * case to where the policy sends it (000: straight to the customer service manager). Pure: the
 * service passes the organisation's staff in `Ctx.staff`.
 */
import { levelRank, type Policy } from '../policy/index.js';
import type { HandlerSelector } from '../policy/schema.js';
import type { Complaint, Role } from '../complaint/types.js';
import { avoidingUserIds } from '../permissions/relations.js';

/** A member of staff as the lifecycle needs to know them to hand a case over. */
export interface StaffMember {
  id: string;
  name: string;
  roles: Role[];
  managerOf: string[];
  approvalLevels: string[];
  active: boolean;
  /** The department they belong to (routing checks who else could handle a department's case). */
  departmentCode?: string | null;
  /** Away now (a recorded absence, services/absences.ts): never picked while someone present fits. */
  absent?: boolean;
}

/**
 * The person `selector` names for this case, or null when nobody fits: an active user, never the
 * complained-about person (回避). `department_manager`: a manager of the case's department;
 * `{ approvalLevel }`: an approver holding that level or a higher one, the lowest-ranked first
 * (the customer service manager before the general manager). Ties go by id, so the choice is
 * stable. Someone absent is chosen only when nobody present fits (002 篇7 §三: a day off never
 * delays a case; the absence job hands such a case on to a stand-in).
 */
export function pickHandler(selector: HandlerSelector, c: Complaint, policy: Policy, staff: readonly StaffMember[], departmentCode = c.departmentCode): StaffMember | null {
  const present = staff.filter((u) => !u.absent);
  return pickAmong(selector, c, policy, present, departmentCode) ?? (present.length < staff.length ? pickAmong(selector, c, policy, staff, departmentCode) : null);
}

function pickAmong(selector: HandlerSelector, c: Complaint, policy: Policy, staff: readonly StaffMember[], departmentCode: string | null): StaffMember | null {
  const avoiding = new Set(avoidingUserIds(c));
  const eligible = staff.filter((u) => u.active && !avoiding.has(u.id)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (selector === 'department_manager') return (departmentCode && eligible.find((u) => u.managerOf.includes(departmentCode))) || null;
  const need = levelRank(policy, selector.approvalLevel);
  if (need < 0) return null;
  const rankOf = (u: StaffMember) => {
    const held = u.approvalLevels.map((l) => levelRank(policy, l)).filter((r) => r >= need);
    return held.length ? Math.min(...held) : -1;
  };
  const fit = eligible.filter((u) => u.roles.includes('approver') && rankOf(u) >= 0);
  fit.sort((a, b) => rankOf(a) - rankOf(b));
  return fit[0] ?? null;
}

/** The approval level a proposal needs at the case's tier (escalation.tiers[].approvalLevel), if any. */
export function tierApprovalLevel(policy: Policy, tier: number): string | undefined {
  return policy.escalation.tiers[tier - 1]?.approvalLevel;
}

/** The higher of two approval levels (null: none needed). */
export function higherLevel(policy: Policy, a: string | null, b: string | null | undefined): string | null {
  if (!b) return a;
  if (!a) return b;
  return levelRank(policy, b) > levelRank(policy, a) ? b : a;
}

/** Whether a classify event's data says it also assigned the case (routing.majorTo found someone: `routed.to`). */
export function assignedOnClassify(data: Record<string, unknown>): boolean {
  return typeof (data.routed as { to?: unknown } | undefined)?.to === 'string';
}
