/**
 * Printing a case (issue 11 §5): the case page under print media shows the dossier form
 * 《客户投诉处理单》 alone — no menu, header or action buttons — with the record, the customer as
 * the reader may see them, the 5W1H parts, the timeline and the signatures area; on screen the
 * form is hidden and the page offers 打印 / 导出 PDF, the PDF link answering a real PDF. The 报表
 * page's ledger download is a workbook. Screenshots: test-output/screenshots/print/.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { browserSkip, startConsole, SHOTS, type Console, apiPost, apiToken } from './support.js';

const skip = browserSkip();
const DIR = join(SHOTS, 'print');

const token = apiToken;
const call = apiPost;

describe('printing a case', { skip }, () => {
  let k: Console;
  let number = '';

  before(async () => {
    k = await startConsole();
    mkdirSync(DIR, { recursive: true });
    const agent = await token(k.base, 'agent');
    const specialist = await token(k.base, 'specialist');
    const created = await call(k.base, agent, '/api/v1/complaints', {
      channel: 'phone',
      title: '快递包装破损',
      description: '快递外包装破损，商品受损【人员】配送员【地点】小区门口【原因诉求】要求换货',
      complainant: { name: '钱先生', phone: '13812345678' },
      demands: { types: ['return_exchange'] },
    });
    number = created.complaint.number;
    await call(k.base, specialist, `/api/v1/complaints/${created.complaint.id}/actions/judge`, { valid: true });
  });
  after(async () => {
    await k?.close();
  });

  it('print media shows the dossier form alone; the screen shows the page with 打印 / 导出 PDF', async () => {
    const page = await k.as('agent');
    await page.goto(`/cases/${number}`);
    await page.getByTestId('case-number').waitFor();
    const form = page.getByTestId('case-print-form');
    assert.equal(await form.isVisible(), false, 'not on screen');
    await page.getByTestId('case-print').waitFor();
    const pdfHref = await page.getByTestId('case-pdf').getAttribute('href');
    assert.ok(pdfHref?.includes('/dossier.pdf'), String(pdfHref));
    const pdf = await page.request.get(pdfHref!);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.equal((await pdf.body()).subarray(0, 5).toString('latin1'), '%PDF-');

    await page.emulateMedia({ media: 'print' });
    await form.waitFor({ state: 'visible' });
    for (const hidden of ['case-header', 'case-actions', 'whoami']) assert.equal(await page.getByTestId(hidden).isVisible(), false, `${hidden} is not printed`);
    assert.equal(await page.locator('.ant-layout-sider').isVisible(), false, 'no menu on paper');
    const text = (await form.innerText()).replace(/\s+/g, '');
    for (const s of ['《客户投诉处理单》', number, '登记信息', '客户信息', '钱先生', '13812345678', '快递外包装破损，商品受损', '配送员', '小区门口', '要求换货', '退货换货', '处理记录', '签字确认', '受理人（首问责任人）', '客户确认'])
      assert.ok(text.includes(s), `the printed form shows ${s}`);
    await page.screenshot({ path: join(DIR, 'case-print.png'), fullPage: true });
    const printed = await page.pdf({ format: 'A4' });
    assert.equal(printed.subarray(0, 5).toString('latin1'), '%PDF-');
    await page.emulateMedia({ media: 'screen' });
    await page.getByTestId('case-header').waitFor();
    await page.screenshot({ path: join(DIR, 'case-screen.png') });
  });

  it('the 报表 page downloads the ledger as a workbook', async () => {
    const page = await k.as('specialist');
    await page.goto('/reports');
    const link = page.getByTestId('reports-ledger');
    await link.waitFor();
    const href = await link.getAttribute('href');
    assert.match(String(href), /\/api\/v1\/reports\/ledger\.xlsx\?.*from=/);
    const r = await page.request.get(href!);
    assert.equal(r.status(), 200);
    assert.equal((await r.body()).subarray(0, 2).toString('latin1'), 'PK');
    const pdf = await page.request.get((await page.getByTestId('reports-pdf').getAttribute('href'))!);
    assert.equal(pdf.status(), 200);
    assert.equal((await pdf.body()).subarray(0, 5).toString('latin1'), '%PDF-');
  });
});
