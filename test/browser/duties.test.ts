/**
 * Duties in the console (issue 10 §2): after the answer, the case page shows its duties card; the
 * handler completes the report-back note in the dialog (a written report refuses without its
 * file, the server's message shown in the dialog); 我的待办 lists what is still open, with its due
 * time and a link to the case. In zh-CN, zh-TW and en, at 1366×768 and on a phone.
 * Screenshots: test-output/screenshots/duties/*.png.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { apiPost, apiToken, browserSkip, pressUntilSent, settled, startConsole, SHOTS, type Console } from './support.js';
import { activatePolicy } from '../../src/services/policies.js';

const skip = browserSkip();
const DIR = join(SHOTS, 'duties');

const DUTIES = [
  { code: 'report_back', name: { 'zh-CN': '处理完毕反馈客户中心', 'zh-TW': '處理完畢回饋客戶中心', en: 'Report back to the customer centre' }, on: 'answer', owner: 'primary_handler', due: '2wh', record: 'note', remind: ['1wh'] },
  { code: 'written_report', name: { 'zh-CN': '书面报告', 'zh-TW': '書面報告', en: 'Written report' }, on: 'answer', owner: 'primary_handler', due: '3wd', record: 'report' },
];

describe('duties in the console', { skip }, () => {
  let k: Console;
  const numbers: string[] = [];
  const ids: string[] = [];
  let specialistToken: string;
  before(async () => {
    k = await startConsole();
    mkdirSync(DIR, { recursive: true });
    const p = parse(readFileSync(new URL('../../policies/kesu-default.yaml', import.meta.url), 'utf8'));
    p.version = '2026.1-duties-console';
    p.duties = DUTIES;
    await activatePolicy(k.app, stringify(p), 'yaml');
    const [agent, specialist, handler] = await Promise.all(['agent', 'specialist', 'handler'].map((u) => apiToken(k.base, u)));
    specialistToken = specialist!;
    for (let i = 0; i < 3; i++) {
      const c = (await apiPost(k.base, agent!, '/api/v1/complaints', { channel: 'phone', description: `客服态度恶劣，挂断电话（${i + 1}）。`, complainant: { name: '陈女士', phone: '13900001111' } })).complaint;
      const act = (who: string, action: string, input: unknown) => apiPost(k.base, who, `/api/v1/complaints/${c.id}/actions/${action}`, input);
      await act(specialist!, 'judge', { valid: true });
      await act(specialist!, 'classify', { category: 'attitude', grade: 'general' });
      await act(specialist!, 'route', { departmentCode: 'customer_service', primaryHandlerId: k.userIds.get('handler') });
      await act(handler!, 'accept', {});
      await act(handler!, 'investigate', { facts: '录音属实', cause: '培训不足', responsibility: { type: 'department', departmentCode: 'customer_service' } });
      await act(handler!, 'propose', { solutions: ['apology'], amount: 0, description: '致歉' });
      await act(handler!, 'answer', { text: '已致歉', method: 'phone' });
      numbers.push(c.number);
      ids.push(c.id);
    }
  });
  after(async () => {
    await k?.close();
  });

  /** The case view can re-render while it settles; scrolling is retried until the card holds still. */
  async function scrollToCard(page: import('playwright-core').Page) {
    for (let tries = 0; ; tries++) {
      try {
        await page.getByTestId('case-duties').scrollIntoViewIfNeeded({ timeout: 2000 });
        return;
      } catch (e) {
        if (tries > 5) throw e;
      }
    }
  }

  const LANGS = ['zh-CN', 'zh-TW', 'en'] as const;
  for (const [i, lang] of LANGS.entries()) {
    it(`the case's duties card, the complete dialog and 我的待办 (${lang})`, async () => {
      const page = await k.as('handler');
      await page.evaluate((l) => localStorage.setItem('kesu.lang', l), lang);
      await page.goto(`/cases/${numbers[i]}`);
      const card = page.getByTestId('case-duties');
      await card.waitFor();
      assert.equal(await card.getByTestId('case-duty').count(), 2);
      await scrollToCard(page);
      await page.screenshot({ path: join(DIR, `${lang}-desktop-case.png`) });

      // The written report without a file: refused, the server's message in the dialog.
      await card.locator('[data-code="written_report"]').getByTestId('duty-complete').click();
      await page.getByTestId('duty-text').fill('书面报告');
      await page.getByTestId('duty-complete-ok').click();
      const problem = page.getByTestId('duty-problem');
      await problem.waitFor();
      assert.match(await problem.innerText(), lang === 'en' ? /A written report needs a file of the case/ : lang === 'zh-TW' ? /書面報告須附上本案的檔案/ : /书面报告须附上本案的文件/);
      await settled(page);
      await page.screenshot({ path: join(DIR, `${lang}-desktop-refused.png`) });
      await page.keyboard.press('Escape');
      await settled(page);

      // The report-back note completes.
      await card.locator('[data-code="report_back"]').getByTestId('duty-complete').click();
      await page.getByTestId('duty-text').fill('已电话反馈客户中心');
      if (i === 0) {
        // Someone else acts on the case while the dialog is open: the case view refreshes (a new
        // version) and the dialog stays, with what was typed (it closed once, losing the text).
        await apiPost(k.base, specialistToken, `/api/v1/complaints/${ids[i]}/actions/note`, { text: '专员补充：客户来电催问' });
        await page.getByTestId('case-timeline').getByText('专员补充：客户来电催问').waitFor();
        assert.equal(await page.getByTestId('duty-text').inputValue(), '已电话反馈客户中心', 'the typed text survives the refresh');
      }
      // The press can be lost while the dialog opens on a loaded machine (CI): pressed again if nothing went out.
      await pressUntilSent(page, page.getByTestId('duty-complete-ok'), '/complete');
      await card.locator('[data-code="report_back"]').filter({ hasText: '已电话反馈客户中心' }).waitFor();
      assert.equal(await card.locator('[data-code="report_back"]').getByTestId('duty-complete').count(), 0, 'done: no button');
      await settled(page);

      await page.setViewportSize({ width: 390, height: 844 });
      await scrollToCard(page);
      await page.screenshot({ path: join(DIR, `${lang}-phone-case.png`) });
      await page.setViewportSize({ width: 1366, height: 768 });

      await page.goto('/duties');
      const mine = page.getByTestId('my-duties');
      await mine.locator('tr.ant-table-row').first().waitFor();
      const text = await mine.innerText();
      assert.ok(text.includes(numbers[i]!), 'the case number links to the case');
      // Open: the written reports of this and the earlier cases, and every later case's two duties.
      assert.equal(await mine.getByTestId('duty-complete').count(), i + 1 + (LANGS.length - 1 - i) * 2);
      await page.screenshot({ path: join(DIR, `${lang}-desktop-mine.png`) });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: join(DIR, `${lang}-phone-mine.png`) });
      await page.setViewportSize({ width: 1366, height: 768 });
    });
  }
});
