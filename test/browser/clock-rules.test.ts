/**
 * Clock rules in the console (issue 10 §1): the case page's clocks table names a rule clock by
 * its policy name in the reader's language (not `rule:<code>`), beside the built-in clocks; a
 * failed attempt to reach the customer (联系客户未果) recorded from the case page re-times the
 * responsibility clock to its `unreachable` limit, tags it and says so on the timeline; the 报表
 * page's on-time rows per stage and 管理看板's due-soon list name a rule clock the same way. In zh-CN, zh-TW and en, at 1366×768 and on a phone. Screenshots: test-output/screenshots/clock-rules/*.png.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { apiPost, apiToken, browserSkip, LANGS, openAs, pressUntilSent, settled, startConsole, SHOTS, type Console } from './support.js';
import { activatePolicy } from '../../src/services/policies.js';
import { unreachablePolicyData } from '../domain/lifecycle/clock-rules-policy.js';

const skip = browserSkip();
const DIR = join(SHOTS, 'clock-rules');

describe('clock rules in the console', { skip }, () => {
  let k: Console;
  let number = '';
  let unreached = '';
  let flagged = '';
  before(async () => {
    k = await startConsole();
    mkdirSync(DIR, { recursive: true });
    await activatePolicy(k.app, stringify(unreachablePolicyData()), 'yaml');
    const [agent, specialist, handler] = await Promise.all(['agent', 'specialist', 'handler'].map((u) => apiToken(k.base, u)));
    const c = (await apiPost(k.base, agent!, '/api/v1/complaints', { channel: 'phone', description: '客服态度恶劣，挂断电话。', complainant: { name: '陈女士', phone: '13900001111' } })).complaint;
    const act = (who: string, action: string, input: unknown) => apiPost(k.base, who, `/api/v1/complaints/${c.id}/actions/${action}`, input);
    await act(specialist!, 'judge', { valid: true });
    await act(specialist!, 'classify', { category: 'attitude', grade: 'general' });
    await act(specialist!, 'route', { departmentCode: 'customer_service', primaryHandlerId: k.userIds.get('handler') });
    await act(handler!, 'accept', {});
    await act(handler!, 'investigate', { facts: '录音属实', cause: '培训不足', responsibility: { type: 'department', departmentCode: 'customer_service' } });
    number = c.number;
    // A second case, routed: its responsibility clock runs (24 h from receipt).
    const u = (await apiPost(k.base, agent!, '/api/v1/complaints', { channel: 'phone', description: '维修后仍有异响，电话联系不上。', complainant: { name: '王先生', phone: '13900002222' } })).complaint;
    const actU = (who: string, action: string, input: unknown) => apiPost(k.base, who, `/api/v1/complaints/${u.id}/actions/${action}`, input);
    await actU(specialist!, 'judge', { valid: true });
    await actU(specialist!, 'classify', { category: 'attitude', grade: 'general' });
    await actU(specialist!, 'route', { departmentCode: 'customer_service', primaryHandlerId: k.userIds.get('handler') });
    unreached = u.number;
    // A third case flagged 紧急 at classify: the flag alone re-times its responsibility clock (2 h) and the promise.
    const f = (await apiPost(k.base, agent!, '/api/v1/complaints', { channel: 'phone', description: '燃气泄漏，客户要求立即处理。', complainant: { name: '赵女士', phone: '13900003333' } })).complaint;
    await apiPost(k.base, specialist!, `/api/v1/complaints/${f.id}/actions/judge`, { valid: true });
    await apiPost(k.base, specialist!, `/api/v1/complaints/${f.id}/actions/classify`, { category: 'attitude', grade: 'general', emergency: true });
    flagged = f.number;
  });
  after(async () => {
    await k?.close();
  });

  const FLAGGED = {
    'zh-CN': ['分类分级', '标记：紧急', '责任认定 改按 2 小时 计', '承诺时限'],
    'zh-TW': ['分類分級', '標記：緊急', '責任認定 改按 2 小時 計', '承諾時限'],
    en: ['Classify and grade', 'Flags: Emergency', 'Responsibility determined counts 2 h now', 'Promised time'],
  } as const;
  for (const lang of ['zh-CN', 'zh-TW', 'en'] as const)
    it(`the timeline says what a flag alone changed: the flag, the rule clock re-timed, the promise moved (${lang})`, async () => {
      const { page, close } = await openAs(k, 'specialist', lang);
      try {
        await page.goto(`/cases/${flagged}`);
        const event = page.getByTestId('case-timeline').locator('[data-action="classify"]');
        await event.filter({ hasText: FLAGGED[lang][0] }).waitFor();
        const text = await event.innerText();
        for (const t of FLAGGED[lang]) assert.ok(text.includes(t), `${t} in ${text}`);
        assert.match(text, /→/);
        await event.scrollIntoViewIfNeeded();
        await settled(page);
        await page.screenshot({ path: join(DIR, `${lang}-flag-retimed.png`) });
      } finally {
        await close();
      }
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

  // The 报表 page's on-time rows per stage: the first case's responsibility rule clock was met
  // (stopped by investigate), named by the policy, never as `rule:<code>`.
  for (const lang of LANGS)
    for (const phone of [false, true])
      it(`the 报表 page names a rule clock's on-time row, 管理看板 its due rule clock (${lang}, ${phone ? 'phone' : '1366×768'})`, async () => {
        const { page, close } = await openAs(k, 'specialist', lang, phone);
        try {
          await page.goto('/reports');
          const card = page.getByTestId('stages-on-time');
          const row = card.locator('tr.ant-table-row', { hasText: NAMES[lang][1] });
          await row.waitFor();
          assert.equal((await card.innerText()).includes('rule:'), false, await card.innerText());
          await card.scrollIntoViewIfNeeded();
          await settled(page);
          await page.screenshot({ path: join(DIR, `reports-${lang}-${phone ? 'phone' : 'desktop'}.png`) });
          // 管理看板: the first case's rule clock (30 min from receipt) is the one due next.
          await page.goto('/dashboard');
          const due = page.getByTestId('nearly-list').locator('tr.ant-table-row', { hasText: number });
          await due.waitFor();
          assert.ok((await due.innerText()).includes(NAMES[lang][0]), await due.innerText());
          assert.equal((await page.getByTestId('nearly-list').innerText()).includes('rule:'), false);
          await due.scrollIntoViewIfNeeded();
          await settled(page);
          await page.screenshot({ path: join(DIR, `dashboard-${lang}-${phone ? 'phone' : 'desktop'}.png`) });
        } finally {
          await close();
        }
      });

  const UNREACHABLE = {
    'zh-CN': ['客户未联系上', '客户未联系上：责任认定延至', '联系客户未果'],
    'zh-TW': ['客戶未聯繫上', '客戶未聯繫上：責任認定延至', '聯繫客戶未果'],
    en: ['Customer not reached', 'Customer not reached: Responsibility determined now due', 'Could not reach the customer'],
  } as const;
  it('联系客户未果 from the case page: the responsibility clock runs to 48 h from receipt, tagged, and the timeline says so', async () => {
    const page = await k.as('handler');
    await page.evaluate(() => localStorage.setItem('kesu.lang', 'zh-CN'));
    await page.goto(`/cases/${unreached}`);
    const row = page.getByTestId('case-clocks').locator('tr.ant-table-row', { hasText: '责任认定' });
    await row.waitFor();
    const dueBefore = await row.locator('td').nth(2).innerText();
    await page.getByTestId('action-contact_failed').click();
    const form = page.getByTestId('action-form-contact_failed');
    await form.waitFor();
    await settled(page);
    await form.locator('textarea').first().fill('电话无人接听');
    await page.screenshot({ path: join(DIR, 'unreachable-form-zh-CN.png') });
    await pressUntilSent(page, form.getByTestId('action-submit'), '/actions/contact_failed');
    await form.waitFor({ state: 'detached' });
    await page.getByTestId('clock-unreachable-rule:responsibility').waitFor();
    const dueAfter = await row.locator('td').nth(2).innerText();
    assert.notEqual(dueAfter, dueBefore);
    for (const lang of ['zh-CN', 'zh-TW', 'en'] as const) {
      await page.evaluate((l) => localStorage.setItem('kesu.lang', l), lang);
      await page.goto(`/cases/${unreached}`);
      const [tag, retimed, label] = UNREACHABLE[lang];
      const event = page.getByTestId('case-timeline').locator('[data-action="contact_failed"]');
      // The action's label comes with the lifecycle lookups, which may arrive after the timeline.
      await event.filter({ hasText: label }).waitFor();
      const text = await event.innerText();
      for (const x of [retimed, label, '电话无人接听']) assert.ok(text.includes(x), `${x} in ${text}`);
      assert.equal(await page.getByTestId('clock-unreachable-rule:responsibility').innerText(), tag);
      const table = page.getByTestId('case-clocks');
      await table.scrollIntoViewIfNeeded();
      await settled(page);
      await page.screenshot({ path: join(DIR, `unreachable-${lang}-desktop.png`) });
      await page.setViewportSize({ width: 390, height: 844 });
      await table.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(DIR, `unreachable-${lang}-phone.png`) });
      await event.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(DIR, `unreachable-${lang}-phone-timeline.png`) });
      await page.setViewportSize({ width: 1366, height: 768 });
    }
  });
});
