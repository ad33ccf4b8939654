/**
 * Seed 001 篇1 (律师事务所投诉及意见反馈处理制度) on the `law-firm` preset, through the API on the
 * official 2026 calendar with the test clock: no time limit (篇1 states none), every opinion
 * signed by the responsible partner, the director or another partner when that partner is away,
 * and a major matter taken to the director and decided by the partners' meeting.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { act, id, intake, lastEvent, outbox, proposed, scenario, triaged, view } from './support.js';

// Monday 2026-09-28 09:00 in Shanghai.
await scenario('law-firm', '2026-09-28T09:00:00+08:00', (k) => {
  it('no clock runs; the partner signs; the partner away → the director signs in his place', async () => {
    const v0 = await intake(k(), { channel: 'walk_in' });
    const caseId = v0.complaint.id;
    // 篇1 states no time limit (二(五) only 及时): no limit clock, no promised time.
    assert.deepEqual(
      v0.clocks.filter((c: any) => c.status === 'running').map((c: any) => c.kind),
      [],
    );
    assert.equal(v0.promisedAt ?? null, null);
    await triaged(k(), caseId, { category: 'legal_service', grade: 'general' });
    const p = await proposed(k(), caseId);
    // 二(六) 处理人员应当签署明确处理意见; 二(二) 由业务分管合伙人处理: the partner signs every opinion.
    assert.deepEqual([p.complaint.state, p.complaint.proposal.requiredLevel], ['awaiting_approval', 'partner']);
    // 二(二): 如分管合伙人不在，则由主任或其他合伙人处理 — the only partner is away from now.
    const away = await k().as('deptmanager').post('/api/v1/absences', { from: k().clock.now().toISOString(), to: '2026-10-09', reason: '出庭' });
    assert.equal(away.status, 201, JSON.stringify(away.body));
    const v = await view(k(), caseId);
    const e = v.timeline.find((x: any) => x.action === 'stand_in');
    assert.deepEqual([e.data.standIn.duty, e.data.standIn.to], ['approval', id(k(), 'csmanager')]);
    assert.deepEqual(
      (await outbox(k(), caseId, 'stand_in_approval')).map((m) => m.recipient),
      [{ userIds: [id(k(), 'csmanager')] }],
    );
    const a = await act(k(), 'csmanager', caseId, 'approve', { comment: '同意，由主任代为签署' });
    assert.equal(a.complaint.state, 'implementing');
  });

  it('意见反馈 (a suggestion) is answered within 5 working days counted as the law counts them (assumption)', async () => {
    // Wednesday 09-30 10:00: the day of receipt is not counted (民法典 第二百零一条); 10-08, 09, 10 (调休), 12, 13 → ends 10-14 00:00.
    k().clock.set('2026-09-30T10:00:00+08:00');
    const v = await intake(k(), { kind: 'suggestion', description: '建议增加周末咨询时段' });
    const c = v.clocks.find((x: any) => x.kind === 'resolve');
    assert.equal(c.dueAt, '2026-10-13T16:00:00.000Z');
    assert.equal(c.explanation.statutory.periodEnd, 'midnight', 'the statutory explanation is served (it used to fail the response schema)');
  });

  it('a major matter goes to the director and is decided by the partners\u2019 meeting', async () => {
    const caseId = (await intake(k(), { channel: 'regulator' })).complaint.id;
    await act(k(), 'specialist', caseId, 'judge', { valid: true });
    const v = await act(k(), 'specialist', caseId, 'classify', { category: 'confidentiality', grade: 'major' });
    // 二(二) 重大事项 / 二(四): the director takes it (routing.majorTo) for the complaints officer.
    assert.deepEqual([v.complaint.state, v.complaint.primaryHandlerId, v.complaint.departmentCode], ['assigned', id(k(), 'csmanager'), 'complaints_officer']);
    assert.equal(lastEvent(v).data.routed.by, 'routing.majorTo');
    const p = await proposed(k(), caseId, 'csmanager');
    // 二(二): 重大事项应由所务会议或合伙人会议讨论决定.
    assert.equal(p.complaint.proposal.requiredLevel, 'partners_meeting');
    assert.equal((await k().as('csmanager').act(caseId, 'approve', {})).status, 403, 'the director alone does not decide it');
    await act(k(), 'gm', caseId, 'approve', { comment: '合伙人会议决定' });
  });
});
