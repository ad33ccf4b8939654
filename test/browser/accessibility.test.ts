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
import { apiPost, apiToken, browserSkip, LANGS, openAs, SHOTS, startConsole, type Console } from './support.js';

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
  return vs.map((v) => `${where}: [${v.impact}] ${v.id} — ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`).join('\n')}`).join('\n');
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
          ['case', `/cases/${number}`, (p) => p.getByTestId('case-number').filter({ hasText: number }).waitFor()],
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
        }
        await close();
        const listed = problems.filter(Boolean).join('\n');
        assert.equal(listed, '', `serious or critical accessibility violations:\n${listed}`);
      });
    }
  }
});
