/**
 * Seed 001 篇7 (酒厂客户投诉管理制度) on the `distillery` preset, through the API on the official 2026
 * calendar with the test clock: a letter registered within 24 hours, a phone complaint answered
 * within 24 hours (a clock rule on the channel), three working days promised,
 * no extension of an ordinary case and at most seven in all for a special one, the feedback form to the customer within 24 hours of finishing,
 * an inquiry answered within 24 hours, and one point per valid complaint.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { act, answered, clockOf, dueOf, intake, proposed, scenario, triaged } from './support.js';

// Thursday 2026-04-30 10:00 in Shanghai (02:00 UTC), before 劳动节 (05-01…05-05; 05-09 is a 调休 working Saturday).
await scenario('distillery', '2026-04-30T10:00:00+08:00', (k) => {
  it('a letter: 24 h to register, three working days promised, extended only as a special case and to seven at most; finished → the feedback form within 24 h; one point for the valid complaint', async () => {
    // 3.3: a complaint against the marketing office's staff (the complained-about department).
    const v0 = await intake(k(), { channel: 'letter', description: '来信：白酒口感异常，瓶内有沉淀，业务员推诿', subject: { departmentCode: 'marketing_office', employeeIds: [] } });
    const caseId = v0.complaint.id;
    // 二2: 书面投诉 … 在24小时内给客户进行登记、回复客户确认.
    assert.equal(dueOf(v0, 'triage'), '2026-05-01T02:00:00.000Z');
    // 三 / 3.1: 给客户承诺三个工作日的回复期限 — 05-06, 05-07, 05-08 (the holiday skipped).
    assert.equal(dueOf(v0, 'resolve'), '2026-05-08T02:00:00.000Z');
    await triaged(k(), caseId, { category: 'product_quality', grade: 'general' });
    await act(k(), 'handler', caseId, 'accept');
    const ask = (input: Record<string, unknown>) => k().as('handler').post(`/api/v1/complaints/${caseId}/actions/request_extension?lang=en`, input);
    // 三: 客户投诉处理期限不能超过三个工作日 — without the special mark no extension, refused on `special`.
    const ordinary = await ask({ reason: '客户出差', duration: '2wd' });
    assert.deepEqual([ordinary.status, ordinary.body.fields?.map((f: any) => f.path)], [422, ['special']], JSON.stringify(ordinary.body));
    // 三: 特殊状况不能超过七个工作日 — 3 + 5 is refused on `duration`.
    const over = await ask({ reason: '送检', duration: '5wd', special: true });
    assert.deepEqual([over.status, over.body.fields?.map((f: any) => f.path)], [422, ['duration']], JSON.stringify(over.body));
    // 3 + 4 = 7 working days, granted by the head of the marketing office: 05-08 + 4 working days =
    // 05-09 (the 调休 Saturday), 05-11, 05-12, 05-13 → 05-13 10:00.
    await act(k(), 'handler', caseId, 'request_extension', { reason: '送检，需第三方检测', duration: '4wd', special: true });
    const g = await act(k(), 'deptmanager', caseId, 'grant_extension', {});
    assert.equal(dueOf(g, 'resolve'), '2026-05-13T02:00:00.000Z');
    // Never past seven: no further extension, special or not.
    const more = await ask({ reason: '检测未完成', duration: '1wd', special: true });
    assert.deepEqual([more.status, more.body.fields?.map((f: any) => f.path)], [422, ['duration']], JSON.stringify(more.body));
    const v = await k().as('handler').get(`/api/v1/complaints/${caseId}`);
    await act(k(), 'handler', caseId, 'investigate', { facts: '送检确认沉淀', cause: '储存不当', responsibility: { type: 'department', departmentCode: v.body.complaint.departmentCode } });
    await act(k(), 'handler', caseId, 'propose', { solutions: ['exchange'], amount: 0, description: '换货' });
    k().clock.set('2026-05-06T15:00:00+08:00');
    const a = await answered(k(), caseId);
    // 四1: 投诉处理完毕后，营管办在24小时内会将客户处理反馈单反馈给投诉客户.
    assert.equal(dueOf(a, 'follow_up'), '2026-05-07T07:00:00.000Z');
    // 七: 客户投诉考核按投诉一次扣一分.
    const entries = await k().app.database.db.selectFrom('accountability_entries').selectAll().where('complaint_id', '=', caseId).execute();
    assert.deepEqual(
      entries.map((e) => [e.rule_code, Number(e.points), e.department_code]),
      [['complaint_point', 1, 'marketing_office']],
    );
  });

  it('limits by channel: a phone complaint is answered within 24 hours of receipt; a letter has no such clock', async () => {
    k().clock.set('2026-05-07T09:00:00+08:00');
    const call = await intake(k(), { channel: 'phone', description: '来电：酒瓶渗漏' });
    // 二1: 电话投诉 … 在24小时答复客户 — hours, around the clock: 05-08 09:00.
    assert.deepEqual([clockOf(call, 'rule:phone_answer').status, dueOf(call, 'rule:phone_answer')], ['running', '2026-05-08T01:00:00.000Z']);
    // 二2: a letter is registered within 24 hours (triage), with no 24-hour answer.
    const letter = await intake(k(), { channel: 'letter', description: '来信：酒瓶渗漏' });
    assert.equal(clockOf(letter, 'rule:phone_answer'), undefined);
    assert.equal(dueOf(letter, 'triage'), '2026-05-08T01:00:00.000Z');
    const caseId = call.complaint.id;
    await triaged(k(), caseId, { category: 'product_quality', grade: 'general' });
    await proposed(k(), caseId);
    k().clock.set('2026-05-07T16:00:00+08:00');
    const a = await answered(k(), caseId);
    assert.equal(clockOf(a, 'rule:phone_answer').status, 'stopped', 'answered within the 24 h');
    assert.equal(clockOf(a, 'rule:phone_answer').breachedAt, null);
  });

  it('an inquiry is answered within 24 hours', async () => {
    k().clock.set('2026-05-09T09:00:00+08:00');
    // 二1: 不能解答的 … 在24小时答复客户 — hours, around the clock.
    assert.equal(dueOf(await intake(k(), { kind: 'inquiry', description: '咨询经销商地址' }), 'resolve'), '2026-05-10T01:00:00.000Z');
  });
});
