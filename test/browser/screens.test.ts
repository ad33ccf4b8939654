/**
 * A screenshot tour of the console's main pages in all three languages, on a 1366×768 screen and
 * on a phone (390×844), so a person can look at every page before calling a UI change done
 * (test-output/screenshots/tour/<lang>-<screen>-<page>.png). Each page is also checked for what a
 * reader would trip over: a server message in two languages at once ("中文|English"), an
 * untranslated catalogue key ("case.actions.route"), or an interface text of another language
 * (Simplified-only characters in zh-TW, Chinese in the English chrome outside the case's own data).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { apiPost, apiToken, browserSkip, startConsole, SHOTS, type Console } from './support.js';

const skip = browserSkip();
const TOUR = join(SHOTS, 'tour');
const LANGS = ['zh-CN', 'zh-TW', 'en'] as const;
const SCREENS = { desktop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } } as const;

/** Characters that exist only in Simplified Chinese (their Traditional forms differ). */
const SIMPLIFIED_ONLY = /[这来时们说对国会发过个经动问题还没让给请点开关电话号码处认证选择态删]/;
const BILINGUAL = /[\u4e00-\u9fff][^|\n]{0,40}\|[A-Za-z]/;
const RAW_KEY = /\b[a-z]+(?:\.[a-zA-Z]+){2,}\b/;

const token = apiToken;
const call = apiPost;

/**
 * The text a reader sees, with the data the test itself entered (complaint texts, names, the
 * demo users' names) taken out: that is the customer's and the organisation's own text, in
 * whatever script they wrote it, not the interface's.
 */
async function chromeText(page: Page, data: string[]): Promise<string> {
  let text = await page.evaluate(() => document.body.innerText);
  for (const d of data) text = text.split(d).join(' ');
  return text;
}

describe('console screenshot tour (three languages, desktop and phone)', { skip }, () => {
  let k: Console;
  let caseNumber = '';
  /** Everything the test entered, and the demo users' names (data, not interface text). */
  const entered: string[] = [];

  before(async () => {
    k = await startConsole();
    mkdirSync(TOUR, { recursive: true });
    const agent = await token(k.base, 'agent');
    const created = await call(k.base, agent, '/api/v1/complaints', {
      channel: 'phone',
      description: '9月27日送达的洗发水瓶身破裂，漏了一半，要求换货并赔偿。',
      complainant: { name: '林先生', phone: '13812345678', address: '上海市浦东新区世纪大道100号' },
      demands: { types: ['return_exchange', 'compensation'], amount: 50 },
    });
    caseNumber = created.complaint.number;
    const specialist = await token(k.base, 'specialist');
    await call(k.base, specialist, `/api/v1/complaints/${created.complaint.id}/actions/judge`, { valid: true });
    // A second case waiting for its follow-up call, so the follow-up console shows a case.
    const answered = await call(k.base, agent, '/api/v1/complaints', {
      channel: 'web',
      description: '快递员未经同意将包裹放在门口，包裹丢失。',
      complainant: { name: '王女士', phone: '13900001111' },
    });
    const policy = await k.app.activePolicy();
    const category = policy.categories.find((c) => c.department) ?? policy.categories[0]!;
    const dept = category.department ?? policy.departments[0]!.code;
    const ids = Object.fromEntries(k.userIds);
    const handler = await token(k.base, 'handler');
    const at = (a: string) => `/api/v1/complaints/${answered.complaint.id}/actions/${a}`;
    await call(k.base, specialist, at('judge'), { valid: true });
    await call(k.base, specialist, at('classify'), { category: category.code, grade: 'general' });
    await call(k.base, specialist, at('route'), { departmentCode: dept, primaryHandlerId: ids.handler, backupHandlerId: ids.handler2 });
    await call(k.base, handler, at('accept'), {});
    await call(k.base, handler, at('investigate'), { facts: '属实', cause: '未按约定投递', responsibility: { type: 'department', departmentCode: dept } });
    await call(k.base, handler, at('propose'), { solutions: ['apology'], amount: 0, description: '致歉并补发' });
    await call(k.base, handler, at('answer'), { text: '已补发并致歉。', method: 'phone', written: false });
    const users = await k.app.database.db.selectFrom('users').select('name').execute();
    entered.push(
      '9月27日送达的洗发水瓶身破裂，漏了一半，要求换货并赔偿。',
      '快递员未经同意将包裹放在门口，包裹丢失。',
      '上海市浦东新区世纪大道100号',
      '致歉并补发',
      '已补发并致歉。',
      '未按约定投递',
      '属实',
      '林先生',
      '王女士',
      ...users.map((u) => u.name),
    );
    entered.sort((a, b) => b.length - a.length); // longest first: a name inside a text goes with the text
  });
  after(async () => {
    await k?.close();
  });

  const pages: { name: string; user: string; path: string; ready: (p: Page) => Promise<void> }[] = [
    { name: 'intake', user: 'agent', path: '/intake', ready: (p) => p.locator('#intake_w_what').waitFor() },
    { name: 'queue', user: 'specialist', path: '/queues/triage', ready: (p) => p.getByTestId('queue-table').getByText(caseNumber).waitFor() },
    { name: 'case', user: 'specialist', path: '', ready: (p) => p.getByTestId('case-header').waitFor() },
    {
      name: 'followup',
      user: 'followup',
      path: '/followup',
      ready: async (p) => {
        await p.getByTestId('followup-item').first().click();
        await p.getByTestId('followup-form').waitFor();
      },
    },
    { name: 'dashboard', user: 'csmanager', path: '/dashboard', ready: (p) => p.getByTestId('whoami').waitFor() },
    { name: 'process', user: 'csmanager', path: '/process', ready: (p) => p.getByTestId('whoami').waitFor() },
    { name: 'admin', user: 'admin', path: '/admin', ready: (p) => p.getByTestId('whoami').waitFor() },
  ];

  it('an agent issues a portal access code on the case page, and the caller tracks the case with it', async () => {
    const ctx = await k.browser.newContext({ viewport: SCREENS.desktop, locale: 'zh-CN', baseURL: k.base });
    try {
      const page = await ctx.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto('/');
      await page.locator('#login_username').fill('agent');
      await page.locator('#login_password').fill('kesu-demo');
      await page.locator('#login_password').press('Enter');
      await page.getByTestId('whoami').waitFor();
      await page.goto(`/cases/${caseNumber}`);
      await page.getByTestId('issue-access-code').click();
      await page.getByTestId('issue-access-code-ok').click();
      const shown = (await page.getByTestId('access-code').innerText()).trim();
      assert.match(shown, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
      assert.equal((await page.getByTestId('access-code-url').innerText()).trim(), `${k.base}/portal/track`);
      assert.ok((await page.getByTestId('access-code-result').innerText()).includes(caseNumber), 'the read-out names the case number');
      await page.screenshot({ path: join(TOUR, 'zh-CN-desktop-case-access-code.png') });
      // The caller, on the portal, with the number and the code read out.
      const portal = await ctx.newPage();
      await portal.goto(`${k.base}/portal/track`);
      await portal.fill('#number', caseNumber);
      await portal.fill('#code', shown);
      await Promise.all([portal.waitForLoadState('domcontentloaded'), portal.click('button[type=submit]')]);
      await portal.locator('#case-state').waitFor();
      assert.ok((await portal.locator('main').innerText()).includes(caseNumber));
    } finally {
      await ctx.close();
    }
  });

  it('intake on a phone: script and caller history below the form; the script follows the channel; errors in one language', async () => {
    const ctx = await k.browser.newContext({ viewport: SCREENS.phone, locale: 'en', baseURL: k.base, isMobile: true, hasTouch: true });
    try {
      await ctx.addInitScript(() => localStorage.setItem('kesu.lang', 'en'));
      const page = await ctx.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto('/');
      await page.locator('#login_username').fill('agent');
      await page.locator('#login_password').fill('kesu-demo');
      await page.locator('#login_password').press('Enter');
      await page.getByTestId('whoami').waitFor();
      await page.goto('/intake');
      await page.locator('#intake_w_what').waitFor();
      await page.locator('#intake_complainant_phone').fill('13812345678');
      await page.getByTestId('phone-script').getByText('Answer and greet').waitFor();
      const form = await page.locator('form#intake').boundingBox();
      const side = await page.getByTestId('intake-side').boundingBox();
      assert.ok(form && side && side.y >= form.y + form.height - 1, `the side panels start below the form (${JSON.stringify({ form, side })})`);
      const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
      assert.ok(scroll <= width, `no sideways scrolling (${scroll} > ${width})`);
      await page.screenshot({ path: join(TOUR, 'en-phone-intake-full.png'), fullPage: true });
      // A walk-in visitor: no "answer within three rings"; a letter: no call script at all.
      await page.locator('#intake_channel').click();
      await page.keyboard.type('Walk');
      await page.keyboard.press('Enter');
      await page.locator('[data-script="live"]').waitFor();
      assert.equal(await page.getByTestId('phone-script').getByText('Answer and greet').count(), 0);
      // A bad phone number: the message in English only.
      await page.locator('#intake_complainant_phone').fill('abc');
      await page.locator('#intake_w_what').fill('The bottle arrived broken.');
      await page.getByTestId('intake-save').click();
      const help = page.locator('#intake_complainant_phone_help');
      await help.waitFor();
      const text = (await help.innerText()).trim();
      assert.equal(text, 'Invalid phone number');
    } finally {
      await ctx.close();
    }
  });

  for (const lang of LANGS) {
    for (const [screen, viewport] of Object.entries(SCREENS)) {
      it(`${lang} on ${screen}: every main page readable in one language`, async () => {
        const problems: string[] = [];
        for (const pg of pages) {
          const ctx = await k.browser.newContext({ viewport, locale: lang, baseURL: k.base, isMobile: screen === 'phone', hasTouch: screen === 'phone' });
          try {
            await ctx.addInitScript((l) => localStorage.setItem('kesu.lang', l), lang);
            const page = await ctx.newPage();
            page.setDefaultTimeout(20_000);
            await page.goto('/');
            await page.locator('#login_username').fill(pg.user);
            await page.locator('#login_password').fill('kesu-demo');
            await page.locator('#login_password').press('Enter');
            await page.getByTestId('whoami').waitFor();
            await page.goto(pg.path || `/cases/${caseNumber}`);
            await pg.ready(page);
            await page.waitForLoadState('networkidle');
            await page.screenshot({ path: join(TOUR, `${lang}-${screen}-${pg.name}.png`) });
            const text = await chromeText(page, entered);
            const bilingual = text.match(BILINGUAL);
            if (bilingual) problems.push(`${pg.name}: two languages at once: ${bilingual[0]}`);
            const raw = text.match(RAW_KEY);
            if (raw) problems.push(`${pg.name}: untranslated key ${raw[0]}`);
            if (lang === 'zh-TW') {
              const s = text.split('\n').find((line) => SIMPLIFIED_ONLY.test(line));
              if (s) problems.push(`${pg.name}: Simplified text in zh-TW: ${s.slice(0, 60)}`);
            }
          } finally {
            await ctx.close();
          }
        }
        assert.deepEqual(problems, []);
      });
    }
  }
});
