/**
 * The manager dashboard's statistics on every engine: open cases by dimension, overdue and
 * nearly overdue lists, the intake/closure trend by local day, satisfaction; who may see it;
 * avoidance (a manager named as the complained-about person does not find the case in it).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';

const HOUR = 3600_000;

function count(list: { key: string | null; count: number }[], key: string | null): number {
  return list.find((x) => x.key === key)?.count ?? 0;
}

for (const { dialect, skip } of await engines()) {
  describe(`dashboard statistics (${dialect})`, { skip }, () => {
    let k: Kesu;
    before(async () => {
      // Monday 2026-09-28 09:00 in Shanghai.
      k = await startKesu(dialect, { start: '2026-09-28T09:00:00+08:00' });
    });
    after(async () => k?.close());

    it('counts, lists and trends what happened, for the roles that oversee', async () => {
      const agent = k.as('agent');
      const specialist = k.as('specialist');
      const handler = k.as('handler');
      const followup = k.as('followup');
      const ids = Object.fromEntries(k.userIds);
      const intake = async (body: Record<string, unknown>) => {
        const r = await agent.post('/api/v1/complaints', { channel: 'phone', complainant: { name: '林先生', phone: '13812345678' }, ...body });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body.complaint.id as string;
      };

      // Day 1 (Mon): two phone complaints, one web complaint naming csmanager (avoidance).
      const a = await intake({ description: '洗发水漏液' });
      const b = await intake({ description: '快递延误三天' });
      const hidden = await intake({ channel: 'web', description: '客服经理态度差', subject: { employeeIds: [ids.csmanager] } });
      // a: through to answered and followed up (unsatisfied once, then satisfied) and closed on day 2.
      await specialist.act(a, 'judge', { valid: true });
      await specialist.act(a, 'classify', { category: 'goods_damage_shortage', grade: 'general' });
      await specialist.act(a, 'route', { departmentCode: 'logistics', primaryHandlerId: ids.handler });
      await handler.act(a, 'accept', {});
      await handler.act(a, 'investigate', { facts: '破损', cause: '挤压', responsibility: { type: 'department', departmentCode: 'logistics' } });
      let r = await handler.act(a, 'propose', { solutions: ['exchange'], amount: 0, description: '换货' });
      assert.equal(r.body.complaint.state, 'implementing', JSON.stringify(r.body));
      await handler.act(a, 'answer', { text: '已换货', method: 'phone' });
      r = await followup.act(a, 'follow_up', { reached: true, satisfaction: 'unsatisfied', scores: { attitude: 2, efficiency: 2, result: 1 } });
      assert.equal(r.body.complaint.state, 'investigating');
      k.clock.advance(24 * HOUR);
      // Day 2 (Tue).
      await handler.act(a, 'investigate', { facts: '复核', cause: '挤压', responsibility: { type: 'department', departmentCode: 'logistics' } });
      await handler.act(a, 'propose', { solutions: ['exchange', 'apology'], amount: 0, description: '换货并致歉' });
      await handler.act(a, 'answer', { text: '已换货并致歉', method: 'phone' });
      await followup.act(a, 'follow_up', { reached: true, satisfaction: 'satisfied', scores: { attitude: 4, efficiency: 3, result: 5 } });
      r = await specialist.act(a, 'close', {});
      assert.equal(r.body.complaint.state, 'closed');
      const inquiry = await intake({ channel: 'email', kind: 'inquiry', description: '请问保修期多久？' });

      // Day 2, 09:00: b's triage clock (24 h) is due now; resolve (2 d) due tomorrow 09:00.
      const d = await specialist.get('/api/v1/stats/dashboard');
      assert.equal(d.status, 200, JSON.stringify(d.body));
      const v = d.body;
      assert.equal(v.timeZone, 'Asia/Shanghai');
      // Open: b, hidden, the inquiry (a is closed).
      assert.equal(v.open.total, 3);
      assert.equal(count(v.open.byState, 'received'), 3);
      assert.equal(count(v.open.byChannel, 'phone'), 1);
      assert.equal(count(v.open.byChannel, 'web'), 1);
      assert.equal(count(v.open.byChannel, 'email'), 1);
      assert.equal(count(v.open.byKind, 'inquiry'), 1);
      assert.equal(count(v.open.byGrade, null), 3);
      assert.equal(count(v.open.byDepartment, null), 3);

      // Trend: the last 7 local days, today last.
      assert.equal(v.trend.length, 7);
      assert.deepEqual(v.trend.slice(-2), [
        { day: '2026-09-28', received: 3, closed: 0 },
        { day: '2026-09-29', received: 1, closed: 1 },
      ]);
      assert.ok(v.trend.slice(0, 5).every((x: any) => x.received === 0 && x.closed === 0));

      // Satisfaction per case (issue 11 §2/§6): a answered 不满意 and then 满意 is one satisfied case,
      // with the scores of its latest call; both calls are counted as calls.
      assert.equal(v.satisfaction.cases, 1);
      assert.equal(v.satisfaction.calls, 2);
      assert.equal(v.satisfaction.counts.unsatisfied, 0);
      assert.equal(v.satisfaction.counts.satisfied, 1);
      assert.equal(v.satisfaction.counts.very_satisfied, 0);
      assert.deepEqual(v.satisfaction.scores, { attitude: 4, efficiency: 3, result: 5 });

      // Overdue: b and hidden, whose 24 h triage clocks ran out now.
      assert.deepEqual(v.overdue.map((x: any) => `${x.id}:${x.clock}`).sort(), [`${b}:triage`, `${hidden}:triage`].sort());
      assert.ok(v.overdue.every((x: any) => x.dueAt <= v.at));
      // Nearly overdue (due within 24 h): the inquiry registered today (24 h); b's resolve clock is
      // due too, but b is already listed as overdue.
      assert.deepEqual(
        v.nearlyOverdue.map((x: any) => `${x.id}:${x.clock}`),
        [`${inquiry}:resolve`],
      );
      assert.deepEqual(v.counts, { overdue: 2, nearlyOverdue: 1 });

      // A manager named as the complained-about person does not find that case anywhere.
      const m = await k.as('csmanager').get('/api/v1/stats/dashboard');
      assert.equal(m.status, 200);
      assert.equal(m.body.open.total, 2);
      assert.equal(count(m.body.open.byChannel, 'web'), 0);
      assert.ok(!JSON.stringify(m.body).includes(hidden));
      // … and the lists show only cases the manager may open (none of these), while the counts
      // cover the organisation.
      assert.deepEqual(m.body.overdue, []);
      assert.deepEqual(m.body.nearlyOverdue, []);
      assert.deepEqual(m.body.counts, { overdue: 1, nearlyOverdue: 1 });

      // Agents and handlers have no dashboard.
      assert.equal((await agent.get('/api/v1/stats/dashboard')).status, 403);
      assert.equal((await handler.get('/api/v1/stats/dashboard')).status, 403);
      // Bad query → field error in the caller's language.
      const bad = await specialist.get('/api/v1/stats/dashboard?days=0&lang=en');
      assert.equal(bad.status, 400);
      assert.equal(bad.body.fields[0].path, 'days');
    });

    it('lists a case as nearly overdue before its clock runs out', async () => {
      const agent = k.as('agent');
      const r = await agent.post('/api/v1/complaints', { channel: 'phone', description: '热水器不出热水', complainant: { name: '周女士' } });
      const id = r.body.complaint.id;
      k.clock.advance(20 * HOUR); // triage (24 h) due in 4 h
      const d = await k.as('specialist').get('/api/v1/stats/dashboard');
      const row = d.body.nearlyOverdue.find((x: any) => x.id === id);
      assert.ok(row, JSON.stringify(d.body.nearlyOverdue));
      assert.equal(row.clock, 'triage');
      assert.ok(!d.body.overdue.some((x: any) => x.id === id));
    });

    it('serves one year of the holiday calendar and the staff directory to any signed-in user', async () => {
      const y = await k.as('agent').get('/api/v1/calendar/years/2026');
      assert.equal(y.status, 200);
      assert.equal(y.body.origin, 'built_in');
      assert.ok(y.body.days.some((x: any) => x.date === '2026-10-01' && x.off === true));
      assert.ok(
        y.body.days.some((x: any) => x.off === false),
        'adjusted working days (调休) are listed',
      );
      assert.equal((await k.as('agent').get('/api/v1/calendar/years/2031')).status, 404);
      const dir = await k.as('handler').get('/api/v1/directory');
      assert.equal(dir.status, 200);
      const h2 = dir.body.find((u: any) => u.username === 'handler2');
      assert.equal(h2.name, '吴磊');
      assert.equal(h2.passwordHash, undefined);
    });
  });
}
