/**
 * Seed 001 篇6 (质量管理体系下的客户投诉处理制度) on the `quality-office` preset, through the API on
 * the official 2026 calendar with the test clock: one day for the department's first agreement,
 * one week in all, the quality lead and the manager signing, the follow-up call on the day the case
 * was finished, the investigation report to the general manager within three days (a duty), and
 * an unsatisfied customer handled again one tier up.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { act, answered, dueOf, id, intake, proposed, scenario, triaged } from './support.js';

// Monday 2026-09-28 09:00 in Shanghai (01:00 UTC).
await scenario('quality-office', '2026-09-28T09:00:00+08:00', (k) => {
  it('1 day from routing, a week from receipt; the manager signs; the follow-up call the same day; unsatisfied → handled again one tier up', async () => {
    const v0 = await intake(k(), { channel: 'letter', description: '检验报告数据与实物不符' });
    const caseId = v0.complaint.id;
    // §6.3: 客户投诉案例需在一周内处理完毕 — seven calendar days, over the National Day holiday.
    assert.equal(dueOf(v0, 'resolve'), '2026-10-05T01:00:00.000Z');
    k().clock.set('2026-09-28T10:00:00+08:00');
    const r = await triaged(k(), caseId, { category: 'quality', grade: 'general' });
    // §6.1: 被投诉部门主任 … 需在1天内明确职责 … 达成初步协议 — from routing (the preset's clock).
    assert.equal(dueOf(r, 'first_response'), '2026-09-29T02:00:00.000Z');
    const p = await proposed(k(), caseId);
    // §6.2: 由质量负责人 … 于调查处理后三天内提出报告呈总经理批示 — a duty from the finding (10:00), three days.
    const duties = (await k().as('specialist').get(`/api/v1/complaints/${caseId}/duties`)).body as any[];
    assert.deepEqual(duties.filter((d) => d.code === 'investigation_report').map((d) => [d.status, d.dueAt, d.record]), [['open', '2026-10-01T02:00:00.000Z', 'report']]);
    // §3.5: 提交至质量负责人及经理批示 — at least the 经理.
    assert.deepEqual([p.complaint.state, p.complaint.proposal.requiredLevel], ['awaiting_approval', 'manager']);
    assert.equal((await k().as('deptmanager').act(caseId, 'approve', {})).status, 403, 'the quality lead alone does not sign');
    await act(k(), 'csmanager', caseId, 'approve', {});
    k().clock.set('2026-09-28T15:00:00+08:00');
    const a = await answered(k(), caseId);
    // §6.3: 在处理完当天打电话给客户追踪处理状况 — by the end of that working day, 17:30.
    assert.equal(dueOf(a, 'follow_up'), '2026-09-28T09:30:00.000Z');
    const f = await act(k(), 'followup', caseId, 'follow_up', { reached: true, satisfaction: 'unsatisfied', comment: '数据仍有疑问' });
    // §6.3②: 客户不满意 … 进行再次投诉处理 — one tier up, the 被投诉部门主任 (§6.1).
    assert.deepEqual([f.complaint.state, f.complaint.tier, f.complaint.primaryHandlerId], ['investigating', 2, id(k(), 'deptmanager')]);
  });
});
