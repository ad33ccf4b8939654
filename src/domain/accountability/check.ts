/**
 * Cross-field rules of a policy's `accountability` section (called from domain/policy/check.ts):
 * the levels it names exist, a range is ordered, each rule code is unique, a rule's options fit
 * its trigger.
 */
import type { PolicyProblem } from '../policy/check.js';
import type { Policy } from '../policy/schema.js';

export function checkAccountability(p: Policy): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  const a = p.accountability;
  if (!a) return out;
  const add = (path: string, zh: string, en: string) => out.push({ path, message: { 'zh-CN': zh, en } });
  const levels = p.approval.levels.map((l) => l.code);
  const grades = p.grades.map((g) => g.code);
  const level = (path: string, code: string | undefined) => {
    if (code !== undefined && !levels.includes(code)) add(path, `未定义的审批级别“${code}”（已定义：${levels.join(', ')}）`, `no approval level "${code}" is defined (levels: ${levels.join(', ')})`);
  };
  level('accountability.appealLevel', a.appealLevel);
  level('accountability.confirmLevel', a.confirmLevel);
  const seen = new Set<string>();
  a.rules.forEach((r, i) => {
    const at = `accountability.rules[${i}]`;
    if (seen.has(r.code)) add(`${at}.code`, `规则代码“${r.code}”重复`, `duplicate rule code "${r.code}"`);
    seen.add(r.code);
    level(`${at}.confirmLevel`, r.confirmLevel);
    level(`${at}.appealLevel`, r.appealLevel);
    r.grades?.forEach((g, j) => {
      if (!grades.includes(g)) add(`${at}.grades[${j}]`, `未定义的等级“${g}”`, `no grade "${g}" is defined`);
    });
    if (typeof r.amount === 'object' && r.amount.min > r.amount.max) add(`${at}.amount`, '金额范围的下限不能大于上限', 'the range minimum cannot exceed its maximum');
    if (r.points === 0 && r.amount === undefined) add(at, '规则须给出分值或金额', 'a rule gives points, an amount or both');
    if (r.clocks && r.on !== 'breach') add(`${at}.clocks`, '只有 breach 规则可以列出时钟', 'only a breach rule lists clocks');
    if (r.against && r.on !== 'responsibility') add(`${at}.against`, '只有 responsibility 规则可以指定对象', 'only a responsibility rule names against whom');
    if (r.levels && r.on !== 'praise') add(`${at}.levels`, '只有 praise 规则可以列出满意度', 'only a praise rule lists satisfaction levels');
  });
  return out;
}
