/**
 * The case dossier 《客户投诉处理单》 (issue 11 §5), on every engine: a case taken through the
 * whole lifecycle (5W1H intake with personal data, judged, graded, routed, investigated, a
 * solution approved, answered, followed up, closed) exported as PDF through the API. pdftotext
 * reads the Chinese record back; pdftoppm renders page 1 to PNG (test-output/dossier/); pdffonts
 * shows every font embedded (Noto Sans SC from the npm package, never a host font). A reader
 * whose part needs no personal data gets it masked and writes no access-log row; a reader who
 * sees it unmasked writes one, with the export's route. Labels follow the reader's language.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { pdfText } from '../support/pdf.js';

const OUT = resolve('test-output', 'dossier');
const PHONE = '13912345678';
const DESCRIPTION = '营业厅工作人员态度恶劣，拒绝办理退款【人员】柜台工号 0087 的男性员工【时间】2026-09-27 下午三点【地点】人民路营业厅【原因诉求】希望道歉并退款【影响】白跑两趟，耽误工作';

for (const { dialect, skip } of await engines()) {
  describe(`case dossier PDF (${dialect})`, { skip }, () => {
    let k: Kesu;
    let id: string;
    let number: string;
    let explanation: string;
    const accessRows = () => k.testDb.database.db.selectFrom('pii_access_log').selectAll().where('complaint_id', '=', id).orderBy('seq').execute();
    /** The raw answer (bytes), signed in as `username`. */
    const fetchAs = async (username: string, url: string, headers: Record<string, string> = {}) => {
      await k.as(username).get('/api/v1/me'); // signs in
      const r = await k.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${k.tokens.get(username)}`, ...headers } });
      return { status: r.statusCode, headers: r.headers, bytes: r.rawPayload };
    };
    const save = (name: string, bytes: Buffer) => {
      mkdirSync(OUT, { recursive: true });
      const file = join(OUT, `${dialect}-${name}.pdf`);
      writeFileSync(file, bytes);
      return file;
    };

    before(async () => {
      k = await startKesu(dialect, { start: '2026-09-28T09:00:00+08:00' });
      const ids = Object.fromEntries(k.userIds);
      const ok = async (p: Promise<{ status: number; body: any }>, what: string) => {
        const r = await p;
        assert.equal(r.status, 200, `${what}: ${JSON.stringify(r.body)}`);
        return r.body;
      };
      const r = await k.as('agent').post('/api/v1/complaints', {
        channel: 'phone',
        title: '营业厅态度恶劣',
        description: DESCRIPTION,
        complainant: { name: '王女士', phone: PHONE, address: '北京市朝阳区建国路88号' },
        references: { order: 'SO-2026-0915' },
        demands: { types: ['apology', 'compensation'], amount: 200, text: '当面道歉' },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      id = r.body.complaint.id;
      number = r.body.complaint.number;
      const specialist = k.as('specialist');
      const handler = k.as('handler');
      await ok(specialist.act(id, 'judge', { valid: true }), 'judge');
      await ok(specialist.act(id, 'classify', { category: 'attitude', grade: 'important', customerClass: 'A' }), 'classify');
      await ok(specialist.act(id, 'route', { departmentCode: 'customer_service', primaryHandlerId: ids.handler, backupHandlerId: ids.handler2 }), 'route');
      await ok(handler.act(id, 'accept', {}), 'accept');
      k.clock.advance(3_600_000);
      await ok(handler.act(id, 'investigate', { facts: '调取录像属实', cause: '员工服务意识不足', responsibility: { type: 'employee', employeeId: ids.agent2 } }), 'investigate');
      const proposed = await ok(handler.act(id, 'propose', { solutions: ['apology', 'compensation'], amount: 200, description: '当面致歉并补偿 200 元' }), 'propose');
      assert.equal(proposed.complaint.state, 'awaiting_approval', 'an important case needs the department manager');
      await ok(k.as('deptmanager').act(id, 'approve', { comment: '同意，尽快落实' }), 'approve');
      await ok(handler.act(id, 'answer', { text: '已当面致歉并补偿 200 元', method: 'phone' }), 'answer');
      k.clock.advance(3_600_000);
      await ok(k.as('followup').act(id, 'follow_up', { reached: true, satisfaction: 'satisfied', scores: { attitude: 5, efficiency: 4, result: 4 }, comment: '客户表示认可' }), 'follow_up');
      const closed = await ok(specialist.act(id, 'close', {}), 'close');
      assert.equal(closed.complaint.state, 'closed');
      const resolve = (closed.clocks as { kind: string; explanation: { text?: Record<string, string> } }[]).find((c) => c.kind === 'resolve');
      explanation = resolve?.explanation?.text?.['zh-CN'] ?? '';
      assert.ok(explanation, 'the resolve clock carries an explanation');
    });
    after(async () => k?.close());

    it('renders the whole record in Chinese, readable by pdftotext, with the signatures area', async () => {
      const before = (await accessRows()).length;
      const r = await fetchAs('handler', `/api/v1/complaints/${id}/dossier.pdf`);
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], 'application/pdf');
      assert.match(String(r.headers['content-disposition']), new RegExp(`inline; filename="${number}.pdf"`));
      assert.equal(r.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
      const file = save('handler', r.bytes);
      const text = pdfText(file);
      const flat = text.replace(/\s+/g, '');
      for (const s of [
        '《客户投诉处理单》',
        number,
        '登记信息',
        '受理时间',
        '2026-09-2809:00', // received, local time
        '电话', // channel
        '投诉', // kind
        '服务态度', // category
        '重要', // grade
        '已结案',
        '王强', // handler
        '张敏', // first responder
        '王女士',
        PHONE, // the handler sees it unmasked
        '北京市朝阳区建国路88号',
        'SO-2026-0915',
        '营业厅工作人员态度恶劣，拒绝办理退款',
        '柜台工号0087的男性员工', // who
        '人民路营业厅', // where
        '白跑两趟，耽误工作', // how
        '道歉、补偿', // demands
        '¥200.00',
        '调取录像属实',
        '员工服务意识不足',
        '当面致歉并补偿200元',
        '批准', // the approval's decision
        '同意，尽快落实',
        '赵伟', // approver
        '已当面致歉并补偿200元', // the answer
        '满意',
        '5/4/4',
        '客户表示认可',
        '孙丽', // follow-up caller
        '处理完毕（承诺', // the resolve deadline (its name wraps in its column)
        '判定分级',
        '签字确认',
        '受理人（首问责任人）',
        '部门负责人',
        '客户确认',
        '第1页/共',
      ])
        assert.ok(flat.includes(s.replace(/\s+/g, '')), `the dossier shows ${s}\n---\n${text}`);
      // The deadline's explanation, as the calendar wrote it (its first clause, wrapped anywhere).
      assert.ok(flat.includes(explanation.replace(/\s+/g, '').slice(0, 16)), `the resolve clock's explanation: ${explanation}`);

      // Written to the personal-data access log, as an export.
      const rows = await accessRows();
      assert.equal(rows.length, before + 1);
      const last = rows.at(-1)!;
      assert.equal(last.user_id, k.userIds.get('handler'));
      assert.equal(last.route, 'GET /api/v1/complaints/:id/dossier.pdf');
      assert.deepEqual(JSON.parse(last.fields), ['phone', 'address']);
    });

    it('page 1 renders to PNG (pdftoppm) and every font is embedded — none from the host', async () => {
      const file = join(OUT, `${dialect}-handler.pdf`);
      const png = join(OUT, `${dialect}-page`);
      execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', file, png]);
      const bytes = readFileSync(`${png}.png`);
      assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
      // A4 at 80 dpi: about 661 × 935 pixels (pdftoppm rounds up).
      assert.ok(Math.abs(bytes.readUInt32BE(16) - 661.4) < 1.5, `width ${bytes.readUInt32BE(16)}`);
      assert.ok(Math.abs(bytes.readUInt32BE(20) - 935.4) < 1.5, `height ${bytes.readUInt32BE(20)}`);
      const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).trim().split('\n').slice(2);
      assert.ok(fonts.length >= 1, 'fonts listed');
      for (const line of fonts) {
        assert.match(line, /NotoSansSC/, `a Noto Sans SC font: ${line}`);
        // name, type, encoding, then emb / sub / uni: all yes.
        assert.match(line, /\byes\s+yes\s+yes\b/, `embedded as a subset with a Unicode map: ${line}`);
      }
      const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
      assert.ok(pages >= 2, `several A4 pages (${pages})`);
      assert.match(execFileSync('pdfinfo', [file], { encoding: 'utf8' }), /Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    });

    it('masks personal data for a reader whose part does not need it, and logs nothing for them', async () => {
      const before = (await accessRows()).length;
      const r = await fetchAs('deptmanager', `/api/v1/complaints/${id}/dossier.pdf`);
      assert.equal(r.status, 200);
      const text = pdfText(save('deptmanager', r.bytes)).replace(/\s+/g, '');
      assert.ok(text.includes('139****5678'), 'the phone masked');
      assert.ok(!text.includes(PHONE), 'never the full phone');
      assert.ok(!text.includes('建国路88号'), 'the address masked');
      assert.ok(text.includes('北京市朝阳区***'));
      assert.ok(text.includes('部分个人信息已按您的权限脱敏'));
      assert.equal((await accessRows()).length, before, 'a masked export reveals nothing to log');
    });

    it('follows the reader’s language; a case the reader may not see is not found', async () => {
      const en = pdfText(save('en', (await fetchAs('handler', `/api/v1/complaints/${number}/dossier.pdf?lang=en`)).bytes));
      for (const s of ['Customer Complaint Handling Form', 'Record', 'Received', 'Service attitude', 'Signatures', 'Page 1 of']) assert.ok(en.includes(s), `English: ${s}`);
      const tw = pdfText(save('zh-TW', (await fetchAs('handler', `/api/v1/complaints/${id}/dossier.pdf`, { 'accept-language': 'zh-TW' })).bytes)).replace(/\s+/g, '');
      for (const s of ['《客戶投訴處理單》', '登記資訊', '簽字確認', '處理記錄']) assert.ok(tw.includes(s), `zh-TW: ${s}`);
      assert.equal((await fetchAs('agent2', `/api/v1/complaints/${id}/dossier.pdf`)).status, 404);
      assert.equal((await k.server.inject({ method: 'GET', url: `/api/v1/complaints/${id}/dossier.pdf` })).statusCode, 401);
    });
  });
}
