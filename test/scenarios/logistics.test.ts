/**
 * Seed 001 篇3 (物流公司客户投诉处理细则) on the `logistics` preset, through the API on the official
 * 2026 calendar with the test clock: the 30 minutes to a solution, the reply within 24 hours
 * (assumption), a vicious case to the direct leader at once, the invalid reasons of §9, no approval
 * and no follow-up (篇3 has none).
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { act, answered, dueOf, id, intake, proposed, scenario, triaged } from './support.js';

// Saturday 2026-10-03 10:00 in Shanghai, in the National Day holiday: the desk counts in hours, every day.
await scenario('logistics', '2026-10-03T10:00:00+08:00', (k) => {
  it('an ordinary case: the handler responds within 30 minutes of routing; the reply within 24 h of receipt; no approval, no follow-up', async () => {
    const v0 = await intake(k(), { channel: 'chat', description: '货物签收信息错误，GPS 显示已送达但未收到。' });
    const caseId = v0.complaint.id;
    // §16 尽快回复 — 假设 / assumption: 24 h from receipt (h: around the clock, the holiday included).
    assert.equal(dueOf(v0, 'resolve'), '2026-10-04T02:00:00.000Z');
    k().clock.set('2026-10-03T10:10:00+08:00');
    const r = await triaged(k(), caseId, { category: 'information_error', grade: 'general', handler: 'handler' });
    // §16: 在接到投诉30分钟内提出处理方案 — the preset's nearest clock, 30 minutes from routing.
    assert.equal(dueOf(r, 'first_response'), '2026-10-03T02:40:00.000Z');
    const p = await proposed(k(), caseId);
    // 篇3 has no approval rule: a solution is carried out at once.
    assert.equal(p.complaint.state, 'implementing');
    const a = await answered(k(), caseId);
    // 篇3 has no follow-up: the answered case is closed without one (§2 客户服务部负责客户投诉的统一管理: the department closes it).
    assert.equal(a.complaint.state, 'answered');
    assert.equal((await act(k(), 'specialist', caseId, 'close', {})).complaint.state, 'closed');
  });

  it('§16: a solution within 30 minutes of receipt, whenever the case is routed (clock rule propose_30m)', async () => {
    k().clock.set('2026-10-03T12:00:00+08:00');
    const caseId = (await intake(k(), { channel: 'phone' })).complaint.id;
    k().clock.set('2026-10-03T12:20:00+08:00');
    const r = await triaged(k(), caseId, { category: 'timeliness', grade: 'general' });
    const rule = r.clocks.find((c: any) => c.kind === 'rule:propose_30m');
    assert.ok(rule, JSON.stringify(r.clocks.map((c: any) => c.kind)));
    // 在接到投诉30分钟内: 12:00 + 30 min, though routed at 12:20.
    assert.deepEqual([rule.status, rule.dueAt, rule.name?.['zh-CN']], ['running', '2026-10-03T04:30:00.000Z', '受理后30分钟内提出方案']);
    const p = await proposed(k(), caseId);
    assert.equal(p.clocks.find((c: any) => c.kind === 'rule:propose_30m').status, 'stopped', 'the proposal stops it');
  });

  it('a vicious case (media, conflict) is major and goes to the direct leader at once; §9 invalid reasons close a case', async () => {
    k().clock.set('2026-10-03T14:00:00+08:00');
    const caseId = (await intake(k(), { channel: 'phone', description: '客户称已联系报社曝光' })).complaint.id;
    await act(k(), 'specialist', caseId, 'judge', { valid: true });
    const v = await act(k(), 'specialist', caseId, 'classify', { category: 'goods_damage_shortage', grade: 'general', vicious: true });
    // §10 恶性投诉案件 → handled as major; §17 上报直接领导: the customer service department's manager.
    assert.deepEqual([v.complaint.state, v.complaint.primaryHandlerId, v.complaint.departmentCode], ['assigned', id(k(), 'deptmanager'), 'customer_service']);
    assert.equal(dueOf(v, 'first_response'), '2026-10-03T06:30:00.000Z', '§16: 30 minutes');

    const bad = (await intake(k(), { channel: 'phone', description: '辱骂并威胁' })).complaint.id;
    // §9(3): 投诉人有挑衅、威胁等行为 → 无效投诉.
    const j = await act(k(), 'specialist', bad, 'judge', { valid: false, reason: 'provocation', explanation: '已向客户解释' });
    assert.ok(['invalid', 'closed'].includes(j.complaint.state), j.complaint.state);
  });
});
