/**
 * Departments in the admin console, in Chromium: the administrator creates one (a bad code is
 * refused under its field in the UI language), names its head, renames it and deactivates it;
 * each save is a new policy version, named in the confirmation. Screenshots at 1366×768 and on a
 * phone in zh-CN, zh-TW and en: test-output/screenshots/departments/*.png.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { browserSkip, choose, pressUntilSent, settled, startConsole, SHOTS, type Console } from './support.js';

const skip = browserSkip();
const DIR = join(SHOTS, 'departments');
const LANGS = ['zh-CN', 'zh-TW', 'en'] as const;
const TAB = { 'zh-CN': '部门', 'zh-TW': '部門', en: 'Departments' };
const BAD_CODE = { 'zh-CN': '部门代码只能由小写字母', 'zh-TW': '部門代碼只能由小寫字母', en: 'A department code is lowercase letters' };
const SAVED = { 'zh-CN': '已保存为制度版本', 'zh-TW': '已儲存為制度版本', en: 'Saved as policy version' };

describe('web console: departments', { skip }, () => {
  let k: Console;

  async function open(lang: (typeof LANGS)[number], phone = false): Promise<{ page: Page; close: () => Promise<void> }> {
    const ctx = await k.browser.newContext({ viewport: phone ? { width: 390, height: 844 } : { width: 1366, height: 768 }, locale: lang, baseURL: k.base, ...(phone ? { isMobile: true, hasTouch: true } : {}) });
    await ctx.addInitScript((l) => localStorage.setItem('kesu.lang', l), lang);
    const page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => console.log(`# page error: ${e.message}`));
    await page.goto('/');
    await page.locator('#login_username').fill('admin');
    await page.locator('#login_password').fill('kesu-demo');
    await page.locator('#login_password').press('Enter');
    await page.getByTestId('whoami').waitFor();
    await page.goto('/admin');
    const tab = page.getByRole('tab', { name: TAB[lang], exact: true });
    await page.getByRole('tab').first().waitFor();
    // On a phone the tab may be scrolled out of the tab bar: click it where it is.
    await tab.evaluate((el) => (el as HTMLElement).click());
    await page.getByTestId('departments-table').waitFor();
    return { page, close: () => ctx.close() };
  }

  const dialog = (page: Page) => page.locator('.ant-modal').filter({ has: page.locator('#department_name_zh-CN') });

  before(async () => {
    mkdirSync(DIR, { recursive: true });
    k = await startConsole();
  });
  after(async () => k?.close());

  it('creates, renames and deactivates a department; each save names its new policy version', async () => {
    const { page, close } = await open('zh-CN');
    await page.getByTestId('new-department').click();
    await settled(page);
    await page.locator('#department_code').fill('Bad Code');
    await page.locator('#department_name_zh-CN').fill('理赔部');
    await page.locator('#department_name_en').fill('Claims');
    await choose(page, 'department_head', 'deptmanager');
    await page.getByTestId('dept-save').click();
    await dialog(page).locator('.ant-form-item-explain-error').filter({ hasText: BAD_CODE['zh-CN'] }).waitFor();
    await page.screenshot({ path: join(DIR, 'zh-CN-desktop-refused.png') });
    await page.locator('#department_code').fill('claims');
    await page.getByTestId('dept-save').click();
    await page.getByText(SAVED['zh-CN'], { exact: false }).first().waitFor();
    const row = page.getByTestId('dept-row-claims');
    await row.filter({ hasText: '理赔部' }).filter({ hasText: '赵伟' }).waitFor();

    await page.getByTestId('dept-edit-claims').click();
    await settled(page);
    assert.equal(await page.locator('#department_code').count(), 0, 'the code is not editable');
    await page.locator('#department_name_zh-CN').fill('理赔服务部');
    await page.getByTestId('dept-save').click();
    await row.filter({ hasText: '理赔服务部' }).waitFor();

    await page.getByTestId('dept-deactivate-claims').click();
    await pressUntilSent(page, page.getByTestId('dept-active-confirm'), '/api/v1/departments/claims', 'PATCH');
    await page.locator('[data-testid="dept-row-claims"][data-active="false"]').waitFor();
    await row.getByTestId('dept-inactive').waitFor();
    await settled(page);
    await page.screenshot({ path: join(DIR, 'zh-CN-desktop.png') });

    // The policy carries the edits: three new versions, the last one active.
    const policy = await k.app.activePolicy();
    assert.match(policy.version, /-dept3$/);
    assert.deepEqual(
      policy.departments.find((d) => d.code === 'claims'),
      { code: 'claims', name: { 'zh-CN': '理赔服务部', en: 'Claims' }, head: 'deptmanager', active: false },
    );
    await close();
  });

  for (const lang of LANGS)
    for (const phone of [false, true]) {
      if (lang === 'zh-CN' && !phone) continue;
      it(`shows the departments and refuses a bad code in ${lang} (${phone ? 'phone' : '1366×768'})`, async () => {
        const { page, close } = await open(lang, phone);
        await page.getByTestId('dept-row-claims').waitFor();
        await settled(page);
        await page.screenshot({ path: join(DIR, `${lang}-${phone ? 'phone' : 'desktop'}.png`), fullPage: phone });
        await page.getByTestId('new-department').click();
        await settled(page);
        await page.locator('#department_code').fill('Bad Code');
        await page.locator('#department_name_zh-CN').fill('新部门');
        await page.getByTestId('dept-save').click();
        await dialog(page).locator('.ant-form-item-explain-error').filter({ hasText: BAD_CODE[lang] }).waitFor();
        await settled(page);
        await page.screenshot({ path: join(DIR, `${lang}-${phone ? 'phone' : 'desktop'}-refused.png`) });
        await close();
      });
    }
});
