/**
 * The 考核 page (/accountability): a complaint against handler2 judged valid and a responsibility
 * finding against them make two entries; the department manager confirms the fine (an amount
 * outside the range first: the field's error in the dialog), handler2 appeals the point and sees
 * the case only by its number (回避). Screenshots in zh-CN, zh-TW and en at 1366×768 and on a
 * phone: test-output/screenshots/accountability/.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { browserSkip, LANGS, openAs, pressUntilSent, settled, startConsole, SHOTS, type Console, apiPost, apiToken } from './support.js';
import { activatePolicy, readPolicyFile } from '../../src/services/policies.js';
import { accountabilityPolicyFile } from '../reports/accountability-policy.js';

/** The step dialog's submit (see pressUntilSent: a press during the dialog's zoom can be lost). */
const submitStep = (page: Page) => pressUntilSent(page, page.getByTestId('step-submit'), '/api/v1/accountability/');

const skip = browserSkip();
const DIR = join(SHOTS, 'accountability');

const token = apiToken;
const call = apiPost;

describe('accountability page', { skip }, () => {
  let k: Console;
  let number = '';

  /** A fresh context signed in as `username` in `lang` at a viewport (phone: touch). */
  async function open(username: string, lang: (typeof LANGS)[number], phone = false): Promise<{ page: Page; close: () => Promise<void> }> {
    const opened = await openAs(k, username, lang, phone);
    const { page } = opened;
    await page.goto('/accountability');
    await page.getByTestId('entries').waitFor();
    await page.waitForLoadState('networkidle');
    return opened;
  }

  before(async () => {
    mkdirSync(DIR, { recursive: true });
    k = await startConsole();
    const f = readPolicyFile(accountabilityPolicyFile());
    await activatePolicy(k.app, f.text, f.format);
    const [agent, specialist, handler] = [await token(k.base, 'agent'), await token(k.base, 'specialist'), await token(k.base, 'handler')];
    const ids = Object.fromEntries(k.userIds);
    const created = await call(k.base, agent, '/api/v1/complaints', { channel: 'phone', description: '营业员态度恶劣', complainant: { name: '钱多多', phone: '13912345678' }, subject: { employeeIds: [ids.handler2] } });
    const id = created.complaint.id as string;
    number = created.complaint.number;
    const act = (who: string, action: string, body: unknown) => call(k.base, who, `/api/v1/complaints/${id}/actions/${action}`, body);
    await act(specialist, 'judge', { valid: true });
    await act(specialist, 'classify', { category: 'attitude', grade: 'general' });
    await act(specialist, 'route', { departmentCode: 'customer_service', primaryHandlerId: ids.handler });
    await act(handler, 'accept', {});
    await act(handler, 'investigate', { facts: '属实', cause: '态度', responsibility: { type: 'employee', employeeId: ids.handler2 } });
  });
  after(async () => {
    await k?.close();
  });

  it('lets the manager confirm one entry and the person appeal another', async () => {
    const manager = await open('deptmanager', 'zh-CN');
    try {
      const page = manager.page;
      const fine = page.getByTestId('entries').locator('tr', { hasText: '责任认定罚款' });
      await fine.getByTestId('entry-confirm').click();
      const dialog = page.getByTestId('step-dialog');
      await settled(page);
      await dialog.locator('input[data-testid=step-amount], [data-testid=step-amount] input').fill('2000');
      await submitStep(page); // the server refuses it, naming the amount
      await dialog.getByText('金额须在 200–1500 之间').waitFor();
      await page.screenshot({ path: join(DIR, 'confirm-out-of-range-zh-CN.png') });
      await dialog.locator('input[data-testid=step-amount], [data-testid=step-amount] input').fill('800');
      await submitStep(page);
      await fine.getByText('已确认').waitFor();
      assert.match(await fine.innerText(), /800/);
    } finally {
      await manager.close();
    }

    const person = await open('handler2', 'zh-CN');
    try {
      const page = person.page;
      const point = page.getByTestId('entries').locator('tr', { hasText: '有效投诉扣分' });
      // Avoidance: the case only by its number, no link to it.
      await point.getByText(number).waitFor();
      assert.equal(await point.locator(`a:has-text("${number}")`).count(), 0);
      assert.equal((await page.content()).includes('钱多多'), false);
      await point.getByTestId('entry-appeal').click();
      await settled(page);
      await page.getByTestId('step-dialog').getByTestId('step-reason').fill('当天我不在岗，有排班表为证');
      await submitStep(page);
      await point.getByText('申诉中').waitFor();
      await page.screenshot({ path: join(DIR, 'appealed-zh-CN.png') });
    } finally {
      await person.close();
    }

    // Drill-down: a person's scorecard row lists their entries, each with its case.
    const judge = await open('gm', 'zh-CN');
    try {
      const page = judge.page;
      await page.getByRole('tab', { name: '个人考核' }).click();
      const row = page.getByTestId('scorecards-people').locator('tr', { hasText: '吴磊' });
      assert.match((await row.innerText()).replace(/\s+/g, ' '), /2 ¥800\.00 0 ¥0\.00 1 0/);
      await row.click();
      await page.getByTestId('person-filter').waitFor();
      await page.getByTestId('entries').getByText('申诉中').waitFor();
      assert.equal(await page.getByTestId('entries').locator('tbody tr.ant-table-row').count(), 2);
    } finally {
      await judge.close();
    }
  });

  it('reads well in three languages, on a desktop and on a phone', async () => {
    for (const lang of LANGS)
      for (const phone of [false, true]) {
        const { page, close } = await open('gm', lang, phone);
        try {
          await page.locator('[data-testid=entries] .ant-table-row, [data-testid=entries] .ant-list-item').first().waitFor();
          const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
          assert.ok(scroll <= width, `${lang} ${phone ? 'phone' : 'desktop'}: no sideways scrolling (${scroll} > ${width})`);
          const kind = phone ? 'phone' : 'desktop';
          await page.screenshot({ path: join(DIR, `entries-${kind}-${lang}.png`), fullPage: phone });
          await page.getByRole('tab').nth(1).click();
          await page.getByTestId('scorecards-people').locator('tbody tr.ant-table-row').first().waitFor();
          await page.waitForTimeout(400); // the tab's ink bar settles
          const after = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(after <= width, `${lang} ${phone ? 'phone' : 'desktop'} scorecards: no sideways scrolling (${after} > ${width})`);
          await page.screenshot({ path: join(DIR, `people-${kind}-${lang}.png`), fullPage: phone });
        } finally {
          await close();
        }
      }
  });
});
