/**
 * Stored reports (issue 11 §3) on every engine, with the test clock on the official 2026
 * calendar: the weekly and monthly reports due during 国庆 are made on the first working day
 * after it, exactly once by two instances sharing the database, not again on the next pass; a
 * claim whose generator died is taken over after its lease; the reports reach an in-process
 * SMTP server and a local 企业微信 bot receiver through the outbox; the console's API lists
 * them, downloads them as Excel and JSON, makes one now for an ended period and refuses bad
 * input naming the field, in the caller's language. Across 元旦 2026, December's report is made
 * on the Sunday worked in exchange (调休), 4 January, once with two instances.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'yaml';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { TestMailbox, TestReceiver, testSettings } from '../support/channels.js';
import { activatePolicy, readPolicyFile } from '../../src/services/policies.js';
import type { ChannelSettings } from '../../src/channels/settings.js';
import { createProviders, dispatchUntilIdle } from '../../src/jobs/outbox-dispatcher.js';
import { setStaffContact } from '../../src/store/customer.repository.js';
import { claimRun, listRuns } from '../../src/store/report-run.repository.js';
import { runDueReports, runReportNow } from '../../src/reports/runs.js';
import type { App } from '../../src/services/app.js';
import { fileStoreOf } from '../../src/storage/stores.js';

const REPORTS = {
  recipients: { users: ['gm'], roles: ['admin'], emails: ['board@example.com'], bots: ['ops'] },
};

async function reportPolicy(app: App): Promise<void> {
  const data = parse(readPolicyFile('kesu-default').text) as Record<string, unknown>;
  data.version = '2026.1-reports';
  data.reports = REPORTS;
  await activatePolicy(app, JSON.stringify(data), 'json');
}

const labels = (runs: { kind: string; period: string }[]) => runs.map((r) => `${r.kind} ${r.period}`).sort();

for (const { dialect, skip } of await engines()) {
  describe(`stored reports (${dialect})`, { skip }, () => {
    let k: Kesu;
    let other: Kesu;
    let mailbox: TestMailbox;
    let bot: TestReceiver;
    let settings: ChannelSettings;
    const dataDir = mkdtempSync(join(tmpdir(), 'kesu-report-runs-'));

    before(async () => {
      mailbox = await TestMailbox.start();
      bot = await TestReceiver.start();
      bot.respond = () => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' });
      // Monday of week 40, the week before 国庆.
      k = await startKesu(dialect, { start: '2026-09-28T09:00:00+08:00' });
      await reportPolicy(k.app);
      settings = testSettings(dataDir, { smtpUrl: mailbox.url, bots: [{ name: 'ops', kind: 'wecom', url: bot.url('/cgi-bin/webhook/send?key=test'), locale: 'zh-CN' }] });
      k.app.settings.channels = settings;
      other = await k.instance();
      other.app.settings.channels = settings;
      await setStaffContact(k.app.database.db, k.userIds.get('gm')!, { email: 'gm@kesu.test' });
      await setStaffContact(k.app.database.db, k.userIds.get('admin')!, { email: 'admin@kesu.test' });
      // Three cases in week 40, September's last days.
      for (const [i, at] of ['2026-09-28T10:00:00+08:00', '2026-09-29T11:00:00+08:00', '2026-09-30T15:00:00+08:00'].entries()) {
        k.clock.set(at);
        const r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: `投诉 ${i}`, complainant: { name: '客户', phone: `1390000100${i}` } });
        assert.equal(r.status, 201, JSON.stringify(r.body));
      }
    });

    after(async () => {
      await other?.close();
      await k?.close();
      await mailbox?.close();
      await bot?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('makes nothing during the holiday, then each due report exactly once with two instances racing', async () => {
      // Tuesday 6 October 09:30 is 国庆: the weekly report of week 40 moved to Thursday the 8th,
      // September's report (due on the 2nd) too.
      k.clock.set('2026-10-06T09:30:00+08:00');
      assert.deepEqual(await runDueReports(k.app, { owner: 'one' }), { generated: [], failed: [] });
      k.clock.set('2026-10-08T09:00:00+08:00');
      const [a, b] = await Promise.all([runDueReports(k.app, { owner: 'one' }), runDueReports(other.app, { owner: 'two' })]);
      assert.deepEqual([...a.generated, ...b.generated].sort(), ['monthly 2026-09', 'weekly 2026-W40']);
      assert.deepEqual([...a.failed, ...b.failed], []);
      const runs = await listRuns(k.app.database.db, { limit: 10 });
      assert.deepEqual(labels(runs), ['monthly 2026-09', 'weekly 2026-W40']);
      assert.ok(runs.every((r) => r.status === 'done' && r.progress === 100 && r.contentHash && r.trigger === 'schedule'));
      const weekly = runs.find((r) => r.kind === 'weekly')!;
      assert.equal(weekly.scheduledAt, new Date('2026-10-08T09:00:00+08:00').toISOString());
      assert.deepEqual([weekly.periodFrom, weekly.periodTo], ['2026-09-28', '2026-10-04']);
      assert.equal(weekly.headline?.received, 3);
      assert.equal(runs.find((r) => r.kind === 'monthly')!.headline?.received, 3);
      // Week 39 ended before Kesu was set up: never due. A later pass, or a restart, makes nothing again.
      k.clock.set('2026-10-08T11:00:00+08:00');
      assert.deepEqual(await runDueReports(other.app, { owner: 'three' }), { generated: [], failed: [] });
      assert.equal((await listRuns(k.app.database.db, { limit: 10 })).length, 2);
    });

    it('delivers each report through the outbox to the SMTP server and the staff bot', async () => {
      const r = await dispatchUntilIdle(k.app, { settings, providers: createProviders(settings, k.app) });
      assert.equal(r.dead, 0, JSON.stringify(r));
      // gm (a user), admin (a role) and a plain address, each once per report; the bot twice.
      for (const address of ['gm@kesu.test', 'admin@kesu.test', 'board@example.com']) {
        const mails = mailbox
          .to(address)
          .map((m) => m.mail.subject)
          .sort();
        assert.deepEqual(mails, ['[Kesu] 周报 2026-W40', '[Kesu] 月报 2026-09'], address);
      }
      const weekly = mailbox.to('gm@kesu.test').find((m) => m.mail.subject?.includes('周报'))!;
      assert.match(weekly.mail.text ?? '', /统计期间：2026-W40（2026-09-28 – 2026-10-04）/);
      assert.match(weekly.mail.text ?? '', /受理量：3/);
      assert.match(weekly.mail.text ?? '', /http:\/\/kesu\.test\/reports\?run=/);
      // The workbook is attached, in the reader's language, read back with exceljs.
      const files = weekly.mail.attachments ?? [];
      assert.deepEqual(
        files.map((f) => [f.filename, f.contentType]),
        [['周报 2026-W40.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']],
      );
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(files[0]!.content as unknown as ArrayBuffer);
      assert.deepEqual(
        wb.worksheets.map((w) => w.name),
        ['概览', '受理趋势', '受理分布', '有效性', '时效', '积压账龄', '满意度'],
      );
      const summary = wb.getWorksheet('概览')!;
      assert.equal(summary.getCell('A1').value, '指标');
      assert.equal((summary.getCell('B2').value as Date).toISOString().slice(0, 10), '2026-09-28');
      assert.equal(summary.getCell('B4').value, 3); // cases received in week 40
      const trend = wb.getWorksheet('受理趋势')!;
      assert.equal(trend.getCell('A2').value, '2026-09-28'); // the weekly report's trend is by day
      assert.equal(trend.getCell('C2').value, 1);
      // The same workbook the download gives for the run (same figures), and stored once per language in the file store.
      const monthly = mailbox.to('board@example.com').find((m) => m.mail.subject?.includes('月报'))!;
      assert.deepEqual(
        monthly.mail.attachments?.map((f) => f.filename),
        ['月报 2026-09.xlsx'],
      );
      const outbox = await k.app.database.db.selectFrom('outbox').select(['channel', 'payload']).where('template', '=', 'report_ready').execute();
      const keys = outbox.map((o) => [o.channel, (JSON.parse(o.payload as unknown as string) as { attachments?: { key: string }[] }).attachments?.[0]?.key ?? null] as const);
      assert.ok(
        keys.filter(([c]) => c === 'bot').every(([, key]) => key === null),
        'no file for the bots',
      );
      assert.equal(new Set(keys.filter(([c]) => c === 'email').map(([, key]) => key)).size, 2, 'one stored workbook per report (all readers zh-CN)');
      const store = await fileStoreOf(k.app);
      for (const [, key] of keys) if (key) assert.ok(await store.exists(key), 'stored in the file store');
      const posts = bot.requests.filter((x) => x.url.startsWith('/cgi-bin/webhook/send'));
      assert.equal(posts.length, 2);
      const texts = posts.map((p) => (JSON.parse(p.body) as { markdown: { content: string } }).markdown.content).sort();
      assert.match(texts.join('\n'), /### 周报 2026-W40/);
      assert.match(texts.join('\n'), /### 月报 2026-09/);
      assert.match(texts.join('\n'), /受理量\*\*：3/);
      // Delivered once: a second dispatch sends nothing more.
      await dispatchUntilIdle(k.app, { settings, providers: createProviders(settings, k.app) });
      assert.equal(bot.requests.length, 2);
      assert.equal(mailbox.messages.length, 6);
    });

    it('takes over a claim whose generator died, once its lease lapsed', async () => {
      const policy = await k.app.activePolicy();
      const now = k.app.now();
      // A manual run of August claimed by an instance that then crashed.
      const { claimed } = await claimRun(
        k.app.database.db,
        {
          scope: policy.id,
          kind: 'monthly',
          period: '2026-08',
          periodFrom: '2026-08-01',
          periodTo: '2026-08-31',
          timeZone: 'Asia/Shanghai',
          policyKey: `${policy.id}@${policy.version}`,
          trigger: 'manual',
          requestedBy: null,
          scheduledAt: null,
          sections: ['intake'],
        },
        { owner: 'crashed', now: now.toISOString(), leaseUntil: new Date(now.getTime() + 60_000).toISOString(), maxAttempts: 5 },
      );
      assert.equal(claimed, true);
      assert.deepEqual((await runDueReports(k.app, { owner: 'one' })).generated, [], 'the lease still holds');
      k.clock.advance(61_000);
      // Both instances see the lapsed lease at once; one takes it over.
      const [x, y] = await Promise.all([runDueReports(k.app, { owner: 'one' }), runDueReports(other.app, { owner: 'two' })]);
      assert.deepEqual([...x.generated, ...y.generated], ['monthly 2026-08']);
      const aug = (await listRuns(k.app.database.db, { kind: 'monthly', limit: 10 })).find((r) => r.period === '2026-08')!;
      assert.equal(aug.status, 'done');
      assert.equal(aug.attempts, 2);
      assert.deepEqual(aug.sections, ['intake']);
    });

    it('a generator that stalls past its lease loses the run to another instance: stored and sent once', async () => {
      const settle = () => dispatchUntilIdle(k.app, { settings, providers: createProviders(settings, k.app) });
      await settle();
      const sentBefore = mailbox.messages.length;
      let takenOver: string[] = [];
      const slow = await runReportNow(
        k.app,
        { kind: 'monthly', period: '2026-07' },
        {
          owner: 'slow',
          leaseMs: 60_000,
          onProgress: async (p) => {
            if (p.step !== 'statistics') return;
            // The slow generator stalls past its lease; the other instance's pass takes the run over.
            k.clock.advance(61_000);
            takenOver = (await runDueReports(other.app, { owner: 'fast' })).generated;
          },
        },
      );
      assert.deepEqual(takenOver, ['monthly 2026-07']);
      assert.equal(slow.generated, false);
      assert.equal(slow.run.status, 'done');
      assert.equal(slow.run.attempts, 2);
      const rows = (await k.app.database.db.selectFrom('outbox').select('payload').where('template', '=', 'report_ready').execute()).filter((r) => JSON.parse(r.payload).reportRunId === slow.run.id);
      assert.equal(rows.length, 4, 'three addresses and one bot, once');
      await settle();
      assert.equal(mailbox.messages.length - sentBefore, 3);
    });

    it('lists, downloads (Excel and JSON) and makes a report now; refuses bad input naming the field', async () => {
      const list = await k.as('specialist').get('/api/v1/reports/runs');
      assert.equal(list.status, 200);
      assert.deepEqual(labels(list.body.items), ['monthly 2026-07', 'monthly 2026-08', 'monthly 2026-09', 'weekly 2026-W40']);
      assert.deepEqual(
        list.body.next.map((n: { kind: string; period: string }) => `${n.kind} ${n.period}`),
        ['weekly 2026-W41', 'monthly 2026-10'],
      );
      const weekly = list.body.items.find((r: { kind: string }) => r.kind === 'weekly');

      const xlsx = await k.server.inject({ method: 'GET', url: `/api/v1/reports/runs/${weekly.id}/download?format=xlsx&lang=en`, headers: { authorization: `Bearer ${k.tokens.get('specialist')}` } });
      assert.equal(xlsx.statusCode, 200);
      assert.match(String(xlsx.headers['content-disposition']), /kesu-weekly-2026-W40\.xlsx/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      assert.deepEqual(
        wb.worksheets.map((w) => w.name),
        ['Summary', 'Intake trend', 'Intake breakdown', 'Validity', 'On time', 'Backlog by age', 'Satisfaction'],
      );
      const total = wb
        .getWorksheet('Summary')!
        .getRows(1, 20)!
        .find((r) => r.getCell(1).value === 'Cases received')!;
      assert.equal(total.getCell(2).value, 3);
      // August presents the intake only: the sheets of the other sections are left out.
      const aug = list.body.items.find((r: { period: string }) => r.period === '2026-08');
      const augX = await k.server.inject({ method: 'GET', url: `/api/v1/reports/runs/${aug.id}/download`, headers: { authorization: `Bearer ${k.tokens.get('specialist')}` } });
      const wb2 = new ExcelJS.Workbook();
      await wb2.xlsx.load(augX.rawPayload as unknown as ArrayBuffer);
      assert.deepEqual(
        wb2.worksheets.map((w) => w.name),
        ['概览', '受理趋势', '受理分布'],
      );
      const json = await k.as('specialist').get(`/api/v1/reports/runs/${aug.id}/download?format=json`);
      assert.equal(json.status, 200);
      assert.deepEqual(Object.keys(json.body.statistics).sort(), ['filters', 'intake', 'period']);
      // The weekly report presents every section: the same parts as the live statistics of its
      // period, the backlog by age among them (with handling), as it stood when the report was made.
      const live = await k.as('specialist').get('/api/v1/reports/statistics?from=2026-09-28&to=2026-10-04&groupBy=day');
      assert.equal(live.status, 200);
      const stored = await k.as('specialist').get(`/api/v1/reports/runs/${weekly.id}/download?format=json`);
      assert.equal(stored.status, 200);
      assert.deepEqual(Object.keys(stored.body.statistics).sort(), Object.keys(live.body).sort());
      const backlog = stored.body.statistics.backlog as { asOf: string; open: Record<string, number>; pending: Record<string, number> };
      const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
      assert.deepEqual(Object.keys(backlog.open).sort(), Object.keys(live.body.backlog.open).sort());
      assert.equal(sum(backlog.open), 3, "the week's three cases were open when the report was made");
      assert.equal(sum(backlog.pending), 0);
      assert.equal(backlog.asOf, new Date('2026-10-08T09:00:00+08:00').toISOString());
      assert.deepEqual(stored.body.statistics.intake, live.body.intake);

      // Made now: an ended period (new: 201; again: 200, the same stored run).
      const made = await k.as('csmanager').post('/api/v1/reports/runs', { kind: 'weekly', period: '2026-W39' });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      assert.equal(made.body.status, 'done');
      assert.equal(made.body.trigger, 'manual');
      const again = await k.as('admin').post('/api/v1/reports/runs', { kind: 'weekly', period: '2026-W39' });
      assert.equal(again.status, 200);
      assert.equal(again.body.id, made.body.id);

      const before = (await listRuns(k.app.database.db, { limit: 50 })).length;
      const refusals: [unknown, string, RegExp][] = [
        [{ kind: 'weekly', period: '2026-W41' }, 'period', /has not ended/],
        [{ kind: 'monthly', period: '2026-10' }, 'period', /has not ended/],
        [{ kind: 'monthly', period: '2026-W40' }, 'period', /not a monthly period/],
        [{ kind: 'daily', period: '2026-10-01' }, 'kind', /unknown report kind/],
        [{ kind: 'monthly', period: '2026-07', sections: ['intake', 'gossip'] }, 'sections', /gossip/],
        [{ kind: 'monthly' }, 'period', /./],
      ];
      for (const [body, field, message] of refusals) {
        const r = await k.as('admin').post('/api/v1/reports/runs?lang=en', body);
        assert.equal(r.status, 400, JSON.stringify(body));
        assert.equal(r.body.fields[0].path, field);
        assert.match(r.body.fields[0].message, message);
      }
      const zh = await k.as('admin').post('/api/v1/reports/runs', { kind: 'weekly', period: '2026-W41' });
      assert.match(zh.body.fields[0].message, /尚未结束/);
      assert.doesNotMatch(zh.body.fields[0].message, /has not ended/);
      assert.equal((await listRuns(k.app.database.db, { limit: 50 })).length, before, 'a refusal stores nothing');
      assert.equal((await k.as('agent').post('/api/v1/reports/runs', { kind: 'weekly', period: '2026-W38' })).status, 403);
      assert.equal((await k.as('agent').get('/api/v1/reports/runs')).status, 403);
      assert.equal((await k.as('specialist').get('/api/v1/reports/runs/nope/download')).status, 404);
    });
  });

  describe(`stored reports across an adjusted working day (${dialect})`, { skip }, () => {
    let k: Kesu;
    let other: Kesu;

    before(async () => {
      // Monday 29 December 2025: set up in the last week of the year, two cases in December.
      k = await startKesu(dialect, { start: '2025-12-29T09:00:00+08:00' });
      await reportPolicy(k.app);
      other = await k.instance();
      for (const [i, at] of ['2025-12-29T10:00:00+08:00', '2025-12-31T15:00:00+08:00'].entries()) {
        k.clock.set(at);
        const r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: `投诉 ${i}`, complainant: { name: '客户', phone: `1390000200${i}` } });
        assert.equal(r.status, 201, JSON.stringify(r.body));
      }
    });

    after(async () => {
      await other?.close();
      await k?.close();
    });

    it("makes December's report on the worked Sunday 4 January (调休), once with two instances racing", async () => {
      // Due on 2 January (元旦), then 3 January (a holiday Saturday): nothing on either day.
      for (const at of ['2026-01-02T09:30:00+08:00', '2026-01-03T09:30:00+08:00', '2026-01-04T08:59:00+08:00']) {
        k.clock.set(at);
        assert.deepEqual(await runDueReports(k.app, { owner: 'one' }), { generated: [], failed: [] }, at);
      }
      // Sunday 4 January is worked in exchange: December's report is made then, once; the week
      // of 29 December – 4 January has not ended, and the week before it ended before set-up.
      k.clock.set('2026-01-04T09:00:00+08:00');
      const [a, b] = await Promise.all([runDueReports(k.app, { owner: 'one' }), runDueReports(other.app, { owner: 'two' })]);
      assert.deepEqual([...a.generated, ...b.generated], ['monthly 2025-12']);
      assert.deepEqual([...a.failed, ...b.failed], []);
      const runs = await listRuns(k.app.database.db, { limit: 10 });
      assert.deepEqual(labels(runs), ['monthly 2025-12']);
      const dec = runs[0]!;
      assert.equal(dec.status, 'done');
      assert.equal(dec.trigger, 'schedule');
      assert.equal(dec.scheduledAt, new Date('2026-01-04T09:00:00+08:00').toISOString());
      assert.deepEqual([dec.periodFrom, dec.periodTo], ['2025-12-01', '2025-12-31']);
      assert.equal(dec.headline?.received, 2);
      // Monday the 5th: nothing again (the weekly report of 2026-W01 is due on Tuesday the 6th).
      k.clock.set('2026-01-05T09:00:00+08:00');
      assert.deepEqual(await runDueReports(other.app, { owner: 'three' }), { generated: [], failed: [] });
      k.clock.set('2026-01-06T09:00:00+08:00');
      assert.deepEqual((await runDueReports(k.app, { owner: 'one' })).generated, ['weekly 2026-W01']);
      assert.deepEqual(labels(await listRuns(k.app.database.db, { limit: 10 })), ['monthly 2025-12', 'weekly 2026-W01']);
    });
  });
}
