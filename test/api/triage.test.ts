/**
 * One-step triage (issue 14), on every engine: POST /api/v1/complaints/{id}/actions/triage
 * applies judge → classify → route in one transaction as three transitions (three events, three
 * webhook rows, the clocks each step moves); a refused step — the third one included — changes
 * nothing and names its field under the step in the caller's language; a complaint judged
 * invalid gets only the judgement; an Idempotency-Key replays the first answer; and the routing
 * pickers' load counts each handler's open cases.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';

for (const { dialect, skip } of await engines()) {
  describe(`one-step triage (${dialect})`, { skip }, () => {
    let k: Kesu;
    let ids: Record<string, string>;
    before(async () => {
      // Monday 2026-09-28 09:00 in Shanghai.
      k = await startKesu(dialect, { start: '2026-09-28T09:00:00+08:00' });
      ids = Object.fromEntries(k.userIds);
    });
    after(async () => k?.close());

    const triageUrl = (id: string) => `/api/v1/complaints/${id}/actions/triage`;

    async function intake(description: string): Promise<string> {
      const r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description, complainant: { name: '林先生', phone: '13812345678' } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.complaint.id;
    }

    /** What a refused request must leave as it was: the case row, its events, clocks and outbox. */
    async function snapshot(id: string) {
      const db = k.app.database.db;
      const row = await db.selectFrom('complaints').select(['state', 'version', 'body']).where('id', '=', id).executeTakeFirstOrThrow();
      const events = await db.selectFrom('complaint_events').select(['type']).where('complaint_id', '=', id).execute();
      const clocks = await db.selectFrom('clocks').selectAll().where('complaint_id', '=', id).orderBy('kind').execute();
      const outbox = await db.selectFrom('outbox').select(['template']).where('complaint_id', '=', id).execute();
      return { row, events: events.map((e) => e.type), clocks, outbox: outbox.map((m) => m.template).sort() };
    }

    const valid = (route: Record<string, unknown>) => ({
      judge: { valid: true },
      classify: { category: 'goods_damage_shortage', grade: 'important', customerClass: 'B' },
      route,
    });

    it('applies judge, classify and route at once: three transitions, their clocks and outbox rows', async () => {
      const id = await intake('9月27日送达的洗发水瓶身破裂，漏了一半，要求换货。');
      const before = await snapshot(id);
      const r = await k.as('specialist').post(triageUrl(id), valid({ departmentCode: 'logistics', primaryHandlerId: ids.handler, backupHandlerId: ids.handler2 }));
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const c = r.body.complaint;
      assert.equal(c.state, 'assigned');
      assert.equal(c.version, before.row.version + 3, 'one version per transition');
      assert.deepEqual([c.validity.valid, c.category, c.grade, c.departmentCode, c.primaryHandlerId, c.backupHandlerId], [true, 'goods_damage_shortage', 'important', 'logistics', ids.handler, ids.handler2]);
      assert.equal(c.complainant.customerClass, 'B');

      const steps = r.body.timeline.slice(-3);
      assert.deepEqual(
        steps.map((e: any) => [e.action, e.fromState, e.toState]),
        [
          ['judge', 'received', 'valid'],
          ['classify', 'valid', 'classified'],
          ['route', 'classified', 'assigned'],
        ],
      );
      assert.ok(steps.every((e: any) => e.actorId === ids.specialist));

      // The triage clock stopped by classify, the dispatch clock it started stopped by route;
      // the resolve clock re-timed to the important grade (3 days from receipt, as step by step).
      const byKind = Object.fromEntries(r.body.clocks.map((x: any) => [x.kind, x]));
      assert.equal(byKind.triage.status, 'stopped');
      assert.equal(byKind.resolve.status, 'running');
      assert.equal(byKind.resolve.dueAt, '2026-10-01T01:00:00.000Z');
      if (byKind.dispatch) assert.equal(byKind.dispatch.status, 'stopped');

      const after = await snapshot(id);
      assert.deepEqual(after.events.slice(before.events.length), ['judge', 'classify', 'route']);
      const added = after.outbox.filter((t) => t.startsWith('case.'));
      assert.deepEqual(added.filter((t) => ['case.judge', 'case.classify', 'case.route'].includes(t)).sort(), ['case.classify', 'case.judge', 'case.route']);
      assert.ok(after.outbox.includes('case_assigned'), 'the handlers are told, as by a route on its own');

      // The new primary handler's load counts this case.
      const load = await k.as('specialist').get('/api/v1/directory/load');
      assert.equal(load.status, 200);
      const mine = load.body.find((x: any) => x.userId === ids.handler);
      assert.equal(mine?.openCases, 1);
      assert.equal(
        load.body.find((x: any) => x.userId === ids.handler2),
        undefined,
        'a backup is not a primary load',
      );
    });

    it("a refused third step changes nothing and names route.<field> in the caller's language", async () => {
      const id = await intake('快递员态度恶劣，摔门而去。');
      const before = await snapshot(id);
      const same = valid({ departmentCode: 'logistics', primaryHandlerId: ids.handler, backupHandlerId: ids.handler });
      let r = await k.as('specialist').post(triageUrl(id), same, { 'accept-language': 'en' });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.code, 'invalid_input');
      assert.deepEqual(
        r.body.fields.map((f: any) => f.path),
        ['route.backupHandlerId'],
      );
      assert.equal(r.body.fields[0].message, 'The backup handler must differ from the primary handler');
      assert.deepEqual(await snapshot(id), before, 'nothing written');

      // An unknown assignee is named under the step too, in Chinese for a Chinese reader.
      r = await k.as('specialist').post(triageUrl(id), valid({ departmentCode: 'logistics', primaryHandlerId: 'nobody' }), { 'accept-language': 'zh-CN' });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.deepEqual(
        r.body.fields.map((f: any) => [f.path, f.message]),
        [['route.primaryHandlerId', '没有此用户']],
      );
      // A missing route when the case needs one: the route schema's own required field.
      r = await k.as('specialist').post(triageUrl(id), { judge: { valid: true }, classify: { category: 'goods_damage_shortage', grade: 'general' } });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.deepEqual(
        r.body.fields.map((f: any) => f.path),
        ['route.primaryHandlerId'],
      );
      // The second step's guard (an unknown grade), in Traditional Chinese.
      r = await k.as('specialist').post(triageUrl(id), { judge: { valid: true }, classify: { category: 'goods_damage_shortage', grade: 'nonsense' }, route: { primaryHandlerId: ids.handler } }, { 'accept-language': 'zh-TW' });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.fields[0].path, 'classify.grade');
      assert.doesNotMatch(r.body.fields[0].message.replace('nonsense', ''), /[A-Za-z|]/, 'no English in a zh-TW answer (but the code given)');
      assert.deepEqual(await snapshot(id), before, 'still nothing written');

      // Corrected, it goes through.
      r = await k.as('specialist').post(triageUrl(id), valid({ departmentCode: 'logistics', primaryHandlerId: ids.handler, backupHandlerId: ids.handler2 }));
      assert.equal(r.status, 200, JSON.stringify(r.body));
    });

    it('a complaint judged invalid gets only the judgement', async () => {
      const id = await intake('我想问问你们公司几点下班。');
      const before = await snapshot(id);
      const r = await k.as('specialist').post(triageUrl(id), {
        judge: { valid: false, reason: 'facts_contradict', explanation: '经核实，所述情况与订单记录不符。' },
        classify: { category: 'goods_damage_shortage', grade: 'important' },
        route: { departmentCode: 'logistics', primaryHandlerId: ids.handler },
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.complaint.state, 'invalid');
      assert.equal(r.body.complaint.category, null, 'not classified');
      assert.equal(r.body.complaint.primaryHandlerId, null, 'not routed');
      const after = await snapshot(id);
      assert.deepEqual(after.events.slice(before.events.length), ['judge']);
      assert.equal(after.row.version, before.row.version + 1);
      assert.ok(!after.outbox.includes('case.classify') && !after.outbox.includes('case.route'));
    });

    it('an Idempotency-Key replays the first answer and applies nothing twice', async () => {
      const id = await intake('发票金额开错了，要求重开。');
      const body = valid({ departmentCode: 'logistics', primaryHandlerId: ids.handler });
      const first = await k.as('specialist').post(triageUrl(id), body, { 'idempotency-key': 'triage-1' });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      const once = await snapshot(id);
      const again = await k.as('specialist').post(triageUrl(id), body, { 'idempotency-key': 'triage-1' });
      assert.equal(again.status, 200);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.deepEqual(again.body, first.body, 'the same answer');
      assert.deepEqual(await snapshot(id), once, 'applied once');
      const other = await k.as('specialist').post(triageUrl(id), valid({ departmentCode: 'logistics', primaryHandlerId: ids.handler2 }), { 'idempotency-key': 'triage-1' });
      assert.equal(other.status, 422, JSON.stringify(other.body));
      assert.equal(other.body.code, 'idempotency_mismatch');
      // Without a key, a second triage of the same case is refused by the machine.
      const late = await k.as('specialist').post(triageUrl(id), body);
      assert.equal(late.status, 409, JSON.stringify(late.body));
      assert.equal(late.body.code, 'illegal_transition');
    });

    it("a pending case's paused promise: the server tells the time left on the paused clock", async () => {
      const id = await intake('快递丢件，等待保险公司定损。');
      // Important: resolve within 3 calendar days of receipt; 12 hours run before the pause.
      k.clock.advance(2 * 3_600_000);
      let r = await k.as('specialist').post(triageUrl(id), valid({ departmentCode: 'logistics', primaryHandlerId: ids.handler }));
      assert.equal(r.status, 200, JSON.stringify(r.body));
      k.clock.advance(10 * 3_600_000);
      assert.equal((await k.as('handler').act(id, 'accept', {})).status, 200);
      r = await k.as('handler').act(id, 'pend', { reason: '等待保险公司定损结果' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      k.clock.advance(48 * 3_600_000); // paused time does not count
      r = await k.as('handler').get(`/api/v1/complaints/${id}`);
      const resolve = r.body.clocks.find((x: any) => x.kind === 'resolve');
      assert.equal(resolve.status, 'paused');
      assert.equal(resolve.dueAt, null, 'no due time while paused');
      assert.deepEqual(resolve.remaining, { parts: [{ amount: 2.5, unit: 'd' }], text: { 'zh-CN': '2.5 天', 'zh-TW': '2.5 天', en: '2.5 days' } });
      assert.equal(r.body.clocks.find((x: any) => x.kind === 'triage').remaining, null, 'a stopped clock has nothing to tell');
      // Running again, the due time is the pause's length later than promised.
      r = await k.as('handler').act(id, 'resume', {});
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.clocks.find((x: any) => x.kind === 'resolve').dueAt, '2026-10-03T01:00:00.000Z');
    });

    it('only a specialist triages; others are refused before anything is written', async () => {
      const id = await intake('送货上门时间一改再改。');
      const before = await snapshot(id);
      const r = await k.as('handler').post(triageUrl(id), valid({ departmentCode: 'logistics', primaryHandlerId: ids.handler }));
      assert.ok(r.status === 403 || r.status === 404, JSON.stringify(r.body));
      assert.deepEqual(await snapshot(id), before);
    });
  });

  // A preset whose major cases go straight to the department's manager (routing.majorTo).
  describe(`one-step triage of a major case the policy routes (${dialect})`, { skip }, () => {
    let k: Kesu;
    before(async () => {
      k = await startKesu(dialect, { start: '2026-09-28T09:00:00+08:00', policy: 'car-dealer' });
    });
    after(async () => k?.close());

    it('classify assigns it to the manager and the route step is not applied', async () => {
      const ids = Object.fromEntries(k.userIds);
      let r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '新车刹车失灵，险些出事故。', complainant: { name: '林先生', phone: '13812345678' } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const id = r.body.complaint.id;
      r = await k.as('specialist').post(`/api/v1/complaints/${id}/actions/triage`, { judge: { valid: true }, classify: { category: 'product_quality', grade: 'major' }, route: { primaryHandlerId: ids.handler2 } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.complaint.state, 'assigned');
      assert.equal(r.body.complaint.primaryHandlerId, ids.deptmanager, "the policy's choice, not the form's");
      const steps = r.body.timeline.filter((e: any) => ['judge', 'classify', 'route'].includes(e.action)).map((e: any) => [e.action, e.toState]);
      assert.deepEqual(steps, [
        ['judge', 'valid'],
        ['classify', 'assigned'],
      ]);
    });
  });
}
