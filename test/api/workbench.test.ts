/**
 * The workbench (GET /api/v1/workbench) on every engine: each role's counts are the queues'
 * filters (triage for specialists, handling / about to breach / overdue for handlers, the
 * department's breaches for managers, approvals, follow-ups), the most urgent cases are listed,
 * and avoidance holds: the complained-about employee's workbench never counts nor lists the case.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { sweepDeadlines } from '../../src/jobs/deadline-sweeper.js';

const HOUR = 3600_000;

type Item = { key: string; queue: string; count: number; urgent: boolean };
const counts = (items: Item[]) => Object.fromEntries(items.map((i) => [i.key, i.count]));

for (const { dialect, skip } of await engines()) {
  describe(`workbench (${dialect})`, { skip }, () => {
    let k: Kesu;
    before(async () => {
      k = await startKesu(dialect, { start: '2026-09-28T09:00:00+08:00' });
    });
    after(async () => k?.close());

    it('counts each role’s to-dos from the queue filters and never shows an avoided case', async () => {
      const agent = k.as('agent');
      const specialist = k.as('specialist');
      const ids = Object.fromEntries(k.userIds);
      const intake = async (body: Record<string, unknown>) => {
        const r = await agent.post('/api/v1/complaints', { channel: 'phone', complainant: { name: '林先生', phone: '13812345678' }, ...body });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body.complaint.id as string;
      };
      const wb = async (user: string) => {
        const r = await k.as(user).get('/api/v1/workbench');
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r.body as { items: Item[]; urgent: { id: string }[] };
      };

      const a = await intake({ description: '洗发水漏液' });
      const b = await intake({ description: '快递延误三天' });
      // c names handler as the complained-about employee: handler must never see it.
      const c = await intake({ description: '营业员王强态度差', subject: { employeeIds: [ids.handler], description: '营业员王强' } });

      let s = await wb('specialist');
      assert.equal(counts(s.items).triage, 3);
      assert.equal(s.items.find((i) => i.key === 'triage')!.queue, 'triage');
      assert.equal(counts(s.items).handling, undefined, 'a specialist has no handling item');
      assert.equal(counts((await wb('agent')).items).received, 3);
      assert.equal(counts((await wb('agent')).items).triage, undefined);

      // The department the demo's handlers work in (and deptmanager manages).
      const dept = ((await agent.get('/api/v1/directory')).body as { username?: string; id: string; departmentCode: string | null }[]).find((u) => u.id === ids.deptmanager)!.departmentCode!;
      assert.ok(dept);
      const route = async (id: string, handler: string) => {
        await specialist.act(id, 'judge', { valid: true });
        await specialist.act(id, 'classify', { category: 'goods_damage_shortage', grade: 'general' });
        const r = await specialist.act(id, 'route', { departmentCode: dept, primaryHandlerId: ids[handler] });
        assert.equal(r.status, 200, JSON.stringify(r.body));
      };
      await route(a, 'handler');
      await route(c, 'handler2');
      s = await wb('specialist');
      assert.equal(counts(s.items).triage, 1, 'only b is left to triage');

      let h = await wb('handler');
      assert.deepEqual([counts(h.items).handling, counts(h.items).overdue, counts(h.items).nearDue], [1, 0, 0]);
      assert.deepEqual(
        h.urgent.map((x) => x.id),
        [a],
      );
      assert.equal(counts((await wb('handler2')).items).handling, 1);
      let m = await wb('deptmanager');
      assert.equal(counts(m.items).departmentOverdue, 0);

      // Just past the warning time of a's clock due next (and before it is due): about to breach.
      const row = (await k.as('handler').get('/api/v1/complaints?mine=handler')).body.items.find((x: any) => x.id === a);
      assert.ok(row.nextDue?.warnAt && row.nextDue.warnAt < row.nextDue.dueAt, JSON.stringify(row.nextDue));
      k.clock.set(new Date(Date.parse(row.nextDue.warnAt) + 60_000).toISOString());
      h = await wb('handler');
      assert.equal(counts(h.items).nearDue, 1);
      assert.ok(h.items.find((i) => i.key === 'nearDue')!.urgent);

      // Days later the sweeper marks the breaches: the handler's own and the department's.
      k.clock.advance(10 * 24 * HOUR);
      await sweepDeadlines(k.app);
      h = await wb('handler');
      assert.deepEqual([counts(h.items).overdue, counts(h.items).nearDue, counts(h.items).handling], [1, 0, 1]);
      m = await wb('deptmanager');
      assert.equal(counts(m.items).departmentOverdue, 2, 'a and c are the department’s cases past their deadline');
      assert.ok(m.urgent.some((x) => x.id === c));

      // Avoidance: handler (named in c) never counts nor lists c, whatever the item.
      for (const user of ['handler']) {
        const w = await wb(user);
        assert.ok(!w.urgent.some((x) => x.id === c));
        assert.ok(
          w.items.every((i) => i.count <= 1),
          JSON.stringify(w.items),
        );
      }

      // Approvals and follow-ups: a through to an answer; the follow-up caller sees it.
      const handler = k.as('handler');
      await handler.act(a, 'accept', {});
      await handler.act(a, 'investigate', { facts: '破损', cause: '挤压', responsibility: { type: 'department', departmentCode: dept } });
      const p = await handler.act(a, 'propose', { solutions: ['exchange'], amount: 0, description: '换货' });
      assert.equal(p.body.complaint.state, 'implementing', JSON.stringify(p.body));
      await handler.act(a, 'answer', { text: '已换货', method: 'phone' });
      assert.equal(counts((await wb('followup')).items).followup, 1);
      assert.equal(counts((await wb('specialist')).items).followup, 1);
      assert.equal(counts((await wb('handler')).items).handling, 0);
      // An approver's approval count is the approval queue's (nothing waits yet).
      assert.equal(counts((await wb('csmanager')).items).approval, 0);
      assert.equal(counts((await wb('csmanager')).items).handling, undefined);
    });

    it('answers 401 without a session', async () => {
      const r = await k.server.inject({ method: 'GET', url: '/api/v1/workbench' });
      assert.equal(r.statusCode, 401);
    });
  });
}
