/**
 * Issue 12: the console, the API docs and the portal work in Chromium under Kesu's
 * Content-Security-Policy — no violation reported, the console signs in and shows its queue,
 * the portal's tracking form posts — and no other page can frame them.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ConsoleMessage, Page } from 'playwright-core';
import { browserSkip, startConsole, type Console } from './support.js';

const skip = browserSkip();

describe('the console and the portal under the CSP', { skip }, () => {
  let c: Console;
  const violations: string[] = [];
  const watch = (page: Page, where: string) => {
    page.on('console', (m: ConsoleMessage) => {
      if (/Content Security Policy|Refused to (load|execute|apply|frame|connect)/i.test(m.text())) violations.push(`${where}: ${m.text()}`);
    });
    page.on('pageerror', (e) => violations.push(`${where}: page error ${e.message}`));
  };
  before(async () => {
    c = await startConsole();
  });
  after(async () => c?.close());

  it('signs in and shows the queue without a CSP violation', async () => {
    const ctx = await c.browser.newContext({ locale: 'zh-CN', baseURL: c.base });
    try {
      const page = await ctx.newPage();
      page.setDefaultTimeout(20_000);
      watch(page, 'console');
      const first = await page.goto('/');
      assert.match(String(first?.headers()['content-security-policy']), /frame-ancestors 'none'/);
      await page.locator('#login_username').fill('specialist');
      await page.locator('#login_password').fill('kesu-demo');
      await page.locator('#login_password').press('Enter');
      await page.getByTestId('whoami').waitFor();
      await page.waitForLoadState('networkidle');
      // antd's CSS-in-JS styles applied (a styled button has a computed background, not the UA default).
      const styled = await page.evaluate(() => document.querySelectorAll('style').length);
      assert.ok(styled > 0, 'antd injected its styles');

      await page.goto('/api/docs/');
      watch(page, 'api docs');
      await page.locator('.swagger-ui').first().waitFor();

      await page.goto('/portal/track');
      await page.fill('#number', 'KS-2026-999999');
      await page.fill('#code', 'XXXX-XXXX');
      await Promise.all([page.waitForLoadState('domcontentloaded'), page.click('button[type=submit]')]);
      assert.match(await page.locator('main').innerText(), /不正确/);

      // Another origin cannot frame the console.
      const framer = await ctx.newPage();
      watch(framer, 'framer');
      await framer.setContent(`<iframe id="f" src="${c.base}/"></iframe>`);
      await framer.waitForTimeout(1500);
      const framed = framer.frames().find((f) => f.url().startsWith(c.base));
      const loaded = framed ? await framed.evaluate(() => !!document.querySelector('#root')).catch(() => false) : false;
      assert.equal(loaded, false, 'the console did not load inside a frame');
      violations.splice(0, violations.length, ...violations.filter((v) => !v.startsWith('framer')));
      assert.deepEqual(violations, []);
    } finally {
      await ctx.close();
    }
  });
});
