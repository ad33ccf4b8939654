/**
 * The 报表 page (/reports): cases created through the API show in the figures, a figure's
 * drill-down lists them with links to the case, a click on a chart's bar (a real mouse click on
 * the canvas, at the middle of the bar or the line's point as ECharts laid it out) lists
 * the cases of exactly that series and category — the trend's received bars and closed line, the
 * backlog's open and pending bars by age — and
 * the Excel download is a workbook (PK…).
 * Screenshots: test-output/screenshots/reports-*.png (1366×768 and a phone).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { apiPost, apiToken, browserSkip, startConsole, SHOTS, type Console } from './support.js';
import { periodContaining, shiftPeriod } from '../../src/reports/schedule.js';

const skip = browserSkip();

const token = apiToken;
const call = apiPost;

/**
 * Clicks the middle of a bar of the ECharts chart `testId` with the mouse, as a person would: the
 * chart draws on a canvas, so its instance (on the chart's div under automation, ReportChart)
 * gives the bar's rectangle (or the line's point) as ECharts laid it out; the value axis may be either.
 */
async function clickBar(page: Page, testId: string, seriesIndex: number, dataIndex: number): Promise<void> {
  await page.getByTestId(testId).scrollIntoViewIfNeeded();
  const chart = page.getByTestId(testId);
  await chart.locator('canvas').waitFor();
  // (No named functions inside evaluate: tsx would wrap them in a helper the page does not have.)
  await page.waitForFunction((el) => !!(el as { kesuChart?: unknown } | null)?.kesuChart, await chart.elementHandle());
  const [x, y] = await chart.evaluate(
    (el, [s, i]) => {
      type Layout = { x: number; y: number; width: number; height: number } | undefined;
      const c = (
        el as unknown as {
          kesuChart: {
            getOption(): { yAxis: { type: string }[]; series: { type: string; data: unknown[] }[] };
            getModel(): { getSeriesByIndex(s: number): { getData(): { getItemLayout(i: number): Layout } } };
            convertToPixel(finder: object, value: number[]): number[];
          };
        }
      ).kesuChart;
      const opt = c.getOption();
      const raw = opt.series[s!]!.data[i!];
      const value = typeof raw === 'object' && raw !== null ? Number((raw as { value: unknown }).value) : Number(raw);
      if (!(value > 0)) throw new Error(`bar ${s}/${i} of ${el.getAttribute('data-testid')} is empty (${value}): nothing to click`);
      // A line's point (its symbol) where its value is; a bar's middle where ECharts drew it (a
      // bar beside another series' bar is off its category's centre).
      const horizontal = opt.yAxis[0]!.type === 'category';
      if (opt.series[s!]!.type === 'line') return c.convertToPixel({ seriesIndex: s }, horizontal ? [value, i!] : [i!, value]);
      const layout = c.getModel().getSeriesByIndex(s!).getData().getItemLayout(i!);
      if (!layout) throw new Error(`no layout for ${s}/${i}`);
      return [layout.x + layout.width / 2, layout.y + layout.height / 2];
    },
    [seriesIndex, dataIndex],
  );
  const box = (await chart.boundingBox())!;
  await page.mouse.click(box.x + x!, box.y + y!);
}

/** A screenshot once the drill-down drawer has finished sliding in (mid-way it shows the page through it). */
async function drawerShot(page: Page, name: string): Promise<void> {
  await page.locator('.ant-drawer-content-wrapper').evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)).then(() => undefined));
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

describe('reports page', { skip }, () => {
  let k: Console;
  const numbers: string[] = [];
  let inquiryNumber = '';

  before(async () => {
    k = await startConsole();
    const agent = await token(k.base, 'agent');
    const specialist = await token(k.base, 'specialist');
    // An inquiry answered and closed at once: the only case of the 当即处理 (immediate) bar.
    const inquiry = await call(k.base, agent, '/api/v1/complaints', { channel: 'phone', kind: 'inquiry', description: '请问营业时间？', complainant: { name: '测试客户9', phone: '13900002229' } });
    await call(k.base, agent, `/api/v1/complaints/${inquiry.complaint.id}/actions/answer`, { text: '周一至周五 9:00–18:00', method: 'phone' });
    await call(k.base, specialist, `/api/v1/complaints/${inquiry.complaint.id}/actions/close`, {});
    inquiryNumber = inquiry.complaint.number;
    for (const [i, d] of ['快递外包装破损，商品受损。', '客服电话长时间无人接听。', '退款三周未到账。'].entries()) {
      const created = await call(k.base, agent, '/api/v1/complaints', { channel: i === 1 ? 'web' : 'phone', description: d, complainant: { name: `测试客户${i}`, phone: `1390000222${i}` } });
      numbers.push(created.complaint.number);
      // Two judged valid, one invalid.
      await call(
        k.base,
        specialist,
        `/api/v1/complaints/${created.complaint.id}/actions/judge`,
        i < 2 ? { valid: true } : { valid: false, reason: (await k.app.activePolicy()).validity.invalidReasons[0]!.code, explanation: '经核实不属于投诉范围。' },
      );
      if (i === 1) {
        // The web complaint goes to the pending ledger (未了事宜): open, and pending.
        const handler = await token(k.base, 'handler');
        await call(k.base, specialist, `/api/v1/complaints/${created.complaint.id}/actions/classify`, { category: 'attitude', grade: 'general' });
        await call(k.base, specialist, `/api/v1/complaints/${created.complaint.id}/actions/route`, { departmentCode: 'customer_service', primaryHandlerId: k.userIds.get('handler'), backupHandlerId: k.userIds.get('handler2') });
        await call(k.base, handler, `/api/v1/complaints/${created.complaint.id}/actions/accept`, {});
        await call(k.base, handler, `/api/v1/complaints/${created.complaint.id}/actions/pend`, { reason: '等待厂家检测报告' });
      }
    }
  });
  after(async () => {
    await k?.close();
  });

  it('shows the figures, drills down to the cases, downloads the workbook', async () => {
    // A specialist (oversight) may open every case; an approver's drill-down lists only the cases it may open.
    const page = await k.as('specialist');
    await page.getByRole('menuitem', { name: '统计报表' }).click();
    await page.waitForURL('**/reports');
    const intake = page.getByTestId('figure-received');
    await intake.getByText('4', { exact: true }).waitFor();
    const valid = (await page.getByTestId('figure-valid').innerText()).replace(/\s+/g, ' ');
    assert.match(valid, /66\.7%/, valid);
    assert.match(valid, /2 \/ 3/, valid);
    await page.getByTestId('chart-trend').locator('canvas').waitFor();
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(SHOTS, 'reports-desktop.png') });

    // Drill-down from the intake figure: every case, each a link to its page.
    await intake.click();
    const list = page.getByTestId('drill-list');
    for (const n of [...numbers, inquiryNumber]) await list.getByRole('link', { name: n }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'reports-drill.png') });
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'detached' });

    // Drill-down from a chart: the 当即处理 bar of the handling modes lists the inquiry alone.
    await clickBar(page, 'chart-modes', 0, 0);
    const drawerTitle = page.locator('.ant-drawer-title');
    await drawerTitle.getByText(/^当即处理 · /).waitFor();
    await list.getByRole('link', { name: inquiryNumber }).waitFor();
    assert.equal(await list.getByRole('link').count(), 1, 'only the immediate case');
    await page.screenshot({ path: join(SHOTS, 'reports-drill-chart.png') });
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'detached' });
    // Today's bar of the intake trend (by day): the four cases received today, the drawer's period that day.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: (await k.app.activePolicy()).calendar.timeZone }).format(new Date());
    const days = await page.getByTestId('chart-trend').evaluate((el) => (el as unknown as { kesuChart: { getOption(): { xAxis: { data: string[] }[] } } }).kesuChart.getOption().xAxis[0]!.data);
    const bar = days.indexOf(today.slice(5));
    assert.ok(bar >= 0, `today ${today} is a bar of ${days.join(' ')}`);
    await clickBar(page, 'chart-trend', 0, bar);
    await drawerTitle.getByText(`受理 · ${today} · ${today} – ${today}`, { exact: true }).waitFor();
    for (const n of [...numbers, inquiryNumber]) await list.getByRole('link', { name: n }).waitFor();
    assert.equal(await list.getByRole('link').count(), 4);
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'detached' });
    // Today's point of the closed line: the inquiry alone, closed today (not the four received).
    await clickBar(page, 'chart-trend', 1, bar);
    await drawerTitle.getByText(`结案 · ${today} · ${today} – ${today}`, { exact: true }).waitFor();
    await list.getByRole('link', { name: inquiryNumber }).waitFor();
    assert.equal(await list.getByRole('link').count(), 1, 'only the case closed today');
    await page
      .getByTestId('drill-note')
      .getByText(/无论何时受理/)
      .waitFor();
    await drawerShot(page, 'reports-drill-closed');
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'detached' });
    // The backlog, under one day old: the open bar lists the three open complaints (the pending one
    // among them), the pending bar the pending one alone.
    await clickBar(page, 'chart-backlog', 0, 0);
    await drawerTitle.getByText(/^未结案件 · 不足1天 · /).waitFor();
    for (const n of numbers) await list.getByRole('link', { name: n }).waitFor();
    assert.equal(await list.getByRole('link').count(), 3, 'the open cases under a day old');
    await drawerShot(page, 'reports-drill-open');
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'detached' });
    await clickBar(page, 'chart-backlog', 1, 0);
    await drawerTitle.getByText(/^未了事宜 · 不足1天 · /).waitFor();
    await list.getByRole('link', { name: numbers[1]! }).waitFor();
    assert.equal(await list.getByRole('link').count(), 1, 'the pending ledger: the pended case alone');
    await drawerShot(page, 'reports-drill-pending');
    // The invalid figure lists only the invalid one.
    await page.keyboard.press('Escape');
    await page.getByTestId('figure-invalid').click();
    await page.getByTestId('drill-list').getByRole('link', { name: numbers[2]! }).waitFor();
    assert.equal(await page.getByTestId('drill-list').getByRole('link', { name: numbers[0]! }).count(), 0);
    await page.getByTestId('drill-list').getByRole('link', { name: numbers[2]! }).click();
    await page.waitForURL(`**/cases/${numbers[2]}`);
    await page.getByTestId('case-header').waitFor();
    await page.goBack();
    await page.getByTestId('figure-received').waitFor();

    // The Excel download: the same query, the UI language, a zip (PK).
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('reports-xlsx').click()]);
    assert.match(download.suggestedFilename(), /^kesu-statistics-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.xlsx$/);
    assert.match(download.url(), /lang=zh-CN/);
    const file = join(SHOTS, download.suggestedFilename());
    await download.saveAs(file);
    assert.ok(statSync(file).size > 100);
    assert.equal(readFileSync(file).subarray(0, 2).toString('latin1'), 'PK');
  });

  it('lists a stored report in the 定期报表 panel and downloads it', async () => {
    const week = shiftPeriod(periodContaining('weekly', new Date(), (await k.app.activePolicy()).calendar.timeZone), -1);
    const made = await call(k.base, await token(k.base, 'csmanager'), '/api/v1/reports/runs', { kind: 'weekly', period: week.label });
    assert.equal(made.status, 'done');
    const page = await k.as('specialist');
    await page.goto('/reports');
    const panel = page.getByTestId('scheduled-reports');
    await panel.getByText('定期报表').waitFor();
    await panel.getByText(`${week.label}（${week.from} – ${week.to}）`).waitFor();
    await panel.getByTestId('next-monthly').waitFor();
    // A specialist reads but does not make reports.
    assert.equal(await page.getByTestId('run-now').count(), 0);
    const [download] = await Promise.all([page.waitForEvent('download'), panel.getByTestId(`download-xlsx-weekly-${week.label}`).click()]);
    assert.equal(download.suggestedFilename(), `kesu-weekly-${week.label}.xlsx`);
    const file = join(SHOTS, download.suggestedFilename());
    await download.saveAs(file);
    assert.equal(readFileSync(file).subarray(0, 2).toString('latin1'), 'PK');
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'reports-runs.png') });
  });

  it('is usable on a phone: no sideways scrolling, figures stacked', async () => {
    const ctx = await k.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en', baseURL: k.base, isMobile: true, hasTouch: true });
    try {
      await ctx.addInitScript(() => localStorage.setItem('kesu.lang', 'en'));
      const page = await ctx.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto('/');
      await page.locator('#login_username').fill('csmanager');
      await page.locator('#login_password').fill('kesu-demo');
      await page.locator('#login_password').press('Enter');
      await page.getByTestId('whoami').waitFor();
      await page.goto('/reports');
      await page.getByTestId('figure-received').getByText('4', { exact: true }).waitFor();
      await page.waitForLoadState('networkidle');
      const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
      assert.ok(scroll <= width, `no sideways scrolling (${scroll} > ${width})`);
      await page.screenshot({ path: join(SHOTS, 'reports-phone.png'), fullPage: true });
    } finally {
      await ctx.close();
    }
  });
  it('shows the backlog by age, duties on time and satisfaction by dimension in three languages', async () => {
    const titles = { 'zh-CN': ['积压账龄', '职责按时率', '满意度分项', '服务态度'], 'zh-TW': ['積壓帳齡', '職責準時率', '滿意度分項', '服務態度'], en: ['Backlog by age', 'Duties on time', 'Satisfaction by dimension', 'Attitude'] } as const;
    for (const [lang, [backlog, duties, scores, attitude]] of Object.entries(titles)) {
      for (const [size, viewport] of [
        ['desktop', { width: 1366, height: 768 }],
        ['phone', { width: 390, height: 844 }],
      ] as const) {
        const ctx = await k.browser.newContext({ viewport, locale: lang, baseURL: k.base, ...(size === 'phone' ? { isMobile: true, hasTouch: true } : {}) });
        try {
          await ctx.addInitScript((l) => localStorage.setItem('kesu.lang', l), lang);
          const page = await ctx.newPage();
          page.setDefaultTimeout(20_000);
          await page.goto('/');
          await page.locator('#login_username').fill('specialist');
          await page.locator('#login_password').fill('kesu-demo');
          await page.locator('#login_password').press('Enter');
          await page.getByTestId('whoami').waitFor();
          await page.goto('/reports');
          await page.getByTestId('figure-received').getByText('4', { exact: true }).waitFor();
          const card = page.getByTestId('backlog');
          await card.getByText(backlog, { exact: true }).waitFor();
          await card.locator('canvas').waitFor();
          await page.getByTestId('duties-on-time').getByText(duties, { exact: true }).waitFor();
          await page.getByTestId('scores').getByText(scores, { exact: true }).waitFor();
          await page.getByTestId('scores').getByText(attitude, { exact: true }).waitFor();
          await page.waitForLoadState('networkidle');
          await card.scrollIntoViewIfNeeded();
          await page.screenshot({ path: join(SHOTS, `reports-backlog-${lang}-${size}.png`) });
        } finally {
          await ctx.close();
        }
      }
    }
  });
});
