/**
 * The triage day of issue 14 in Chromium: the specialist judges, classifies and routes a
 * complaint in one form by keyboard (the category's department filled in; the handler pickers
 * show department and open cases; the backup list leaves out the primary); the agent's
 * complained-about-employee picker leaves out administrators and auditors and follows the chosen
 * department; after a 驳回 the handler's new proposal starts from the rejected one with the
 * reason beside it; a pending case shows "已暂停，剩余 …" instead of "— —"; an extension is asked
 * for with a number and a unit. Screenshots at 1366×768 and on a phone in zh-CN, zh-TW and en:
 * test-output/screenshots/triage/<lang>-<screen>-<what>.png.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { apiPost, apiToken, browserSkip, choose, dropdownsClosed, optionsOf, selectedText, settled, startConsole, SHOTS, type Console } from './support.js';

const skip = browserSkip();
const DIR = join(SHOTS, 'triage');
const LANGS = ['zh-CN', 'zh-TW', 'en'] as const;
const SCREENS = { desktop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } } as const;

const token = apiToken;
const call = apiPost;

async function openCase(page: Page, number: string) {
  await page.goto(`/cases/${number}`);
  await page.getByTestId('case-number').filter({ hasText: number }).waitFor();
}

describe('one-step triage, pickers with context, proposals after 驳回, paused clocks', { skip }, () => {
  let k: Console;
  let ids: Record<string, string>;
  let auth: Record<string, string>;
  const intake = async (description: string, extra: Record<string, unknown> = {}) =>
    (await call(k.base, auth.agent!, '/api/v1/complaints', { channel: 'phone', description, complainant: { name: '林先生', phone: '13812345678' }, ...extra })).complaint as { id: string; number: string };
  const act = (id: string, user: string, action: string, body: unknown) => call(k.base, auth[user]!, `/api/v1/complaints/${id}/actions/${action}`, body);
  /** A case assigned to 王强 (handler), routed through the triage endpoint. */
  const assigned = async (description: string) => {
    const c = await intake(description);
    await call(k.base, auth.specialist!, `/api/v1/complaints/${c.id}/actions/triage`, {
      judge: { valid: true },
      classify: { category: 'goods_damage_shortage', grade: 'important' },
      route: { departmentCode: 'logistics', primaryHandlerId: ids.handler, backupHandlerId: ids.handler2 },
    });
    return c;
  };
  /** Cases whose proposal the customer service manager rejected (one to propose again, one for the screenshots). */
  let rejected: { id: string; number: string };
  let rejectedShots: { id: string; number: string };
  const reject = async (description: string) => {
    const c = await assigned(description);
    await act(c.id, 'handler', 'accept', {});
    await act(c.id, 'handler', 'investigate', { facts: '仓库包装破损', cause: '运输途中挤压', responsibility: { type: 'department', departmentCode: 'logistics' } });
    await act(c.id, 'handler', 'propose', { solutions: ['exchange', 'compensation'], amount: 1200, description: '换货并补偿 1200 元购物券' });
    await act(c.id, 'csmanager', 'reject', { comment: '补偿金额过高，请改为 300 元' });
    return c;
  };
  /** A case pending (未了事宜): its clocks paused. */
  let pending: { id: string; number: string };
  /** Received cases to triage in the screenshots, one per language and screen. */
  const fresh: { number: string }[] = [];

  before(async () => {
    k = await startConsole();
    mkdirSync(DIR, { recursive: true });
    ids = Object.fromEntries(k.userIds);
    auth = {};
    for (const u of ['agent', 'specialist', 'handler', 'csmanager']) auth[u] = await token(k.base, u);
    // Load for the pickers: the cases below are 王强's.
    await assigned('门店少发了一件外套。');
    rejected = await reject('送来的洗发水瓶身破裂，漏了一半，要求换货并赔偿。');
    rejectedShots = await reject('送来的沐浴露瓶盖破裂，漏了一地。');
    pending = await assigned('快递丢件，等待保险公司定损。');
    await act(pending.id, 'handler', 'accept', {});
    await act(pending.id, 'handler', 'pend', { reason: '等待保险公司定损结果' });
    for (let n = 0; n < LANGS.length * 2; n++) fresh.push(await intake(`第 ${n + 1} 件：快递员态度恶劣。`));
  });
  after(async () => k?.close());

  it('the specialist triages a complaint in one form, by keyboard, with the handlers in context', async () => {
    const c = await intake('9月27日送达的包裹外箱破损，里面的杯子碎了。');
    const page = await k.as('specialist');
    await openCase(page, c.number);
    // The three separate actions stay; the one-step triage comes first.
    for (const a of ['triage', 'judge']) await page.getByTestId(`action-${a}`).waitFor();
    await page.getByTestId('action-triage').focus();
    await page.keyboard.press('Enter');
    const form = page.getByTestId('triage-form');
    await form.waitFor();
    for (const step of ['judge', 'classify', 'route']) await form.getByTestId(`triage-step-${step}`).waitFor();
    await choose(page, 'action_triage_classify_category', '货损');
    // The policy's routing rule for the category fills the department in.
    assert.match(await selectedText(page, 'action_triage_route_departmentCode'), /物流配送部/);
    await form
      .locator('label.ant-radio-button-wrapper')
      .filter({ hasText: /^重要投诉$/ })
      .locator('input')
      .focus();
    await page.keyboard.press('Space');

    // Handlers with department and open cases (as the server counts them: 王强 has those of before()).
    const load = (await (await fetch(`${k.base}/api/v1/directory/load`, { headers: { authorization: `Bearer ${auth.specialist}` } })).json()) as { userId: string; openCases: number }[];
    const held = load.find((x) => x.userId === ids.handler)?.openCases;
    assert.ok(held !== undefined && held >= 4, JSON.stringify(load));
    const primaries = await optionsOf(page, 'action_triage_route_primaryHandlerId');
    assert.ok(primaries.includes(`王强 · 客服中心 · 在办 ${held}`), primaries.join(' / '));
    assert.ok(
      primaries.some((o) => /^吴磊 · 客服中心 · 在办 0$/.test(o)),
      primaries.join(' / '),
    );
    await choose(page, 'action_triage_route_primaryHandlerId', '王强');
    const backups = await optionsOf(page, 'action_triage_route_backupHandlerId');
    assert.ok(!backups.some((o) => o.startsWith('王强')), `the primary is not offered as backup: ${backups.join(' / ')}`);
    assert.ok(backups.some((o) => o.startsWith('吴磊')));
    await choose(page, 'action_triage_route_backupHandlerId', '吴磊');
    await settled(page);
    await page.screenshot({ path: join(DIR, 'zh-CN-desktop-triage-filled.png') });
    await form.getByTestId('action-submit').focus();
    await page.keyboard.press('Enter');
    await form.waitFor({ state: 'detached' });
    await page.locator('[data-testid="case-header"][data-state="assigned"]').waitFor();
    const timeline = await page.getByTestId('case-timeline').innerText();
    assert.match(timeline, /判定是否成立[\s\S]*分类分级[\s\S]*分派/);
    assert.match(timeline, /物流配送部 · 王强 \/ 吴磊/);
  });

  it('refuses a bad third step under its field, in the UI language, and changes nothing', async () => {
    // 吴磊 is the complained-about employee: the route step refuses him (avoidance).
    const c = await intake('吴磊上门安装时态度恶劣。', { subject: { employeeIds: [ids.handler2] } });
    const page = await k.as('specialist');
    await openCase(page, c.number);
    await page.getByTestId('action-triage').click();
    const form = page.getByTestId('triage-form');
    await choose(page, 'action_triage_classify_category', '服务态度');
    const primaries = await optionsOf(page, 'action_triage_route_primaryHandlerId');
    assert.ok(
      primaries.some((o) => o.startsWith('吴磊') && o.endsWith('⚠')),
      primaries.join(' / '),
    );
    await choose(page, 'action_triage_route_primaryHandlerId', '吴磊');
    await form.getByTestId('action-submit').click();
    await page.locator('#action_triage_route_primaryHandlerId_help').getByText('被投诉人须回避，不能被指派处理本案').waitFor();
    await settled(page);
    await page.screenshot({ path: join(DIR, 'zh-CN-desktop-triage-refused.png') });
    await page.keyboard.press('Escape');
    await form.waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('case-header').getAttribute('data-state'), 'received');
    await openCase(page, c.number);
    assert.equal(await page.getByTestId('case-header').getAttribute('data-state'), 'received', 'nothing applied, not even the judgement');
    assert.doesNotMatch(await page.getByTestId('case-timeline').innerText(), /判定是否成立/);
  });

  it('the complained-about employee picker: people who serve customers, in the chosen department', async () => {
    const page = await k.as('agent');
    await page.goto('/intake');
    await page.locator('#intake_w_what').waitFor();
    const everyone = await optionsOf(page, 'intake_subject_employeeIds');
    assert.ok(everyone.length > 0);
    assert.ok(!everyone.some((o) => /管理员|审计员/.test(o)), `no administrator or auditor: ${everyone.join(' / ')}`);
    assert.ok(
      everyone.some((o) => o.startsWith('张敏')),
      'agents serve customers',
    );
    await choose(page, 'intake_subject_departmentCode', '客服中心');
    const inDept = await optionsOf(page, 'intake_subject_employeeIds');
    assert.deepEqual(inDept.map((o) => o.replace(/（.*$/, '')).sort(), ['吴磊', '王强', '赵伟'].sort());
    await choose(page, 'intake_subject_employeeIds', '王强');
    // Another department: the employee chosen in the first no longer stands.
    await choose(page, 'intake_subject_departmentCode', '物流');
    assert.doesNotMatch(await selectedText(page, 'intake_subject_employeeIds'), /王强/);
    await settled(page);
    await page.screenshot({ path: join(DIR, 'zh-CN-desktop-intake-subject.png') });
  });

  it('after a 驳回 the new proposal starts from the rejected one, the reason beside it', async () => {
    const page = await k.as('handler');
    await openCase(page, rejected.number);
    await page.getByTestId('action-propose').click();
    const form = page.getByTestId('action-form-propose');
    await form.waitFor();
    const reason = page.getByTestId('propose-rejection');
    assert.match(await reason.innerText(), /补偿金额过高，请改为 300 元/);
    assert.match(await reason.innerText(), /陈芳/);
    assert.equal(await form.locator('#action_propose_amount').inputValue(), '1200');
    assert.equal(await form.locator('#action_propose_description').inputValue(), '换货并补偿 1200 元购物券');
    const checked = await form.locator('label.ant-checkbox-wrapper-checked').allInnerTexts();
    assert.deepEqual(checked.map((x) => x.trim()).sort(), ['换货', '补偿'].sort());
    await settled(page);
    await page.screenshot({ path: join(DIR, 'zh-CN-desktop-propose-after-reject.png') });
    await form.locator('#action_propose_amount').fill('300');
    await form.locator('#action_propose_description').fill('换货并补偿 300 元');
    await form.getByTestId('action-submit').click();
    await form.waitFor({ state: 'detached' });
    await page.locator('[data-testid="case-header"][data-state="awaiting_approval"]').waitFor();
  });

  it('a pending case shows the time left on its paused promise; an extension is a number and a unit', async () => {
    const page = await k.as('handler');
    await openCase(page, pending.number);
    const promise = page.getByTestId('case-promise-paused');
    // Important: 3 calendar days from receipt, a few seconds of which ran before the pause.
    assert.match(await promise.innerText(), /已暂停，剩余 3 天/);
    assert.doesNotMatch(await page.getByTestId('case-header').innerText(), /— —/);
    assert.match(await page.getByTestId('clock-paused-resolve').innerText(), /已暂停，剩余 3 天/);
    await settled(page);
    await page.screenshot({ path: join(DIR, 'zh-CN-desktop-paused.png') });

    // The extension on another case being handled: 2 + 工作日 → 2wd.
    const c = await assigned('冰箱送到时门已变形。');
    await act(c.id, 'handler', 'accept', {});
    await openCase(page, c.number);
    await page.getByTestId('action-request_extension').click();
    const form = page.getByTestId('action-form-request_extension');
    await form.locator('#action_request_extension_reason').fill('等待厂家检测');
    await form.locator('#action_request_extension_duration').fill('2');
    assert.match(await form.getByTestId('duration-unit').innerText(), /工作日/);
    await form.getByTestId('action-submit').click();
    await form.waitFor({ state: 'detached' });
    const r = await fetch(`${k.base}/api/v1/complaints/${c.id}`, { headers: { authorization: `Bearer ${auth.handler}` } });
    const view = (await r.json()) as { complaint: { extensionRequest: { duration: string } | null } };
    assert.equal(view.complaint.extensionRequest?.duration, '2wd');
    await page.getByText(/2 个工作日 · 等待厂家检测/).waitFor();
  });

  let shotNo = 0;
  for (const lang of LANGS) {
    for (const [screen, viewport] of Object.entries(SCREENS)) {
      it(`${lang} on ${screen}: the triage form, a rejected proposal and a paused promise in one language`, async () => {
        const contexts: Awaited<ReturnType<Console['browser']['newContext']>>[] = [];
        const signedIn = async (user: string) => {
          const ctx = await k.browser.newContext({ viewport, locale: lang, baseURL: k.base, ...(screen === 'phone' ? { isMobile: true, hasTouch: true } : {}) });
          contexts.push(ctx);
          await ctx.addInitScript((l) => localStorage.setItem('kesu.lang', l), lang);
          const page = await ctx.newPage();
          page.setDefaultTimeout(20_000);
          await page.goto('/');
          await page.locator('#login_username').fill(user);
          await page.locator('#login_password').fill('kesu-demo');
          await page.locator('#login_password').press('Enter');
          await page.getByTestId('whoami').waitFor();
          return page;
        };
        /** The interface text of the open dialog, without the case's and the people's own data. */
        const chrome = async (page: Page) => (await page.locator('.ant-modal').innerText()).replace(/KS-\d{4}-\d+/g, '').replace(/王强|吴磊|赵伟|陈芳|补偿金额过高，请改为 300 元|换货并补偿 1200 元购物券/g, '');
        const oneLanguage = (text: string, what: string) => {
          if (lang === 'en') assert.doesNotMatch(text, /[\u4e00-\u9fff]/, `${what}: no Chinese in English`);
          if (lang === 'zh-TW') assert.doesNotMatch(text, /[这来时们说对国会发过个经动问题还没让给请点开关电话号码处认证选择态删类级诉驳]/, `${what}: no Simplified-only characters`);
          if (lang !== 'en') assert.doesNotMatch(text, /\b(the|and|of|to)\b/i, `${what}: no English in Chinese`);
        };
        try {
          const specialist = await signedIn('specialist');
          await openCase(specialist, fresh[shotNo++]!.number);
          await specialist.getByTestId('action-triage').click();
          await specialist.getByTestId('triage-form').waitFor();
          await choose(specialist, 'action_triage_route_primaryHandlerId', '王');
          await settled(specialist);
          await specialist.screenshot({ path: join(DIR, `${lang}-${screen}-triage.png`) });
          oneLanguage(await chrome(specialist), 'triage form');
          const { scroll, width } = await specialist.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
          assert.ok(scroll <= width, `no sideways scrolling (${scroll} > ${width})`);

          const handler = await signedIn('handler');
          await openCase(handler, pending.number);
          const paused = await handler.getByTestId('case-promise-paused').innerText();
          assert.match(paused, lang === 'en' ? /Paused, 3 days left/ : lang === 'zh-TW' ? /已暫停，剩餘 3 天/ : /已暂停，剩余 3 天/);
          await settled(handler);
          await handler.screenshot({ path: join(DIR, `${lang}-${screen}-paused.png`) });
          await openCase(handler, rejectedShots.number);
          await handler.getByTestId('action-propose').click();
          await handler.getByTestId('propose-rejection').waitFor();
          oneLanguage(await chrome(handler), 'proposal after rejection');
          await settled(handler);
          await handler.screenshot({ path: join(DIR, `${lang}-${screen}-propose.png`) });
          await handler.keyboard.press('Escape');
          await handler.getByTestId('action-request_extension').click();
          await handler.getByTestId('duration-unit').waitFor();
          await settled(handler);
          await handler.screenshot({ path: join(DIR, `${lang}-${screen}-extension.png`) });
        } finally {
          for (const c of contexts) await c.close();
        }
      });
    }
  }
});
