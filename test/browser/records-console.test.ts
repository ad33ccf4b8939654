/**
 * The records console (issue 15, console side; issue 12 §6) in the browser: an administrator
 * sets a legal hold on a case and lifts it with a reason, reads the purge preview, dry-runs a
 * ledger with a bad date (the problem shown with its row and column), imports a small ledger and
 * reads the result; a department manager who sees the case masked reveals its phone with a
 * reason. Screenshots at 1366×768 and on a phone in zh-CN, zh-TW and en:
 * test-output/screenshots/records-console/*.png.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { apiPost, apiToken, browserSkip, LANGS, openAs, settled, startConsole, SHOTS, type Console } from './support.js';

const skip = browserSkip();
const DIR = join(SHOTS, 'records-console');
const TAB = {
  records: { 'zh-CN': '保存与保全', 'zh-TW': '保存與保全', en: 'Retention & holds' },
  import: { 'zh-CN': '台账导入', 'zh-TW': '台帳匯入', en: 'Ledger import' },
};
const MAPPING = ['name: 小台账', 'columns:', '  externalId: 编号', '  receivedAt: 受理时间', '  customerName: 客户姓名', '  phone: 联系电话', '  description: 投诉内容', 'defaults:', '  channel: phone', ''].join('\n');
const csv = (rows: string[][]) => Buffer.from(`\ufeff${[['编号', '受理时间', '客户姓名', '联系电话', '投诉内容'], ...rows].map((r) => r.join(',')).join('\r\n')}\r\n`);
const GOOD = csv([
  ['T-1', '2025-03-04 10:00', '王芳', '13900001111', '快递外包装破损，商品有划痕'],
  ['T-2', '2025-03-05 11:30', '李伟', '13900002222', '客服电话长时间无人接听'],
  ['T-3', '2025-03-06 09:15', '张敏', '13900003333', '退款一周仍未到账'],
]);
const BAD = csv([
  ['B-1', '2025-03-04 10:00', '王芳', '13900001111', '快递外包装破损'],
  ['B-2', '2025-02-30 25:00', '李伟', '13900002222', '客服电话无人接听'],
]);

describe('records console', { skip }, () => {
  let k: Console;
  let number = '';

  async function open(username: string, lang: (typeof LANGS)[number], phone = false): Promise<{ page: Page; close: () => Promise<void> }> {
    return openAs(k, username, lang, phone);
  }

  /** Opens an admin tab; on a phone the tab bar overflows into its "more" menu. */
  async function openTab(page: Page, name: string) {
    const tab = page.getByRole('tab', { name });
    await page.getByRole('tab').first().waitFor();
    // A tab scrolled out of a phone's tab bar is still in the page: click it where it is.
    await tab.evaluate((el) => (el as HTMLElement).click());
    await page.waitForFunction((n) => [...document.querySelectorAll('[role=tab][aria-selected=true]')].some((el) => el.textContent === n), name);
  }

  before(async () => {
    mkdirSync(DIR, { recursive: true });
    k = await startConsole();
    const [agent, specialist] = [await apiToken(k.base, 'agent'), await apiToken(k.base, 'specialist')];
    const ids = Object.fromEntries(k.userIds);
    const created = await apiPost(k.base, agent, '/api/v1/complaints', { channel: 'phone', description: '快递破损，要求赔偿', complainant: { name: '钱多多', phone: '13912345678', email: 'qian@example.com' } });
    const id = created.complaint.id as string;
    number = created.complaint.number;
    const act = (action: string, body: unknown) => apiPost(k.base, specialist, `/api/v1/complaints/${id}/actions/${action}`, body);
    await act('judge', { valid: true });
    await act('classify', { category: 'goods_damage_shortage', grade: 'general' });
    await act('route', { departmentCode: 'customer_service', primaryHandlerId: ids.handler, backupHandlerId: ids.handler2 });
  });
  after(async () => {
    await k?.close();
  });

  it('an administrator sets a hold on a case and lifts it with a reason; the purge preview shows', async () => {
    const { page, close } = await open('admin', 'zh-CN');
    await page.goto('/admin');
    await openTab(page, TAB.records['zh-CN']);
    await page.getByTestId('preview-summary').waitFor();
    await page.getByTestId('hold-new').click();
    await page.getByTestId('hold-complaint').fill('KS-2099-999999');
    await page.getByTestId('hold-reason').fill('诉讼中，保全证据');
    await page.getByTestId('hold-ok').click();
    // The server's refusal comes back under the field (no such case) or in the banner.
    await page.locator('.ant-modal .ant-form-item-explain-error, [data-testid=hold-error]').first().waitFor();
    await page.getByTestId('hold-complaint').fill(number);
    await page.getByTestId('hold-ok').click();
    const holds = page.getByTestId('holds');
    await holds.getByText('诉讼中，保全证据').waitFor();
    assert.match(await holds.innerText(), /生效中/);
    assert.ok((await holds.innerText()).includes(number), 'the holds table names the case by its KS number');
    await settled(page);
    await page.screenshot({ path: join(DIR, 'zh-CN-hold-set.png') });
    await page.getByTestId('hold-lift').click();
    await page.getByTestId('lift-reason').fill('诉讼已结束');
    await page.getByTestId('lift-ok').click();
    await holds.getByText('已解除').waitFor();
    assert.match(await holds.innerText(), /诉讼已结束/);
    assert.match(await page.getByTestId('preview-summary').innerText(), /保存期限|不会清理/);
    await settled(page);
    await page.screenshot({ path: join(DIR, 'zh-CN-hold-lifted.png') });
    await close();
  });

  it('an administrator dry-runs a ledger with a bad date (row and column shown), then imports a small ledger', async () => {
    const { page, close } = await open('admin', 'zh-CN');
    await page.goto('/admin');
    await openTab(page, TAB.import['zh-CN']);
    const fileInput = page.locator('input[type=file][accept=".xlsx,.csv"]');
    await fileInput.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: BAD });
    await page.getByTestId('import-mapping').fill(MAPPING);
    await page.getByTestId('import-dry').click();
    const problems = page.getByTestId('import-problems');
    await problems.waitFor();
    await page.getByTestId('import-job').scrollIntoViewIfNeeded();
    const text = await problems.innerText();
    assert.match(text, /3\s+B · 受理时间/);
    assert.match(text, /日期时间无法识别/);
    await page.screenshot({ path: join(DIR, 'zh-CN-import-problems.png') });
    assert.match(await page.getByTestId('import-summary').innerText(), /发现 1 个问题，未导入任何数据/);
    assert.equal(await page.getByTestId('import-run').isDisabled(), true, 'no import while the dry run finds a problem');

    await fileInput.setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: GOOD });
    await page.getByTestId('import-dry').click();
    await page.getByText('3 行数据，无问题').waitFor();
    await page.getByTestId('import-run').click();
    await page.getByText('已导入 3 行').waitFor();
    await page.screenshot({ path: join(DIR, 'zh-CN-import-done.png') });
    const cases = await k.app.database.db.selectFrom('complaints').select('id').execute();
    assert.equal(cases.length, 4, 'the three ledger rows and the case of the test');
    await close();
  });

  it('a department manager who sees the case masked reveals the phone with a reason', async () => {
    const { page, close } = await open('deptmanager', 'zh-CN');
    await page.goto(`/cases/${number}`);
    const customer = page.getByTestId('case-customer');
    await customer.waitFor();
    assert.match(await customer.innerText(), /139\*\*\*\*5678/);
    await page.getByTestId('reveal-phone').click();
    await page.getByTestId('reveal-ok').click();
    await page.locator('.ant-modal .ant-form-item-explain-error').waitFor(); // a reason is needed
    await page.getByTestId('reveal-reason').fill('需致电客户核实破损');
    await page.getByTestId('reveal-ok').click();
    await page.getByTestId('revealed-phone').waitFor();
    assert.equal(await page.getByTestId('revealed-phone').innerText(), '13912345678');
    assert.match(await customer.innerText(), /q\*\*\*@example\.com/, 'the other fields stay masked');
    const log = await k.app.database.db.selectFrom('pii_access_log').selectAll().where('user_id', '=', k.userIds.get('deptmanager')!).execute();
    assert.deepEqual(
      log.map((r) => [JSON.parse(r.fields), r.reason]),
      [[['phone'], '需致电客户核实破损']],
    );
    await page.screenshot({ path: join(DIR, 'zh-CN-reveal.png') });
    await close();
  });

  it('screenshots: the two tabs and the reveal, at 1366×768 and on a phone, in three languages', async () => {
    for (const lang of LANGS)
      for (const phone of [false, true]) {
        const tag = `${lang}-${phone ? 'phone' : 'desktop'}`;
        console.log(`# screenshots ${tag}`);
        const admin = await open('admin', lang, phone);
        await admin.page.goto('/admin');
        await openTab(admin.page, TAB.records[lang]);
        await admin.page.waitForLoadState('networkidle');
        await admin.page.screenshot({ path: join(DIR, `${tag}-records.png`), fullPage: phone });
        await admin.page.getByTestId('preview-summary').waitFor();
        await admin.page.screenshot({ path: join(DIR, `${tag}-records.png`), fullPage: phone });
        await openTab(admin.page, TAB.import[lang]);
        await admin.page.getByTestId('import-dry').waitFor();
        await admin.page.locator('input[type=file][accept=".xlsx,.csv"]').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: BAD });
        await admin.page.getByTestId('import-mapping').fill(MAPPING);
        await admin.page.getByTestId('import-dry').click();
        await admin.page.getByTestId('import-problems').waitFor();
        await admin.page.getByTestId('import-job').scrollIntoViewIfNeeded();
        await admin.page.screenshot({ path: join(DIR, `${tag}-import.png`), fullPage: phone });
        await admin.close();

        const mgr = await open('deptmanager', lang, phone);
        await mgr.page.goto(`/cases/${number}`);
        await mgr.page.getByTestId('reveal-phone').click();
        await mgr.page.getByTestId('reveal-reason').fill('call the customer');
        await settled(mgr.page);
        await mgr.page.screenshot({ path: join(DIR, `${tag}-reveal.png`) });
        await mgr.close();
      }
  });
});
