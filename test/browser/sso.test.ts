/**
 * Single sign-on in Chromium: with KESU_OIDC_* set, the sign-in page shows "sign in with SSO";
 * pressing it goes to the OpenID provider (an in-process oidc-provider), where the person signs
 * in and consents, and comes back to the console signed in as the user an administrator created
 * with that e-mail. A refused sign-on comes back to the sign-in page with the reason in the UI
 * language. Screenshots (1366×768 and phone, zh-CN, zh-TW, en): test-output/screenshots/sso/*.png.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import Provider from 'oidc-provider';
import { browserSkip, settled, startConsole, SHOTS, type Console } from './support.js';
import { buildServer } from '../../src/http/server.js';
import { ssoConfig } from '../../src/config.js';

const skip = browserSkip();
const DIR = join(SHOTS, 'sso');
const LANGS = ['zh-CN', 'zh-TW', 'en'] as const;
const BUTTON = { 'zh-CN': '单点登录', 'zh-TW': '單一登入', en: 'Sign in with SSO' };
const UNKNOWN = { 'zh-CN': '没有使用此邮箱的账号', 'zh-TW': '沒有使用此電子郵件的帳號', en: 'no account has this e-mail' };
const EMAILS: Record<string, string> = { wq: 'wang.qiang@example.com', stranger: 'stranger@example.com' };

describe('web console: single sign-on', { skip }, () => {
  let k: Console;
  let idp: Server;
  let kesu: FastifyInstance;
  let base: string;

  before(async () => {
    mkdirSync(DIR, { recursive: true });
    k = await startConsole();
    idp = createServer();
    await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r));
    const issuer = `http://127.0.0.1:${(idp.address() as { port: number }).port}`;
    const sso = ssoConfig({
      KESU_OIDC_ISSUER: issuer,
      KESU_OIDC_CLIENT_ID: 'kesu',
      KESU_OIDC_CLIENT_SECRET: 'browser-test-client-secret-0123456789',
      KESU_OIDC_REDIRECT_URL: 'http://127.0.0.1:1/x',
      KESU_OIDC_EMAIL_CLAIM: 'email',
      KESU_OIDC_LABEL: undefined,
    })!;
    // A second server on the same organisation, with single sign-on on.
    kesu = await buildServer(k.app, { sso });
    await kesu.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(kesu.server.address() as { port: number }).port}`;
    sso.redirectUrl = `${base}/api/v1/auth/sso/callback`;
    const provider = new Provider(issuer, {
      clients: [{ client_id: 'kesu', client_secret: sso.clientSecret, redirect_uris: [sso.redirectUrl], grant_types: ['authorization_code'], response_types: ['code'] }],
      pkce: { required: () => true },
      claims: { openid: ['sub'], email: ['email', 'email_verified'] },
      cookies: { keys: ['browser-test-cookie-key'] },
      findAccount: async (_ctx, id) => (EMAILS[id] ? { accountId: id, claims: async () => ({ sub: id, email: EMAILS[id], email_verified: true }) } : undefined),
    });
    idp.on('request', provider.callback());
    await k.app.database.db.updateTable('users').set({ email: 'wang.qiang@example.com' }).where('username', '=', 'handler').execute();
  });
  after(async () => {
    await kesu?.close();
    await new Promise((r) => idp?.close(r));
    await k?.close();
  });

  async function open(lang: (typeof LANGS)[number], phone = false) {
    const ctx = await k.browser.newContext({ viewport: phone ? { width: 390, height: 844 } : { width: 1366, height: 768 }, locale: lang, baseURL: base, ...(phone ? { isMobile: true, hasTouch: true } : {}) });
    await ctx.addInitScript((l) => localStorage.setItem('kesu.lang', l), lang);
    const page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => console.log(`# page error: ${e.message}`));
    return { page, close: () => ctx.close() };
  }

  /** At the provider: its login form, then its consent form when it asks. */
  async function atProvider(page: import('playwright-core').Page, login: string) {
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
    const consent = page.locator('input[name="prompt"][value="consent"]');
    await Promise.race([consent.waitFor({ state: 'attached' }), page.waitForURL((u) => u.origin === base)]);
    if (new URL(page.url()).origin !== base) await page.locator('button[type="submit"]').click();
  }

  it('signs in through the provider and lands in the console as the matched user', async () => {
    const { page, close } = await open('zh-CN');
    await page.goto('/');
    const button = page.getByTestId('sso-button');
    await button.filter({ hasText: BUTTON['zh-CN'] }).waitFor();
    await settled(page);
    await page.screenshot({ path: join(DIR, 'zh-CN-desktop.png') });
    await button.click();
    await page.locator('input[name="login"]').waitFor();
    assert.notEqual(new URL(page.url()).origin, base, 'at the provider');
    await atProvider(page, 'wq');
    await page.getByTestId('whoami').filter({ hasText: '王强' }).waitFor();
    await settled(page);
    await page.screenshot({ path: join(DIR, 'zh-CN-desktop-signed-in.png') });
    await close();
  });

  for (const lang of LANGS)
    for (const phone of [false, true]) {
      it(`refuses an unknown e-mail, with the reason in ${lang} (${phone ? 'phone' : '1366×768'})`, async () => {
        const { page, close } = await open(lang, phone);
        await page.goto('/');
        const button = page.getByTestId('sso-button');
        await button.filter({ hasText: BUTTON[lang] }).waitFor();
        if (lang !== 'zh-CN' || phone) {
          await settled(page);
          await page.screenshot({ path: join(DIR, `${lang}-${phone ? 'phone' : 'desktop'}.png`) });
        }
        await button.click();
        await page.locator('input[name="login"]').waitFor();
        await atProvider(page, 'stranger');
        await page.getByTestId('sso-error').filter({ hasText: UNKNOWN[lang] }).waitFor();
        assert.equal(await page.getByTestId('whoami').count(), 0, 'not signed in');
        await settled(page);
        await page.screenshot({ path: join(DIR, `${lang}-${phone ? 'phone' : 'desktop'}-refused.png`) });
        await close();
      });
    }
});
