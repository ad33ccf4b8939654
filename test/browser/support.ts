/**
 * Browser test support: Debian's Chromium through playwright-core, a real Kesu server (SQLite,
 * demo organisation, real clock, files in the test database's folder) serving the built
 * console, and a signed-in page per user.
 * Without /usr/bin/chromium the suite is skipped with a printed notice, unless
 * KESU_REQUIRE_BROWSER=1 (CI), where that is an error.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { createApp, type App } from '../../src/services/app.js';
import { seedDemo } from '../../src/services/seed-demo.js';
import { buildServer } from '../../src/http/server.js';
import { WEB_DIST } from '../../src/http/web.js';
import { createTestDb, type TestDb } from '../support/engines.js';
import { testSettings } from '../support/channels.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = resolve('test-output', 'screenshots');

/** `false` when the browser suite can run, else the reason it is skipped. */
export function browserSkip(): string | false {
  if (existsSync(CHROMIUM)) return false;
  const why = `no Chromium at ${CHROMIUM} (apt-get install chromium fonts-noto-cjk)`;
  if (process.env.KESU_REQUIRE_BROWSER === '1') throw new Error(`KESU_REQUIRE_BROWSER=1 but ${why}`);
  console.log(`# SKIPPED browser tests: ${why}; set KESU_REQUIRE_BROWSER=1 to make this an error`);
  return why;
}

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

/** Builds the console when web/dist is missing or older than its sources (a clean clone, an edit). */
export function ensureWebBuilt(): void {
  const index = join(WEB_DIST, 'index.html');
  const web = resolve('web');
  const sources = Math.max(newest(join(web, 'src')), statSync(join(web, 'index.html')).mtimeMs, statSync(join(web, 'vite.config.ts')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  console.log('# building the web console (npm run build:web)');
  const r = spawnSync('npm', ['run', 'build:web'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build:web failed');
}

export interface Console {
  app: App;
  server: FastifyInstance;
  base: string;
  browser: Browser;
  userIds: Map<string, string>;
  /** A page signed in as `username` through the sign-in form (one browser context per user). */
  as(username: string): Promise<Page>;
  close(): Promise<void>;
}

export async function startConsole(opts: { now?: () => Date } = {}): Promise<Console> {
  ensureWebBuilt();
  mkdirSync(SHOTS, { recursive: true });
  const testDb: TestDb = await createTestDb('sqlite');
  // The server's clock (default: the wall clock); a test may move it, e.g. to a year without holiday data.
  const app = createApp(testDb.database, opts.now ? { now: opts.now } : {});
  // Attachments go to the test's own folder (not ./data).
  app.settings.channels = testSettings(testDb.dataDir!);
  await seedDemo(app);
  const server = await buildServer(app);
  await server.listen({ port: 0, host: '127.0.0.1' });
  const addr = server.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const users = await testDb.database.db.selectFrom('users').select(['id', 'username']).execute();
  const userIds = new Map(users.map((u) => [u.username, u.id]));
  const pages = new Map<string, Page>();
  const contexts: BrowserContext[] = [];
  return {
    app,
    server,
    base,
    browser,
    userIds,
    async as(username) {
      const open = pages.get(username);
      if (open) return open;
      const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', baseURL: base });
      contexts.push(ctx);
      const page = await signedIn(ctx, username);
      pages.set(username, page);
      return page;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await server.close();
      await testDb.drop();
    },
  };
}

export const LANGS = ['zh-CN', 'zh-TW', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DESKTOP = { width: 1366, height: 768 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/**
 * A fresh browser context signed in as `username` with the console in `lang` (the browser's
 * locale and the console's stored choice), at 1366×768 or on a touch phone at 390×844.
 * Unlike `Console.as`, each call opens its own context; `close` ends it.
 */
export async function openAs(k: Console, username: string, lang: Lang, phone = false): Promise<{ page: Page; close: () => Promise<void> }> {
  const ctx = await k.browser.newContext({ viewport: phone ? PHONE : DESKTOP, locale: lang, baseURL: k.base, acceptDownloads: true, ...(phone ? { isMobile: true, hasTouch: true } : {}) });
  await ctx.addInitScript((l) => localStorage.setItem('kesu.lang', l), lang);
  const page = await signedIn(ctx, username);
  return { page, close: () => ctx.close() };
}

/** A new page in `ctx`, signed in through the sign-in form as a demo user (password `kesu-demo`). */
async function signedIn(ctx: BrowserContext, username: string): Promise<Page> {
  const page = await ctx.newPage();
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (e) => console.log(`# page error (${username}): ${e.message}`));
  await page.goto('/');
  await page.locator('#login_username').fill(username);
  await page.locator('#login_password').fill('kesu-demo');
  await page.locator('#login_password').press('Enter');
  await page.getByTestId('whoami').waitFor();
  return page;
}

/** A bearer token for a demo user (every demo account's password is `kesu-demo`). */
export async function apiToken(base: string, username: string): Promise<string> {
  const r = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'kesu-demo' }) });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status}`);
  return ((await r.json()) as { token: string }).token;
}

/** POSTs `body` as the token's user and returns the JSON answer, failing on anything but 2xx. */
export async function apiPost(base: string, auth: string, path: string, body: unknown): Promise<any> {
  const r = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}` }, body: JSON.stringify(body) });
  const json = await r.json();
  if (r.status >= 300) throw new Error(`${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

/** A screenshot of the page's viewport as test-output/screenshots/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

// --- antd selects and dialogs, driven as a person would -----------------------------------

/** Waits until no dialog is still zooming or fading in or out (a screenshot mid-animation shows a ghost). */
export async function settled(page: Page) {
  await page.waitForFunction(
    () =>
      !document.querySelector(
        '[class*="-zoom-enter"], [class*="-zoom-appear"], [class*="-zoom-leave"], [class*="-fade-enter"], [class*="-fade-appear"], [class*="-fade-leave"], [class*="-slide-up-enter"], [class*="-slide-up-appear"], [class*="-slide-up-leave"]',
      ),
  );
}

/** Waits until no select dropdown is open (or still closing). */
export async function dropdownsClosed(page: Page) {
  await page.waitForFunction(() => [...document.querySelectorAll('.ant-select-dropdown')].every((d) => (d as HTMLElement).offsetParent === null || d.classList.contains('ant-select-dropdown-hidden')));
}

/** The option labels an open select offers (its visible dropdown; virtual lists render what fits). */
export async function optionsOf(page: Page, id: string): Promise<string[]> {
  await dropdownsClosed(page);
  await page.locator(`#${id}`).click();
  const list = page.locator('.ant-select-dropdown:visible');
  await list.locator('.ant-select-item-option').first().waitFor();
  await settled(page);
  const labels = await list.locator('.ant-select-item-option').allInnerTexts();
  await page.locator(`#${id}`).blur(); // leave the field: closes the list without closing the dialog (Escape would)
  await dropdownsClosed(page);
  return labels.map((l) => l.trim());
}

/** Focuses a select by its id, types, takes the highlighted match with Enter (keyboard only). */
export async function choose(page: Page, id: string, text: string) {
  await dropdownsClosed(page);
  await page.locator(`#${id}`).focus();
  await page.keyboard.type(text);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option-active').last().waitFor();
  await page.keyboard.press('Enter');
  await page.locator(`#${id}`).blur();
  await dropdownsClosed(page);
}

export async function selectedText(page: Page, id: string): Promise<string> {
  return page.locator(`#${id}`).locator('xpath=ancestor::div[contains(@class,"ant-select")][1]').innerText();
}

/**
 * Clicks a button that sends a request, once the page's dialogs have finished opening, and again
 * when no request to `urlPart` went out within 10 s: on a loaded 2-core machine a press during a
 * dialog's zoom can be lost. Safe for the console's forms, which keep their Idempotency-Key until
 * they close (a person pressing twice does the same).
 */
export async function pressUntilSent(page: Page, button: Locator, urlPart: string, method = 'POST'): Promise<void> {
  await settled(page);
  const sent = () => page.waitForRequest((r) => r.method() === method && r.url().includes(urlPart), { timeout: 10_000 });
  const first = sent();
  await button.click();
  if (
    await first.then(
      () => true,
      () => false,
    )
  )
    return;
  const again = sent();
  await button.click();
  await again;
}

// --- accessibility ----------------------------------------------------------------------------

// Evaluated through the DevTools protocol: the console's CSP (script-src 'self') refuses an injected <script>.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Serious and critical axe-core violations on the page as it is now (or in the part `include`
 * selects, e.g. a dialog), one line each. antd's table renders an aria-hidden row for measuring
 * column widths (.ant-table-measure-row) that axe finds focusable; it is antd's and never shown.
 */
export async function seriousViolations(page: Page, include?: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async (include) => {
    type V = { id: string; impact: string | null; nodes: { target: string[] }[] };
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: V[] }> } }).axe;
    const r = await axe.run({ ...(include ? { include: [[include]] } : {}), exclude: [['.ant-table-measure-row']] }, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `[${v.impact}] ${v.id}: ${v.nodes
            .slice(0, 5)
            .map((n) => n.target.join(' '))
            .join(', ')}`,
      );
  }, include);
}
