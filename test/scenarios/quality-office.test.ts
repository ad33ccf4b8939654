/**
 * Seed 001 篇6 (质量管理体系下的客户投诉处理制度) on the `quality-office` preset, through the API on
 * the official 2026 calendar with the test clock: one day from receipt for the department's
 * preliminary agreement with the customer (a duty, recorded as a note), one week in all, the quality lead and the manager signing, the follow-up call on the day the case
 * was finished, the investigation report to the general manager within three days (a duty), and
 * an unsatisfied customer handled again one tier up.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { act, answered, clockOf, dueOf, id, intake, lastEvent, outbox, proposed, scenario, sweepDeadlines, triaged, view } from './support.js';

// Monday 2026-09-28 09:00 in Shanghai (01:00 UTC).
await scenario('quality-office', '2026-09-28T09:00:00+08:00', (k) => {
  const caseDuties = async (caseId: string) => (await k().as('specialist').get(`/api/v1/complaints/${caseId}/duties`)).body as any[];

  it('1 day from receipt for the preliminary agreement, a week from receipt; the manager signs; the follow-up call the same day; unsatisfied → handled again one tier up', async () => {
    const v0 = await intake(k(), { channel: 'letter', description: '检验报告数据与实物不符' });
    const caseId = v0.complaint.id;
    // §6.3: 客户投诉案例需在一周内处理完毕 — seven calendar days, over the National Day holiday.
    assert.equal(dueOf(v0, 'resolve'), '2026-10-05T01:00:00.000Z');
    k().clock.set('2026-09-28T10:00:00+08:00');
    const r = await triaged(k(), caseId, { category: 'quality', grade: 'general' });
    // §6.1: 被投诉部门主任（或职责人）需在1天内 … 与客户进行沟通达成初步协议 — a duty of the head of
    // the department concerned (general_affairs, known once routed at 10:00), due one day after the
    // receipt (09:00), not after the routing; no separate first-response clock.
    assert.equal(clockOf(r, 'first_response'), undefined);
    const [agreement] = (await caseDuties(caseId)).filter((d) => d.code === 'preliminary_agreement');
    assert.deepEqual([agreement.status, agreement.createdBy, agreement.dueAt, agreement.record, agreement.owner], ['open', 'route', '2026-09-29T01:00:00.000Z', 'note', { userId: null, role: null, departmentCode: 'general_affairs' }]);
    // The agreement is what completes it: without its note the completion is refused on the field and nothing changes.
    const complete = (body: Record<string, unknown>) => k().as('deptmanager').post(`/api/v1/complaints/${caseId}/duties/${agreement.id}/complete?lang=en`, body);
    const empty = await complete({ text: ' ' });
    assert.deepEqual([empty.status, empty.body.fields?.map((f: any) => f.path)], [400, ['text']], JSON.stringify(empty.body));
    assert.equal((await caseDuties(caseId)).find((d) => d.id === agreement.id).status, 'open');
    const done = await complete({ text: '与客户电话沟通：复检样品，三日内出具复检报告' });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.deepEqual([done.body.status, done.body.result.text], ['done', '与客户电话沟通：复检样品，三日内出具复检报告']);
    assert.deepEqual([lastEvent(await view(k(), caseId)).action, lastEvent(await view(k(), caseId)).data.input.code], ['complete_duty', 'preliminary_agreement']);
    const p = await proposed(k(), caseId);
    // §6.2: 由质量负责人 … 于调查处理后三天内提出报告呈总经理批示 — a duty from the finding (10:00), three days.
    const duties = (await k().as('specialist').get(`/api/v1/complaints/${caseId}/duties`)).body as any[];
    assert.deepEqual(
      duties.filter((d) => d.code === 'investigation_report').map((d) => [d.status, d.dueAt, d.record]),
      [['open', '2026-10-01T02:00:00.000Z', 'report']],
    );
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

  it('§6.1 counts from the real receipt: a letter received the afternoon before and routed after the day has passed is late at once and reported to the general manager', async () => {
    k().clock.set('2026-09-29T09:00:00+08:00');
    // A letter delivered on 09-28 at 16:00, registered the next morning (intake's received-at time).
    const v0 = await intake(k(), { channel: 'letter', description: '来信：检测周期过长', receivedAt: '2026-09-28T16:00:00+08:00', receivedAtReason: '信件前一日下午送达，次日登记' });
    const caseId = v0.complaint.id;
    k().clock.set('2026-09-29T17:00:00+08:00');
    await triaged(k(), caseId, { category: 'technical', grade: 'general' });
    // 1天内: 09-29 16:00 from the receipt — already past when the department (technical) is known.
    const [agreement] = (await caseDuties(caseId)).filter((d) => d.code === 'preliminary_agreement');
    assert.deepEqual([agreement.dueAt, agreement.overdue, agreement.owner.departmentCode], ['2026-09-29T08:00:00.000Z', true, 'technical']);
    // §5 总经办: 处理时效管理及逾期反应 — the sweep marks it late and tells the owner and the general manager.
    assert.ok((await sweepDeadlines(k().app)).duties?.breached.includes(agreement.id));
    const told = (await outbox(k(), caseId, 'duty_overdue')).map((m) => JSON.stringify(m.recipient)).sort();
    assert.deepEqual(told, [{ role: 'department_manager', departmentCode: 'technical' }, { role: 'general_manager' }].map((r) => JSON.stringify(r)).sort());
  });
});
