/**
 * Customer and staff e-mail through a real SMTP conversation (an in-process smtp-server), on
 * every engine: the acknowledgement with number, promised time, tracking link and access code
 * in the customer's language; the answer; the survey invitation whose link drives the follow-up
 * (unsatisfied → handled again one tier up; one answer per link); the delay notice with the new
 * promised time; closure; and staff notifications by e-mail.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { TestMailbox, answerThroughApi, cleanupPolicies, multipart, pageText, prepareRouting, startChannelKesu, surveyPolicy, type ChannelKesu, type Received } from '../support/channels.js';
import { openCase } from '../../src/services/customer-portal.js';

const HOUR = 3600_000;

function link(m: Received, re: RegExp): string {
  const found = re.exec(m.mail.text ?? '');
  assert.ok(found, `no link ${re} in:\n${m.mail.text}`);
  return found[0];
}

for (const { dialect, skip } of await engines()) {
  describe(`customer e-mail over SMTP (${dialect})`, { skip }, () => {
    let ck: ChannelKesu;
    let box: TestMailbox;
    before(async () => {
      box = await TestMailbox.start();
      ck = await startChannelKesu(dialect, { policy: surveyPolicy('kesu-default'), start: '2026-09-28T09:00:00+08:00', settings: { smtpUrl: box.url } });
      await prepareRouting(ck.k);
    });
    after(async () => {
      await ck?.close();
      await box?.close();
      cleanupPolicies();
    });

    async function portalSubmit(lang: string, fields: Record<string, string>): Promise<{ number: string; code: string; id: string }> {
      const form = await ck.k.server.inject({ method: 'GET', url: `/portal/submit?lang=${lang}` });
      const nonce = /name="nonce" value="([^"]+)"/.exec(form.body)![1]!;
      const m = multipart({ nonce, ...fields });
      const r = await ck.k.server.inject({ method: 'POST', url: `/portal/submit?lang=${lang}`, payload: m.payload, headers: m.headers });
      assert.equal(r.statusCode, 201, pageText(r.body));
      const number = /id="case-number">([^<]+)</.exec(r.body)![1]!;
      const code = /id="access-code">([^<]+)</.exec(r.body)![1]!;
      const id = (await ck.k.testDb.database.db.selectFrom('complaints').select('id').where('number', '=', number).executeTakeFirstOrThrow()).id;
      return { number, code, id };
    }

    let tw: { number: string; code: string; id: string };
    it('sends the acknowledgement in the customer’s language with number, promised time, tracking link and access code', async () => {
      tw = await portalSubmit('zh-TW', { description: '網購的外套有破洞，客服一直不回覆。', name: '陳小姐', email: 'chen@example.com', phone: '0912345678', demands: 'return_exchange' });
      const r = await ck.dispatch();
      assert.ok(r.sent >= 1, JSON.stringify(r));
      const ack = await box.waitFor((m) => m.to.includes('chen@example.com') && /已受理/.test(m.mail.subject ?? ''));
      assert.equal(ack.mail.subject, `【${tw.number}】您的投訴已受理`);
      const text = ack.mail.text ?? '';
      assert.match(text, /尊敬的客戶/);
      assert.match(text, new RegExp(`受理編號：${tw.number}`));
      assert.match(text, /我們承諾在 2026年9月30日 09:00 前給您答覆/);
      assert.ok(text.includes(`存取碼：${tw.code}`), text);
      assert.equal(link(ack, /http:\/\/kesu\.test\/portal\/track\?\S+/), `http://kesu.test/portal/track?number=${tw.number}&lang=zh-TW`);
      assert.match(ack.mail.from?.text ?? '', /service@kesu\.test/);
      assert.equal(ack.mail.headers.get('auto-submitted'), 'auto-generated');
      assert.match(ack.mail.messageId ?? '', /^<[0-9a-f-]{36}@kesu\.test>$/);
      // The logical row was expanded into one e-mail (SMS is off here); delivered rows keep no secret.
      const rows = await ck.k.testDb.database.db.selectFrom('outbox').selectAll().where('complaint_id', '=', tw.id).where('template', '=', 'acknowledgement').execute();
      assert.deepEqual(rows.map((x) => `${x.channel}:${x.status}`).sort(), ['customer:expanded', 'email:sent']);
      for (const row of rows) assert.ok(!row.payload.includes('sealed') && !row.payload.includes(tw.code.replace('-', '')), row.payload);
    });

    it('mints an access code for a case registered by staff when its acknowledgement goes out', async () => {
      const r = await ck.k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '电话投诉：快递延误三天。', complainant: { name: '林先生', email: 'lin@example.com' } });
      assert.equal(r.status, 201);
      await ck.dispatch();
      const ack = await box.waitFor((m) => m.to.includes('lin@example.com'));
      assert.equal(ack.mail.subject, `【${r.body.complaint.number}】您的投诉已受理`);
      const code = /访问码：([2-9A-Z]{4}-[2-9A-Z]{4})/.exec(ack.mail.text ?? '')?.[1];
      assert.ok(code, ack.mail.text);
      const opened = await openCase(ck.k.app, r.body.complaint.number, code);
      assert.equal(opened?.id, r.body.complaint.id);
    });

    it('writes to English speakers in English', async () => {
      const en = await portalSubmit('en', { description: 'The delivery man left my parcel in the rain.', name: 'Ann Lee', email: 'ann@example.com' });
      await ck.dispatch();
      const ack = await box.waitFor((m) => m.to.includes('ann@example.com'));
      assert.equal(ack.mail.subject, `[${en.number}] We have received your complaint`);
      assert.match(ack.mail.text ?? '', /We will answer you by 30 Sep 2026, 09:00/);
      assert.ok((ack.mail.text ?? '').includes(`Access code: ${en.code}`));
    });

    let surveyUrl = '';
    it('sends the answer and the survey invitation; an unsatisfied survey answer sends the case back one tier up', async () => {
      ck.k.clock.advance(2 * HOUR);
      await answerThroughApi(ck.k, tw.id, '經查外套在倉儲環節受損，已為您退款並補寄新品。');
      await ck.dispatch();
      const answer = await box.waitFor((m) => m.to.includes('chen@example.com') && /答覆/.test(m.mail.subject ?? ''));
      assert.equal(answer.mail.subject, `【${tw.number}】投訴處理答覆`);
      assert.match(answer.mail.text ?? '', /經查外套在倉儲環節受損，已為您退款並補寄新品。/);
      const invite = await box.waitFor((m) => m.to.includes('chen@example.com') && /評價/.test(m.mail.subject ?? ''));
      assert.equal(invite.mail.subject, `【${tw.number}】請您評價我們的處理`);
      assert.match(invite.mail.text ?? '', /僅可提交一次/);
      // Window (7 days from the answer) plus the retries (24 h, 48 h).
      assert.match(invite.mail.text ?? '', /連結有效期至 2026年10月8日 11:00/);
      surveyUrl = link(invite, /http:\/\/kesu\.test\/portal\/survey\/[A-Za-z0-9_-]+\?lang=zh-TW/);

      const path = surveyUrl.replace('http://kesu.test', '');
      const form = await ck.k.server.inject({ method: 'GET', url: path });
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /請評價我們的處理/);
      assert.match(form.body, /不滿意/);
      const post = (body: Record<string, string>) => ck.k.server.inject({ method: 'POST', url: path, payload: new URLSearchParams(body).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      const r = await post({ satisfaction: 'unsatisfied', result: 'unsatisfied', comment: '新品還沒收到' });
      assert.equal(r.statusCode, 200, pageText(r.body));
      assert.match(pageText(r.body), /重新處理中（第 2 次）/);
      const view = await ck.k.as('specialist').get(`/api/v1/complaints/${tw.id}`);
      assert.equal(view.body.complaint.state, 'investigating');
      assert.equal(view.body.complaint.tier, 2);
      assert.equal(view.body.complaint.cycle, 2);
      const last = view.body.timeline[view.body.timeline.length - 1];
      assert.equal(last.action, 'follow_up');
      assert.equal(last.actorId, 'customer');
      assert.equal(last.data.input.method, 'survey');
      const again = await post({ satisfaction: 'satisfied' });
      assert.equal(again.statusCode, 409);
      assert.match(pageText(again.body), /您已提交過本次評價，不能重複提交/);
    });

    it('tells the customer about a delay with the new promised time', async () => {
      const r1 = await ck.k.as('handler').act(tw.id, 'request_extension', { reason: '需等待新品到貨', duration: '2d' });
      assert.equal(r1.status, 200, JSON.stringify(r1.body));
      const r2 = await ck.k.as('gm').act(tw.id, 'grant_extension', { comment: '同意' });
      assert.equal(r2.status, 200, JSON.stringify(r2.body));
      const due = r2.body.clocks.find((k: { kind: string }) => k.kind === 'resolve').dueAt as string;
      await ck.dispatch();
      const delay = await box.waitFor((m) => m.to.includes('chen@example.com') && /處理時間調整/.test(m.mail.subject ?? ''));
      const local = new Date(new Date(due).getTime() + 8 * HOUR);
      const expected = `${local.getUTCFullYear()}年${local.getUTCMonth() + 1}月${local.getUTCDate()}日 ${String(local.getUTCHours()).padStart(2, '0')}:${String(local.getUTCMinutes()).padStart(2, '0')}`;
      assert.ok((delay.mail.text ?? '').includes(`新的承諾答覆時間：${expected}`), delay.mail.text);
    });

    it('sends a new survey for the new cycle (the old link is closed) and the closure', async () => {
      const handler = ck.k.as('handler');
      await handler.act(tw.id, 'investigate', { facts: '新品已寄出', cause: '倉儲', responsibility: { type: 'department', departmentCode: 'logistics' } });
      await handler.act(tw.id, 'propose', { solutions: ['exchange'], amount: 0, description: '補寄新品' });
      const ans = await handler.act(tw.id, 'answer', { text: '新品已送達，再次致歉。', method: 'email' });
      assert.equal(ans.body.complaint.state, 'answered', JSON.stringify(ans.body));
      const before = box.messages.length;
      await ck.dispatch();
      const invite = await box.waitFor((m) => box.messages.indexOf(m) >= before && /評價/.test(m.mail.subject ?? ''));
      const fresh = link(invite, /http:\/\/kesu\.test\/portal\/survey\/[A-Za-z0-9_-]+/);
      assert.notEqual(fresh, surveyUrl.split('?')[0]);
      const old = await ck.k.server.inject({ method: 'GET', url: surveyUrl.replace('http://kesu.test', '') });
      assert.equal(old.statusCode, 409, 'the first link is used up');
      const r = await ck.k.server.inject({ method: 'POST', url: fresh.replace('http://kesu.test', ''), payload: 'satisfaction=very_satisfied', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(r.statusCode, 200);
      const closed = await ck.k.as('specialist').act(tw.id, 'close', { note: '客戶滿意' });
      assert.equal(closed.body.complaint.state, 'closed');
      await ck.dispatch();
      const closure = await box.waitFor((m) => m.to.includes('chen@example.com') && /結案/.test(m.mail.subject ?? ''));
      assert.match(closure.mail.text ?? '', new RegExp(`您的投訴（編號 ${tw.number}）已結案`));
    });

    it('e-mails staff who have an address, in their language', async () => {
      const ids = Object.fromEntries(ck.k.userIds);
      const put = await ck.k.server.inject({ method: 'PUT', url: `/api/v1/admin/users/${ids.specialist}/contact`, payload: { email: 'lijing@kesu.test' }, headers: { authorization: `Bearer ${await token('admin')}` } });
      assert.equal(put.statusCode, 200, put.body);
      const r = await ck.k.as('agent').post('/api/v1/complaints', { channel: 'walk_in', description: '来访投诉：收银员多收了钱。', complainant: { name: '赵女士' } });
      await ck.dispatch();
      const m = await box.waitFor((x) => x.to.includes('lijing@kesu.test'));
      assert.equal(m.mail.subject, `[Kesu] 新投诉待判定 ${r.body.complaint.number}`);
      assert.match(m.mail.text ?? '', new RegExp(`http://kesu.test/cases/${r.body.complaint.number}`));
      assert.ok(!(m.mail.text ?? '').includes('收银员'), 'no case details in notifications');
    });

    async function token(user: string): Promise<string> {
      await ck.k.as(user).get('/api/v1/departments');
      return ck.k.tokens.get(user)!;
    }
  });
}
