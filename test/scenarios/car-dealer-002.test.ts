/**
 * Seed 002 篇7 (客户投诉处理流程, a 4S car dealer) on the `car-dealer-002` preset, through the API
 * on the official 2026 calendar with the test clock: the 1-hour report counted from the real
 * receipt, the grade set at intake by whoever takes it, the chain's 41 hours, the general
 * manager's 8 hours, the primary handler's day off handed to the secondary one, follow-up within
 * 24 hours, an unsatisfied customer one layer up, the 48 hours (and the chain's 65) for a customer
 * not reached within the 24, the final form handed to the customer service centre the same day (a
 * duty), and the pending-ledger reminder and the rewards-and-penalties report on the 4th.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { act, answered, clockOf, dueOf, id, intake, lastEvent, outbox, proposed, scenario, sweepDeadlines, triaged, view } from './support.js';

// Monday 2026-09-28 09:00 in Shanghai (01:00 UTC), three days before the National Day holiday.
await scenario('car-dealer-002', '2026-09-28T09:00:00+08:00', (k) => {
  it('received at 08:00, registered at 09:00: 1 h to report, 41 h in all, from receipt; graded at intake; more than a day back is refused', async () => {
    // (一)1: 任何人在接到客户意见后 … 初步判断客户的投诉性质 — the agent grades it at intake (intake.gradeRoles).
    const v = await intake(k(), { receivedAt: '2026-09-28T08:00:00+08:00', receivedAtReason: '现场接待后补登', grade: 'major' });
    assert.equal(v.complaint.grade, 'major');
    // (一)1: 在1小时内上报客户经理或客户服务中心 — from the receipt, 08:00 → 09:00.
    assert.equal(dueOf(v, 'triage'), '2026-09-28T01:00:00.000Z');
    // (一)2 1)–3): 24 h + 4 h + 4 h + 8 h after the 1 h report = 41 h from receipt, around the clock.
    assert.equal(dueOf(v, 'resolve'), '2026-09-29T17:00:00.000Z', '09-30 01:00 local');
    // The preset's assumption (intake.receivedAtMaxAge: 1d): older than a day is refused on its field.
    const old = await k()
      .as('agent')
      .post('/api/v1/complaints', { channel: 'phone', description: '上周的来电', complainant: { anonymous: true }, receivedAt: '2026-09-27T08:00:00+08:00', receivedAtReason: '补登' });
    assert.equal(old.status, 400, JSON.stringify(old.body));
    assert.ok(
      old.body.fields.some((f: any) => f.path === 'receivedAt'),
      JSON.stringify(old.body),
    );
  });

  it('the primary handler off duty: the secondary takes the form; the general manager decides within 8 h; follow-up within 24 h; unsatisfied goes one layer up', async () => {
    const caseId = (await intake(k())).complaint.id;
    // (三): 每个环节都有主要责任人和次要责任人.
    await triaged(k(), caseId, { category: 'quality', grade: 'general', handler: 'handler', backup: 'handler2' });
    const away = await k().as('handler').post('/api/v1/absences', { from: '2026-09-28T10:00:00+08:00', to: '2026-09-29', reason: '轮休' });
    assert.equal(away.status, 201, JSON.stringify(away.body));
    k().clock.set('2026-09-28T10:00:30+08:00');
    await sweepDeadlines(k().app);
    // (三): 主要责任人休息时由次要责任人负责，保证工作不延误.
    assert.equal((await view(k(), caseId)).complaint.primaryHandlerId, id(k(), 'handler2'));
    assert.deepEqual(
      (await outbox(k(), caseId, 'stand_in_assigned')).map((m) => m.recipient),
      [{ userIds: [id(k(), 'handler2')] }],
    );

    const p = await proposed(k(), caseId, 'handler2');
    // (一)2 2): 将处理结果上报主管总经理 — every case; 管理部 4 h + 总经理 4 h = 8 h.
    assert.deepEqual([p.complaint.state, p.complaint.proposal.requiredLevel], ['awaiting_approval', 'general_manager']);
    assert.equal(dueOf(p, 'approval'), '2026-09-28T10:00:30.000Z', 'proposed 10:00:30 local + 8 h');
    await act(k(), 'gm', caseId, 'approve', { comment: '同意' });
    const a = await answered(k(), caseId, 'handler2');
    // 回访流程 1): 对处理完毕的《客户信息反馈处理单》… 在24小时内进行回访.
    assert.equal(dueOf(a, 'follow_up'), '2026-09-29T02:00:30.000Z');

    k().clock.set('2026-09-29T09:00:00+08:00');
    const r = await act(k(), 'followup', caseId, 'follow_up', { reached: true, satisfaction: 'unsatisfied', comment: '仍有异响' });
    // 一 投诉处理的三个层次: 第二层 部门经理 handles an unsatisfied customer's case.
    assert.deepEqual([r.complaint.tier, r.complaint.primaryHandlerId], [2, id(k(), 'deptmanager')]);
  });

  it('(一)2 1)–3): each stage of the chain runs its own clock from the step before it (clock rules)', async () => {
    k().clock.set('2026-09-28T11:00:00+08:00');
    const caseId = (await intake(k())).complaint.id; // handled by handler2: handler is away (the test above)
    const rule = (v: any, code: string) => v.clocks.find((c: any) => c.kind === `rule:${code}`);
    k().clock.set('2026-09-28T11:30:00+08:00');
    const r = await triaged(k(), caseId, { category: 'quality', grade: 'general', handler: 'handler2' });
    // 1) 在24小时内确定责任: from the report (routing, 11:30) → 09-29 11:30 local.
    assert.deepEqual([rule(r, 'responsibility').status, rule(r, 'responsibility').dueAt], ['running', '2026-09-29T03:30:00.000Z']);
    assert.equal(rule(r, 'review'), undefined, 'the review has not begun');
    k().clock.set('2026-09-28T15:00:00+08:00');
    await act(k(), 'handler2', caseId, 'accept');
    const i = await act(k(), 'handler2', caseId, 'investigate', { facts: '经核实属实', cause: '服务流程执行不到位', responsibility: { type: 'department', departmentCode: r.complaint.departmentCode } });
    // 2) 管理部 … 四小时内复核: from the finding (15:00) → 19:00.
    assert.equal(rule(i, 'responsibility').status, 'stopped');
    assert.deepEqual([rule(i, 'review').status, rule(i, 'review').dueAt], ['running', '2026-09-28T11:00:00.000Z']);
    k().clock.set('2026-09-28T16:00:00+08:00');
    const p = await act(k(), 'handler2', caseId, 'propose', { solutions: ['apology'], amount: 0, description: '向客户致歉并整改' });
    // 2) 在四个小时内，将处理结果上报主管总经理: from the proposal (16:00) → 20:00.
    assert.equal(rule(p, 'review').status, 'stopped');
    assert.deepEqual([rule(p, 'gm_decision').status, rule(p, 'gm_decision').dueAt], ['running', '2026-09-28T12:00:00.000Z']);
    k().clock.set('2026-09-28T17:00:00+08:00');
    const a = await act(k(), 'gm', caseId, 'approve', { comment: '同意' });
    // 3) 实施 … 8 h from the approval (17:00) → 09-29 01:00 local.
    assert.equal(rule(a, 'gm_decision').status, 'stopped');
    assert.deepEqual([rule(a, 'implementation').status, rule(a, 'implementation').dueAt], ['running', '2026-09-28T17:00:00.000Z']);
    const done = await answered(k(), caseId, 'handler2');
    assert.equal(rule(done, 'implementation').status, 'stopped');
    // 3) 完成最终的《客户信息反馈处理单》并于当日转客户服务中心: a duty of 管理部 (the approvers) from
    // the answer (17:00, the implementation's end), due at the end of that working day, 18:00.
    const forms = ((await k().as('specialist').get(`/api/v1/complaints/${caseId}/duties`)).body as any[]).filter((d) => d.code === 'form_to_centre');
    assert.deepEqual(
      forms.map((d) => [d.status, d.createdBy, d.createdAt, d.dueAt, d.record, d.owner.role]),
      [['open', 'answer', '2026-09-28T09:00:00.000Z', '2026-09-28T10:00:00.000Z', 'note', 'approver']],
    );
    k().clock.set('2026-09-28T17:40:00+08:00');
    const handed = await k().as('gm').post(`/api/v1/complaints/${caseId}/duties/${forms[0].id}/complete`, { text: '处理单已交客服中心（前台签收）' });
    assert.equal(handed.status, 200, JSON.stringify(handed.body));
    assert.deepEqual([handed.body.status, handed.body.overdue, handed.body.completedAt], ['done', false, '2026-09-28T09:40:00.000Z']);
    assert.equal(lastEvent(await view(k(), caseId)).action, 'complete_duty');
  });

  it('(一)2 3): a form not handed to the centre by the end of the day is late: the sweep tells 管理部 and the centre', async () => {
    k().clock.set('2026-09-28T17:50:00+08:00');
    const caseId = (await intake(k())).complaint.id;
    await triaged(k(), caseId, { category: 'quality', grade: 'general', handler: 'handler2' });
    await proposed(k(), caseId, 'handler2');
    await act(k(), 'gm', caseId, 'approve', { comment: '同意' });
    await answered(k(), caseId, 'handler2');
    const [form] = ((await k().as('specialist').get(`/api/v1/complaints/${caseId}/duties`)).body as any[]).filter((d) => d.code === 'form_to_centre');
    assert.equal(form.dueAt, '2026-09-28T10:00:00.000Z', '当日: 18:00 the same day');
    k().clock.set('2026-09-28T18:00:30+08:00');
    assert.ok((await sweepDeadlines(k().app)).duties?.breached.includes(form.id));
    const told = (await outbox(k(), caseId, 'duty_overdue')).map((m) => JSON.stringify(m.recipient)).sort();
    assert.deepEqual(told, [{ role: 'approver' }, { role: 'specialist' }].map((r) => JSON.stringify(r)).sort());
  });

  it('(一)2 1): a customer not reached within 24 h gives the customer manager 48 h from the same start and the chain 65 h from receipt; after the 24 h breached an attempt leaves that stage as it was', async () => {
    const rule = (v: any) => clockOf(v, 'rule:responsibility');
    k().clock.set('2026-09-29T10:00:00+08:00');
    const tried = (await intake(k())).complaint.id;
    const plain = (await intake(k())).complaint.id;
    for (const caseId of [tried, plain]) {
      const r = await triaged(k(), caseId, { category: 'quality', grade: 'general', handler: 'handler2' });
      // 在24小时内 … 完成责任认定: routed 10:00 → 09-30 10:00 local.
      assert.deepEqual([rule(r).status, rule(r).dueAt], ['running', '2026-09-30T02:00:00.000Z']);
    }
    // The method must be one of the schema's, named on its field; an auditor, who sees the case, may not record it.
    const bad = await k().as('handler2').act(tried, 'contact_failed', { method: 'fax' });
    assert.deepEqual([bad.status, bad.body.fields?.map((f: any) => f.path)], [400, ['method']], JSON.stringify(bad.body));
    assert.equal((await k().as('auditor').act(tried, 'contact_failed', { method: 'phone' })).status, 403);

    k().clock.set('2026-09-29T20:00:00+08:00');
    const t = await act(k(), 'handler2', tried, 'contact_failed', { method: 'phone', note: '电话无人接听' });
    // 24小时内没有联系上的客户，客户经理应在48小时完成上述工作: 48 h from the routing, not from now.
    assert.deepEqual([rule(t).status, rule(t).startedAt, rule(t).dueAt, rule(t).customerUnreachableAt], ['running', '2026-09-29T02:00:00.000Z', '2026-10-01T02:00:00.000Z', '2026-09-29T12:00:00.000Z']);
    // The chain's promise (grades[].unreachable): 1 + 48 + 4 + 4 + 8 = 65 h from receipt (09-29 10:00) → 10-02 03:00 local, not 41 h.
    const resolve = clockOf(t, 'resolve');
    assert.deepEqual([resolve.duration, resolve.dueAt, resolve.customerUnreachableAt], ['65h', '2026-10-01T19:00:00.000Z', '2026-09-29T12:00:00.000Z']);
    assert.deepEqual(
      [lastEvent(t).action, lastEvent(t).toState, lastEvent(t).data.input, lastEvent(t).data.unreachable],
      [
        'contact_failed',
        'assigned',
        { method: 'phone', note: '电话无人接听' },
        {
          retimed: [
            { clock: 'resolve', dueAt: '2026-10-01T19:00:00.000Z' },
            { clock: 'rule:responsibility', dueAt: '2026-10-01T02:00:00.000Z' },
          ],
        },
      ],
    );
    // The promise moved later: the customer is told the new time, once.
    assert.deepEqual(lastEvent(t).data.promise, { from: '2026-09-30T19:00:00.000Z', to: '2026-10-01T19:00:00.000Z', because: 'contact_failed' });
    assert.deepEqual(
      (await outbox(k(), tried, 'delay_notice')).map((m) => [m.payload.previousDueAt, m.payload.dueAt]),
      [['2026-09-30T19:00:00.000Z', '2026-10-01T19:00:00.000Z']],
    );
    const untried = await view(k(), plain);
    assert.equal(rule(untried).dueAt, '2026-09-30T02:00:00.000Z', 'no attempt: still 24 h');
    assert.deepEqual([clockOf(untried, 'resolve').dueAt, clockOf(untried, 'resolve').customerUnreachableAt], ['2026-09-30T19:00:00.000Z', undefined], 'and still 41 h');

    k().clock.set('2026-09-30T10:00:30+08:00');
    await sweepDeadlines(k().app);
    assert.equal(rule(await view(k(), tried)).breachedAt, null, 'the 48 h have not run out');
    const late = await view(k(), plain);
    assert.deepEqual([rule(late).breachedAt, rule(late).dueAt], ['2026-09-30T02:00:30.000Z', '2026-09-30T02:00:00.000Z']);
    // Recorded after the 24 h breached: on the timeline, that stage's clock as it was; the 41 h,
    // still running, are the chain's window in which the attempt was made: 65 h.
    const after = await act(k(), 'handler2', plain, 'contact_failed', { method: 'sms' });
    assert.equal(lastEvent(after).action, 'contact_failed');
    assert.deepEqual(lastEvent(after).data.unreachable, { retimed: [{ clock: 'resolve', dueAt: '2026-10-01T19:00:00.000Z' }] });
    assert.deepEqual(rule(after), rule(late));
  });

  it('未了事宜 and 奖罚: the duties of the 4th move off the National Day holiday to 10-08, due that working day', async () => {
    k().clock.set('2026-10-04T09:30:00+08:00');
    await sweepDeadlines(k().app);
    const none = await k().app.database.db.selectFrom('duties').select('id').where('code', '=', 'pending_ledger_reminder').where('period', '=', '2026-10').execute();
    assert.equal(none.length, 0, '10-04 is 国庆节');
    k().clock.set('2026-10-08T09:00:30+08:00');
    await sweepDeadlines(k().app);
    // 回访 4): 客户经理每月4日完成上个月未了事宜的客户沟通提醒 — by the end of the (next) working day, 18:00.
    const rows = await k().app.database.db.selectFrom('duties').select(['created_at', 'due_at', 'owner_role']).where('code', '=', 'pending_ledger_reminder').where('period', '=', '2026-10').execute();
    assert.deepEqual(rows, [{ created_at: '2026-10-08T01:00:00.000Z', due_at: '2026-10-08T10:00:00.000Z', owner_role: 'followup' }]);
    // (二)3: 每月4日管理部将 … 奖罚情况报主管总经理和财务部 — the same 4th, moved the same way.
    const report = await k().app.database.db.selectFrom('duties').select(['created_at', 'due_at', 'owner_role']).where('code', '=', 'rewards_penalties_report').where('period', '=', '2026-10').execute();
    assert.deepEqual(report, [{ created_at: '2026-10-08T01:00:00.000Z', due_at: '2026-10-08T10:00:00.000Z', owner_role: 'approver' }]);
  });
});
