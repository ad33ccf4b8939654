/**
 * Who stands in for an absent colleague (issue 10 §3). Pure: the staff come with their absence
 * flag (`StaffMember.absent`, computed by services/absences.ts for the instant of the decision).
 *
 * - The primary handler away (002 篇7 §三: 每个环节都应安排主要责任人和次要责任人，不得由于人员休息
 *   延误处理时效): the case passes to its backup handler; without a present backup to the stand-in
 *   the absence names; else to the head of the case's department.
 * - An approver away (001 篇1 二(二): 如分管合伙人不在，则由主任或其他合伙人处理): a decision waiting
 *   for them goes to the absence's stand-in; else to another holder of the same level (their own
 *   department first); else to the lowest-ranked holder of a higher level.
 *
 * Nobody absent and never the complained-about person (回避) is chosen, a stand-in included.
 */
import type { Complaint, ComplaintKind, State } from '../complaint/types.js';
import { fieldProblem, type FieldProblem } from '../errors.js';
import { levelRank, type Policy } from '../policy/index.js';
import { avoidingUserIds } from '../permissions/relations.js';
import type { StaffMember } from '../lifecycle/handlers.js';
import { extensionLevel } from '../lifecycle/extension-stages.js';

/** What a stand-in takes over: a case the absent person is the primary handler of, or a decision waiting for them. */
export const DUTIES = ['primary_handler', 'approval'] as const;
export type Duty = (typeof DUTIES)[number];

/** How the stand-in was found (recorded on the timeline). */
export type StandInBy = 'backup' | 'stand_in' | 'department_manager' | 'same_level' | 'higher_level';

export interface StandInChoice {
  who: StaffMember | null;
  by: StandInBy | null;
}

/** The states a primary handler works a case in (what an absence hands over). */
export const HANDLING_STATES: Readonly<Partial<Record<ComplaintKind, readonly State[]>>> = {
  complaint: ['assigned', 'investigating', 'investigated', 'awaiting_approval', 'implementing', 'pending'],
  suggestion: ['assigned'],
};

export function inHandling(c: Pick<Complaint, 'kind' | 'state'>): boolean {
  return !!HANDLING_STATES[c.kind]?.includes(c.state);
}

const byId = (a: StaffMember, b: StaffMember) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Someone who can take work on this case now: active, present, not the absent person, not avoiding it. */
function available(c: Complaint, absentId: string): (u: StaffMember | undefined) => u is StaffMember {
  const avoid = new Set(avoidingUserIds(c));
  return (u): u is StaffMember => !!u && u.active && !u.absent && u.id !== absentId && !avoid.has(u.id);
}

/** Handlers and approvers may be assigned a case (services/act-on-complaint.ts checks the same at routing). */
function canHandle(u: StaffMember): boolean {
  return u.roles.includes('handler') || u.roles.includes('approver');
}

/** The stand-in for a case whose primary handler `absentId` is away; `explicitId`: the stand-in their absence names. */
export function handlerStandIn(c: Complaint, staff: readonly StaffMember[], absentId: string, explicitId?: string | null): StandInChoice {
  const ok = available(c, absentId);
  const find = (id: string | null | undefined) => (id ? staff.find((u) => u.id === id) : undefined);
  const backup = find(c.backupHandlerId);
  if (ok(backup)) return { who: backup, by: 'backup' };
  const explicit = find(explicitId);
  if (ok(explicit) && canHandle(explicit)) return { who: explicit, by: 'stand_in' };
  const dept = c.departmentCode;
  const head = dept ? staff.filter((u) => ok(u) && u.managerOf.includes(dept)).sort(byId)[0] : undefined;
  return head ? { who: head, by: 'department_manager' } : { who: null, by: null };
}

/** The approval level a case waits for a decision at: its proposal's, else its extension request's; null when none waits. */
export function awaitedLevel(c: Complaint, policy: Policy): string | null {
  if (c.state === 'awaiting_approval' && c.proposal?.requiredLevel) return c.proposal.requiredLevel;
  if (c.extensionRequest) return extensionLevel(c, policy);
  return null;
}

/** The rank of the lowest of `u`'s levels that reaches rank `need`; -1 when none does (or `u` approves nothing). */
function reach(policy: Policy, u: StaffMember, need: number): number {
  if (!u.roles.includes('approver')) return -1;
  const ranks = u.approvalLevels.map((l) => levelRank(policy, l)).filter((r) => r >= need);
  return ranks.length ? Math.min(...ranks) : -1;
}

/**
 * Whom a waiting decision is addressed to: the approvers holding the lowest level that can decide
 * it (the required level's own holders — 分管合伙人 — before a higher one such as the 主任), present
 * or not, never the complained-about person.
 */
export function awaitedApprovers(c: Complaint, policy: Policy, staff: readonly StaffMember[]): StaffMember[] {
  const level = awaitedLevel(c, policy);
  const need = level ? levelRank(policy, level) : -1;
  if (need < 0) return [];
  const avoid = new Set(avoidingUserIds(c));
  const fit = staff.filter((u) => u.active && !avoid.has(u.id) && reach(policy, u, need) >= 0);
  const lowest = Math.min(...fit.map((u) => reach(policy, u, need)));
  return fit.filter((u) => reach(policy, u, need) === lowest).sort(byId);
}

/** The stand-in for a decision waiting for approver `absentId`; `explicitId`: the stand-in their absence names. */
export function approvalStandIn(c: Complaint, policy: Policy, staff: readonly StaffMember[], absentId: string, explicitId?: string | null): StandInChoice {
  const level = awaitedLevel(c, policy);
  const need = level ? levelRank(policy, level) : -1;
  if (need < 0) return { who: null, by: null };
  const ok = available(c, absentId);
  const fits = (u: StaffMember | undefined): u is StaffMember => ok(u) && reach(policy, u, need) >= 0;
  const explicit = explicitId ? staff.find((u) => u.id === explicitId) : undefined;
  if (fits(explicit)) return { who: explicit, by: 'stand_in' };
  const absent = staff.find((u) => u.id === absentId);
  const own = absent ? reach(policy, absent, need) : -1;
  const sameDept = (u: StaffMember) => (absent && (u.departmentCode ?? null) === (absent.departmentCode ?? null) ? 0 : 1);
  const candidates = staff.filter(fits).sort((a, b) => reach(policy, a, need) - reach(policy, b, need) || sameDept(a) - sameDept(b) || byId(a, b));
  const first = candidates[0];
  if (!first) return { who: null, by: null };
  return { who: first, by: reach(policy, first, need) === own ? 'same_level' : 'higher_level' };
}

/** The highest approval level `u` holds in the policy, if any. */
export function topLevel(policy: Policy, u: Pick<StaffMember, 'approvalLevels'>): string | null {
  let best: string | null = null;
  for (const l of u.approvalLevels) if (levelRank(policy, l) >= 0 && (best === null || levelRank(policy, l) > levelRank(policy, best))) best = l;
  return best;
}

/**
 * Why `standIn` cannot be named as `absent`'s stand-in (field `standInId`), empty when they can:
 * an active colleague of the same department who can do the absent person's work — handle cases
 * if they handle cases, approve at least at the absent approver's highest level (the same level
 * or above: 主任或其他合伙人) — and who is not away themself during the absence.
 */
export function standInProblems(policy: Policy, absent: StaffMember, standIn: StaffMember | undefined, standInAway: boolean): FieldProblem[] {
  const f = (zh: string, en: string, tw: string) => [fieldProblem('standInId', zh, en, tw)];
  if (!standIn || !standIn.active) return f('没有此用户', 'No such user', '沒有此使用者');
  if (standIn.id === absent.id) return f('代理人不能是缺勤人本人', 'The stand-in cannot be the absent person', '代理人不能是缺勤人本人');
  if ((standIn.departmentCode ?? null) !== (absent.departmentCode ?? null)) return f('代理人须与缺勤人属于同一部门', 'The stand-in must belong to the same department', '代理人須與缺勤人屬於同一部門');
  if (absent.roles.includes('handler') && !canHandle(standIn)) return f('代理人须能处理案件（处理人或审批人）', 'The stand-in must be able to handle cases (a handler or an approver)', '代理人須能處理案件（處理人或審批人）');
  const level = topLevel(policy, absent);
  if (absent.roles.includes('approver') && level && !(standIn.roles.includes('approver') && reach(policy, standIn, levelRank(policy, level)) >= 0))
    return f(`代理人的审批级别须不低于缺勤人（${level}）`, `The stand-in must approve at the absent person's level (${level}) or above`, `代理人的審批級別須不低於缺勤人（${level}）`);
  if (standInAway) return f('代理人在此期间也缺勤', 'The stand-in is away during this absence too', '代理人在此期間也缺勤');
  return [];
}
