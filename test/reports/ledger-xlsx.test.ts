/**
 * The case ledger (台账) export (issue 11 §5), on every engine: GET /api/v1/reports/ledger.xlsx
 * read back with exceljs — sheet names, the policy's columns with Chinese headers, typed cells
 * (dates as dates in the policy's local time, numbers as numbers), one row per case of the period
 * the reader may open, oldest first, the statistics filters; personal data masked for a reader
 * whose part does not need it (nothing logged) and unmasked for one whose part does (one access-
 * log row per case, with the export's route); the policy's `exports.ledgerColumns`; bad input.
 * More rows than one page (PAGE) are exported to show the paging keeps every case once.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { activatePolicy, readPolicyFile } from '../../src/services/policies.js';
import { parsePolicyText } from '../../src/domain/policy/index.js';
import { DEFAULT_LEDGER_COLUMNS } from '../../src/domain/policy/exports.js';
import { LEDGER_COLUMN_SPECS } from '../../src/reports/ledger-columns.js';
import { PAGE } from '../../src/reports/ledger.js';

const URL_ = '/api/v1/reports/ledger.xlsx?from=2026-09-01&to=2026-09-30';

async function workbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as never);
  return wb;
}

const headers = (ws: ExcelJS.Worksheet) => (ws.getRow(1).values as unknown[]).slice(1);

for (const { dialect, skip } of await engines()) {
  describe(`case ledger Excel export (${dialect})`, { skip }, () => {
    let k: Kesu;
    const ids: Record<string, string> = {};
    let bulk: string[] = [];
    const access = () => k.testDb.database.db.selectFrom('pii_access_log').selectAll().where('route', '=', 'GET /api/v1/reports/ledger.xlsx').execute();
    const fetchAs = async (username: string, url: string, headers: Record<string, string> = {}) => {
      await k.as(username).get('/api/v1/me');
      const r = await k.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${k.tokens.get(username)}`, ...headers } });
      return { status: r.statusCode, headers: r.headers, bytes: r.rawPayload, json: () => r.json() };
    };

    before(async () => {
      k = await startKesu(dialect, { start: '2026-08-31T09:00:00+08:00' });
      const user = Object.fromEntries(k.userIds);
      const ok = async (p: Promise<{ status: number; body: any }>, what: string) => {
        const r = await p;
        assert.equal(r.status, 200, `${what}: ${JSON.stringify(r.body)}`);
        return r.body;
      };
      const intake = async (body: Record<string, unknown>) => {
        const r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '投诉内容', ...body });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body.complaint.id as string;
      };
      ids.before = await intake({ complainant: { name: '八月客户', phone: '13800000000' } }); // 2026-08-31: outside the period
      k.clock.set('2026-09-28T09:00:00+08:00');
      ids.closed = await intake({ title: '结案的投诉', complainant: { name: '王女士', phone: '13912345678' }, demands: { types: ['compensation'], amount: 300 } });
      const sp = k.as('specialist');
      const h = k.as('handler');
      await ok(sp.act(ids.closed!, 'judge', { valid: true }), 'judge');
      await ok(sp.act(ids.closed!, 'classify', { category: 'attitude', grade: 'general', customerClass: 'B' }), 'classify');
      await ok(sp.act(ids.closed!, 'route', { departmentCode: 'customer_service', primaryHandlerId: user.handler, backupHandlerId: user.handler2 }), 'route');
      await ok(h.act(ids.closed!, 'accept', {}), 'accept');
      k.clock.set('2026-09-28T10:30:00+08:00');
      await ok(h.act(ids.closed!, 'investigate', { facts: '属实', cause: '态度', responsibility: { type: 'none' } }), 'investigate');
      await ok(h.act(ids.closed!, 'propose', { solutions: ['apology'], amount: 0, description: '致歉' }), 'propose');
      await ok(h.act(ids.closed!, 'answer', { text: '已致歉', method: 'phone' }), 'answer');
      await ok(k.as('followup').act(ids.closed!, 'follow_up', { reached: true, satisfaction: 'very_satisfied' }), 'follow_up');
      await ok(sp.act(ids.closed!, 'close', {}), 'close');
      k.clock.set('2026-09-29T09:00:00+08:00');
      ids.invalid = await intake({ complainant: { name: '李先生', phone: '13700001111' } });
      await ok(sp.act(ids.invalid!, 'judge', { valid: false, reason: 'facts_contradict', explanation: '与事实不符', malicious: false }), 'judge');
      k.clock.advance(60_000);
      ids.important = await intake({ complainant: { name: '赵女士', phone: '13600002222' } });
      await ok(sp.act(ids.important!, 'judge', { valid: true }), 'judge');
      await ok(sp.act(ids.important!, 'classify', { category: 'attitude', grade: 'important' }), 'classify');
      k.clock.advance(60_000);
      ids.untouched = await intake({ complainant: { anonymous: true } }); // never acted on: no facts row
      // More than a page of cases, a minute apart.
      bulk = [];
      for (let i = 0; i < PAGE + 3; i++) {
        k.clock.advance(60_000);
        bulk.push(await intake({ complainant: { name: `客户${i}`, phone: `1350000${String(i).padStart(4, '0')}` } }));
      }
    });
    after(async () => k?.close());

    it('a real workbook: the policy’s columns with Chinese headers, typed cells, every case of the period once, oldest first', async () => {
      const r = await fetchAs('specialist', URL_);
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      assert.match(String(r.headers['content-disposition']), /attachment; filename="kesu-ledger-2026-09-01-2026-09-30\.xlsx"/);
      const wb = await workbook(r.bytes);
      assert.deepEqual(
        wb.worksheets.map((w) => w.name),
        ['台账', '说明'],
      );
      const ws = wb.getWorksheet('台账')!;
      assert.deepEqual(
        headers(ws),
        DEFAULT_LEDGER_COLUMNS.map((c) => LEDGER_COLUMN_SPECS[c].header['zh-CN']),
      );
      assert.deepEqual(headers(ws).slice(0, 6), ['编号', '受理时间', '受理渠道', '类型', '投诉人', '联系电话']);
      const col = (name: string) => DEFAULT_LEDGER_COLUMNS.indexOf(name as never) + 1;
      const rows: ExcelJS.Row[] = [];
      ws.eachRow((row, n) => n > 1 && rows.push(row));
      assert.equal(rows.length, 4 + PAGE + 3, 'the period’s cases, not the one before it, each once across pages');
      const numbers = rows.map((row) => row.getCell(col('number')).value as string);
      assert.equal(new Set(numbers).size, numbers.length);
      const received = rows.map((row) => (row.getCell(col('receivedAt')).value as Date).getTime());
      assert.deepEqual(
        received,
        [...received].sort((a, b) => a - b),
        'oldest first',
      );

      const closed = rows[0]!;
      const cell = (name: string) => closed.getCell(col(name));
      assert.equal(cell('number').type, ExcelJS.ValueType.String);
      // Dates are dates, in the policy's local time (Asia/Shanghai): received 09:00, closed 10:30.
      assert.equal(cell('receivedAt').type, ExcelJS.ValueType.Date);
      assert.deepEqual(cell('receivedAt').value, new Date(Date.UTC(2026, 8, 28, 9, 0)));
      assert.equal(cell('receivedAt').numFmt, 'yyyy-mm-dd hh:mm');
      assert.deepEqual(cell('closedAt').value, new Date(Date.UTC(2026, 8, 28, 10, 30)));
      assert.deepEqual(cell('answeredAt').value, new Date(Date.UTC(2026, 8, 28, 10, 30)));
      assert.equal(cell('promisedAt').type, ExcelJS.ValueType.Date);
      // Numbers are numbers: 1 working hour 30 minutes (09:00–10:30 on a working Monday).
      assert.equal(cell('handlingHours').type, ExcelJS.ValueType.Number);
      assert.equal(cell('handlingHours').value, 1.5);
      assert.equal(cell('reopens').value, 0);
      assert.equal(cell('channel').value, '电话');
      assert.equal(cell('kind').value, '投诉');
      assert.equal(cell('category').value, '服务态度');
      assert.equal(cell('department').value, '客服中心');
      assert.equal(cell('handler').value, '王强');
      assert.equal(cell('state').value, '已结案');
      assert.equal(cell('handlingMode').value, '期限内处理');
      assert.equal(cell('resolveBreached').value, '否');
      assert.equal(cell('satisfaction').value, '非常满意');
      assert.equal(cell('customerClass').value, 'B');
      assert.equal(cell('complainantName').value, '王女士');
      assert.equal(cell('phone').value, '13912345678', 'a specialist contacts customers: unmasked');

      const invalid = rows[1]!;
      assert.equal(invalid.getCell(col('state')).value, '不成立');
      const untouched = rows[3]!;
      assert.equal(untouched.getCell(col('complainantName')).value, '匿名');
      assert.equal(untouched.getCell(col('handlingHours')).value, null, 'no facts yet: empty, not zero');

      const about = wb.getWorksheet('说明')!;
      const info = new Map<string, ExcelJS.CellValue>();
      about.eachRow((row, n) => n > 1 && info.set(String(row.getCell(1).value), row.getCell(2).value));
      assert.deepEqual(info.get('开始日期'), new Date(Date.UTC(2026, 8, 1)));
      assert.equal(info.get('案件数'), rows.length);
      assert.equal(info.get('导出人'), '李静');

      // Every case shown with its phone unmasked is in the access log, once, as this export.
      const logged = await access();
      assert.equal(logged.length, rows.length - 1, 'all but the anonymous case (no phone)');
      assert.ok(logged.every((a) => a.user_id === k.userIds.get('specialist') && JSON.parse(a.fields).join() === 'phone'));
      assert.equal(new Set(logged.map((a) => a.complaint_id)).size, logged.length);
      assert.ok(!logged.some((a) => a.complaint_id === ids.before));
    });

    it('masks personal data for a reader whose part does not need it and logs nothing for them', async () => {
      const before = (await access()).length;
      const wb = await workbook((await fetchAs('auditor', URL_)).bytes);
      const ws = wb.getWorksheet('台账')!;
      const phone = DEFAULT_LEDGER_COLUMNS.indexOf('phone') + 1;
      assert.equal(ws.getRow(2).getCell(phone).value, '139****5678');
      let full = 0;
      ws.eachRow((row, n) => n > 1 && /^\d{11}$/.test(String(row.getCell(phone).value ?? '')) && full++);
      assert.equal(full, 0, 'no full phone number anywhere');
      assert.equal((await access()).length, before);
    });

    it('takes the statistics filters and the reader’s language', async () => {
      const wb = await workbook((await fetchAs('specialist', `${URL_}&grade=important`)).bytes);
      const ws = wb.getWorksheet('台账')!;
      assert.equal(ws.rowCount, 2, 'the header and the one important case');
      const en = await workbook((await fetchAs('auditor', `${URL_}&lang=en&channel=email`)).bytes);
      assert.deepEqual(
        en.worksheets.map((w) => w.name),
        ['Ledger', 'About'],
      );
      assert.deepEqual(headers(en.getWorksheet('Ledger')!).slice(0, 3), ['Number', 'Received', 'Channel']);
      assert.equal(en.getWorksheet('Ledger')!.rowCount, 1, 'no e-mail cases: the header only');
    });

    it('bad input is a 4xx naming the field, in the caller’s language; only the oversight roles export', async () => {
      const bad = await fetchAs('specialist', '/api/v1/reports/ledger.xlsx?from=2026-09-30&to=2026-09-01');
      assert.equal(bad.status, 400);
      assert.equal(bad.json().fields[0].path, 'to');
      assert.match(bad.json().fields[0].message, /结束日期/);
      const unknown = await fetchAs('specialist', `${URL_}&colour=red`, { 'accept-language': 'en' });
      assert.equal(unknown.status, 400);
      assert.equal((await fetchAs('agent', URL_)).status, 403);
    });

    it('the columns are the policy’s `exports.ledgerColumns`; a wrong column is a policy problem', async () => {
      const file = readPolicyFile('kesu-default');
      const text = `${file.text.replace("version: '2026.1'", "version: '2026.1-ledger'")}\nexports:\n  ledgerColumns: [number, grade, demandAmount, address]\n`;
      await activatePolicy(k.app, text, 'yaml');
      const wb = await workbook((await fetchAs('specialist', URL_)).bytes);
      const ws = wb.getWorksheet('台账')!;
      assert.deepEqual(headers(ws), ['编号', '等级', '诉求金额（元）', '地址']);
      const closed = ws.getRow(2);
      assert.equal(closed.getCell(2).value, '一般投诉');
      assert.equal(closed.getCell(3).value, 300);
      assert.equal(closed.getCell(3).type, ExcelJS.ValueType.Number);
      assert.equal(closed.getCell(3).numFmt, '#,##0.00');

      const wrong = parsePolicyText(`${file.text}\nexports:\n  ledgerColumns: [number, colour, number]\n`, 'yaml');
      assert.equal(wrong.ok, false);
      const paths = wrong.ok ? [] : wrong.problems.map((p) => p.path);
      assert.ok(
        paths.some((p) => String(p).includes('ledgerColumns')),
        JSON.stringify(paths),
      );
    });
  });
}
