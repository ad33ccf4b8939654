/**
 * The 案宗 page (/archive, issue 15 §1): suggestions routed to two departments, answered, closed
 * and archived through the API are filed under this year; the specialist picks the year, sees
 * the year's files per department with their counts (the API's), opens a file, follows a case
 * link, and downloads the year as one zip. An agent has no menu entry. Screenshots in zh-CN,
 * zh-TW and en at 1366×768 and on a phone: test-output/screenshots/archive/.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { apiPost, apiToken, browserSkip, openAs, settled, startConsole, SHOTS, type Console } from './support.js';

const skip = browserSkip();
const DIR = join(SHOTS, 'archive');
const LANGS = ['zh-CN', 'zh-TW', 'en'] as const;
const SALES = { 'zh-CN': '销售部', 'zh-TW': '銷售部', en: 'Sales' };

describe('archive page', { skip }, () => {
  let k: Console;
  const year = new Date().getFullYear();
  const filed: Record<string, string[]> = {};

  const open = (username: string, lang: (typeof LANGS)[number], phone = false) => openAs(k, username, lang, phone);

  before(async () => {
    mkdirSync(DIR, { recursive: true });
    k = await startConsole();
    const [agent, specialist, handler] = [await apiToken(k.base, 'agent'), await apiToken(k.base, 'specialist'), await apiToken(k.base, 'handler')];
    for (const [dept, title] of [
      ['customer_service', '营业厅增加休息座椅'],
      ['customer_service', '延长周末营业时间'],
      ['sales', '增加会员积分活动'],
    ] as const) {
      const c = await apiPost(k.base, agent, '/api/v1/complaints', { kind: 'suggestion', channel: 'phone', title, description: `${title}，谢谢`, complainant: { name: '王女士', phone: '13912345678' } });
      const act = (who: string, action: string, body: unknown) => apiPost(k.base, who, `/api/v1/complaints/${c.complaint.id}/actions/${action}`, body);
      await act(specialist, 'route', { departmentCode: dept, primaryHandlerId: k.userIds.get('handler') });
      await act(handler, 'answer', { text: '感谢建议，已采纳', method: 'phone', adopted: true });
      await act(specialist, 'close', {});
      await act(specialist, 'archive', {});
      (filed[dept] ??= []).push(c.complaint.number);
    }
  });
  after(async () => {
    await k?.close();
  });

  it('shows the year’s files with their counts, a file’s cases, and downloads the year', async () => {
    const auth = await apiToken(k.base, 'specialist');
    const api = (await (await fetch(`${k.base}/api/v1/archive/years/${year}`, { headers: { authorization: `Bearer ${auth}` } })).json()) as { groups: { key: string; count: number }[] };
    const { page, close } = await open('specialist', 'zh-CN');
    try {
      await page.locator('.ant-menu').getByText('案宗', { exact: true }).click();
      await page.getByTestId('archive').waitFor();
      // The year picker fills in once the years have loaded: wait for it rather than read it at once.
      await page
        .getByTestId('archive-year')
        .filter({ hasText: new RegExp(`${year} 年`) })
        .waitFor();
      for (const g of api.groups) {
        const row = page.getByTestId(`archive-group-${g.key}`);
        assert.match(await row.innerText(), new RegExp(`${g.count} 件`), `group ${g.key}`);
      }
      assert.equal(api.groups.find((g) => g.key === 'sales')?.count, filed.sales!.length);
      await page.getByTestId('archive-group-sales').click();
      const link = page.getByTestId('archive-cases').getByRole('link', { name: filed.sales![0] });
      await link.waitFor();
      assert.equal(await link.getAttribute('href'), `/cases/${filed.sales![0]}`);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('archive-download-year').click()]);
      assert.equal(download.suggestedFilename(), `kesu-archive-${year}.zip`);
      const bytes = readFileSync((await download.path())!);
      assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'a zip');
      for (const n of [...filed.sales!, ...filed.customer_service!]) assert.ok(bytes.includes(Buffer.from(`${n}.pdf`)), `the zip holds ${n}`);
      await link.click();
      await page.waitForURL(`**/cases/${filed.sales![0]}`);
    } finally {
      await close();
    }
  });

  for (const lang of LANGS)
    for (const phone of [false, true])
      it(`screenshot ${lang}${phone ? ' phone' : ''}`, async () => {
        const { page, close } = await open('specialist', lang, phone);
        try {
          await page.goto('/archive');
          await page.getByTestId('archive-group-sales').click();
          await page.getByTestId('archive-cases').getByRole('link', { name: filed.sales![0] }).waitFor();
          assert.match(await page.getByTestId('archive-group-sales').innerText(), new RegExp(SALES[lang]));
          await page.waitForLoadState('networkidle');
          await settled(page);
          await page.screenshot({ path: join(DIR, `archive-${lang}${phone ? '-phone' : ''}.png`), fullPage: phone });
        } finally {
          await close();
        }
      });

  it('has no menu entry for an agent', async () => {
    const { page, close } = await open('agent', 'zh-CN');
    try {
      assert.equal(await page.locator('.ant-menu').getByText('案宗', { exact: true }).count(), 0);
    } finally {
      await close();
    }
  });
});
