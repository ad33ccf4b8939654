/**
 * Clock rules (issue 10 §1) in the management views, on the `logistics` preset (rule
 * `propose_30m`: a solution within 30 minutes of receipt) on every engine: the statistics API
 * names the rule's on-time row and the dashboard its overdue row with the rule's name; the Excel
 * workbook, read back in zh-CN and en, names the rule clock by that name and the built-in stages by
 * their word (as the PDF does); once the active policy no longer has the rule, its stored figures
 * show as the stored kind.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import ExcelJS from 'exceljs';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { pdfText } from '../support/pdf.js';
import { intake, presetFile, proposed, triaged } from '../scenarios/support.js';
import { sweepDeadlines } from '../../src/jobs/deadline-sweeper.js';
import { activatePolicy } from '../../src/services/policies.js';

const OUT = resolve('test-output', 'rule-clock-names');
const Q = 'from=2026-10-01&to=2026-10-31&groupBy=month';
const RULE = 'rule:propose_30m';
const NAME = { 'zh-CN': '受理后30分钟内提出方案', 'zh-TW': '受理後30分鐘內提出方案', en: 'Solution within 30 min of receipt' };

for (const { dialect, skip } of await engines()) {
  describe(`rule clocks named in the reports and the dashboard (${dialect})`, { skip }, () => {
    let k: Kesu;
    let proposedCase = '';
    /** A PDF export of `url` as `specialist`, read back as text. */
    const pdf = async (url: string, name: string): Promise<string> => {
      await k.as('specialist').get('/api/v1/me');
      const r = await k.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${k.tokens.get('specialist')}` } });
      assert.equal(r.statusCode, 200, r.body);
      mkdirSync(OUT, { recursive: true });
      const file = join(OUT, `${dialect}-${name}.pdf`);
      writeFileSync(file, r.rawPayload);
      return pdfText(file);
    };
    /** The first column of the workbook's on-time sheet, in `lang`. */
    const stageColumn = async (lang: string): Promise<unknown[]> => {
      await k.as('specialist').get('/api/v1/me');
      const r = await k.server.inject({ method: 'GET', url: `/api/v1/reports/statistics.xlsx?${Q}&lang=${lang}`, headers: { authorization: `Bearer ${k.tokens.get('specialist')}` } });
      assert.equal(r.statusCode, 200, r.body);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
      const onTime = wb.worksheets[4]!;
      return (onTime.getColumn(1).values as unknown[]).slice(2);
    };

    before(async () => {
      // Saturday 2026-10-03 10:00 in Shanghai: the logistics desk counts around the clock.
      k = await startKesu(dialect, { start: '2026-10-03T10:00:00+08:00', policy: presetFile('logistics') });
      // a: proposed at 10:20, within the 30 minutes (met).
      const a = (await intake(k)).complaint.id;
      proposedCase = a;
      // b: never proposed; breached at 10:30 by the sweeper.
      const b = (await intake(k)).complaint.id;
      k.clock.set('2026-10-03T10:05:00+08:00');
      await triaged(k, a, { category: 'timeliness', grade: 'general' });
      await triaged(k, b, { category: 'timeliness', grade: 'general' });
      k.clock.set('2026-10-03T10:20:00+08:00');
      await proposed(k, a);
      k.clock.set('2026-10-03T10:31:00+08:00');
      await sweepDeadlines(k.app);
      // c: received 10:31, its rule clock due 11:01 and still running at 11:02 (overdue on the dashboard).
      await intake(k);
      k.clock.set('2026-10-03T11:02:00+08:00');
    });
    after(async () => k?.close());

    it("the statistics API names the rule clock's on-time row; the built-in stages carry no name", async () => {
      const r = await k.as('specialist').get(`/api/v1/reports/statistics?${Q}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const rows = r.body.onTime.byStage as any[];
      assert.deepEqual(
        rows.find((x) => x.stage === RULE),
        { stage: RULE, name: NAME, met: 1, breached: 1, rate: 0.5 },
      );
      // The preset's built-in first-response clock (a's, met): no name, the console names it by its word.
      assert.deepEqual(
        rows.find((x) => x.stage === 'first_response'),
        { stage: 'first_response', met: 1, breached: 0, rate: 1 },
      );
    });

    it('the dashboard names an overdue rule clock', async () => {
      const r = await k.as('specialist').get('/api/v1/stats/dashboard');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const rows = [...r.body.overdue, ...r.body.nearlyOverdue] as any[];
      const rule = rows.find((x) => x.clock === RULE);
      assert.ok(rule, JSON.stringify(rows.map((x) => x.clock)));
      assert.deepEqual(rule.clockName, NAME);
      for (const x of rows.filter((y) => !y.clock.startsWith('rule:'))) assert.equal('clockName' in x, false, x.clock);
    });

    it('the workbook names the rule clock and the built-in stages in zh-CN and en', async () => {
      const zh = await stageColumn('zh-CN');
      assert.deepEqual(zh.slice(0, 2), ['签收', NAME['zh-CN']], JSON.stringify(zh));
      assert.ok(!zh.includes('first_response') && !zh.includes(RULE), JSON.stringify(zh));
      const en = await stageColumn('en');
      assert.deepEqual(en.slice(0, 2), ['First response', NAME.en], JSON.stringify(en));
    });

    it('the statistics PDF and the case dossier PDF name the rule clock (en)', async () => {
      const stats = await pdf(`/api/v1/reports/statistics.pdf?${Q}&lang=en`, 'statistics-en');
      assert.ok(stats.includes(NAME.en) && stats.includes('First response'), stats);
      assert.ok(!stats.includes(RULE), stats);
      const dossier = await pdf(`/api/v1/complaints/${proposedCase}/dossier.pdf?lang=en`, 'dossier-en');
      // The deadlines table wraps the name in its narrow first column: 'Solution' / 'within 30 min'.
      const deadline = dossier.split('\n').findIndex((l) => /^\s*Solution\s+Stopp/.test(l));
      assert.ok(deadline >= 0 && /^\s*within 30 min\b/.test(dossier.split('\n')[deadline + 1]!), dossier);
      assert.ok(!dossier.includes(RULE), dossier);
    });

    it('a rule the active policy no longer has shows as its stored kind', async () => {
      const data = parse(readFileSync(presetFile('logistics'), 'utf8'));
      delete data.clockRules;
      data.version = '2026.1-norules';
      await activatePolicy(k.app, stringify(data), 'yaml');
      const r = await k.as('specialist').get(`/api/v1/reports/statistics?${Q}`);
      assert.deepEqual(
        r.body.onTime.byStage.find((x: any) => x.stage === RULE),
        { stage: RULE, met: 1, breached: 1, rate: 0.5 },
      );
      assert.deepEqual((await stageColumn('en')).slice(0, 2), ['First response', RULE]);
    });
  });
}
