/**
 * What the statistics exports add to the console's figures (issue 11 §2/§5), on every engine: the
 * duties' on-time rows (named as the policy names the duty), the backlog by age and the mean score
 * per satisfaction dimension, in the Excel workbook (read back with exceljs) and in the PDF report
 * (read back with pdftotext), in zh-CN and en — values from the cases made here, counted by hand.
 * Also the workbook of a stored report made before those figures existed, and the sheets a
 * stored report keeps for its sections.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { engines } from '../support/engines.js';
import { proposedCase, startKesu, type Kesu } from '../support/kesu.js';
import { dutiesMetAndBreached, dutiesPolicyFile } from './duties-fixture.js';
import { runWorkbook } from '../../src/reports/runs.js';
import { reportNames } from '../../src/reports/pdf/names.js';
import { pdfText } from '../support/pdf.js';

const OUT = resolve('test-output', 'statistics-exports');
const Q = 'from=2026-03-01&to=2026-03-31&groupBy=month';

/** The rows of a sheet as arrays of cell values (column A first). */
const sheetRows = (ws: ExcelJS.Worksheet): unknown[][] => (ws.getRows(1, ws.rowCount) ?? []).map((r) => (r.values as unknown[]).slice(1));
/** The row after the row whose first cell is `header`, up to the next empty row. */
const block = (rows: unknown[][], header: string): unknown[][] => {
  const i = rows.findIndex((r) => r[0] === header);
  assert.ok(i >= 0, `no row ${header}`);
  const end = rows.findIndex((r, j) => j > i && r.length === 0);
  return rows.slice(i + 1, end < 0 ? undefined : end);
};

for (const { dialect, skip } of await engines()) {
  describe(`statistics exports: duties, backlog, scores (${dialect})`, { skip }, () => {
    let k: Kesu;
    const fetchAs = async (username: string, url: string) => {
      await k.as(username).get('/api/v1/me');
      const r = await k.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${k.tokens.get(username)}` } });
      assert.equal(r.statusCode, 200, r.body);
      return r.rawPayload;
    };
    const workbook = async (lang: string) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await fetchAs('specialist', `/api/v1/reports/statistics.xlsx?${Q}&lang=${lang}`)) as unknown as ArrayBuffer);
      return wb;
    };
    const pdfLines = async (lang: string) => {
      mkdirSync(OUT, { recursive: true });
      const file = join(OUT, `${dialect}-${lang}.pdf`);
      writeFileSync(file, await fetchAs('specialist', `/api/v1/reports/statistics.pdf?${Q}&lang=${lang}`));
      const text = pdfText(file);
      const lines = text.split('\n').map((l) => l.trim().split(/\s{2,}/));
      return { text, row: (label: string) => lines.find((l) => l[0] === label)?.slice(1) };
    };

    before(async () => {
      // Mon 2026-03-02 09:00 in Shanghai: a, b, c answered; duties as in duties-fixture.ts (clock then 11:45).
      k = await startKesu(dialect, { start: '2026-03-02T09:00:00+08:00', policy: dutiesPolicyFile() });
      const [a, b] = await dutiesMetAndBreached(k);
      // Final follow-up results with scores: means attitude (5 + 4) / 2, efficiency 4, result (4 + 3) / 2.
      for (const [id, satisfaction, scores] of [
        [a, 'very_satisfied', { attitude: 5, efficiency: 4, result: 4 }],
        [b, 'satisfied', { attitude: 4, efficiency: 4, result: 3 }],
      ] as const) {
        const r = await k.as('followup').act(id, 'follow_up', { reached: true, satisfaction, scores });
        assert.equal(r.status, 200, JSON.stringify(r.body));
      }
      // d received and pended Mon 11:45.
      const d = await proposedCase(k);
      const p = await k.as('handler').act(d, 'pend', { reason: '等待配件' });
      assert.equal(p.status, 200, JSON.stringify(p.body));
      // e received Tue 14:00, f Thu 11:00; the exports are made Thu 2026-03-05 12:00.
      for (const at of ['2026-03-03T14:00:00+08:00', '2026-03-05T11:00:00+08:00']) {
        k.clock.set(at);
        const r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '投诉内容', complainant: { name: '客户', phone: '13900002222' } });
        assert.equal(r.status, 201, JSON.stringify(r.body));
      }
      k.clock.set('2026-03-05T12:00:00+08:00');
    });
    after(async () => k?.close());

    it('the statistics count them as the exports should show them', async () => {
      const s = (await k.as('specialist').get(`/api/v1/reports/statistics?${Q}`)).body;
      assert.deepEqual(s.onTime.byDuty, [
        { code: 'callback', met: 1, breached: 0, rate: 1 },
        { code: 'report_back', met: 2, breached: 1, rate: 0.6667 },
      ]);
      // Open at Thu 12:00: f (1 h), e (1 day 22 h), a–c (3 days 3 h), d (3 days 15 min, pended as long).
      assert.deepEqual(s.backlog, { asOf: '2026-03-05T04:00:00.000Z', open: { lt1d: 1, d1to3: 1, d3to7: 4, ge7d: 0 }, pending: { lt1d: 0, d1to3: 0, d3to7: 1, ge7d: 0 } });
      assert.deepEqual(s.satisfaction.scores, { attitude: 4.5, efficiency: 4, result: 3.5 });
    });

    it('the workbook: duty rows on the on-time sheet, a backlog sheet, the scores on a satisfaction sheet', async () => {
      for (const [lang, sheets, w] of [
        [
          'zh-CN',
          ['概览', '受理趋势', '受理分布', '有效性', '时效', '积压账龄', '满意度'],
          {
            duty: '职责',
            report: '处理完毕反馈客户中心',
            callback: '回访确认',
            asOf: '统计时点',
            ages: ['不足1天', '1–3天', '3–7天', '7天及以上'],
            dim: '维度',
            dims: ['服务态度', '处理效率', '处理结果'],
            levels: ['非常满意', '满意', '一般', '不满意'],
          },
        ],
        [
          'en',
          ['Summary', 'Intake trend', 'Intake breakdown', 'Validity', 'On time', 'Backlog by age', 'Satisfaction'],
          {
            duty: 'Duty',
            report: 'Report back',
            callback: 'Call back',
            asOf: 'As of',
            ages: ['Under 1 day', '1–3 days', '3–7 days', '7 days or more'],
            dim: 'Dimension',
            dims: ['Attitude', 'Efficiency', 'Result'],
            levels: ['Very satisfied', 'Satisfied', 'Neutral', 'Unsatisfied'],
          },
        ],
      ] as const) {
        const wb = await workbook(lang);
        assert.deepEqual(
          wb.worksheets.map((x) => x.name),
          sheets,
          lang,
        );
        const onTime = wb.getWorksheet(sheets[4])!;
        assert.deepEqual(block(sheetRows(onTime), w.duty), [
          [w.callback, 1, 0, 1],
          [w.report, 2, 1, 0.6667],
        ]);
        const rate = sheetRows(onTime).findIndex((r) => r[0] === w.report) + 1;
        assert.equal(onTime.getCell(`D${rate}`).numFmt, '0.00%');

        const backlog = wb.getWorksheet(sheets[5])!;
        assert.deepEqual(sheetRows(backlog).slice(1, 5), [
          [w.ages[0], 1, 0],
          [w.ages[1], 1, 0],
          [w.ages[2], 4, 1],
          [w.ages[3], 0, 0],
        ]);
        assert.equal(backlog.getCell('A7').value, w.asOf);
        assert.equal((backlog.getCell('B7').value as Date).toISOString(), '2026-03-05T12:00:00.000Z', 'the local time of asOf');

        const sat = wb.getWorksheet(sheets[6])!;
        const satRows = sheetRows(sat);
        assert.deepEqual(satRows.slice(1, 5), [
          [w.levels[0], 1],
          [w.levels[1], 1],
          [w.levels[2], 0],
          [w.levels[3], 0],
        ]);
        assert.deepEqual(block(satRows, w.dim), [
          [w.dims[0], 4.5],
          [w.dims[1], 4],
          [w.dims[2], 3.5],
        ]);
        assert.equal(sat.getCell('B8').numFmt, '0.00');
      }
    });

    it('the PDF: on time by duty, the backlog by age, the mean score per dimension', async () => {
      const zh = await pdfLines('zh-CN');
      for (const title of ['时效（按职责）', '积压账龄（未结案件与未了事宜）']) assert.ok(zh.text.includes(title), title);
      assert.deepEqual(zh.row('处理完毕反馈客户中心'), ['2', '1', '66.7%']);
      assert.deepEqual(zh.row('回访确认'), ['1', '0', '100.0%']);
      assert.deepEqual(zh.row('3–7天'), ['4', '1']);
      assert.deepEqual(zh.row('不足1天'), ['1', '0']);
      assert.ok(zh.text.includes('统计时点 2026-03-05 12:00'));
      assert.deepEqual(zh.row('服务态度'), ['4.50']);
      assert.deepEqual(zh.row('处理结果'), ['3.50']);

      const en = await pdfLines('en');
      for (const title of ['On time (by duty)', 'Backlog by age (open cases and pending items)', 'Mean score (1–5)']) assert.ok(en.text.includes(title), title);
      assert.deepEqual(en.row('Report back'), ['2', '1', '66.7%']);
      assert.deepEqual(en.row('3–7 days'), ['4', '1']);
      assert.deepEqual(en.row('1–3 days'), ['1', '0']);
      assert.deepEqual(en.row('Attitude'), ['4.50']);
      assert.deepEqual(en.row('Efficiency'), ['4.00']);
    });

    it("a stored report: its sections' sheets; one made before duties and backlog were counted has neither", async () => {
      const s = (await k.as('specialist').get(`/api/v1/reports/statistics?${Q}`)).body;
      const duty = reportNames(await k.app.activePolicy(), 'en');
      const load = async (buf: Buffer) => {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(buf as unknown as ArrayBuffer);
        return wb;
      };
      // The backlog sheet goes with the handling section, the satisfaction sheet with satisfaction.
      const some = await load(await runWorkbook(s, ['intake', 'satisfaction'], 'en', duty));
      assert.deepEqual(
        some.worksheets.map((x) => x.name),
        ['Summary', 'Intake trend', 'Intake breakdown', 'Satisfaction'],
      );
      const handling = await load(await runWorkbook(s, ['handling'], 'en', duty));
      assert.deepEqual(
        handling.worksheets.map((x) => x.name),
        ['Summary', 'Backlog by age'],
      );

      const old = structuredClone(s);
      delete old.onTime.byDuty;
      delete old.backlog;
      const wb = await load(await runWorkbook(old, ['onTime', 'handling', 'satisfaction'], 'en', duty));
      assert.deepEqual(
        wb.worksheets.map((x) => x.name),
        ['Summary', 'On time', 'Satisfaction'],
      );
      const onTime = sheetRows(wb.getWorksheet('On time')!);
      assert.ok(!onTime.some((r) => r[0] === 'Duty' || r[0] === 'Report back'), 'no duty rows');
      assert.ok(
        onTime.some((r) => r[0] === 'Grade'),
        'the grade rows stay',
      );
    });
  });
}
