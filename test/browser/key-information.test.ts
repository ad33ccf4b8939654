/**
 * 关键信息 in the console (issue 13 §5): typing a complaint on the intake screen lists its key
 * information with explanations and the grade / 恶性 suggestion of its signal words; the case
 * page marks the same facts in the stored text. Screenshots in the three languages at 1366×768
 * and on a phone: test-output/screenshots/key-info/<lang>-<screen>.png.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { apiPost, apiToken, browserSkip, startConsole, SHOTS, type Console } from './support.js';

const skip = browserSkip();
const DIR = join(SHOTS, 'key-info');
const TEXT = '10月28日在门店买的空气净化器（订单号 DD20261028001）花了2,399元，用了三天就坏了。客服电话打了五次没人接，再不处理我就找媒体曝光，还要打12315！';

describe('key information on the intake screen and the case page', { skip }, () => {
  let k: Console;
  let number = '';
  before(async () => {
    k = await startConsole();
    mkdirSync(DIR, { recursive: true });
    const agent = await apiToken(k.base, 'agent');
    number = (await apiPost(k.base, agent, '/api/v1/complaints', { channel: 'phone', description: TEXT, complainant: { name: '测试客户', phone: '13900003333' } })).complaint.number;
  });
  after(async () => {
    await k?.close();
  });

  for (const lang of ['zh-CN', 'zh-TW', 'en'] as const) {
    it(`lists the marks and the suggestion while typing, and marks the case text (${lang})`, async () => {
      const page = await k.as('agent');
      await page.evaluate((l) => localStorage.setItem('kesu.lang', l), lang);
      await page.goto('/intake');
      await page.locator('#intake_w_what').fill(TEXT);
      const panel = page.getByTestId('key-info');
      await panel.waitFor();
      const kinds = await panel.locator('[data-kind]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-kind')}`));
      assert.deepEqual([...new Set(kinds)].sort(), ['amount', 'datetime', 'order', 'signal'].sort(), kinds.join(','));
      const suggestion = await page.getByTestId('key-info-suggestion').innerText();
      assert.match(suggestion, lang === 'en' ? /Suggested: grade .+; consider the vicious flag/ : lang === 'zh-TW' ? /建議：定為「.+」，考慮標記為惡性投訴/ : /建议：定为“.+”，考虑标记为恶性投诉/);
      assert.match(suggestion, /媒体、曝光、12315/);
      await page.screenshot({ path: join(DIR, `${lang}-desktop-intake.png`) });
      await page.setViewportSize({ width: 390, height: 844 });
      await panel.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(DIR, `${lang}-phone-intake.png`) });
      await page.setViewportSize({ width: 1366, height: 768 });

      await page.goto(`/cases/${number}`);
      const desc = page.getByTestId('case-description');
      await desc.locator('mark[data-kind="signal"]').first().waitFor();
      assert.equal(await desc.innerText(), TEXT, 'the text reads the same with its marks');
      assert.deepEqual(await desc.locator('mark').evaluateAll((els) => els.map((e) => e.textContent)), ['10月28日', 'DD20261028001', '2,399元', '媒体', '曝光', '12315']);
      await desc.locator('mark[data-kind="amount"]').hover();
      await page
        .getByRole('tooltip')
        .filter({ hasText: lang === 'en' ? 'Amount' : lang === 'zh-TW' ? '金額' : '金额' })
        .waitFor();
      await page.screenshot({ path: join(DIR, `${lang}-desktop-case.png`) });
    });
  }
});
