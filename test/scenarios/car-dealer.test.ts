/**
 * Seed 001 篇5 (汽车销售服务公司客户投诉管理制度) on the `car-dealer` preset, through the API on the
 * official 2026 calendar with the test clock: one working day (of a six-day week) from routing to
 * the handler's solution (a clock rule),
 * the general manager's consent to every solution, a major complaint to the department manager at
 * once with 4 hours to respond, an unsatisfied customer one tier up.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { act, answered, clockOf, dueOf, id, intake, lastEvent, proposed, scenario, triaged } from './support.js';

// Friday 2026-09-25 16:00 in Shanghai (08:00 UTC), in the 中秋节 holiday (09-25…09-27); the showroom
// works Monday to Saturday, so counting starts on Monday 09-28.
await scenario('car-dealer', '2026-09-25T16:00:00+08:00', (k) => {
  it('an ordinary complaint: one working day for the handler, three to answer; the GM consents; unsatisfied → the department manager', async () => {
    const v0 = await intake(k(), { channel: 'walk_in', description: '新车发动机异响' });
    const caseId = v0.complaint.id;
    // Preset assumption for §2.2 力争在最短的时间内: 3 working days — Mon 09-28 to Wed 09-30, whole days
    // (received on a holiday), so the end of Wednesday: 10-01 00:00.
    assert.equal(dueOf(v0, 'resolve'), '2026-09-30T16:00:00.000Z');
    const r = await triaged(k(), caseId, { category: 'product_quality', grade: 'general' }); // the sales department's (demo users)
    // §4.3: 在一个工作日内提出解决办法 — the clock rule from routing (still in the holiday) to the
    // proposal: all of Monday 09-28. No clock for accepting it (篇5 sets none).
    assert.deepEqual([clockOf(r, 'rule:propose_1wd').status, dueOf(r, 'rule:propose_1wd')], ['running', '2026-09-28T16:00:00.000Z']);
    assert.equal(clockOf(r, 'first_response'), undefined);
    const p = await proposed(k(), caseId);
    assert.equal(clockOf(p, 'rule:propose_1wd').status, 'stopped', 'the solution is proposed');
    // §4.4: 投诉解决办法经总经理同意后 … 通知客户 — every solution.
    assert.deepEqual([p.complaint.state, p.complaint.proposal.requiredLevel], ['awaiting_approval', 'general_manager']);
    await act(k(), 'gm', caseId, 'approve', {});
    await answered(k(), caseId);
    const f = await act(k(), 'followup', caseId, 'follow_up', { reached: true, satisfaction: 'unsatisfied', comment: '异响仍在' });
    // §3: 销售经理 / 服务经理 为本部门的主要投诉受理人 — the second tier's handler.
    assert.deepEqual([f.complaint.tier, f.complaint.primaryHandlerId], [2, id(k(), 'deptmanager')]);
    assert.equal(lastEvent(f).data.handover.to, id(k(), 'deptmanager'));
  });

  it('a major complaint goes to the department manager at once, with 4 hours to respond; one working day counts a Saturday', async () => {
    k().clock.set('2026-10-10T10:00:00+08:00');
    // 10-10 is a 调休 working Saturday; a general case routed now has until Monday 10-12 10:00 (Sunday off).
    const plain = (await intake(k())).complaint.id;
    const pr = await triaged(k(), plain, { category: 'service_quality', grade: 'general' });
    assert.equal(dueOf(pr, 'rule:propose_1wd'), '2026-10-12T02:00:00.000Z');
    k().clock.set('2026-10-17T10:00:00+08:00');
    // An ordinary Saturday: one working day ends on Monday 10-19 10:00.
    const sat = (await intake(k())).complaint.id;
    assert.equal(dueOf(await triaged(k(), sat, { category: 'service_quality', grade: 'general' }), 'rule:propose_1wd'), '2026-10-19T02:00:00.000Z');
    k().clock.set('2026-09-28T10:00:00+08:00');
    const caseId = (await intake(k(), { description: '新车交付后发现事故修复痕迹，要求退车' })).complaint.id;
    await act(k(), 'specialist', caseId, 'judge', { valid: true });
    const v = await act(k(), 'specialist', caseId, 'classify', { category: 'sales_contract', grade: 'major' });
    // §4 重大.2–3: 迅速传递给责任部门经理 … 由业务部门经理 … 出面与客户协商解决.
    assert.deepEqual([v.complaint.state, v.complaint.primaryHandlerId], ['assigned', id(k(), 'deptmanager')]);
    // Preset assumption for §4 重大.2 立即召紧急会议: within 4 hours.
    assert.equal(dueOf(v, 'first_response'), '2026-09-28T06:00:00.000Z');
    // §4.3's working day is for 一般 complaints only: no rule clock for a major one.
    assert.equal(clockOf(v, 'rule:propose_1wd'), undefined);
  });
});
