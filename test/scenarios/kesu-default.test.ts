/**
 * Seed 000 (客服中心投诉处理及回访的工作流程) on the `kesu-default` preset, through the API on the
 * official 2026 calendar with the test clock: the grades' limits from receipt, the promise notice
 * when grading moves the promised time, the one-month grade rise as a calendar month across
 * February (also after a reopen), follow-up within a week, and the major case to the customer
 * service manager.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { getComplaint } from '../../src/store/complaint.repository.js';
import { customerView } from '../../src/services/customer/customer-view.js';
import { act, answered, clockOf, dueOf, id, intake, lastEvent, outbox, proposed, scenario, sweepDeadlines, triaged, view } from './support.js';

// Friday 2026-01-30 10:00 in Shanghai (02:00 UTC): one month later is 02-28, 30 days later 03-01.
await scenario('kesu-default', '2026-01-30T10:00:00+08:00', (k) => {
  it('a general case: 24 h triage, 2 days promised; important moves the promise to 3 days and tells the customer once', async () => {
    const v0 = await intake(k());
    const caseId = v0.complaint.id;
    // 000 注 / preset: triage within 24 h (003 规范5), counted from receipt.
    assert.equal(dueOf(v0, 'triage'), '2026-01-31T02:00:00.000Z');
    // 000 flowchart: 一般投诉（2日内处理完毕） — calendar days, Saturday included.
    assert.equal(dueOf(v0, 'resolve'), '2026-02-01T02:00:00.000Z');
    assert.equal(v0.promisedAt, '2026-02-01T02:00:00.000Z');
    // 000 注: 投诉一个月内未得以解决 → 重大: one calendar month, 02-28 (not 30 days: 03-01).
    assert.equal(dueOf(v0, 'grade_rise.0'), '2026-02-28T02:00:00.000Z');

    await act(k(), 'specialist', caseId, 'judge', { valid: true });
    const v1 = await act(k(), 'specialist', caseId, 'classify', { category: 'attitude', grade: 'important' });
    // 000 flowchart: 重要投诉（3日内处理完毕）, still from receipt.
    assert.equal(dueOf(v1, 'resolve'), '2026-02-02T02:00:00.000Z');
    // 000 flowchart 客服代表 … 向顾客承诺 (004 §四): the moved promise is recorded and told, once.
    assert.deepEqual(lastEvent(v1).data.promise, { from: '2026-02-01T02:00:00.000Z', to: '2026-02-02T02:00:00.000Z', because: 'classify' });
    await act(k(), 'specialist', caseId, 'route', { primaryHandlerId: id(k(), 'handler') });
    const notices = await outbox(k(), caseId, 'delay_notice');
    assert.deepEqual(
      notices.map((n) => n.payload.dueAt),
      ['2026-02-02T02:00:00.000Z'],
    );
  });

  it('answered and followed up within a week; unsatisfied reopens it one tier up; the one-month rise resumes and the case is major on 02-28', async () => {
    const caseId = (await intake(k())).complaint.id;
    await triaged(k(), caseId, { category: 'attitude', grade: 'general' });
    const p = await proposed(k(), caseId);
    assert.equal(p.complaint.state, 'implementing', 'a general apology needs no approval (approval.rules)');
    const a = await answered(k(), caseId);
    // 000 回访管理制度 三.1: 在一周内进行回访 — 7 days from the answer (Fri 01-30 10:00).
    assert.equal(dueOf(a, 'follow_up'), '2026-02-06T02:00:00.000Z');
    assert.equal(clockOf(a, 'grade_rise.0').status, 'stopped', 'answered: not "unresolved"');

    k().clock.set('2026-02-02T10:00:00+08:00');
    const r = await act(k(), 'followup', caseId, 'follow_up', { reached: true, satisfaction: 'unsatisfied', comment: '不满意' });
    // 000 flowchart 满意 / 不满意: an unsatisfied customer's case is handled again, one tier up (unsatisfied.escalateTier).
    assert.deepEqual([r.complaint.state, r.complaint.tier, r.complaint.cycle], ['investigating', 2, 2]);
    // 000 注: the rise clock runs again, still one calendar month from receipt.
    const rise = clockOf(r, 'grade_rise.0');
    assert.deepEqual([rise.status, rise.dueAt], ['running', '2026-02-28T02:00:00.000Z']);

    k().clock.set('2026-02-27T10:00:00+08:00');
    await sweepDeadlines(k().app);
    k().clock.set('2026-02-28T10:01:00+08:00');
    await sweepDeadlines(k().app);
    assert.equal((await view(k(), caseId)).complaint.grade, 'major', '000 注: unresolved one month → 重大投诉');
  });

  it('a major case: 2 days to sign (签复) after it reaches its handler, at most ten days from receipt; the approvers are told', async () => {
    k().clock.set('2026-03-02T10:00:00+08:00');
    const caseId = (await intake(k())).complaint.id;
    await act(k(), 'specialist', caseId, 'judge', { valid: true });
    const v = await act(k(), 'specialist', caseId, 'classify', { category: 'attitude', grade: 'major' });
    // 000 flowchart: 重大投诉（… 解决时间不超过十天）.
    assert.equal(dueOf(v, 'resolve'), '2026-03-12T02:00:00.000Z');
    // 000 flowchart: 专员将投诉通报给客服经理.
    assert.ok((await outbox(k(), caseId, 'major_case')).length >= 1);
    if (v.complaint.state === 'classified') await act(k(), 'specialist', caseId, 'route', { primaryHandlerId: id(k(), 'handler') });
    // 000 flowchart: 重大投诉（2日内签复）: the first response within 2 days.
    assert.equal(dueOf(await view(k(), caseId), 'first_response'), '2026-03-04T02:00:00.000Z');
  });

  it('a major case goes straight to the customer service manager (000: 客服中心经理直接负责解决投诉内容)', async () => {
    k().clock.set('2026-03-02T11:00:00+08:00');
    const caseId = (await intake(k())).complaint.id;
    await act(k(), 'specialist', caseId, 'judge', { valid: true });
    const v = await act(k(), 'specialist', caseId, 'classify', { category: 'attitude', grade: 'major' });
    assert.deepEqual([v.complaint.state, v.complaint.primaryHandlerId], ['assigned', id(k(), 'csmanager')]);
    // The customer sees it handed on, and the reports count it as routed, although no route step ran.
    const c = (await getComplaint(k().app.database.db, caseId))!;
    assert.deepEqual(
      (await customerView(k().app, c)).timeline.map((e) => e.code),
      ['received', 'validated', 'routed'],
    );
    const facts = await k().app.database.db.selectFrom('case_facts').select('routed').where('complaint_id', '=', caseId).executeTakeFirstOrThrow();
    assert.equal(Number(facts.routed), 1);
  });

  it('the one-month rise does not fire before the month is over: its 80 % check is a warning', async () => {
    k().clock.set('2026-04-01T10:00:00+08:00');
    const caseId = (await intake(k())).complaint.id;
    // 000 注: 一个月内未得以解决 — due 05-01 10:00; the 80 % warning falls on 04-25.
    k().clock.set('2026-04-28T10:00:00+08:00');
    await sweepDeadlines(k().app);
    const warned = await view(k(), caseId);
    assert.notEqual(warned.complaint.grade, 'major', 'not raised at the warning');
    assert.ok(clockOf(warned, 'grade_rise.0').warnedAt, 'the check before the due time warns');
    k().clock.set('2026-05-01T10:01:00+08:00');
    await sweepDeadlines(k().app);
    assert.equal((await view(k(), caseId)).complaint.grade, 'major', 'and the grade rises once the month is over');
  });
});
