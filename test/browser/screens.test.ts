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
import { browserSkip, startConsole, SHOTS, type Console } from './support.js';

const skip = browserSkip();
const TOUR = join(SHOTS, 'tour');
const LANGS = ['zh-CN', 'zh-TW', 'en'] as const;
const SCREENS = { desktop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } } as const;

/** Characters that exist only in Simplified Chinese (their Traditional forms differ). */
const SIMPLIFIED_ONLY = /[这来时们说对国会发过个经动问题还没让给请点开关电话号码处认证选择态删]/;
const BILINGUAL = /[\u4e00-\u9fff][^|\n]{0,40}\|[A-Za-z]/;
const RAW_KEY = /\b[a-z]+(?:\.[a-zA-Z]+){2,}\b/;

async function token(base: string, username: string): Promise<string> {
  const r = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'kesu-demo' }) });
  assert.equal(r.status, 200);
  return ((await r.json()) as { token: string }).token;
}

async function call(base: string, auth: string, path: string, body: unknown): Promise<any> {
  const r = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}` }, body: JSON.stringify(body) });
  const json = await r.json();
  assert.ok(r.status < 300, `${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

/** The text a reader sees outside the case's own data (complaint text, names, addresses). */
async function chromeText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const clone = document.body.cloneNode(true) as HTMLElement;
    clone.querySelectorAll('[data-user-content], [data-testid="case-description"], [data-testid="whoami"], textarea, input').forEach((n) => n.remove());
    return clone.innerText;
  });
}

describe('console screenshot tour (three languages, desktop and phone)', { skip }, () => {
  let k: Console;
  let caseNumber = '';

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
            const text = await chromeText(page);
            const bilingual = text.match(BILINGUAL);
            if (bilingual) problems.push(`${pg.name}: two languages at once: ${bilingual[0]}`);
            const raw = text.match(RAW_KEY);
            if (raw) problems.push(`${pg.name}: untranslated key ${raw[0]}`);
            if (lang === 'zh-TW') {
              const s = text.split('\n').find((line) => SIMPLIFIED_ONLY.test(line) && !line.includes(caseNumber));
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
