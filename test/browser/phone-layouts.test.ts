/**
 * Layouts that broke on a phone (issue 14, seen at 390×844), checked in zh-CN, zh-TW and en and
 * at 1366×768: in the policy editor (编辑制度) no field sticks out of its card (the zh-TW
 * department select did) and no duration unit is cut short (the en "working days" was); the
 * dashboard's nearly-overdue list shows each case's time left inside its card (on a phone it was
 * cut off with the columns after 等级). Screenshots: test-output/screenshots/phone-layouts/.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { apiPost, apiToken, browserSkip, LANGS, openAs, settled, SHOTS, startConsole, type Console } from './support.js';

const skip = browserSkip();
const DIR = join(SHOTS, 'phone-layouts');
const EDIT = { 'zh-CN': '编辑制度', 'zh-TW': '編輯制度', en: 'Edit policy' } as const;

/** Fields of the open editor tab wider than their card, and selects whose chosen text is cut. */
function misfits(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const pane = document.querySelector('[data-testid="policy-editor"] .ant-tabs-tabpane-active');
    for (const el of pane?.querySelectorAll<HTMLElement>('.ant-select, .ant-input-number, .ant-input, .ant-input-group-wrapper, .ant-space-compact') ?? []) {
      const card = el.closest('.ant-card-body');
      const r = el.getBoundingClientRect();
      if (!card || !r.width) continue;
      const c = card.getBoundingClientRect();
      if (r.right > c.right + 0.5 || r.left < c.left - 0.5) out.push(`${el.id || el.querySelector('[id]')?.id || el.className.split(' ')[0]} sticks out of its card by ${Math.round(Math.max(r.right - c.right, c.left - r.left))} px`);
    }
    for (const v of pane?.querySelectorAll<HTMLElement>('.ant-select-content-value') ?? []) if (v.scrollWidth > v.clientWidth + 1) out.push(`"${v.textContent}" is cut (${v.scrollWidth} of ${v.clientWidth} px)`);
    return out;
  });
}

describe('layouts on a phone and at 1366×768', { skip }, () => {
  let k: Console;
  before(async () => {
    k = await startConsole();
    mkdirSync(DIR, { recursive: true });
    // A received case: its triage clock (24 h) puts it on the nearly-overdue list.
    const agent = await apiToken(k.base, 'agent');
    await apiPost(k.base, agent, '/api/v1/complaints', { channel: 'phone', description: '快递外箱破损，里面的杯子碎了。', complainant: { name: '周先生', phone: '13600003333' } });
  });
  after(async () => k?.close());

  for (const phone of [false, true])
    for (const lang of LANGS) {
      const name = `${lang}-${phone ? 'phone' : 'desktop'}`;
      it(`the policy editor's fields fit their cards and the dashboard shows the time left (${name})`, async () => {
        const { page, close } = await openAs(k, 'admin', lang, phone);
        try {
          await page.goto('/admin');
          await page.getByRole('tab').first().waitFor();
          await page.getByRole('tab', { name: EDIT[lang], exact: true }).evaluate((el) => (el as HTMLElement).click());
          await page.getByTestId('policy-editor').waitFor();
          for (const section of ['grades', 'categories', 'followUp', 'escalation', 'approval']) {
            await page.getByTestId(`pe-tab-${section}`).evaluate((el) => (el.closest('[role="tab"]') as HTMLElement).click());
            await page.getByTestId(`pe-section-${section}`).waitFor();
            await settled(page);
            assert.deepEqual(await misfits(page), [], `${section}: every field inside its card, every choice readable`);
            const card = page.locator(`[data-testid="pe-section-${section}"] .ant-card`).first();
            if (phone && (await card.count())) await card.screenshot({ path: join(DIR, `${name}-editor-${section}.png`) });
          }

          await page.goto('/dashboard');
          const list = page.getByTestId('nearly-list');
          await list.locator('.ant-table-row').first().waitFor();
          await settled(page);
          const box = (await list.locator('xpath=ancestor::div[contains(@class,"ant-card")][1]').boundingBox())!;
          const header = list.locator('th').filter({ hasText: { 'zh-CN': '剩余时间', 'zh-TW': '剩餘時間', en: 'Time left' }[lang] });
          const h = (await header.boundingBox())!;
          assert.ok(h.x >= box.x && h.x + h.width <= box.x + box.width + 0.5, `the time-left column inside the card (${h.x}+${h.width} of ${box.x}+${box.width})`);
          const clock = list.locator('.ant-table-row').first().locator('td').last();
          assert.ok((await clock.innerText()).trim().length > 0, 'the time left is shown');
          const c = (await clock.boundingBox())!;
          assert.ok(c.x + c.width <= box.x + box.width + 0.5, 'the time-left cell inside the card');
          await list.scrollIntoViewIfNeeded();
          await page.screenshot({ path: join(DIR, `${name}-dashboard.png`) });
        } finally {
          await close();
        }
      });
    }
});
