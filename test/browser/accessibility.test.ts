/**
 * Accessibility (axe-core in Chromium): the main pages — sign-in, 工作台, a queue, a case page,
 * intake and reports — have no serious or critical violations, in each language, at 1366×768
 * and on a phone. A failure lists each violation with the elements it found.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { apiPost, apiToken, browserSkip, DESKTOP, LANGS, openAs, PHONE, SHOTS, startConsole, type Console } from './support.js';

const skip = browserSkip();
// Evaluated through the DevTools protocol: the console's CSP (script-src 'self') refuses an injected <script>.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Serious and critical violations on the page as it is now (WCAG 2.1 A/AA rules and best practices). */
async function violations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Violation[] }> } }).axe;
    // aria-hidden-focus: antd's table renders an aria-hidden row for measuring column widths
    // (.ant-table-measure-row) that axe finds focusable; it is antd's, not ours, and never shown.
    const r = await axe.run({ exclude: [['.ant-table-measure-row']] }, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

function report(where: string, vs: Violation[]): string {
  return vs
    .map(
      (v) =>
        `${where}: [${v.impact}] ${v.id} — ${v.help}\n${v.nodes
          .slice(0, 5)
          .map((n) => `    ${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`)
          .join('\n')}`,
    )
    .join('\n');
}

describe('accessibility of the main pages', { skip }, () => {
  let k: Console;
  let number = '';

  before(async () => {
    k = await startConsole();
    mkdirSync(join(SHOTS, 'a11y'), { recursive: true });
    const agent = await apiToken(k.base, 'agent');
    number = (await apiPost(k.base, agent, '/api/v1/complaints', { channel: 'phone', description: '无障碍检查：快递外包装破损，洗发水漏液。', complainant: { name: '林先生', phone: '13812345678' } })).complaint.number;
  });
  after(async () => k?.close());

  for (const phone of [false, true]) {
    for (const lang of LANGS) {
      it(`has no serious or critical violations (${lang}, ${phone ? 'phone' : 'desktop'})`, async () => {
        const problems: string[] = [];
        // The sign-in page, before anyone signs in.
        const ctx = await k.browser.newContext({ viewport: phone ? { width: 390, height: 844 } : { width: 1366, height: 768 }, locale: lang, baseURL: k.base });
        await ctx.addInitScript((l) => localStorage.setItem('kesu.lang', l), lang);
        const login = await ctx.newPage();
        await login.goto('/');
        await login.locator('#login_username').waitFor();
        problems.push(report('sign-in', await violations(login)));
        await ctx.close();

        const { page, close } = await openAs(k, 'specialist', lang, phone);
        const pages: [string, string, (p: Page) => Promise<unknown>][] = [
          ['workbench', '/workbench', (p) => p.getByTestId('workbench-triage').waitFor()],
          ['queue', '/queues/all', (p) => p.getByTestId('queue-table').getByText(number).first().waitFor()],
          // The attachments and the flowchart come just after the case (CasePage.tsx loads them after it shows): checked too.
          [
            'case',
            `/cases/${number}`,
            async (p) => {
              await p.getByTestId('case-number').filter({ hasText: number }).waitFor();
              await p.getByTestId('case-attachments').waitFor();
              await p.getByTestId('flowchart').waitFor();
            },
          ],
          ['intake', '/intake', (p) => p.locator('form').first().waitFor()],
          ['reports', '/reports', (p) => p.locator('.ant-card, .ant-table').first().waitFor()],
        ];
        for (const [name, path, ready] of pages) {
          await page.goto(path);
          await ready(page);
          await page.waitForLoadState('networkidle');
          // test-output/screenshots/a11y/<lang>-<screen>-<page>.png
          await page.screenshot({ path: join(SHOTS, 'a11y', `${lang}-${phone ? 'phone' : 'desktop'}-${name}.png`) });
          // The menu rail is collapsed on a phone and open at 1366 wide.
          assert.equal(await page.locator('.ant-layout-sider-collapsed').count(), phone ? 1 : 0, `${name}: the menu ${phone ? 'collapsed' : 'open'}`);
          problems.push(report(name, await violations(page)));
          if (name === 'case' && phone) {
            // The clocks card on a phone: the clock table fits its card, nothing cut off at the edge.
            const clocks = page.getByTestId('case-clocks');
            assert.equal(await clocks.getAttribute('data-form'), 'stacked', 'the clocks are stacked on a phone');
            const card = clocks.locator('xpath=ancestor::div[contains(@class,"ant-card")][1]');
            await card.screenshot({ path: join(SHOTS, 'a11y', `${lang}-phone-case-clocks.png`) });
            const fit = await card.evaluate((c) => {
              const body = c.getBoundingClientRect();
              const table = c.querySelector('[data-testid=case-clocks] table')!.getBoundingClientRect();
              const over = [...c.querySelectorAll('.ant-table-content, .ant-table-body, .ant-table-container')].map((e) => e.scrollWidth - e.clientWidth);
              return { right: table.right - body.right, left: body.left - table.left, over };
            });
            assert.ok(fit.right <= 1 && fit.left <= 1, `the clock table fits its card (${fit.left} / ${fit.right} px outside)`);
            assert.ok(
              fit.over.every((d) => d <= 1),
              `no clock column cut off (${fit.over.join(', ')} px over)`,
            );
          }
        }
        await close();
        const listed = problems.filter(Boolean).join('\n');
        assert.equal(listed, '', `serious or critical accessibility violations:\n${listed}`);
      });
    }
  }
});

/**
 * The customer portal (server-rendered, no script): the entry page, the submission form, the
 * submitted page with the number and access code, the tracking form and the case tracking page
 * after signing in with number + access code — on a phone and at 1366×768, in each language.
 */
describe('accessibility of the customer portal', { skip }, () => {
  let k: Console;
  before(async () => {
    k = await startConsole();
    mkdirSync(join(SHOTS, 'a11y'), { recursive: true });
  });
  after(async () => k?.close());

  for (const phone of [true, false]) {
    for (const lang of LANGS) {
      it(`portal: no serious or critical violations (${lang}, ${phone ? 'phone' : 'desktop'})`, async () => {
        const problems: string[] = [];
        const ctx = await k.browser.newContext({ viewport: phone ? PHONE : DESKTOP, locale: lang, baseURL: k.base });
        const page = await ctx.newPage();
        page.setDefaultTimeout(20_000);
        const check = async (name: string) => {
          await page.waitForLoadState('domcontentloaded');
          assert.equal(await page.getAttribute('html', 'lang'), lang, `${name}: the page's language`);
          // test-output/screenshots/a11y/<lang>-<screen>-portal-<page>.png
          await page.screenshot({ path: join(SHOTS, 'a11y', `${lang}-${phone ? 'phone' : 'desktop'}-portal-${name}.png`), fullPage: true });
          problems.push(report(`portal ${name}`, await violations(page)));
        };
        try {
          await page.goto(`/portal?lang=${lang}`);
          await page.locator('a.button').first().waitFor();
          await check('home');

          await page.goto(`/portal/submit?lang=${lang}`);
          await page.locator('#description').waitFor();
          await check('submit');
          await page.fill('#description', '无障碍检查：小区3号楼电梯连续三天停运，物业没有任何通知。');
          await page.check('#anonymous');
          await Promise.all([page.waitForURL(/\/portal\/submit/), page.locator('button[type=submit]').click()]);
          await page.locator('#case-number').waitFor();
          const number = (await page.textContent('#case-number'))!.trim();
          const code = (await page.textContent('#access-code'))!.trim();
          assert.match(code, /^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
          await check('submitted');

          await page.goto(`/portal/track?lang=${lang}`);
          await page.locator('#number').waitFor();
          await check('track');
          await page.fill('#number', number);
          await page.fill('#code', code);
          await Promise.all([page.waitForLoadState('domcontentloaded'), page.locator('button[type=submit]').click()]);
          await page.locator('#case-state').waitFor();
          await check('case');

          // A wrong access code: the tracking form again, with its alert.
          await page.goto(`/portal/track?lang=${lang}`);
          await page.fill('#number', number);
          await page.fill('#code', 'ZZZZ-ZZZZ');
          await Promise.all([page.waitForLoadState('domcontentloaded'), page.locator('button[type=submit]').click()]);
          await page.locator('[role=alert]').waitFor();
          assert.equal(await page.inputValue('#number'), number, 'the number is filled in again');
          assert.equal(await page.inputValue('#code'), '', 'the code is not');
          assert.equal(await page.evaluate(() => document.activeElement?.id), 'code', 'the code field has the focus');
          await check('track-failed');
        } finally {
          await ctx.close();
        }
        const listed = problems.filter(Boolean).join('\n');
        assert.equal(listed, '', `serious or critical accessibility violations:\n${listed}`);
      });
    }
  }

  // The zero-violation assertions above are only worth something if the same check finds a fault.
  it('the check reports a violation when a portal field loses its label', async () => {
    const ctx = await k.browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', baseURL: k.base });
    try {
      const page = await ctx.newPage();
      await page.goto('/portal/track');
      await page.locator('#code').waitFor();
      assert.deepEqual(await violations(page), [], 'the page as served is clean');
      await page.evaluate(() => document.querySelector('label[for=code]')!.remove());
      const found = await violations(page);
      assert.deepEqual(
        found.map((v) => [v.id, v.impact, v.nodes.map((n) => n.target.join(' '))]),
        [['label', 'critical', ['#code']]],
      );
      assert.match(report('portal track', found), /\[critical\] label — .*\n {4}#code: /);
    } finally {
      await ctx.close();
    }
  });
});
