/**
 * Routing a case to its department and handlers (route, reroute): the department a route goes to,
 * the guard (a known, active department; nobody who must avoid the case; nobody away while a
 * present colleague could take it) and the effect (handlers set, dispatch clock stopped, first
 * response started, `assigned` recorded).
 */
import type { z } from 'zod';
import type { Policy } from '../policy/index.js';
import type { Complaint, State } from '../complaint/types.js';
import { fieldProblem } from '../errors.js';
import { avoidingUserIds } from '../permissions/relations.js';
import type { StaffMember } from './handlers.js';
import type * as I from './inputs.js';
import type { Ctx, Draft, GuardRefusal } from './action-spec.js';
import { unknownCode } from './guards.js';
import { limits } from './effects.js';

export type RouteIn = z.output<typeof I.RouteInput>;

/** The department a route goes to: the one named, else the policy's routing rule for the category. */
export function routedDepartment(c: Complaint, input: RouteIn, policy: Policy): string | undefined {
  return input.departmentCode ?? policy.categories.find((x) => x.code === c.category)?.department;
}

export function avoidanceOnAssignees(c: Complaint, ids: (string | undefined)[]): GuardRefusal | null {
  const avoiding = avoidingUserIds(c);
  for (const [i, uid] of ids.entries()) {
    if (uid && avoiding.includes(uid)) {
      const path = i === 0 ? 'primaryHandlerId' : i === 1 ? 'backupHandlerId' : 'coHandlerIds';
      return {
        code: 'avoidance',
        detail: `${uid} is the complained-about party`,
        fields: [fieldProblem(path, '被投诉人须回避，不能被指派处理本案', 'The complained-about person cannot be assigned to this case')],
      };
    }
  }
  return null;
}

export function routeGuard(c: Complaint, input: RouteIn, { policy, staff, deactivatedDepartments }: Ctx): GuardRefusal | null {
  const dept = routedDepartment(c, input, policy);
  if (!dept) return { code: 'invalid_input', detail: 'no department and no routing rule', fields: [fieldProblem('departmentCode', '此类别没有默认部门，请选择责任部门', 'This category has no default department: choose one')] };
  const known = policy.departments.find((x) => x.code === dept);
  if (!known) return unknownCode('departmentCode', 'department', dept);
  // A deactivated department is kept for the cases and people that name it, and takes no new work.
  if (known.active === false || deactivatedDepartments?.has(dept))
    return {
      code: 'invalid_input',
      detail: `departmentCode: '${dept}' is deactivated`,
      fields: [fieldProblem('departmentCode', '该部门已停用，不再接收新的案件', 'This department is deactivated and takes no new cases', '該部門已停用，不再接收新的案件')],
    };
  return avoidanceOnAssignees(c, [input.primaryHandlerId, input.backupHandlerId, ...input.coHandlerIds]) ?? absentAssignee(c, input, staff, dept);
}

/**
 * Routing never names someone away as primary or backup handler while a present colleague of the
 * department could take the case instead (002 篇7 §三: a day off never delays a case). Needs the
 * staff with their absence (`Ctx.staff`); without it nothing is checked. When nobody present
 * could, the route stands and the absence job hands the case on (services/absences.ts).
 */
export function absentAssignee(c: Complaint, input: RouteIn, staff: readonly StaffMember[] | undefined, dept: string): GuardRefusal | null {
  if (!staff) return null;
  const avoiding = avoidingUserIds(c);
  const present = staff.filter((u) => u.active && !u.absent && !avoiding.includes(u.id) && (u.roles.includes('handler') || u.roles.includes('approver')) && (u.departmentCode === dept || u.managerOf.includes(dept)));
  const named: [string, string | undefined][] = [
    ['primaryHandlerId', input.primaryHandlerId],
    ['backupHandlerId', input.backupHandlerId],
  ];
  for (const [path, uid] of named) {
    if (!uid || !staff.find((u) => u.id === uid)?.absent) continue;
    const instead = present.filter((u) => u.id !== uid && (path === 'primaryHandlerId' || u.id !== input.primaryHandlerId));
    if (instead.length)
      return { code: 'invalid_input', detail: `${path}: ${uid} is away`, fields: [fieldProblem(path, '此人正在缺勤，请指派在岗的处理人', 'This person is away: assign someone present', '此人正在缺勤，請指派在崗的處理人')] };
  }
  return null;
}

export function routeEffect(d: Draft, input: RouteIn, ctx: Ctx): State {
  Object.assign(d.c, {
    departmentCode: routedDepartment(d.c, input, ctx.policy)!,
    primaryHandlerId: input.primaryHandlerId,
    backupHandlerId: input.backupHandlerId ?? null,
    coHandlerIds: input.coHandlerIds.filter((x) => x !== input.primaryHandlerId && x !== input.backupHandlerId),
  });
  d.clocks.stop('dispatch', ctx.now);
  const l = limits(d.c, ctx.policy);
  if (l.first_response && d.c.kind === 'complaint') d.clocks.start('first_response', l.first_response, ctx.now, ctx.now);
  d.happened.push({ type: 'assigned', major: false });
  return 'assigned';
}
