/**
 * 催办 (urge, issue 14) on every engine: the department's manager urges the handler of a case
 * being worked. No state change: one `urge` event on the hash-chained timeline (who, when, what
 * was asked), the handlers told through the outbox in the same transaction and, live, by an
 * `urged` event on their own streams only; the workbench counts the urge until the handler
 * records something. The handler, an agent and a closed case are refused; bad input names the
 * field in the caller's language.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { openStream } from '../support/stream.js';
import { verifyChains } from '../../src/audit/verify.js';

const settle = async (until: () => boolean) => {
  for (let i = 0; i < 100 && !until(); i++) await new Promise((r) => setTimeout(r, 20));
};

for (const { dialect, skip } of await engines()) {
  describe(`urge (${dialect})`, { skip }, () => {
    let k: Kesu;
    let base: string;
    let id: string;
    let ids: Record<string, string>;
    before(async () => {
      k = await startKesu(dialect, { start: new Date().toISOString() });
      await k.server.listen({ port: 0, host: '127.0.0.1' });
      const addr = k.server.server.address();
      base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
      ids = Object.fromEntries(k.userIds);
      const dept = ((await k.as('agent').get('/api/v1/directory')).body as { id: string; departmentCode: string | null }[]).find((u) => u.id === ids.deptmanager)!.departmentCode!;
      const r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '热水器安装后漏水，一周没人来修', complainant: { name: '林先生', phone: '13812345678' } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      id = r.body.complaint.id;
      const s = k.as('specialist');
      for (const [action, input] of [
        ['judge', { valid: true }],
        ['classify', { category: 'goods_damage_shortage', grade: 'general' }],
        ['route', { departmentCode: dept, primaryHandlerId: ids.handler, backupHandlerId: ids.handler2 }],
      ] as const) {
        const x = await s.act(id, action, input);
        assert.equal(x.status, 200, `${action}: ${JSON.stringify(x.body)}`);
      }
      assert.equal((await k.as('handler').act(id, 'accept', {})).status, 200);
    });
    after(async () => k?.close());

    const urgedCount = async (user: string) => ((await k.as(user).get('/api/v1/workbench')).body.items as { key: string; count: number }[]).find((i) => i.key === 'urged')?.count;

    it('the department manager urges the handler: one audited event, no state change, the handlers told and streamed', async () => {
      for (const u of ['handler', 'handler2', 'specialist', 'deptmanager']) await k.as(u).get('/api/v1/me');
      const handlerUrged = await openStream(base, k.tokens.get('handler')!, 'urged');
      const backupUrged = await openStream(base, k.tokens.get('handler2')!, 'urged');
      const specUrged = await openStream(base, k.tokens.get('specialist')!, 'urged');
      const specChanged = await openStream(base, k.tokens.get('specialist')!, 'case_changed');
      const before = (await k.as('deptmanager').get(`/api/v1/complaints/${id}`)).body;
      assert.ok(before.allowedActions.includes('urge'), JSON.stringify(before.allowedActions));
      assert.ok(!(await k.as('handler').get(`/api/v1/complaints/${id}`)).body.allowedActions.includes('urge'), 'the handler is not offered an urge of their own case');
      assert.equal(await urgedCount('handler'), 0);

      const r = await k.as('deptmanager').post(`/api/v1/complaints/${id}/actions/urge`, { comment: '客户第三次来电，今天务必上门' }, { 'idempotency-key': 'urge-1' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.complaint.state, 'investigating', 'an urge changes no state');
      assert.equal(r.body.complaint.version, before.complaint.version + 1);
      const ev = (r.body.timeline as { action: string; actorId: string; fromState: string; toState: string; data: { input: { comment: string }; handlers: string[] } }[]).filter((e) => e.action === 'urge');
      assert.equal(ev.length, 1);
      assert.deepEqual(
        { actor: ev[0]!.actorId, from: ev[0]!.fromState, to: ev[0]!.toState, comment: ev[0]!.data.input.comment, handlers: ev[0]!.data.handlers },
        { actor: ids.deptmanager, from: 'investigating', to: 'investigating', comment: '客户第三次来电，今天务必上门', handlers: [ids.handler, ids.handler2] },
      );

      const db = k.testDb.database.db;
      const rows = await db.selectFrom('outbox').select(['template', 'recipient', 'payload', 'channel']).where('complaint_id', '=', id).where('template', 'in', ['case_urged', 'case.urge']).execute();
      const urged = rows.find((x) => x.template === 'case_urged');
      assert.ok(urged, JSON.stringify(rows));
      assert.equal(urged.channel, 'staff');
      assert.deepEqual(JSON.parse(urged.recipient).userIds, [ids.handler, ids.handler2]);
      assert.equal(JSON.parse(urged.payload).comment, '客户第三次来电，今天务必上门');
      assert.ok(
        rows.some((x) => x.template === 'case.urge'),
        'the case-event webhook row',
      );
      assert.deepEqual((await verifyChains(db, { checkpoint: null })).problems, [], 'the urge is on the hash chain');

      await settle(() => handlerUrged.events.length > 0 && backupUrged.events.length > 0 && specChanged.events.some((e) => e.action === 'urge'));
      assert.deepEqual(
        handlerUrged.events.map((e) => [e.id, e.number]),
        [[id, before.complaint.number]],
      );
      assert.equal(backupUrged.events.length, 1, 'the backup handler is told too');
      assert.ok(
        specChanged.events.some((e) => e.action === 'urge' && e.id === id),
        'who sees the case hears it changed',
      );
      assert.deepEqual(specUrged.events, [], 'only the handlers get the urge itself');
      await Promise.all([handlerUrged.close(), backupUrged.close(), specUrged.close(), specChanged.close()]);

      assert.equal(await urgedCount('handler'), 1, 'the workbench shows the urge');
      const list = await k.as('handler').get('/api/v1/complaints?urged=true');
      assert.deepEqual(
        list.body.items.map((x: { id: string }) => x.id),
        [id],
      );
      assert.equal(await urgedCount('specialist'), undefined, 'a specialist has no urged item');
    });

    it('the urge is answered when the handler records something', async () => {
      const n = await k.as('handler').act(id, 'note', { text: '已约今天下午上门' });
      assert.equal(n.status, 200, JSON.stringify(n.body));
      assert.equal(await urgedCount('handler'), 0);
      assert.deepEqual((await k.as('handler').get('/api/v1/complaints?urged=true')).body.items, []);
    });

    it('refuses the handler, an agent, a too long comment and a closed case', async () => {
      const own = await k.as('handler').act(id, 'urge', {});
      assert.equal(own.status, 403, JSON.stringify(own.body));
      assert.equal((await k.as('agent2').act(id, 'urge', {})).status, 404, 'a case the caller may not see');
      const long = await k.as('deptmanager').post(`/api/v1/complaints/${id}/actions/urge?lang=en`, { comment: 'x'.repeat(2001) }, { 'idempotency-key': 'urge-long' });
      assert.equal(long.status, 400, JSON.stringify(long.body));
      assert.deepEqual(
        long.body.fields.map((f: { path: string }) => f.path),
        ['comment'],
      );
      assert.doesNotMatch(JSON.stringify(long.body), /[\u4e00-\u9fff]/, 'in the caller’s language only');

      // The manager's own case: they may not urge themselves.
      const dept = ((await k.as('agent').get('/api/v1/directory')).body as { id: string; departmentCode: string | null }[]).find((u) => u.id === ids.deptmanager)!.departmentCode!;
      const r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '门店经理处理不当', complainant: { name: '王女士', phone: '13912340000' } });
      const mine = r.body.complaint.id as string;
      const s = k.as('specialist');
      await s.act(mine, 'judge', { valid: true });
      await s.act(mine, 'classify', { category: 'goods_damage_shortage', grade: 'general' });
      assert.equal((await s.act(mine, 'route', { departmentCode: dept, primaryHandlerId: ids.deptmanager })).status, 200);
      const self = await k.as('deptmanager').post(`/api/v1/complaints/${mine}/actions/urge?lang=en`, {}, { 'idempotency-key': 'urge-self' });
      assert.equal(self.status, 409, JSON.stringify(self.body));
      assert.match(JSON.stringify(self.body), /cannot urge a case you handle/);

      // Closed (judged invalid, then closed): nothing to urge.
      const x = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '推销电话', complainant: { name: '匿名' } });
      const shut = x.body.complaint.id as string;
      await s.act(shut, 'judge', { valid: false, reason: (await k.as('specialist').get('/api/v1/policy')).body.active.validity.invalidReasons[0].code, explanation: '非投诉' });
      assert.equal((await s.act(shut, 'close', {})).status, 200);
      assert.equal((await k.as('deptmanager').act(shut, 'urge', {})).status, 404, 'no department: the manager does not see it');
      const c = await k.as('specialist').act(shut, 'urge', {});
      assert.equal(c.status, 409, JSON.stringify(c.body));
    });
  });
}
