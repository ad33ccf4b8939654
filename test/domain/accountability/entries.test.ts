/**
 * Which entries a decision creates (domain/accountability/entries.ts), for the triggers the API
 * test does not drive: a malicious finding, responsibility against a department, a breach with
 * no handler yet, the praise levels, a grade the rule leaves out, a clock the rule does not list.
 * Decisions come from `apply` on a real case (receive) under the seed-000 policy.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { parsePolicyText, type Policy } from '../../../src/domain/policy/index.js';
import { receive } from '../../../src/domain/lifecycle/intake.js';
import { apply, type Decision } from '../../../src/domain/lifecycle/apply.js';
import { entriesForDecision } from '../../../src/domain/accountability/entries.js';
import { WorkingCalendar, builtInHolidayYears } from '../../../src/domain/calendar/index.js';
import type { Actor, Complaint } from '../../../src/domain/complaint/types.js';

const person = (id: string, roles: Actor['roles']): Actor => ({ id, kind: 'user', name: id, roles, managerOf: [], approvalLevels: [] });
const agent = person('a', ['agent']);
const specialist = person('s', ['specialist']);
const handler = person('h', ['handler']);

function policyWith(rules: unknown[]): Policy {
  const p = parse(readFileSync(new URL('../../../policies/kesu-default.yaml', import.meta.url), 'utf8'));
  p.accountability = { appealLevel: 'general_manager', rules };
  const r = parsePolicyText(stringify(p));
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.problems));
  return r.policy;
}

const name = { 'zh-CN': '规则' };

describe('entries for a decision', () => {
  const policy = policyWith([
    { code: 'malicious', name, on: 'malicious_complaint', effect: 'reward', points: 1 },
    { code: 'dept', name, on: 'responsibility', against: ['department'], points: 3 },
    { code: 'any_breach', name, on: 'breach', points: 1 },
    { code: 'triage_only', name, on: 'breach', clocks: ['triage'], points: 1 },
    { code: 'praise', name, on: 'praise', effect: 'reward', points: 1, levels: ['satisfied', 'very_satisfied'] },
    { code: 'major_only', name, on: 'valid_complaint', points: 5, grades: ['major'] },
  ]);
  const calendar = new WorkingCalendar(policy.calendar, builtInHolidayYears('CN'));
  let now = new Date('2026-03-02T09:00:00+08:00');
  const start = (subject = { employeeIds: ['e1', 'e2'] as string[], departmentCode: 'sales' }) => {
    const r = receive({ channel: 'phone', description: '投诉', complainant: { name: '客户', phone: '13900000000' }, subject }, { id: 'c1', number: 'KS-1' }, { actor: agent, now, policy, calendar });
    return { c: r.complaint, clocks: r.clocks };
  };
  const step = (s: { c: Complaint; clocks: Decision['clocks'] }, who: Actor, action: string, input: unknown) => {
    const d = apply(s.c, s.clocks, action, input, { actor: who, now, policy, calendar });
    assert.equal(d.kind, 'applied', JSON.stringify(d));
    const decision = d as Decision;
    const entries = entriesForDecision(policy, s.c, decision);
    const merged = new Map(s.clocks.map((k) => [k.kind, k]));
    decision.clocks.forEach((k) => merged.set(k.kind, k));
    return { next: { c: decision.complaint, clocks: [...merged.values()] }, entries };
  };
  const brief = (es: ReturnType<typeof entriesForDecision>) => es.map((e) => [e.ruleCode, e.personId, e.departmentCode, e.effect, e.points]);

  it('a malicious finding names each employee complained about; a valid general one is left to the major-only rule', () => {
    const { entries } = step(start(), specialist, 'judge', { valid: false, reason: 'provocation', explanation: '寻衅', malicious: true });
    assert.deepEqual(brief(entries), [
      ['malicious', 'e1', null, 'reward', 1],
      ['malicious', 'e2', null, 'reward', 1],
    ]);
    const valid = step(start(), specialist, 'judge', { valid: true });
    assert.deepEqual(valid.entries, [], 'major_only: the case has the default grade');
  });

  it('a responsibility finding against a department, a breach with and without a handler, praise at the listed levels', () => {
    let s = step(start({ employeeIds: [], departmentCode: 'sales' }), specialist, 'judge', { valid: true }).next;
    // The triage clock breaches before anyone handles the case: no handler, no department yet → nobody.
    now = new Date('2026-03-20T09:00:00+08:00');
    const triage = s.clocks.find((k) => k.kind === 'triage');
    assert.equal(triage?.status, 'running');
    assert.deepEqual(step(s, { ...agent, id: 'system', kind: 'system', roles: [] }, 'breach', { clock: 'triage' }).entries, []);
    s = step(s, specialist, 'classify', { category: 'attitude', grade: 'general' }).next;
    s = step(s, specialist, 'route', { departmentCode: 'customer_service', primaryHandlerId: 'h' }).next;
    const resolve = step(s, { ...agent, id: 'system', kind: 'system', roles: [] }, 'breach', { clock: 'resolve' });
    assert.deepEqual(brief(resolve.entries), [['any_breach', 'h', null, 'penalty', 1]]);
    assert.equal(resolve.entries[0]!.dedupeKey, 'breach:resolve:1');
    s = step(s, handler, 'accept', {}).next;
    const found = step(s, handler, 'investigate', { facts: '属实', cause: '流程', responsibility: { type: 'department', departmentCode: 'logistics' } });
    assert.deepEqual(brief(found.entries), [['dept', null, 'logistics', 'penalty', 3]]);
    s = found.next;
    const r = step(s, handler, 'propose', { solutions: ['apology'], amount: 0, description: '致歉' });
    s = r.next;
    if (s.c.state === 'awaiting_approval') s = step(s, { ...person('m', ['approver']), approvalLevels: ['general_manager'] }, 'approve', {}).next;
    s = step(s, handler, 'answer', { text: '已致歉', method: 'phone' }).next;
    const satisfied = step(s, person('f', ['followup']), 'follow_up', { reached: true, satisfaction: 'satisfied' });
    assert.deepEqual(brief(satisfied.entries), [['praise', 'h', null, 'reward', 1]]);
    const neutral = step(s, person('f', ['followup']), 'follow_up', { reached: true, satisfaction: 'neutral' });
    assert.deepEqual(neutral.entries, []);
  });
});
