/**
 * The closed loop through the API, on every engine: intake → validity → grade → route →
 * accept → investigate → propose → reject → propose → approve → answer → follow-up unsatisfied →
 * handled again one tier up → follow-up satisfied → close → archive; and an invalid complaint
 * explained and closed. Asserts the timeline, the running clocks and the tier at each step.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';

const HOUR = 3600_000;

function running(view: any): Record<string, string | null> {
  return Object.fromEntries(view.clocks.filter((k: any) => k.status === 'running').map((k: any) => [k.kind, k.dueAt]));
}

function lastEvent(view: any) {
  return view.timeline[view.timeline.length - 1];
}

for (const { dialect, skip } of await engines()) {
  describe(`complaint journey (${dialect})`, { skip }, () => {
    let k: Kesu;
    before(async () => {
      // Monday 2026-09-28 09:00 in Shanghai.
      k = await startKesu(dialect, { start: '2026-09-28T09:00:00+08:00' });
    });
    after(async () => k?.close());

    it('drives one complaint around the whole loop', async () => {
      const agent = k.as('agent');
      const specialist = k.as('specialist');
      const handler = k.as('handler');
      const csmanager = k.as('csmanager');
      const followup = k.as('followup');
      const ids = Object.fromEntries(k.userIds);

      // Intake: general grade until classified → resolve 2 calendar days (000), triage 24 h.
      let r = await agent.post('/api/v1/complaints', {
        channel: 'phone',
        description: '9月27日送达的洗发水瓶身破裂，漏了一半，要求换货并赔偿。',
        complainant: { name: '林先生', phone: '13812345678', address: '上海市浦东新区世纪大道100号' },
        references: { order: 'SO-2026-88123' },
        demands: { types: ['return_exchange', 'compensation'], amount: 50 },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const id = r.body.complaint.id;
      assert.match(r.body.complaint.number, /^KS-2026-\d{6}$/);
      assert.equal(r.body.complaint.state, 'received');
      assert.equal(r.body.complaint.tier, 1);
      assert.equal(r.body.promisedAt, '2026-09-30T01:00:00.000Z');
      assert.deepEqual(running(r.body), { triage: '2026-09-29T01:00:00.000Z', resolve: '2026-09-30T01:00:00.000Z', 'grade_rise.0': '2026-10-28T01:00:00.000Z' });
      assert.equal(r.body.complaint.policyKey, 'kesu-default@2026.1');

      k.clock.advance(1 * HOUR);
      r = await specialist.act(id, 'judge', { valid: true });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.complaint.state, 'valid');

      // Important, ≥1000 compensation later → needs the customer service manager.
      r = await specialist.act(id, 'classify', { category: 'goods_damage_shortage', grade: 'important', customerClass: 'B' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.complaint.grade, 'important');
      // triage stopped; resolve re-timed to 3 days from receipt (000: 重要投诉 3 日).
      assert.deepEqual(running(r.body), { resolve: '2026-10-01T01:00:00.000Z', 'grade_rise.0': '2026-10-28T01:00:00.000Z' });

      r = await specialist.act(id, 'route', { departmentCode: 'logistics', primaryHandlerId: ids.handler, backupHandlerId: ids.handler2 });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.complaint.state, 'assigned');
      assert.ok(!r.body.allowedActions.includes('accept'), 'only the assigned handler accepts');
      assert.ok(r.body.allowedActions.includes('reroute'));

      const hv = await handler.get(`/api/v1/complaints/${id}`);
      assert.equal(hv.status, 200);
      assert.ok(hv.body.allowedActions.includes('accept'));
      assert.equal(hv.body.complaint.piiMasked, false, 'the primary handler contacts the customer');

      r = await handler.act(id, 'accept', {});
      assert.equal(r.body.complaint.state, 'investigating');
      r = await handler.act(id, 'investigate', { facts: '仓库包装破损', cause: '运输途中挤压', responsibility: { type: 'department', departmentCode: 'logistics' } });
      assert.equal(r.body.complaint.state, 'investigated');

      r = await handler.act(id, 'propose', { solutions: ['exchange', 'compensation'], amount: 1200, description: '换货并补偿 1200 元购物券' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.complaint.state, 'awaiting_approval');
      assert.equal(r.body.complaint.proposal.requiredLevel, 'manager');

      // The department manager's level is too low for 1200; the customer service manager decides.
      const low = await k.as('deptmanager').act(id, 'approve', {});
      assert.equal(low.status, 403);
      assert.equal(low.body.code, 'approval_level_too_low');

      r = await csmanager.act(id, 'reject', { comment: '补偿金额过高，请改为 300 元' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.complaint.state, 'investigated');
      r = await handler.act(id, 'propose', { solutions: ['exchange', 'compensation'], amount: 300, description: '换货并补偿 300 元' });
      assert.equal(r.body.complaint.proposal.requiredLevel, 'department_manager');
      r = await csmanager.act(id, 'approve', { comment: '同意' });
      assert.equal(r.body.complaint.state, 'implementing');

      k.clock.advance(2 * HOUR);
      r = await handler.act(id, 'answer', { text: '已为您换货并补偿 300 元', method: 'phone' });
      assert.equal(r.body.complaint.state, 'answered');
      // Handling clocks stopped; the follow-up window (one week, 000 回访管理制度) runs.
      assert.deepEqual(Object.keys(running(r.body)), ['follow_up']);
      assert.equal(running(r.body).follow_up, new Date(k.clock.now().getTime() + 7 * 24 * HOUR).toISOString());

      k.clock.advance(24 * HOUR);
      r = await followup.act(id, 'follow_up', { reached: true, satisfaction: 'unsatisfied', scores: { attitude: 3, efficiency: 2, result: 1 }, comment: '补偿太少' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.complaint.state, 'investigating');
      assert.equal(r.body.complaint.tier, 2, 'handled again one tier up');
      assert.equal(r.body.complaint.cycle, 2);
      assert.equal(lastEvent(r.body).data.tier, 2);
      // A new handling clock; the grade-rise clock (000: a month from receipt) runs again (issue 10).
      assert.deepEqual(Object.keys(running(r.body)).sort(), ['grade_rise.0', 'resolve'], 'a new handling clock');

      r = await handler.act(id, 'investigate', { facts: '复核', cause: '补偿标准偏低', responsibility: { type: 'department', departmentCode: 'logistics' } });
      r = await handler.act(id, 'propose', { solutions: ['compensation', 'apology'], amount: 500, description: '补偿 500 元并致歉' });
      assert.equal(r.body.complaint.state, 'awaiting_approval');
      r = await csmanager.act(id, 'approve', {});
      r = await handler.act(id, 'answer', { text: '再次致歉，补偿 500 元', method: 'phone' });
      assert.equal(r.body.complaint.state, 'answered');
      r = await followup.act(id, 'follow_up', { reached: true, satisfaction: 'satisfied', scores: { attitude: 5, efficiency: 4, result: 4 } });
      assert.equal(r.body.complaint.state, 'followed_up');
      assert.equal(r.body.complaint.tier, 2);
      r = await specialist.act(id, 'close', { note: '客户满意' });
      assert.equal(r.body.complaint.state, 'closed');
      assert.deepEqual(running(r.body), {});
      r = await specialist.act(id, 'archive', {});
      assert.equal(r.body.complaint.state, 'archived');

      const steps = r.body.timeline.map((e: any) => `${e.action}:${e.toState}`);
      assert.deepEqual(steps, [
        'receive:received',
        'judge:valid',
        'classify:classified',
        'route:assigned',
        'accept:investigating',
        'investigate:investigated',
        'propose:awaiting_approval',
        'reject:investigated',
        'propose:awaiting_approval',
        'approve:implementing',
        'answer:answered',
        'follow_up:investigating',
        'investigate:investigated',
        'propose:awaiting_approval',
        'approve:implementing',
        'answer:answered',
        'follow_up:followed_up',
        'close:closed',
        'archive:archived',
      ]);
      assert.deepEqual(
        r.body.timeline.map((e: any) => e.seq),
        steps.map((_: unknown, i: number) => i + 1),
      );
      assert.equal(r.body.timeline[7].actorName, '陈芳');
      assert.equal(r.body.timeline[7].data.input.comment, '补偿金额过高，请改为 300 元');

      // The first-responder keeps read access and was told of the major steps.
      const av = await agent.get(`/api/v1/complaints/${id}`);
      assert.equal(av.status, 200);
      const outbox = await k.testDb.database.db.selectFrom('outbox').select(['template', 'recipient']).where('complaint_id', '=', id).execute();
      const toAgent = outbox.filter((m) => JSON.parse(m.recipient).userIds?.includes(ids.agent)).map((m) => m.template);
      assert.ok(toAgent.includes('case_progress'), JSON.stringify(toAgent));
      assert.ok(outbox.some((m) => m.template === 'acknowledgement'));
      assert.ok(outbox.some((m) => m.template === 'answer'));
    });

    it('explains and closes an invalid complaint', async () => {
      const agent = k.as('agent');
      const specialist = k.as('specialist');
      let r = await agent.post('/api/v1/complaints', { channel: 'web', description: '你们都是骗子', complainant: { anonymous: true } });
      assert.equal(r.status, 201);
      const id = r.body.complaint.id;
      const missing = await specialist.act(id, 'judge', { valid: false });
      assert.equal(missing.status, 400);
      assert.deepEqual(missing.body.fields.map((f: any) => f.path).sort(), ['explanation', 'reason']);
      const unknown = await specialist.act(id, 'judge', { valid: false, reason: 'no_such_reason', explanation: 'x' });
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.fields[0].path, 'reason');
      r = await specialist.act(id, 'judge', { valid: false, reason: 'anonymous_no_facts', explanation: '匿名投诉且无具体事实，无法核实。欢迎您提供订单号后再次反映。', malicious: false });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.complaint.state, 'invalid');
      assert.equal(r.body.complaint.validity.reason, 'anonymous_no_facts');
      assert.deepEqual(running(r.body), {}, 'an invalid complaint stops its clocks');
      // The first-responder explains to the customer and closes it.
      const av = await agent.get(`/api/v1/complaints/${id}`);
      assert.ok(av.body.allowedActions.includes('close'));
      r = await agent.act(id, 'close', { note: '已电话解释' });
      assert.equal(r.body.complaint.state, 'closed');
      assert.deepEqual(
        r.body.timeline.map((e: any) => e.toState),
        ['received', 'invalid', 'closed'],
      );
      assert.match(r.body.timeline[1].data.input.explanation, /无法核实/);
      const outbox = await k.testDb.database.db.selectFrom('outbox').select(['template', 'payload']).where('complaint_id', '=', id).where('template', '=', 'invalid_explanation').execute();
      assert.equal(outbox.length, 1);
      assert.match(JSON.parse(outbox[0]!.payload).explanation, /无法核实/);
    });
  });
}
