/**
 * 催办 in Chromium (issue 14): the department manager urges a case from a queue row and another
 * from its case page; the handler, signed in on the workbench, is told at once over the live
 * stream (a notice naming the case, opening it), the workbench's 被催办 count opens the urged
 * cases, and the urge stands on the case's timeline with what was asked, until the handler
 * records something. Screenshots (1366×768 and phone, three languages):
 * test-output/screenshots/urge/<lang>-<screen>-<what>.png.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { LANGS, SHOTS, apiPost, apiToken, browserSkip, openAs, settled, startConsole, type Console } from './support.js';

const skip = browserSkip();
const DIR = join(SHOTS, 'urge');

describe('催办: a manager urges, the handler is told', { skip }, () => {
  let k: Console;
  let ids: Record<string, string>;
  let auth: Record<string, string>;
  const assigned = async (description: string) => {
    const c = (await apiPost(k.base, auth.agent!, '/api/v1/complaints', { channel: 'phone', description, complainant: { name: '林先生', phone: '13812345678' } })).complaint as { id: string; number: string };
    await apiPost(k.base, auth.specialist!, `/api/v1/complaints/${c.id}/actions/triage`, {
      judge: { valid: true },
      classify: { category: 'goods_damage_shortage', grade: 'general' },
      route: { departmentCode: 'customer_service', primaryHandlerId: ids.handler }, // the department deptmanager manages
    });
    return c;
  };
  const count = async (page: Page, key: string) => Number((await page.getByTestId(`workbench-${key}`).locator('.ant-statistic-content-value').innerText()).replace(/\D/g, ''));

  before(async () => {
    k = await startConsole();
    ids = Object.fromEntries(k.userIds);
    auth = {};
    for (const u of ['agent', 'specialist', 'handler']) auth[u] = await apiToken(k.base, u);
    mkdirSync(DIR, { recursive: true });
  });
  after(async () => k?.close());

  it('urged from a queue row and from the case page: the handler’s stream and workbench show it', async () => {
    const a = await assigned('催办 一：冰箱送达时外壳凹陷');
    const b = await assigned('催办 二：配送员未按约定时间上门');
    const handler = await k.as('handler');
    await handler.waitForURL('**/workbench');
    await handler.getByTestId('workbench-urged').waitFor();
    assert.equal(await count(handler, 'urged'), 0);
    assert.equal(await handler.getByTestId('urge-notice').count(), 0);

    // From the department's queue: the row's 催办 button, a comment, sent.
    const manager = await k.as('deptmanager');
    await manager.goto('/queues/department');
    const row = manager.getByTestId('queue-table').locator('tr', { hasText: a.number });
    await row.getByTestId(`urge-${a.number}`).click();
    await manager.getByTestId('urge-comment').fill('客户第三次来电，今天务必上门');
    await manager.screenshot({ path: join(DIR, 'zh-CN-desktop-queue-dialog.png') });
    await manager.getByTestId('urge-send').click();
    await manager.getByText(`已催办 ${a.number}`).waitFor();

    // The handler hears it live, on the workbench, without reloading.
    const notice = handler.getByTestId('urge-notice');
    await notice.waitFor();
    assert.match(await notice.innerText(), new RegExp(`${a.number} 被催办`));
    await handler.waitForFunction(() => document.querySelector('[data-testid="workbench-urged"] .ant-statistic-content-value')?.textContent?.trim() === '1');
    await settled(handler);
    await handler.screenshot({ path: join(DIR, 'zh-CN-desktop-handler-notice.png') });

    // From the case page: the lifecycle's 催办 button and its form.
    await manager.goto(`/cases/${b.number}`);
    await manager.getByTestId('action-urge').click();
    await manager.locator('#action_urge_comment').fill('请今天回复客户');
    await manager.getByTestId('action-form-urge').getByTestId('action-submit').click();
    await manager.getByTestId('case-timeline').getByText('请今天回复客户', { exact: false }).first().waitFor();
    await handler.getByTestId('urge-notice').filter({ hasText: b.number }).waitFor();
    await handler.waitForFunction(() => document.querySelector('[data-testid="workbench-urged"] .ant-statistic-content-value')?.textContent?.trim() === '2');

    // The count opens the urged cases; the notice opens the case, its timeline has the urge.
    await handler.getByTestId('workbench-urged').click();
    await handler.waitForURL('**/queues/urged');
    for (const c of [a, b]) await handler.getByTestId('queue-table').getByText(c.number).waitFor();
    await handler.getByTestId('urge-notice').filter({ hasText: a.number }).getByTestId('urge-open').click();
    await handler.waitForURL(`**/cases/${a.number}`);
    const line = handler.getByTestId('case-timeline').locator('li', { hasText: '客户第三次来电，今天务必上门' });
    await line.waitFor();
    assert.match(await line.innerText(), /催办/);
    assert.match(await line.innerText(), /赵伟/, 'who urged');

    // Answered once the handler records something: off the workbench's count.
    await apiPost(k.base, auth.handler!, `/api/v1/complaints/${a.id}/actions/accept`, {});
    await handler.goto('/workbench');
    await handler.waitForFunction(() => document.querySelector('[data-testid="workbench-urged"] .ant-statistic-content-value')?.textContent?.trim() === '1');
  });

  for (const lang of LANGS)
    for (const phone of [false, true])
      it(`${lang} on ${phone ? 'phone' : 'desktop'}: the urge dialog, the handler’s notice and the workbench in one language`, async () => {
        const c = await assigned(`催办 ${lang}${phone ? ' 手机' : ''}：安装师傅迟到`);
        const screen = phone ? 'phone' : 'desktop';
        const own = (text: string) => text.replace(/KS-\d{4}-\d+/g, '').replace(/王强|吴磊|赵伟|李静|张敏|林先生|催办 [^\n]*：\S+|[^\n]*：(冰箱送达时外壳凹陷|配送员未按约定时间上门|安装师傅迟到)/g, '');
        const oneLanguage = (text: string, what: string) => {
          const rest = own(text);
          if (lang === 'en') assert.doesNotMatch(rest, /[\u4e00-\u9fff]/, `${what}: no Chinese in English`);
          if (lang === 'zh-TW') assert.doesNotMatch(rest, /[这来时们说对国会发过个经动问题还没让给请点开关电话号码处认证选择态删类级诉驳办]/, `${what}: no Simplified-only characters`);
          if (lang !== 'en') assert.doesNotMatch(rest, /\b(the|and|of|to)\b/i, `${what}: no English in Chinese`);
        };
        const h = await openAs(k, 'handler', lang, phone);
        const m = await openAs(k, 'deptmanager', lang, phone);
        try {
          await h.page.getByTestId('workbench-urged').waitFor();
          await m.page.goto('/queues/department');
          const button = m.page.getByTestId(`urge-${c.number}`);
          await button.scrollIntoViewIfNeeded();
          await button.click();
          await m.page.getByTestId('urge-comment').fill(lang === 'en' ? 'Please call the customer today' : lang === 'zh-TW' ? '今天務必聯繫客戶' : '今天务必联系客户');
          await settled(m.page);
          await m.page.screenshot({ path: join(DIR, `${lang}-${screen}-queue-dialog.png`) });
          oneLanguage(await m.page.locator('.ant-modal').last().innerText(), 'urge dialog');
          await m.page.getByTestId('urge-send').click();
          const notice = h.page.getByTestId('urge-notice').filter({ hasText: c.number });
          await notice.waitFor();
          await settled(h.page);
          await h.page.screenshot({ path: join(DIR, `${lang}-${screen}-handler-notice.png`) });
          oneLanguage(await notice.innerText(), 'notice');
          oneLanguage(await h.page.getByTestId('workbench-urged').innerText(), 'workbench item');
          const { scroll, width } = await h.page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
          assert.ok(scroll <= width, `no sideways scrolling with the notice (${scroll} > ${width})`);
        } finally {
          await h.close();
          await m.close();
        }
      });
});
