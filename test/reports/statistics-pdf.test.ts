/**
 * The statistics report as PDF (issue 11 §5), on every engine: GET /api/v1/reports/statistics.pdf
 * with the statistics route's query; pdftotext shows the figures the JSON route gives for the same
 * query, in the reader's language; pdftoppm renders page 1; bad input is a 4xx naming the field.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { pdfText } from '../support/pdf.js';

const OUT = resolve('test-output', 'statistics-pdf');
const Q = 'from=2026-09-01&to=2026-09-30&groupBy=week';

for (const { dialect, skip } of await engines()) {
  describe(`statistics PDF (${dialect})`, { skip }, () => {
    let k: Kesu;
    const fetchAs = async (username: string, url: string) => {
      await k.as(username).get('/api/v1/me');
      const r = await k.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${k.tokens.get(username)}` } });
      return { status: r.statusCode, headers: r.headers, bytes: r.rawPayload, json: () => r.json() };
    };
    before(async () => {
      k = await startKesu(dialect, { start: '2026-09-28T09:00:00+08:00' });
      for (let i = 0; i < 3; i++) {
        const r = await k.as('agent').post('/api/v1/complaints', { channel: i ? 'phone' : 'email', description: '投诉内容', complainant: { name: '客户', phone: `1390000000${i}` } });
        assert.equal(r.status, 201);
        const valid = i < 2;
        const j = await k.as('specialist').act(r.body.complaint.id, 'judge', valid ? { valid: true } : { valid: false, reason: 'facts_contradict', explanation: '不符', malicious: false });
        assert.equal(j.status, 200);
      }
    });
    after(async () => k?.close());

    it('shows the figures of the JSON route, in Chinese, on A4', async () => {
      const s = (await k.as('specialist').get(`/api/v1/reports/statistics?${Q}`)).body;
      const r = await fetchAs('specialist', `/api/v1/reports/statistics.pdf?${Q}`);
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], 'application/pdf');
      mkdirSync(OUT, { recursive: true });
      const file = join(OUT, `${dialect}.pdf`);
      writeFileSync(file, r.bytes);
      const text = pdfText(file);
      const lines = text.split('\n').map((l) => l.trim().split(/\s{2,}/));
      const row = (label: string) => lines.find((l) => l[0] === label);
      assert.ok(text.includes('《客户投诉统计报表》'));
      assert.ok(text.includes('2026-09-01 — 2026-09-30'));
      assert.deepEqual(row('受理总数')?.slice(1), [String(s.intake.total)]);
      assert.equal(s.intake.total, 3);
      assert.deepEqual(row('有效投诉')?.slice(1), ['2', '3', '66.7%']);
      assert.deepEqual(row('无效投诉')?.slice(1), ['1', '3', '33.3%']);
      for (const w of ['受理趋势', '受理分布', '电子邮件', '电话', '时效（按环节）', '满意度（按案件最终结果）', '第1页/共']) assert.ok(text.replace(/[ \t]+/g, '').includes(w.replace(/ /g, '')), w);
      execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', file, join(OUT, `${dialect}-page`)]);
      assert.equal(
        readFileSync(join(OUT, `${dialect}-page.png`))
          .subarray(1, 4)
          .toString('latin1'),
        'PNG',
      );
    });

    it('English on request; bad input names the field; only the oversight roles', async () => {
      const en = await fetchAs('specialist', `/api/v1/reports/statistics.pdf?${Q}&lang=en`);
      writeFileSync(join(OUT, `${dialect}-en.pdf`), en.bytes);
      const text = execFileSync('pdftotext', [join(OUT, `${dialect}-en.pdf`), '-'], { encoding: 'utf8' });
      assert.ok(text.includes('Complaint statistics') && text.includes('Cases received'));
      const bad = await fetchAs('specialist', '/api/v1/reports/statistics.pdf?from=2026-09-30&to=2026-09-01');
      assert.equal(bad.status, 400);
      assert.equal(bad.json().fields[0].path, 'to');
      assert.equal((await fetchAs('agent', `/api/v1/reports/statistics.pdf?${Q}`)).status, 403);
    });
  });
}
