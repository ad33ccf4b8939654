/**
 * Inbound e-mail through a real SMTP conversation with Kesu's listener, on every engine: an
 * e-mail becomes a complaint on the e-mail channel with its attachments (refused types noted),
 * is acknowledged in the sender's language; a reply carrying the case number threads onto the
 * timeline; a reply from another address starts a new case; auto-replies and bounces are not
 * complaints; a retried delivery (same Message-ID) creates nothing twice.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import nodemailer from 'nodemailer';
import { engines } from '../support/engines.js';
import { PNG, TestMailbox, startChannelKesu, type ChannelKesu } from '../support/channels.js';
import { startInboundSmtp, type InboundListener } from '../../src/channels/inbound-email.js';
import { detectLocale, replyText } from '../../src/services/receive-email.js';

describe('inbound e-mail helpers', () => {
  it('tells simplified, traditional Chinese and English apart', () => {
    assert.equal(detectLocale('我们的快递员态度很差，请处理这个问题'), 'zh-CN');
    assert.equal(detectLocale('我們的快遞員態度很差，請處理這個問題'), 'zh-TW');
    assert.equal(detectLocale('The parcel arrived broken'), 'en');
    assert.equal(detectLocale('whatever', 'zh-Hant-TW'), 'zh-TW');
  });
  it('keeps only the new part of a reply', () => {
    assert.equal(replyText('补充：单号 WX-889。\n\n在 2026年9月28日，客服中心 写道：\n> 原文'), '补充：单号 WX-889。');
    assert.equal(replyText('Thanks\nOn Mon, 28 Sep 2026, Kesu wrote:\n> old'), 'Thanks');
  });
});

for (const { dialect, skip } of await engines()) {
  describe(`inbound e-mail (${dialect})`, { skip }, () => {
    let ck: ChannelKesu;
    let box: TestMailbox;
    let inbound: InboundListener;
    let send: nodemailer.Transporter;
    before(async () => {
      box = await TestMailbox.start();
      ck = await startChannelKesu(dialect, { start: '2026-09-28T09:00:00+08:00', settings: { smtpUrl: box.url } });
      inbound = await startInboundSmtp(ck.k.app, ck.s, { port: 0, host: '127.0.0.1' });
      send = nodemailer.createTransport({ host: '127.0.0.1', port: inbound.port, secure: false, ignoreTLS: true });
    });
    after(async () => {
      send?.close();
      await inbound?.close();
      await ck?.close();
      await box?.close();
    });

    const db = () => ck.k.testDb.database.db;
    const count = async () =>
      Number(
        (
          await db()
            .selectFrom('complaints')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    let number = '';
    let id = '';
    it('turns an e-mail into a complaint on the e-mail channel, with its attachments', async () => {
      await send.sendMail({
        from: '王先生 <wang@example.com>',
        to: 'complaints@kesu.test',
        subject: '投诉：空调维修师傅迟到三个小时',
        text: '我9月26日预约了上午的空调维修，师傅下午才到，也没有提前通知。请给个说法。',
        messageId: '<first-complaint@example.com>',
        attachments: [
          { filename: '预约截图.png', content: PNG, contentType: 'image/png' },
          { filename: 'virus.exe', content: Buffer.from('MZ not a picture'), contentType: 'application/octet-stream' },
        ],
      });
      const row = await db().selectFrom('complaints').selectAll().where('channel', '=', 'email').executeTakeFirstOrThrow();
      const c = JSON.parse(row.body);
      number = c.number;
      id = c.id;
      assert.equal(c.title, '投诉：空调维修师傅迟到三个小时');
      assert.match(c.description, /师傅下午才到/);
      assert.match(c.description, /virus\.exe/, 'refused attachments are named');
      assert.deepEqual(c.complainant, { anonymous: false, name: '王先生', email: 'wang@example.com' });
      assert.equal(c.firstResponderId, 'email');
      const files = await db().selectFrom('attachments').selectAll().where('complaint_id', '=', id).execute();
      assert.deepEqual(
        files.map((f) => [f.name, f.content_type, f.source]),
        [['预约截图.png', 'image/png', 'email']],
      );
      await ck.dispatch();
      const ack = await box.waitFor((m) => m.to.includes('wang@example.com'));
      assert.equal(ack.mail.subject, `【${number}】您的投诉已受理`);
      assert.match(ack.mail.text ?? '', /访问码：[2-9A-Z]{4}-[2-9A-Z]{4}/);
    });

    it('threads a reply carrying the case number onto that case', async () => {
      await send.sendMail({
        from: 'wang@example.com',
        to: 'complaints@kesu.test',
        subject: `Re: 【${number}】您的投诉已受理`,
        text: '补充：维修单号 WX-889，师傅工号 1024。\n\n在 2026年9月28日 09:00，客服中心 写道：\n> 您反映的问题我们已受理',
        inReplyTo: '<x@kesu.test>',
        attachments: [{ filename: 'receipt.pdf', content: Buffer.from('%PDF-1.4 receipt'), contentType: 'application/pdf' }],
      });
      assert.equal(await count(), 1, 'no new case');
      const view = await ck.k.as('specialist').get(`/api/v1/complaints/${id}`);
      const last = view.body.timeline[view.body.timeline.length - 1];
      assert.equal(last.action, 'supplement');
      assert.equal(last.actorId, 'customer');
      assert.equal(last.data.via, 'email');
      assert.equal(last.data.text, '补充：维修单号 WX-889，师傅工号 1024。');
      assert.deepEqual(
        last.data.attachments.map((a: { name: string }) => a.name),
        ['receipt.pdf'],
      );
    });

    it('starts a new case for a reply from another address', async () => {
      await send.sendMail({ from: 'li@example.com', to: 'complaints@kesu.test', subject: `Re: ${number}`, text: '我是他的邻居，也遇到同样的问题。' });
      assert.equal(await count(), 2);
      const other = await db().selectFrom('complaints').select('body').where('number', '!=', number).executeTakeFirstOrThrow();
      assert.match(JSON.parse(other.body).description, new RegExp(`^（关于 ${number}）`));
    });

    it('ignores auto-replies and bounces', async () => {
      await send.sendMail({ from: 'wang@example.com', to: 'complaints@kesu.test', subject: `自动回复：【${number}】`, text: '我正在休假。', headers: { 'Auto-Submitted': 'auto-replied' } });
      await send.sendMail({ from: 'someone@example.com', to: 'complaints@kesu.test', subject: 'Out of office', text: 'Away', headers: { 'X-Autoreply': 'yes' } });
      const dsn = [
        'From: Mail Delivery System <MAILER-DAEMON@mx.example.com>',
        'To: complaints@kesu.test',
        'Subject: Undelivered Mail Returned to Sender',
        'Message-ID: <bounce-1@mx.example.com>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
        '',
        '--b1',
        'Content-Type: text/plain',
        '',
        'Your message could not be delivered.',
        '--b1',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.example.com',
        '',
        'Final-Recipient: rfc822; nobody@example.com',
        'Action: failed',
        'Status: 5.1.1',
        '--b1--',
        '',
      ].join('\r\n');
      await send.sendMail({ envelope: { from: '', to: ['complaints@kesu.test'] }, raw: dsn });
      assert.equal(await count(), 2, 'none of them is a complaint');
      const ignored = await db().selectFrom('inbound_emails').select(['outcome', 'detail']).where('outcome', '=', 'ignored').execute();
      assert.equal(ignored.length, 3);
      assert.ok(ignored.some((r) => /Auto-Submitted/.test(r.detail ?? '')));
      assert.ok(ignored.some((r) => /null sender|mailer daemon|delivery status/.test(r.detail ?? '')));
    });

    it('creates nothing twice when the same message is delivered again', async () => {
      await send.sendMail({ from: '王先生 <wang@example.com>', to: 'complaints@kesu.test', subject: '投诉：空调维修师傅迟到三个小时', text: '重复投递', messageId: '<first-complaint@example.com>' });
      assert.equal(await count(), 2);
    });

    it('answers a traditional-Chinese sender in traditional Chinese', async () => {
      await send.sendMail({ from: 'chan@example.com.hk', to: 'complaints@kesu.test', subject: '投訴：帳單金額錯誤', text: '這個月的帳單多收了我們一百元，請盡快處理。' });
      await ck.dispatch();
      const ack = await box.waitFor((m) => m.to.includes('chan@example.com.hk'));
      assert.match(ack.mail.subject ?? '', /您的投訴已受理/);
    });
  });
}
