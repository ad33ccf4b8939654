/**
 * Cross-field rules of a policy's `duties` section (called from domain/policy/check.ts): a duty's
 * code is unique, `on` names a lifecycle action, the owner is a role or a relation to the case
 * (relations only for case duties), the role to escalate to exists, and a reminder comes before
 * the due time (same unit, smaller amount).
 */
import type { PolicyProblem } from '../policy/check.js';
import type { Policy } from '../policy/schema.js';
import { ROLES } from '../complaint/types.js';
import { TIER_ROLES } from '../policy/schema.js';
import { ACTIONS } from '../lifecycle/machine.js';
import { parseDuration } from '../calendar/index.js';
import { DUTY_RELATIONS, dutiesOf } from '../policy/duties.js';

export function checkDuties(p: Policy): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  const add = (path: string, zh: string, en: string) => out.push({ path, message: { 'zh-CN': zh, en } });
  const seen = new Set<string>();
  const actions = Object.keys(ACTIONS).filter((a) => a !== 'complete_duty');
  dutiesOf(p).forEach((d, i) => {
    const at = `duties[${i}]`;
    if (seen.has(d.code)) add(`${at}.code`, `职责代码“${d.code}”重复`, `duplicate duty code "${d.code}"`);
    seen.add(d.code);
    if (d.on !== undefined && !actions.includes(d.on)) add(`${at}.on`, `未知的流程动作“${d.on}”`, `unknown lifecycle action "${d.on}" (actions: ${actions.join(', ')})`);
    const role = d.owner.startsWith('role:') ? d.owner.slice(5) : null;
    if (role !== null) {
      if (!(ROLES as readonly string[]).includes(role)) add(`${at}.owner`, `未知的角色“${role}”`, `unknown role "${role}" (roles: ${ROLES.join(', ')})`);
    } else if (!(DUTY_RELATIONS as readonly string[]).includes(d.owner)) add(`${at}.owner`, `负责人须为 role:<角色> 或 ${DUTY_RELATIONS.join('、')}`, `the owner is role:<role> or one of ${DUTY_RELATIONS.join(', ')}`);
    else if (d.schedule) add(`${at}.owner`, '定期职责不属于某个案件，负责人须为角色', 'a scheduled duty belongs to no case: its owner is a role');
    d.grades?.forEach((g, j) => {
      if (!p.grades.some((x) => x.code === g)) add(`${at}.grades[${j}]`, `未定义的等级“${g}”`, `no grade "${g}" is defined`);
    });
    if (d.schedule && d.from !== undefined) add(`${at}.from`, '定期职责不属于某个案件，不能从受理时起算', 'a scheduled duty belongs to no case: it counts from its schedule, not from a receipt');
    if (d.schedule && d.grades) add(`${at}.grades`, '定期职责不属于某个案件，不能按等级限定', 'a scheduled duty belongs to no case: it has no grades');
    if (d.schedule && d.record === 'report') add(`${at}.record`, '定期职责不属于某个案件，不能要求附件（请用 note 或 verification）', 'a scheduled duty belongs to no case and has no case files: record a note or a verification');
    const notifiable = [...new Set([...ROLES, ...TIER_ROLES])];
    if (d.escalateTo !== undefined && !notifiable.includes(d.escalateTo as never)) add(`${at}.escalateTo`, `未知的角色“${d.escalateTo}”`, `unknown role "${d.escalateTo}" (roles: ${notifiable.join(', ')})`);
    const due = parseDuration(d.due);
    d.remind.forEach((r, j) => {
      const before = parseDuration(r);
      if (before.unit !== due.unit || before.amount >= due.amount) add(`${at}.remind[${j}]`, `提醒（${r}）须与期限（${d.due}）同单位且更短`, `a reminder (${r}) must be in the due time's unit and shorter than it (${d.due})`);
    });
  });
  return out;
}
