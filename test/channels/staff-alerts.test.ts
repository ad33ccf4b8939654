/**
 * Staff alerts to group bots in their documented formats, against a local HTTP receiver, on
 * every engine: 企业微信 markdown, 钉钉 markdown with the 加签 signature in the URL, 飞书 post with
 * the signature in the body; escalations from the deadline sweeper, approvals waiting and major
 * cases; department filters; a bot's refusal is retried.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { TestReceiver, startChannelKesu, type ChannelKesu } from '../support/channels.js';
import { dingtalkSign, feishuSign } from '../../src/channels/staff-alerts.js';
import { sweepDeadlines } from '../../src/jobs/deadline-sweeper.js';

const HOUR = 3600_000;

for (const { dialect, skip } of await engines()) {
  describe(`staff alerts to group bots (${dialect})`, { skip }, () => {
    let ck: ChannelKesu;
    let rx: TestReceiver;
    before(async () => {
      rx = await TestReceiver.start();
      rx.respond = (r) => (r.url.includes('/open-apis/') ? { status: 200, body: '{"code":0,"msg":"success","data":{}}' } : { status: 200, body: '{"errcode":0,"errmsg":"ok"}' });
      ck = await startChannelKesu(dialect, {
        start: '2026-11-02T09:00:00+08:00',
        settings: {
          bots: [
            { name: 'wecom-cs', kind: 'wecom', url: rx.url('/cgi-bin/webhook/send?key=wx-key'), locale: 'zh-CN' },
            { name: 'ding-cs', kind: 'dingtalk', url: rx.url('/robot/send?access_token=ding-token'), secret: 'SECding-secret', locale: 'zh-CN' },
            { name: 'feishu-cs', kind: 'feishu', url: rx.url('/open-apis/bot/v2/hook/fs-hook'), secret: 'fs-secret', locale: 'en' },
            { name: 'wecom-other-dept', kind: 'wecom', url: rx.url('/cgi-bin/webhook/send?key=other'), departments: ['no_such_department'], locale: 'zh-CN' },
          ],
        },
      });
    });
    after(async () => {
      await ck?.close();
      await rx?.close();
    });

    const by = (path: string) => rx.requests.filter((r) => r.url.startsWith(path));

    it('posts a breached deadline to each bot in its own format', async () => {
      const r = await ck.k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '超时未处理的投诉', complainant: { name: '孙先生', phone: '13600001234' } });
      const number = r.body.complaint.number;
      await ck.k.as('specialist').act(r.body.complaint.id, 'judge', { valid: true });
      await ck.k.as('specialist').act(r.body.complaint.id, 'classify', { category: 'attitude', grade: 'general' });
      await ck.dispatch();
      rx.requests.length = 0;
      ck.k.clock.advance(49 * HOUR); // resolve 2 d breached
      const s = await sweepDeadlines(ck.k.app);
      assert.ok(
        s.fired.some((f) => f.action === 'breach'),
        JSON.stringify(s.fired),
      );
      await ck.dispatch();

      const wecom = by('/cgi-bin/webhook/send?key=wx-key');
      const breach = wecom.map((x) => JSON.parse(x.body)).find((b) => b.markdown.content.includes('已超时并升级'));
      assert.ok(breach, wecom.map((x) => x.body).join('\n'));
      assert.equal(breach.msgtype, 'markdown');
      assert.match(breach.markdown.content, /^### 已超时并升级/);
      assert.match(breach.markdown.content, new RegExp(`\\*\\*编号\\*\\*：${number}`));
      assert.match(breach.markdown.content, /答复时限/);
      assert.ok(!breach.markdown.content.includes('孙先生') && !breach.markdown.content.includes('13600001234'), 'no customer data in group chats');

      const ding = by('/robot/send').find((x) => x.body.includes('已超时并升级'));
      assert.ok(ding);
      const u = new URL(ding.url, 'http://x');
      assert.equal(u.searchParams.get('access_token'), 'ding-token');
      const ts = u.searchParams.get('timestamp')!;
      assert.match(ts, /^\d{13}$/, 'milliseconds');
      assert.equal(u.searchParams.get('sign'), dingtalkSign('SECding-secret', ts));
      const db = JSON.parse(ding.body);
      assert.equal(db.msgtype, 'markdown');
      assert.equal(db.markdown.title, '已超时并升级');
      assert.match(db.markdown.text, new RegExp(number));

      const fs = by('/open-apis/bot/v2/hook/fs-hook')
        .map((x) => JSON.parse(x.body))
        .find((b) => b.content.post.zh_cn.title === 'Deadline breached: escalated');
      assert.ok(fs, 'the Feishu bot speaks English');
      assert.equal(fs.msg_type, 'post');
      assert.match(fs.timestamp, /^\d{10}$/, 'seconds');
      assert.equal(fs.sign, feishuSign('fs-secret', fs.timestamp));
      assert.ok(fs.content.post.zh_cn.content.some((row: { tag: string; text: string }[]) => row[0]!.text === `Case：${number}`));
      assert.ok(fs.content.post.zh_cn.content.some((row: { tag: string; href?: string }[]) => row[0]!.tag === 'a' && row[0]!.href === `http://kesu.test/cases/${number}`));

      assert.equal(by('/cgi-bin/webhook/send?key=other').length, 0, 'a bot for another department hears nothing');
    });

    it('tells the bots about approvals waiting and major cases', async () => {
      rx.requests.length = 0;
      const ids = Object.fromEntries(ck.k.userIds);
      const r = await ck.k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '重大投诉：燃气泄漏', complainant: { anonymous: true } });
      const id = r.body.complaint.id;
      await ck.k.as('specialist').act(id, 'judge', { valid: true });
      // kesu-default routing.majorTo: classifying a major case assigns it to the 客服经理 at once.
      const classified = await ck.k.as('specialist').act(id, 'classify', { category: 'goods_damage_shortage', grade: 'major' });
      assert.deepEqual([classified.body.complaint.state, classified.body.complaint.primaryHandlerId], ['assigned', ids.csmanager], JSON.stringify(classified.body));
      for (const [action, input] of [
        ['accept', {}],
        ['investigate', { facts: '属实', cause: '管道老化', responsibility: { type: 'department', departmentCode: 'logistics' } }],
        ['propose', { solutions: ['repair', 'compensation'], amount: 5000, description: '维修并赔偿' }],
      ] as const) {
        const res = await ck.k.as('csmanager').act(id, action, input);
        assert.equal(res.status, 200, `${action}: ${JSON.stringify(res.body)}`);
      }
      await ck.dispatch();
      const titles = by('/cgi-bin/webhook/send?key=wx-key').map((x) => JSON.parse(x.body).markdown.content.split('\n')[0]);
      assert.ok(titles.includes('### 重大投诉，请直接处理'), titles.join());
      assert.ok(titles.includes('### 处理方案待审批'), titles.join());
      const approval = by('/cgi-bin/webhook/send?key=wx-key')
        .map((x) => JSON.parse(x.body).markdown.content)
        .find((c) => c.startsWith('### 处理方案待审批'))!;
      assert.match(approval, /审批级别\*\*：general_manager/);
    });

    it('retries when a bot refuses (errcode ≠ 0)', async () => {
      rx.requests.length = 0;
      rx.respond = (r) => (r.url.includes('key=wx-key') ? { status: 200, body: '{"errcode":45009,"errmsg":"api freq out of limit"}' } : { status: 200, body: '{"errcode":0,"errmsg":"ok","code":0}' });
      const r = await ck.k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '紧急：电梯困人', complainant: { anonymous: true } });
      await ck.k.as('specialist').act(r.body.complaint.id, 'judge', { valid: true });
      await ck.k.as('specialist').act(r.body.complaint.id, 'classify', { category: 'attitude', grade: 'general', emergency: true });
      await ck.dispatch();
      const rows = await ck.k.testDb.database.db.selectFrom('outbox').selectAll().where('complaint_id', '=', r.body.complaint.id).where('channel', '=', 'bot').execute();
      const wecom = rows.find((x) => JSON.parse(x.recipient).bot === 'wecom-cs')!;
      assert.equal(wecom.status, 'pending');
      assert.match(wecom.last_error ?? '', /wecom bot refused: 45009/);
      assert.ok(rows.filter((x) => JSON.parse(x.recipient).bot !== 'wecom-cs').every((x) => x.status === 'sent'));
      rx.respond = () => ({ status: 200, body: '{"errcode":0,"errmsg":"ok","code":0}' });
      ck.k.clock.advance(60_000);
      await ck.dispatch();
      const again = await ck.k.testDb.database.db.selectFrom('outbox').select('status').where('id', '=', wecom.id).executeTakeFirstOrThrow();
      assert.equal(again.status, 'sent');
    });
  });
}
