/**
 * The console's keyboard shortcuts in Chromium (web/src/app/shortcuts.ts): `n` opens the intake,
 * `g` `w` the workbench, `g` `q` the first queue, `g` `d` my duties, `/` the search (this page's,
 * else the 全部 queue's) without typing the slash, `?` the help — and none of them fires while
 * the focus is in a field or while a dialog is open. The help dialog lists what the user has
 * (a handler has no intake), in each language, at 1366×768 and on a phone (opened from the user
 * menu there): test-output/screenshots/shortcuts/<lang>-<screen>-help.png.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { browserSkip, LANGS, openAs, settled, SHOTS, startConsole, type Console } from './support.js';
import { shortcutsFor } from '../../web/src/app/shortcuts.js';

const skip = browserSkip();
const DIR = join(SHOTS, 'shortcuts');
const words = (lang: string) => JSON.parse(readFileSync(`web/src/i18n/locales/${lang}.json`, 'utf8')).shortcuts as { title: string; action: Record<string, string> };

/** Takes the focus away from any field, as a click on the page's background does. */
const leaveFields = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
const path = (page: Page) => new URL(page.url()).pathname;
const help = (page: Page) => page.getByTestId('shortcuts-help');
const workbenchShown = (page: Page) => page.getByTestId('workbench-items').locator('a').first().waitFor();

/** The help dialog's rows as [shortcut id, keys, text]. */
async function rows(page: Page): Promise<string[][]> {
  return help(page).locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-shortcut-row') ?? '', [...tr.querySelectorAll('kbd')].map((k) => k.textContent).join(' '), tr.querySelectorAll('td')[1]!.textContent ?? '']));
}

describe('keyboard shortcuts of the console', { skip }, () => {
  let k: Console;
  before(async () => {
    k = await startConsole();
    mkdirSync(DIR, { recursive: true });
  });
  after(async () => k?.close());

  it('go to pages and the search by keyboard, never while typing or over a dialog', async () => {
    const { page, close } = await openAs(k, 'specialist', 'zh-CN');
    try {
      await workbenchShown(page);
      await leaveFields(page);

      await page.keyboard.press('n');
      await page.waitForURL(/\/intake$/);
      // The intake puts the focus in its channel field: g w there is typing, not a shortcut.
      await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'combobox');
      await page.keyboard.press('g');
      await page.keyboard.press('w');
      assert.equal(path(page), '/intake', 'no shortcut while the focus is in a field');
      await page.keyboard.press('Escape');
      await leaveFields(page);
      await page.keyboard.press('g');
      await page.keyboard.press('w');
      await page.waitForURL(/\/workbench$/);
      await workbenchShown(page);

      // `/` on a page without a search box: the 全部 queue, its search box focused, no slash typed.
      await leaveFields(page);
      await page.keyboard.press('/');
      await page.waitForURL(/\/queues\/all$/);
      await page.waitForFunction(() => document.activeElement?.closest('[data-shortcut="search"]') != null);
      await page.keyboard.type('KS-2026?');
      const search = page.locator('[data-shortcut="search"] input');
      assert.equal(await search.inputValue(), 'KS-2026?', 'the slash is not typed, the question mark in a field is text');
      assert.equal(await help(page).count(), 0, '? in a field opens no help');
      await search.fill('');
      // `/` on a page with one: that box, here and now.
      await leaveFields(page);
      await page.keyboard.press('/');
      assert.equal(await page.evaluate(() => document.activeElement?.closest('[data-shortcut="search"]') != null), true, 'the search box has the focus');

      // `?`: the help lists this user's shortcuts; keys do nothing while it is open; Escape closes it.
      await leaveFields(page);
      await page.keyboard.press('?');
      await help(page).waitFor();
      await settled(page);
      const user = { roles: ['specialist'] }; // the demo specialist (seed-demo.ts)
      const zh = words('zh-CN');
      assert.deepEqual(await rows(page), shortcutsFor(user).map((s) => [s.id, s.keys.join(' '), zh.action[s.id]]));
      await page.keyboard.press('g');
      await page.keyboard.press('d');
      await page.keyboard.press('n');
      assert.equal(path(page), '/queues/all', 'no shortcut while the help is open');
      await page.keyboard.press('Escape');
      await help(page).waitFor({ state: 'detached' });

      await page.keyboard.press('g');
      await page.keyboard.press('q');
      await page.waitForURL(/\/queues\/triage$/);
      await page.keyboard.press('g');
      await page.keyboard.press('d');
      await page.waitForURL(/\/duties$/);

      // The experience library's search box answers `/` too.
      await page.goto('/knowledge');
      await page.getByTestId('knowledge-search').waitFor();
      await leaveFields(page);
      await page.keyboard.press('/');
      await page.waitForFunction(() => document.activeElement?.closest('[data-shortcut="search"]') != null);
      assert.equal(await page.evaluate(() => document.activeElement?.closest('[data-testid="knowledge-search"]') != null), true, "the library's search box has the focus");
    } finally {
      await close();
    }
  });

  for (const phone of [false, true]) {
    for (const lang of LANGS) {
      it(`the help dialog in ${lang} (${phone ? 'phone, a handler, from the user menu' : '1366×768, a specialist, by ?'})`, async () => {
        const { page, close } = await openAs(k, phone ? 'handler' : 'specialist', lang, phone);
        try {
          await workbenchShown(page);
          if (phone) {
            await page.getByTestId('user-menu').click();
            await page.getByTestId('user-menu-shortcuts').click();
          } else {
            await leaveFields(page);
            await page.keyboard.press('?');
          }
          await help(page).waitFor();
          await settled(page);
          const w = words(lang);
          assert.equal((await page.locator('.ant-modal-title').innerText()).trim(), w.title);
          const got = await rows(page);
          assert.deepEqual(got.map((r) => r[2]), got.map((r) => w.action[r[0]!]), 'every row in the chosen language');
          assert.deepEqual(got.map((r) => r[0]), phone ? ['search', 'workbench', 'queue', 'duties', 'help'] : ['search', 'workbench', 'queue', 'duties', 'intake', 'help']);
          const box = (await page.locator('.ant-modal').boundingBox())!;
          const width = phone ? 390 : 1366;
          assert.ok(box.x >= 0 && box.x + box.width <= width, `the dialog fits the screen (${box.x}+${box.width} of ${width})`);
          const overflow = await help(page).evaluate((t) => t.scrollWidth - (t.parentElement?.clientWidth ?? 0));
          assert.ok(overflow <= 1, `the table fits its dialog (${overflow} px over)`);
          await page.screenshot({ path: join(DIR, `${lang}-${phone ? 'phone' : 'desktop'}-help.png`) });
        } finally {
          await close();
        }
      });
    }
  }
});
