/**
 * The outbox dispatcher against a local HTTP receiver, on every engine: SMS through the generic
 * HTTP gateway (URL and body templates, extra headers, HMAC signature, idempotency key = row id),
 * signed case-event webhooks, retries with exponential backoff, dead letters listed for admins
 * and sent again on request, permanent refusals, and two dispatchers never sending one row twice.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { TestReceiver, startChannelKesu, type ChannelKesu } from '../support/channels.js';
import { signBody } from '../../src/channels/webhook.js';
import { dispatchOutbox, startDispatcher, type Providers } from '../../src/jobs/outbox-dispatcher.js';

for (const { dialect, skip } of await engines()) {
  describe(`outbox dispatcher (${dialect})`, { skip }, () => {
    let ck: ChannelKesu;
    let rx: TestReceiver;
    before(async () => {
      rx = await TestReceiver.start();
      ck = await startChannelKesu(dialect, {
        start: '2026-09-28T09:00:00+08:00',
        settings: {
          sms: { provider: 'http', url: rx.url('/sms/send?to={to}'), method: 'POST', body: '{"phone":"{to}","content":"{text}","requestId":"{id}"}', headers: { 'x-api-key': 'key-1' }, secret: 'sms-signing-secret' },
          webhooks: [{ name: 'crm', url: rx.url('/hook'), secret: 'hook-secret-123', events: ['case.receive', 'case.judge'] }],
          outbox: { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 60_000, leaseMs: 60_000, batch: 50, timeoutMs: 3000 },
        },
      });
    });
    after(async () => {
      await ck?.close();
      await rx?.close();
    });

    const db = () => ck.k.testDb.database.db;
    const newCase = async (phone: string) => {
      const r = await ck.k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '电话投诉：网点少找零钱。', complainant: { name: '周先生', phone } });
      assert.equal(r.status, 201);
      return r.body.complaint as { id: string; number: string };
    };
    const smsRows = async (complaintId: string) => db().selectFrom('outbox').selectAll().where('complaint_id', '=', complaintId).where('channel', '=', 'sms').execute();

    it('sends SMS through the configured HTTP gateway, signed, with the row id as idempotency key', async () => {
      const c = await newCase('13812345678');
      await ck.dispatch();
      const req = rx.requests.find((r) => r.url.startsWith('/sms/send'));
      assert.ok(req, 'the gateway was called');
      assert.equal(req.url, '/sms/send?to=13812345678');
      assert.equal(req.headers['x-api-key'], 'key-1');
      const body = JSON.parse(req.body);
      assert.equal(body.phone, '13812345678');
      assert.match(body.content, new RegExp(`您的投诉已受理，编号${c.number}，访问码[2-9A-Z]{4}-[2-9A-Z]{4}`));
      const [row] = await smsRows(c.id);
      assert.equal(row!.status, 'sent');
      assert.equal(body.requestId, row!.id);
      assert.equal(req.headers['idempotency-key'], row!.id);
      assert.equal(req.headers['x-kesu-signature'], signBody('sms-signing-secret', req.headers['x-kesu-timestamp'] as string, req.body));
    });

    it('posts signed case events to subscribed webhooks, without personal data', async () => {
      const hooks = rx.requests.filter((r) => r.url === '/hook');
      assert.equal(hooks.length, 1);
      const h = hooks[0]!;
      const body = JSON.parse(h.body);
      assert.equal(body.event, 'case.receive');
      assert.equal(h.headers['x-kesu-event'], 'case.receive');
      assert.equal(body.transition.to, 'received');
      assert.match(body.complaint.number, /^KS-2026-/);
      assert.equal(h.headers['x-kesu-signature'], signBody('hook-secret-123', h.headers['x-kesu-timestamp'] as string, h.body));
      assert.equal(h.headers['idempotency-key'], h.headers['x-kesu-delivery']);
      assert.ok(!h.body.includes('13812345678') && !h.body.includes('周先生'), 'no personal data');
      const id = body.complaint.id as string;
      await ck.k.as('specialist').act(id, 'judge', { valid: true });
      await ck.k.as('specialist').act(id, 'classify', { category: 'goods_damage_shortage', grade: 'general' });
      await ck.dispatch();
      const events = rx.requests.filter((r) => r.url === '/hook').map((r) => JSON.parse(r.body).event);
      assert.deepEqual(events, ['case.receive', 'case.judge'], 'case.classify is not subscribed');
      const skipped = await db().selectFrom('outbox').select(['status', 'last_error']).where('complaint_id', '=', id).where('template', '=', 'case.classify').executeTakeFirstOrThrow();
      assert.equal(skipped.status, 'skipped');
    });

    it('retries with exponential backoff, dead-letters after the last attempt, and an admin sends it again', async () => {
      rx.respond = (r) => (r.url.startsWith('/sms') ? { status: 503, body: 'busy' } : { status: 200, body: '{}' });
      const c = await newCase('13900001111');
      const keys = () => rx.requests.filter((r) => r.url === '/sms/send?to=13900001111').map((r) => r.headers['idempotency-key']);
      await ck.dispatch();
      let [row] = await smsRows(c.id);
      assert.equal(row!.status, 'pending');
      assert.equal(Number(row!.attempts), 1);
      assert.match(row!.last_error ?? '', /HTTP 503/);
      const wait1 = Date.parse(row!.next_attempt_at) - ck.k.clock.now().getTime();
      assert.ok(wait1 >= 800 && wait1 <= 1200, `first backoff ${wait1} ms`);
      await ck.dispatch();
      assert.equal(keys().length, 1, 'not before the backoff');
      ck.k.clock.advance(1500);
      await ck.dispatch();
      [row] = await smsRows(c.id);
      assert.equal(Number(row!.attempts), 2);
      const wait2 = Date.parse(row!.next_attempt_at) - ck.k.clock.now().getTime();
      assert.ok(wait2 >= 1600 && wait2 <= 2400, `second backoff ${wait2} ms (doubled)`);
      ck.k.clock.advance(3000);
      await ck.dispatch();
      [row] = await smsRows(c.id);
      assert.equal(row!.status, 'dead', 'the third attempt was the last');
      assert.deepEqual(new Set(keys()), new Set([row!.id]), 'every attempt carried the same idempotency key');

      const admin = (method: 'GET' | 'POST', url: string) => ck.k.as('admin')[method === 'GET' ? 'get' : 'post'](url);
      const dead = await admin('GET', '/api/v1/admin/outbox?status=dead');
      assert.equal(dead.status, 200, JSON.stringify(dead.body));
      const item = dead.body.items.find((i: { id: string }) => i.id === row!.id);
      assert.ok(item, 'listed as dead');
      assert.equal(item.recipient.phone, '139****1111', 'masked');
      assert.equal(item.payload.sealed, undefined, 'no secrets');
      assert.ok(dead.body.counts.dead >= 1);
      assert.equal((await ck.k.as('agent').get('/api/v1/admin/outbox?status=dead')).status, 403);

      rx.respond = () => ({ status: 200, body: '{"ok":true,"messageId":"gw-1"}' });
      const retried = await admin('POST', `/api/v1/admin/outbox/${row!.id}/retry`);
      assert.equal(retried.status, 200, JSON.stringify(retried.body));
      assert.equal(retried.body.status, 'pending');
      assert.equal((await admin('POST', `/api/v1/admin/outbox/${row!.id}/retry`)).status, 409, 'only dead rows');
      await ck.dispatch();
      [row] = await smsRows(c.id);
      assert.equal(row!.status, 'sent');
      assert.equal(keys().length, 4);
      assert.deepEqual(new Set(keys()), new Set([row!.id]));
    });

    it('dead-letters a permanent refusal at once', async () => {
      rx.respond = (r) => (r.url.startsWith('/sms') ? { status: 400, body: '{"error":"invalid phone"}' } : { status: 200, body: '{}' });
      const c = await newCase('10000');
      await ck.dispatch();
      const [row] = await smsRows(c.id);
      assert.equal(row!.status, 'dead');
      assert.equal(Number(row!.attempts), 1);
      assert.match(row!.last_error ?? '', /HTTP 400/);
      rx.respond = () => ({ status: 200, body: '{}' });
    });

    it('skips case events when no webhook is configured', async () => {
      const saved = ck.s.webhooks;
      ck.s.webhooks = [];
      try {
        const c = await newCase('13700000000');
        await ck.dispatch();
        const hook = await db().selectFrom('outbox').select(['status', 'last_error']).where('complaint_id', '=', c.id).where('channel', '=', 'webhook').executeTakeFirstOrThrow();
        assert.equal(hook.status, 'skipped');
        assert.match(hook.last_error ?? '', /no webhook configured/);
      } finally {
        ck.s.webhooks = saved;
      }
    });

    it('the running dispatcher wakes up right after a transition', async () => {
      const stop = startDispatcher(ck.k.app, 60_000, { settings: ck.s, providers: ck.providers, owner: 'loop' });
      try {
        await new Promise((r) => setTimeout(r, 300)); // its first pass finds nothing
        const c = await newCase('13611112222');
        const deadline = Date.now() + 5000;
        while (!rx.requests.some((r) => r.url === '/sms/send?to=13611112222')) {
          assert.ok(Date.now() < deadline, 'delivered within seconds, not at the next 60 s tick');
          await new Promise((r) => setTimeout(r, 50));
        }
        const [row] = await smsRows(c.id);
        for (let i = 0; i < 50 && (await smsRows(c.id))[0]!.status !== 'sent'; i++) await new Promise((r) => setTimeout(r, 20));
        assert.equal((await smsRows(c.id))[0]!.status, 'sent', row!.status);
      } finally {
        await stop();
      }
    });

    it('two dispatchers working at once never send a row twice', async () => {
      const before = rx.requests.length;
      const cases = [];
      for (let i = 0; i < 8; i++) cases.push(await newCase(`1350000${String(i).padStart(4, '0')}`));
      // Expand first, so both dispatchers compete for the same delivery rows.
      await dispatchOutbox(ck.k.app, { settings: ck.s, providers: ck.providers, owner: 'expander', limit: 200 });
      const due = await db().selectFrom('outbox').select('id').where('status', '=', 'pending').execute();
      assert.ok(due.length >= 8, `${due.length} rows due`);
      const run = (owner: string) => dispatchOutbox(ck.k.app, { settings: ck.s, providers: ck.providers, owner, limit: 5 });
      const results = [];
      for (let round = 0; round < 5; round++) results.push(...(await Promise.all([run('A'), run('B')])));
      const sent = results.reduce((n, r) => n + r.sent, 0);
      const smsKeys = rx.requests
        .slice(before)
        .filter((r) => r.url.startsWith('/sms'))
        .map((r) => r.headers['idempotency-key'] as string);
      assert.equal(smsKeys.length, cases.length);
      assert.equal(new Set(smsKeys).size, smsKeys.length, 'no key twice');
      assert.ok(results.some((r) => r.claimed > 0 && r.sent > 0));
      assert.ok(sent >= cases.length);
    });

    it('holds no transaction while a slow provider sends: a list and an intake complete meanwhile', async () => {
      await ck.dispatch(); // nothing left over from earlier tests
      const cases = [await newCase('13300000001'), await newCase('13300000002')];
      await dispatchOutbox(ck.k.app, { settings: ck.s, providers: ck.providers, owner: 'expander', limit: 200 });
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const phones = new Set<string>();
      const slow: Providers = {
        email: null,
        sms: {
          name: 'slow',
          async send(m) {
            phones.add(m.to);
            await gate;
            return {};
          },
        },
      };
      const sending = () => ['13300000001', '13300000002'].filter((p) => phones.has(p)).length;
      const pass = dispatchOutbox(ck.k.app, { settings: ck.s, providers: slow, owner: 'slow', limit: 200 });
      try {
        for (let i = 0; i < 200 && sending() < cases.length; i++) await new Promise((r) => setTimeout(r, 10));
        assert.equal(sending(), cases.length, 'both messages are being sent at once');
        const list = await ck.k.as('specialist').get('/api/v1/complaints?limit=10');
        assert.equal(list.status, 200);
        // A write needs the one SQLite writer: it would wait for an open transaction.
        const third = await newCase('13300000003');
        assert.ok(third.number);
        assert.ok(!phones.has('13300000003'), 'the pass in progress does not take new work');
      } finally {
        release();
      }
      const r = await pass;
      assert.ok(r.sent >= cases.length, JSON.stringify(r));
      for (const c of cases) assert.equal((await smsRows(c.id))[0]!.status, 'sent');
    });

    it('a pass that is told to stop hands back the deliveries it has not started', async () => {
      await ck.dispatch();
      const cases = [];
      for (let i = 0; i < 12; i++) cases.push(await newCase(`1340000${String(i).padStart(4, '0')}`));
      await dispatchOutbox(ck.k.app, { settings: ck.s, providers: ck.providers, owner: 'expander', limit: 200 });
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let started = 0;
      const slow: Providers = {
        email: null,
        sms: {
          name: 'slow',
          async send() {
            started += 1;
            await gate;
            return {};
          },
        },
      };
      let stop = false;
      const pass = dispatchOutbox(ck.k.app, { settings: ck.s, providers: slow, owner: 'stopping', limit: 200, stopping: () => stop });
      for (let i = 0; i < 300 && started === 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(started > 0 && started < cases.length, `${started} sends under way`);
      stop = true;
      release();
      const r = await pass;
      assert.ok(r.sent >= started, JSON.stringify(r));
      const rows = await db()
        .selectFrom('outbox')
        .select(['status', 'attempts', 'lease_owner'])
        .where(
          'complaint_id',
          'in',
          cases.map((c) => c.id),
        )
        .where('channel', '=', 'sms')
        .execute();
      assert.equal(rows.filter((x) => x.status === 'sent').length, started, 'what was being sent is marked sent');
      const back = rows.filter((x) => x.status === 'pending');
      assert.equal(back.length, cases.length - started, 'the rest is handed back');
      for (const x of back) {
        assert.equal(Number(x.attempts), 0, 'the attempt it never made is not counted');
        assert.equal(x.lease_owner, null);
      }
      await ck.dispatch();
      assert.equal((await smsRows(cases.at(-1)!.id))[0]!.status, 'sent', 'and sent by the next pass');
    });

    it('expands a pass and marks its deliveries in one transaction each', async () => {
      await ck.dispatch(); // nothing left over from earlier tests
      for (let i = 0; i < 4; i++) await newCase(`1320000000${i}`);
      const database = ck.k.app.database;
      const original = database.db.transaction.bind(database.db);
      let transactions = 0;
      (database.db as { transaction: unknown }).transaction = () => {
        transactions += 1;
        return original();
      };
      try {
        // 4 cases × (acknowledgement, staff notice, case event): 12 logical rows, one transaction.
        const expanded = await dispatchOutbox(ck.k.app, { settings: ck.s, providers: ck.providers, owner: 'batch', limit: 200 });
        assert.equal(expanded.expanded, 8);
        assert.equal(transactions, 1);
        transactions = 0;
        const delivered = await dispatchOutbox(ck.k.app, { settings: ck.s, providers: ck.providers, owner: 'batch', limit: 200 });
        assert.ok(delivered.sent >= 8, `${delivered.sent} sent`);
        assert.equal(transactions, 1, 'the marks of every delivery of the pass in one transaction');
      } finally {
        (database.db as { transaction: unknown }).transaction = original;
      }
    });

    it('a row that fails its expansion does not hold back the others of the pass', async () => {
      await ck.dispatch();
      const good = await newCase('13100000001');
      const bad = await newCase('13100000002');
      // The bad case names a policy version that does not exist: its rows cannot be expanded.
      const { body } = await db().selectFrom('complaints').select('body').where('id', '=', bad.id).executeTakeFirstOrThrow();
      await db()
        .updateTable('complaints')
        .set({ body: JSON.stringify({ ...JSON.parse(body), policyKey: 'no-such-policy@0' }) })
        .where('id', '=', bad.id)
        .execute();
      const r = await dispatchOutbox(ck.k.app, { settings: ck.s, providers: ck.providers, owner: 'mixed', limit: 200 });
      const rows = await db().selectFrom('outbox').select(['complaint_id', 'channel', 'status', 'last_error']).where('complaint_id', 'in', [good.id, bad.id]).where('parent_id', 'is', null).execute();
      assert.equal(r.expanded, 2, JSON.stringify({ r, rows }));
      assert.equal(r.retrying, 3, JSON.stringify({ r, rows }));
      for (const row of rows.filter((x) => x.complaint_id === good.id)) assert.notEqual(row.status, 'pending', 'done in this pass');
      for (const row of rows.filter((x) => x.complaint_id === bad.id)) {
        assert.equal(row.status, 'pending', 'retried later');
        assert.match(row.last_error ?? '', /no-such-policy/);
      }
      // Put the case back, so later passes do not keep retrying it.
      await db().updateTable('complaints').set({ body }).where('id', '=', bad.id).execute();
    });
  });
}
