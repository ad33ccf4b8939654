/**
 * The public portal through HTTP (fastify.inject), on every engine: pages in three languages,
 * anonymous submission with attachments (type and size limits, content-addressed storage), a
 * double-submitted form, tracking by number + access code with one answer for every failure,
 * the customer's own timeline (no internal notes, no staff names, no complained-about party),
 * adding information, the survey on the case page (second submit refused), rate limits.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { engines } from '../support/engines.js';
import { PNG, answerThroughApi, cleanupPolicies, multipart, pageText, prepareRouting, startChannelKesu, surveyPolicy, type ChannelKesu } from '../support/channels.js';
import { attachmentPath } from '../../src/channels/attachments.js';

function field(html: string, id: string): string {
  const m = new RegExp(`id="${id}">([^<]+)<`).exec(html);
  assert.ok(m, `no #${id} in page`);
  return m[1]!;
}

for (const { dialect, skip } of await engines()) {
  describe(`public portal (${dialect})`, { skip }, () => {
    let ck: ChannelKesu;
    before(async () => {
      ck = await startChannelKesu(dialect, { policy: surveyPolicy('kesu-default'), start: '2026-09-28T09:00:00+08:00' });
      await prepareRouting(ck.k);
    });
    after(async () => {
      await ck?.close();
      cleanupPolicies();
    });

    const get = (url: string, headers: Record<string, string> = {}) => ck.k.server.inject({ method: 'GET', url, headers });
    const postForm = (url: string, form: Record<string, string>, remoteAddress?: string) =>
      ck.k.server.inject({ method: 'POST', url, payload: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, remoteAddress });
    const postMultipart = (url: string, fields: Record<string, string | string[]>, files: Parameters<typeof multipart>[1] = []) => {
      const m = multipart(fields, files);
      return ck.k.server.inject({ method: 'POST', url, payload: m.payload, headers: m.headers });
    };
    async function nonce(): Promise<string> {
      const r = await get('/portal/submit');
      return /name="nonce" value="([^"]+)"/.exec(r.body)![1]!;
    }

    it('serves the pages in Chinese by default, traditional Chinese and English on request', async () => {
      const zh = await get('/portal');
      assert.equal(zh.statusCode, 200);
      assert.match(zh.headers['content-type'] as string, /text\/html/);
      assert.match(zh.body, /<html lang="zh-CN">/);
      assert.match(zh.body, /提交投诉或建议/);
      assert.match(zh.body, /name="viewport"/);
      assert.equal(zh.headers['cache-control'], 'no-store');
      assert.match(zh.headers['content-security-policy'] as string, /frame-ancestors 'none'/);
      const tw = await get('/portal/submit', { 'accept-language': 'zh-TW,zh;q=0.9' });
      assert.match(tw.body, /提交投訴、諮詢或建議/);
      const en = await get('/portal/track?lang=en');
      assert.match(en.body, /Follow my case/);
      const missing = await get('/portal/nope');
      assert.equal(missing.statusCode, 404);
      assert.match(missing.body, /页面不存在/);
    });

    let number = '';
    let code = '';
    it('takes an anonymous complaint with evidence and shows the number and access code once', async () => {
      const n = await nonce();
      const fields = { nonce: n, kind: 'complaint', description: '9月27日在门店购买的电饭煲第一次使用就漏电，店员态度很差。', demands: ['return_exchange', 'apology'], anonymous: '1' };
      const r = await postMultipart('/portal/submit', fields, [{ field: 'files', name: '照片.png', type: 'image/png', data: PNG }]);
      assert.equal(r.statusCode, 201, pageText(r.body));
      number = field(r.body, 'case-number');
      code = field(r.body, 'access-code');
      assert.match(number, /^KS-2026-\d{6}$/);
      assert.match(code, /^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
      assert.match(pageText(r.body), /承诺答复时间 2026年9月30日 09:00/);

      const row = await ck.k.testDb.database.db.selectFrom('complaints').select(['id', 'channel', 'body']).where('number', '=', number).executeTakeFirstOrThrow();
      assert.equal(row.channel, 'web');
      const c = JSON.parse(row.body);
      assert.equal(c.complainant.anonymous, true);
      assert.equal(c.firstResponderId, 'portal');
      const access = await ck.k.testDb.database.db.selectFrom('customer_access').selectAll().where('complaint_id', '=', row.id).executeTakeFirstOrThrow();
      assert.ok(access.code_hash.startsWith('scrypt$'), 'only a hash of the code is stored');
      assert.ok(!access.code_hash.includes(code.replace('-', '')));
      const files = await ck.k.testDb.database.db.selectFrom('attachments').selectAll().where('complaint_id', '=', row.id).execute();
      assert.equal(files.length, 1);
      assert.equal(files[0]!.name, '照片.png');
      assert.equal(files[0]!.content_type, 'image/png');
      assert.ok(existsSync(attachmentPath(ck.s.dataDir, files[0]!.sha256)), 'stored content-addressed');
      assert.deepEqual(readFileSync(attachmentPath(ck.s.dataDir, files[0]!.sha256)), PNG);

      // The same form sent again (double click): the same case and the same code.
      const again = await postMultipart('/portal/submit', fields, [{ field: 'files', name: '照片.png', type: 'image/png', data: PNG }]);
      assert.equal(again.statusCode, 200);
      assert.equal(field(again.body, 'case-number'), number);
      assert.equal(field(again.body, 'access-code'), code);
      const count = await ck.k.testDb.database.db
        .selectFrom('complaints')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 1);
    });

    it('refuses files of the wrong type or size, and incomplete forms, keeping what was typed', async () => {
      const base = { nonce: await nonce(), description: '测试附件限制', anonymous: '1' };
      const fake = await postMultipart('/portal/submit', base, [{ field: 'files', name: 'evil.png', type: 'image/png', data: Buffer.from('<script>alert(1)</script>') }]);
      assert.equal(fake.statusCode, 400);
      assert.match(pageText(fake.body), /不支持的文件类型：evil\.png/);
      assert.match(fake.body, /测试附件限制/, 'the description is kept');
      const exe = await postMultipart('/portal/submit', base, [{ field: 'files', name: 'tool.exe', type: 'application/octet-stream', data: Buffer.from('MZ....') }]);
      assert.equal(exe.statusCode, 400);
      const big = Buffer.concat([PNG, Buffer.alloc(300 * 1024)]);
      const tooBig = await postMultipart('/portal/submit', base, [{ field: 'files', name: 'big.png', type: 'image/png', data: big }]);
      assert.equal(tooBig.statusCode, 400);
      assert.match(pageText(tooBig.body), /文件太大：big\.png/);
      const noContact = await postMultipart('/portal/submit', { nonce: await nonce(), description: '没有留下联系方式' });
      assert.equal(noContact.statusCode, 400);
      assert.match(pageText(noContact.body), /非匿名投诉须留姓名或联系方式/);
      const count = await ck.k.testDb.database.db
        .selectFrom('complaints')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 1, 'nothing was created');
    });

    it('opens a case with number and code; a wrong number and a wrong code get the same answer', async () => {
      const ok = await postForm('/portal/track', { number: number.toLowerCase(), code: code.toLowerCase() });
      assert.equal(ok.statusCode, 200);
      assert.equal(field(ok.body, 'case-state'), '已受理，待核实');
      assert.match(pageText(ok.body), /投诉已受理/);
      const noDash = await postForm('/portal/track', { number, code: code.replace('-', '') });
      assert.equal(noDash.statusCode, 200);

      const wrongCode = await postForm('/portal/track', { number, code: 'ABCD-EFGH' });
      const [y, seq] = number.split('-').slice(1);
      const unknown = `KS-${y}-${String(Number(seq) + 500).padStart(6, '0')}`;
      const wrongNumber = await postForm('/portal/track', { number: unknown, code });
      const garbage = await postForm('/portal/track', { number: ' hello ', code: '' });
      assert.equal(wrongCode.statusCode, 404);
      assert.equal(wrongNumber.statusCode, 404);
      assert.match(pageText(wrongCode.body), /受理编号或访问码不正确/);
      // The number comes back as typed (normalised), the code never: the customer retypes only the code.
      const value = (html: string, id: string) => {
        const tag = new RegExp(`<input id="${id}"[^>]*>`).exec(html)?.[0] ?? '';
        return [tag, / value="([^"]*)"/.exec(tag)?.[1]];
      };
      assert.equal(value(wrongCode.body, 'number')[1], number);
      assert.equal(value(wrongNumber.body, 'number')[1], unknown);
      assert.equal(value(garbage.body, 'number')[1], 'HELLO');
      assert.doesNotMatch(wrongCode.body, /ABCD-EFGH/, 'the wrong code is not echoed');
      assert.doesNotMatch(wrongNumber.body, new RegExp(code), 'nor the right one');
      // The code field takes the focus and is described by the announced alert.
      const [codeInput, codeValue] = value(wrongCode.body, 'code');
      assert.equal(codeValue, undefined, 'the code field is empty');
      assert.match(codeInput!, / autofocus/);
      assert.match(codeInput!, /aria-invalid="true" aria-describedby="track-error"/);
      assert.match(wrongCode.body, /<div class="problems" role="alert" id="track-error"><p>受理编号或访问码不正确。请核对受理编号，并重新输入访问码。<\/p>/);
      assert.match(wrongCode.body, /<title>受理编号或访问码不正确。查询处理进度/);
      const en = await postForm('/portal/track?lang=en', { number, code: 'ABCD-EFGH' });
      assert.match(en.body, /role="alert" id="track-error"><p>Wrong case number or access code\. Check the case number and enter the access code again\.<\/p>/);
      // Apart from the echoed number, a wrong number and a wrong code get byte-identical answers.
      const without = (html: string, typed: string) => html.replace(`value="${typed}"`, 'value=""');
      assert.equal(without(wrongCode.body, number), without(wrongNumber.body, unknown), 'byte-identical answers');
      assert.equal(without(garbage.body, 'HELLO'), without(wrongNumber.body, unknown));
    });

    it("shows the customer's own timeline only: no internal notes, no staff names, no complained-about party", async () => {
      const ids = Object.fromEntries(ck.k.userIds);
      const r = await ck.k.as('agent').post('/api/v1/complaints', {
        channel: 'phone',
        description: '快递员小王送货时态度恶劣，把包裹扔在门口。',
        complainant: { name: '林先生', phone: '13812345678', email: 'lin@example.com' },
        subject: { employeeIds: [ids.handler2], description: '快递员小王' },
      });
      assert.equal(r.status, 201);
      const id = r.body.complaint.id;
      const issued = await ck.k.as('agent').post(`/api/v1/complaints/${id}/access-code`, {});
      assert.equal(issued.status, 200, JSON.stringify(issued.body));
      const phoneCode: string = issued.body.accessCode;
      assert.equal((await ck.k.as('handler').post(`/api/v1/complaints/${id}/access-code`, {})).status, 404, 'a handler not on the case cannot');
      await ck.k.as('specialist').act(id, 'note', { text: 'INTERNAL-SECRET 该客户曾多次投诉', internal: true });
      await ck.k.as('specialist').act(id, 'note', { text: '我们已联系快递公司核实情况。', internal: false });
      await ck.k.as('specialist').act(id, 'judge', { valid: true });
      const page = await postForm('/portal/track', { number: r.body.complaint.number, code: phoneCode });
      assert.equal(page.statusCode, 200);
      const text = pageText(page.body);
      assert.match(text, /我们已联系快递公司核实情况/);
      assert.match(text, /客服中心/);
      assert.match(text, /经核实，已正式受理/);
      for (const hidden of ['INTERNAL-SECRET', '小王', '李静', '张敏', '王强', '吴磊', ids.handler2!, '13812345678']) assert.ok(!text.includes(hidden) && !page.body.includes(hidden), `the page shows ${hidden}`);
    });

    it('takes added information and files onto the case timeline', async () => {
      const r = await postMultipart('/portal/supplement', { number, code, text: '补充：购物小票和漏电部位照片。' }, [{ field: 'files', name: 'receipt.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.4\n%…\n') }]);
      assert.equal(r.statusCode, 200, pageText(r.body));
      assert.match(pageText(r.body), /已收到您补充的信息/);
      assert.match(pageText(r.body), /您补充了信息/);
      assert.match(pageText(r.body), /receipt\.pdf/);
      const id = (await ck.k.testDb.database.db.selectFrom('complaints').select('id').where('number', '=', number).executeTakeFirstOrThrow()).id;
      const view = await ck.k.as('specialist').get(`/api/v1/complaints/${id}`);
      const last = view.body.timeline[view.body.timeline.length - 1];
      assert.equal(last.action, 'supplement');
      assert.equal(last.actorId, 'customer');
      assert.equal(last.data.text, '补充：购物小票和漏电部位照片。');
      assert.equal(last.data.attachments[0].name, 'receipt.pdf');
      assert.ok(!view.body.allowedActions.includes('supplement'), 'staff cannot act as the customer');
      assert.equal((await ck.k.as('specialist').act(id, 'supplement', { text: 'x', via: 'portal' })).status, 403);
      const files = await ck.k.as('specialist').get(`/api/v1/complaints/${id}/attachments`);
      assert.deepEqual(
        files.body.items.map((f: { name: string }) => f.name),
        ['照片.png', 'receipt.pdf'],
      );
      const dl = await ck.k.server.inject({ method: 'GET', url: `/api/v1/complaints/${id}/attachments/${files.body.items[0].id}`, headers: { authorization: `Bearer ${ck.k.tokens.get('specialist')}` } });
      assert.equal(dl.statusCode, 200);
      assert.match(dl.headers['content-disposition'] as string, /^attachment;/);
      assert.deepEqual(dl.rawPayload, PNG);
      assert.equal((await ck.k.as('handler').get(`/api/v1/complaints/${id}/attachments`)).status, 404, 'need-to-know applies');
      const wrong = await postMultipart('/portal/supplement', { number, code: 'WRONG-CODE', text: 'x' });
      assert.equal(wrong.statusCode, 404);
    });

    it('answers the survey on the case page once; a second submit is refused', async () => {
      const id = (await ck.k.testDb.database.db.selectFrom('complaints').select('id').where('number', '=', number).executeTakeFirstOrThrow()).id;
      await answerThroughApi(ck.k, id, '经检测确属产品质量问题，已为您办理退货退款。');
      const page = await postForm('/portal/track', { number, code });
      assert.equal(field(page.body, 'case-state'), '已答复，待您评价');
      assert.match(page.body, /id="survey"/);
      assert.match(pageText(page.body), /经检测确属产品质量问题/);
      const answer = { number, code, satisfaction: 'satisfied', attitude: 'very_satisfied', efficiency: 'neutral', comment: '处理及时' };
      const r = await postForm('/portal/survey', answer);
      assert.equal(r.statusCode, 200, pageText(r.body));
      assert.match(pageText(r.body), /感谢您的评价/);
      const view = await ck.k.as('specialist').get(`/api/v1/complaints/${id}`);
      assert.equal(view.body.complaint.state, 'followed_up');
      assert.deepEqual(view.body.complaint.followUp.scores, { attitude: 5, efficiency: 3 });
      assert.deepEqual(view.body.complaint.followUp.callerIds, [], 'the customer is not a follow-up caller');
      const again = await postForm('/portal/survey', answer);
      assert.equal(again.statusCode, 409);
      assert.match(pageText(again.body), /您已提交过本次评价，不能重复提交/);
    });

    it('rate-limits form posts per client address', async () => {
      ck.s.portal.rateLimitPerMinute = 3;
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 5; i++) statuses.push((await postForm('/portal/track', { number, code: 'XXXX-XXXX' }, '10.9.9.9')).statusCode);
        assert.deepEqual(statuses, [404, 404, 404, 429, 429]);
        const limited = await postForm('/portal/track', { number, code }, '10.9.9.9');
        assert.equal(limited.statusCode, 429, 'even the right code waits');
        assert.match(pageText(limited.body), /操作过于频繁/);
        assert.equal((await postForm('/portal/track', { number, code }, '10.9.9.10')).statusCode, 200, 'another address is not affected');
      } finally {
        ck.s.portal.rateLimitPerMinute = 10_000;
      }
    });
  });
}
