/**
 * The customer channel as a JSON API (/api/v1/customer, issue 8 §6) on every engine: submit with an
 * attachment (and a resend under the same Idempotency-Key), track with the right code and one
 * identical answer for a wrong number and a wrong code, add information, answer the survey once,
 * the per-address rate limit, field-named errors in the caller's language; and the routes in the
 * OpenAPI document with request and response schemas.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { PNG, answerThroughApi, cleanupPolicies, multipart, prepareRouting, startChannelKesu, surveyPolicy, type ChannelKesu } from '../support/channels.js';

for (const { dialect, skip } of await engines()) {
  describe(`customer API (${dialect})`, { skip }, () => {
    let ck: ChannelKesu;
    before(async () => {
      ck = await startChannelKesu(dialect, { policy: surveyPolicy('kesu-default'), start: '2026-09-28T09:00:00+08:00' });
      await prepareRouting(ck.k);
      await ck.k.server.ready();
    });
    after(async () => {
      await ck?.close();
      cleanupPolicies();
    });

    const json = (url: string, body: unknown, headers: Record<string, string> = {}, remoteAddress?: string) =>
      ck.k.server.inject({ method: 'POST', url, payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers }, remoteAddress });
    const form = (url: string, fields: Record<string, string | string[]>, files: Parameters<typeof multipart>[1] = [], headers: Record<string, string> = {}) => {
      const m = multipart(fields, files);
      return ck.k.server.inject({ method: 'POST', url, payload: m.payload, headers: { ...m.headers, ...headers } });
    };
    const withoutRequestId = (body: string) => {
      const { requestId: _r, ...rest } = JSON.parse(body) as Record<string, unknown>;
      return rest;
    };

    it('documents every customer route with request and response schemas, without sign-in', async () => {
      const doc = (ck.k.server as unknown as { swagger(): { paths: Record<string, Record<string, { security?: unknown[]; requestBody?: unknown; responses: Record<string, unknown> }>> } }).swagger();
      const routes = Object.entries(doc.paths).filter(([p]) => p.startsWith('/api/v1/customer/'));
      assert.deepEqual(routes.map(([p]) => p).sort(), [
        '/api/v1/customer/cases/supplement',
        '/api/v1/customer/cases/survey',
        '/api/v1/customer/cases/track',
        '/api/v1/customer/complaints',
        '/api/v1/customer/form',
        '/api/v1/customer/surveys/{token}',
      ]);
      for (const [path, ops] of routes)
        for (const [method, op] of Object.entries(ops)) {
          assert.deepEqual(op.security, [], `${method} ${path} needs no sign-in`);
          assert.ok(op.responses['200'] || op.responses['201'], `${method} ${path} documents its answer`);
          assert.ok(op.responses['429'], `${method} ${path} documents the rate limit`);
          if (method === 'post') assert.ok(op.requestBody, `${method} ${path} documents its body`);
        }
    });

    let number = '';
    let code = '';
    const key = 'customer-api-submit-0001';
    const fields = { kind: 'complaint', description: '9月27日在门店购买的电饭煲第一次使用就漏电。', demands: ['return_exchange', 'apology'], anonymous: 'true' };
    it('takes an anonymous complaint with a photo; the same form resent under its key gives the same case and code', async () => {
      const r = await form('/api/v1/customer/complaints', fields, [{ field: 'files', name: '照片.png', type: 'image/png', data: PNG }], { 'idempotency-key': key });
      assert.equal(r.statusCode, 201, r.body);
      const body = r.json();
      number = body.number;
      code = body.accessCode;
      assert.match(number, /^KS-2026-\d{6}$/);
      assert.match(code, /^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
      assert.equal(body.state, 'received');
      assert.ok(body.promisedAt);
      const files = await ck.k.testDb.database.db
        .selectFrom('attachments')
        .innerJoin('complaints', 'complaints.id', 'attachments.complaint_id')
        .select(['attachments.name', 'attachments.source'])
        .where('complaints.number', '=', number)
        .execute();
      assert.deepEqual(files, [{ name: '照片.png', source: 'portal' }]);

      const again = await form('/api/v1/customer/complaints', fields, [{ field: 'files', name: '照片.png', type: 'image/png', data: PNG }], { 'idempotency-key': key });
      assert.equal(again.statusCode, 201, again.body);
      assert.equal(again.headers['idempotent-replayed'], 'true', 'a resend is marked as a replay');
      assert.equal(again.body, r.body, 'the same answer');
      assert.equal(again.json().number, number);
      assert.equal(again.json().accessCode, code);
      const other = await form('/api/v1/customer/complaints', { ...fields, description: '另一件事' }, [], { 'idempotency-key': key });
      assert.equal(other.statusCode, 422, 'another form under the same key');
      const count = await ck.k.testDb.database.db
        .selectFrom('complaints')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 1);
    });

    it('names the field at fault in the caller’s language', async () => {
      const zh = await form('/api/v1/customer/complaints', { anonymous: 'true' });
      assert.equal(zh.statusCode, 400);
      assert.deepEqual(zh.json().fields, [{ path: 'description', message: '请描述您的问题' }]);
      const en = await form('/api/v1/customer/complaints?lang=en', { description: '没有留下联系方式' });
      assert.equal(en.statusCode, 400);
      assert.ok(en.json().fields.length >= 1);
      assert.match(en.json().message, /^Invalid input/);
      assert.ok(
        en.json().fields.every((f: { message: string }) => !/[\u4e00-\u9fff]/.test(f.message)),
        JSON.stringify(en.json().fields),
      );
      const tw = await json('/api/v1/customer/cases/survey', { number, code, satisfaction: 'delighted' }, { 'accept-language': 'zh-TW' });
      assert.equal(tw.statusCode, 400);
      assert.equal(tw.json().fields[0].path, 'satisfaction');
      const enTrack = await json('/api/v1/customer/cases/track?lang=en', { number });
      assert.equal(enTrack.statusCode, 400);
      assert.equal(enTrack.json().fields[0].path, 'code');
      const badFile = await form('/api/v1/customer/complaints?lang=en', fields, [{ field: 'files', name: 'evil.png', type: 'image/png', data: Buffer.from('<script>') }]);
      assert.equal(badFile.statusCode, 400);
      assert.equal(badFile.json().fields[0].path, 'files[0]');
      const shortKey = await form('/api/v1/customer/complaints', fields, [], { 'idempotency-key': 'abc' });
      assert.equal(shortKey.statusCode, 400);
      assert.equal(shortKey.json().fields[0].path, 'Idempotency-Key');
    });

    it('opens the case with number and code; a wrong number and a wrong code get the same answer', async () => {
      const ok = await json('/api/v1/customer/cases/track', { number: number.toLowerCase(), code: code.replace('-', '').toLowerCase() });
      assert.equal(ok.statusCode, 200, ok.body);
      const view = ok.json();
      assert.equal(view.number, number);
      assert.equal(view.state, 'received');
      assert.equal(view.stateText, '已受理，待核实');
      assert.deepEqual(
        view.attachments.map((a: { name: string }) => a.name),
        ['照片.png'],
      );
      assert.equal(view.timeline[0].code, 'received');
      assert.equal(view.canSupplement, true);
      assert.equal(view.surveyOpen, false);

      const wrongCode = await json('/api/v1/customer/cases/track', { number, code: 'ABCD-EFGH' });
      const [y, seq] = number.split('-').slice(1);
      const wrongNumber = await json('/api/v1/customer/cases/track', { number: `KS-${y}-${String(Number(seq) + 500).padStart(6, '0')}`, code });
      const garbage = await json('/api/v1/customer/cases/track', { number: 'hello', code: 'x' });
      for (const r of [wrongCode, wrongNumber, garbage]) assert.equal(r.statusCode, 404);
      assert.deepEqual(withoutRequestId(wrongCode.body), withoutRequestId(wrongNumber.body), 'the same answer');
      assert.deepEqual(withoutRequestId(garbage.body), withoutRequestId(wrongNumber.body));
      assert.equal(wrongCode.json().fields[0].message, '受理编号或访问码不正确。');
      const en = await json('/api/v1/customer/cases/track?lang=en', { number, code: 'ABCD-EFGH' });
      assert.equal(en.json().fields[0].message, 'Wrong case number or access code.');
    });

    it('adds information and a file to the case, once per Idempotency-Key', async () => {
      const pdf = [{ field: 'files', name: 'receipt.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.4\n%…\n') }];
      const r = await form('/api/v1/customer/cases/supplement', { number, code, text: '补充：购物小票。' }, pdf, { 'idempotency-key': 'supplement-1' });
      assert.equal(r.statusCode, 200, r.body);
      const last = r.json().timeline.at(-1);
      assert.deepEqual([last.code, last.by, last.text, last.attachments], ['supplemented', 'you', '补充：购物小票。', ['receipt.pdf']]);
      const again = await form('/api/v1/customer/cases/supplement', { number, code, text: '补充：购物小票。' }, pdf, { 'idempotency-key': 'supplement-1' });
      assert.equal(again.statusCode, 200);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      const id = (await ck.k.testDb.database.db.selectFrom('complaints').select('id').where('number', '=', number).executeTakeFirstOrThrow()).id;
      const events = await ck.k.testDb.database.db.selectFrom('complaint_events').select('action').where('complaint_id', '=', id).where('action', '=', 'supplement').execute();
      assert.equal(events.length, 1, 'applied once');
      const wrong = await form('/api/v1/customer/cases/supplement', { number, code: 'WRONG-CODE', text: 'x' });
      assert.equal(wrong.statusCode, 404);
      const empty = await form('/api/v1/customer/cases/supplement?lang=en', { number, code });
      assert.equal(empty.statusCode, 400);
      assert.equal(empty.json().fields[0].path, 'text');
    });

    it('takes the survey answer once; a second answer is refused', async () => {
      const id = (await ck.k.testDb.database.db.selectFrom('complaints').select('id').where('number', '=', number).executeTakeFirstOrThrow()).id;
      await answerThroughApi(ck.k, id, '经检测确属产品质量问题，已为您办理退货退款。');
      const view = (await json('/api/v1/customer/cases/track', { number, code })).json();
      assert.equal(view.surveyOpen, true);
      const answer = { number, code, satisfaction: 'satisfied', scores: { attitude: 5, efficiency: 3 }, comment: '处理及时' };
      const r = await json('/api/v1/customer/cases/survey', answer, { 'idempotency-key': 'survey-1' });
      assert.equal(r.statusCode, 200, r.body);
      assert.deepEqual(r.json(), { number, state: 'followed_up', stateText: r.json().stateText, reopened: false });
      const staff = await ck.k.as('specialist').get(`/api/v1/complaints/${id}`);
      assert.equal(staff.body.complaint.state, 'followed_up');
      assert.deepEqual(staff.body.complaint.followUp.scores, { attitude: 5, efficiency: 3 });
      const replay = await json('/api/v1/customer/cases/survey', answer, { 'idempotency-key': 'survey-1' });
      assert.equal(replay.statusCode, 200);
      assert.equal(replay.headers['idempotent-replayed'], 'true');
      const second = await json('/api/v1/customer/cases/survey?lang=en', answer);
      assert.equal(second.statusCode, 409);
      assert.equal(second.json().reason, 'used');
      assert.equal(second.json().fields[0].message, 'You have already answered this survey; it cannot be sent twice.');
      const link = await ck.k.server.inject({ method: 'GET', url: '/api/v1/customer/surveys/not-a-token' });
      assert.equal(link.statusCode, 404);
      assert.equal(link.json().reason, 'invalid');
    });

    it('rate-limits per client address, even the right code', async () => {
      ck.s.portal.rateLimitPerMinute = 3;
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 5; i++) statuses.push((await json('/api/v1/customer/cases/track', { number, code: 'XXXX-XXXX' }, {}, '10.8.8.8')).statusCode);
        assert.deepEqual(statuses, [404, 404, 404, 429, 429]);
        const limited = await json('/api/v1/customer/cases/track?lang=en', { number, code }, {}, '10.8.8.8');
        assert.equal(limited.statusCode, 429);
        assert.equal(limited.json().code, 'rate_limited');
        assert.match(limited.json().message, /Too many requests/);
        assert.ok(Number(limited.headers['retry-after']) > 0);
        assert.equal((await json('/api/v1/customer/cases/track', { number, code }, {}, '10.8.8.9')).statusCode, 200, 'another address is not affected');
      } finally {
        ck.s.portal.rateLimitPerMinute = 10_000;
      }
    });
  });
}
