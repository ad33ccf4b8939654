/**
 * Clock rules in the console (issue 10 §1): the case page's clocks table names a rule clock by
 * its policy name in the reader's language (not `rule:<code>`), beside the built-in clocks.
 * In zh-CN, zh-TW and en, at 1366×768 and on a phone. Screenshots: test-output/screenshots/clock-rules/*.png.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { apiPost, apiToken, browserSkip, settled, startConsole, SHOTS, type Console } from './support.js';
import { activatePolicy } from '../../src/services/policies.js';
import { clockRulesPolicyData } from '../domain/lifecycle/clock-rules-policy.js';

const skip = browserSkip();
const DIR = join(SHOTS, 'clock-rules');

describe('clock rules in the console', { skip }, () => {
  let k: Console;
  let number = '';
  before(async () => {
    k = await startConsole();
    mkdirSync(DIR, { recursive: true });
    await activatePolicy(k.app, stringify(clockRulesPolicyData()), 'yaml');
    const [agent, specialist, handler] = await Promise.all(['agent', 'specialist', 'handler'].map((u) => apiToken(k.base, u)));
    const c = (await apiPost(k.base, agent!, '/api/v1/complaints', { channel: 'phone', description: '客服态度恶劣，挂断电话。', complainant: { name: '陈女士', phone: '13900001111' } })).complaint;
    const act = (who: string, action: string, input: unknown) => apiPost(k.base, who, `/api/v1/complaints/${c.id}/actions/${action}`, input);
    await act(specialist!, 'judge', { valid: true });
    await act(specialist!, 'classify', { category: 'attitude', grade: 'general' });
    await act(specialist!, 'route', { departmentCode: 'customer_service', primaryHandlerId: k.userIds.get('handler') });
    await act(handler!, 'accept', {});
    await act(handler!, 'investigate', { facts: '录音属实', cause: '培训不足', responsibility: { type: 'department', departmentCode: 'customer_service' } });
    number = c.number;
  });
  after(async () => {
    await k?.close();
  });

  const NAMES = {
    'zh-CN': ['受理后30分钟内提出方案', '责任认定', '管理审核'],
    'zh-TW': ['受理後30分鐘內提出方案', '責任認定', '管理審核'],
    en: ['Solution within 30 min of receipt', 'Responsibility determined', 'Management review'],
  } as const;
  for (const lang of ['zh-CN', 'zh-TW', 'en'] as const) {
    it(`the clocks table names rule clocks (${lang})`, async () => {
      const page = await k.as('handler');
      await page.evaluate((l) => localStorage.setItem('kesu.lang', l), lang);
      await page.goto(`/cases/${number}`);
      const table = page.getByTestId('case-clocks');
      await table.locator('tr.ant-table-row').first().waitFor();
      const text = await table.innerText();
      for (const n of NAMES[lang]) assert.ok(text.includes(n), `${n} in ${text}`);
      assert.equal(text.includes('rule:'), false, text);
      await table.scrollIntoViewIfNeeded();
      await settled(page);
      await page.screenshot({ path: join(DIR, `${lang}-desktop.png`) });
      await page.setViewportSize({ width: 390, height: 844 });
      await table.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(DIR, `${lang}-phone.png`) });
      await page.setViewportSize({ width: 1366, height: 768 });
    });
  }
});
