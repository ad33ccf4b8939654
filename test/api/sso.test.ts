/**
 * Single sign-on (issue 12 §2), on both engines, against a real OpenID provider (oidc-provider)
 * running in this process on its own port, driven by a real HTTP client (fetch, redirects
 * followed by hand with a cookie jar, the provider's own login and consent forms submitted):
 * the authorization-code flow with PKCE ends in a Kesu session for the user an administrator
 * created with that e-mail (matched case-insensitively); an e-mail nobody has, a deactivated
 * user, a callback without its flow cookie and a forged state are refused, each back on the
 * sign-in page with its reason and an auth event. No mocks.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import Provider from 'oidc-provider';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { buildServer } from '../../src/http/server.js';
import { ssoConfig, type SsoConfig } from '../../src/config.js';
import { listAuthEvents } from '../../src/store/login-throttle.repository.js';
import type { FastifyInstance } from 'fastify';

const CLIENT_SECRET = 'a-client-secret-for-tests-only-0123456789';
/** The provider's accounts: login name → e-mail. */
const EMAILS: Record<string, string> = { wq: 'wang.qiang@example.com', stranger: 'stranger@example.com', wl: 'wu.lei@example.com' };

/** A browser's cookies, per origin (enough for two hosts on loopback). */
class Jar {
  private readonly jars = new Map<string, Map<string, string>>();
  header(url: string): string {
    return [...(this.jars.get(new URL(url).host) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  take(url: string, res: Response) {
    const jar = this.jars.get(new URL(url).host) ?? new Map<string, string>();
    this.jars.set(new URL(url).host, jar);
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (expired) jar.delete(name);
      else jar.set(name, value);
    }
  }
  get(host: string, name: string): string | undefined {
    return this.jars.get(host)?.get(name);
  }
}

/** One request as a browser sends it; the answer with the cookies taken. */
async function send(jar: Jar, url: string, init: { method?: string; form?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { cookie: jar.header(url) };
  if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
  const res = await fetch(url, { method: init.method ?? 'GET', headers, body: init.form ? new URLSearchParams(init.form).toString() : undefined, redirect: 'manual' });
  jar.take(url, res);
  return res;
}

/** Follows redirects from `url` until an answer that is not one; every hop recorded. */
async function follow(jar: Jar, url: string, first?: Response) {
  const hops: string[] = [];
  let res = first ?? (await send(jar, url));
  let at = url;
  while (res.status >= 300 && res.status < 400) {
    at = new URL(res.headers.get('location')!, at).href;
    hops.push(at);
    res = await send(jar, at);
  }
  return { res, at, hops };
}

/** Submits the provider's form on the page (login or consent), as its HTML says. */
async function submitForm(jar: Jar, pageUrl: string, html: string, fields: Record<string, string>) {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
  assert.ok(action && prompt, `a form on ${pageUrl}: ${html.slice(0, 300)}`);
  const target = new URL(action.replaceAll('&amp;', '&'), pageUrl).href;
  return { target, res: await send(jar, target, { method: 'POST', form: { prompt, ...fields } }) };
}

for (const { dialect, skip } of await engines()) {
  describe(`single sign-on with an OpenID provider (${dialect})`, { skip }, () => {
    let k: Kesu;
    let idp: Server;
    let kesu: FastifyInstance;
    let issuer: string;
    let base: string;
    let sso: SsoConfig;

    before(async () => {
      k = await startKesu(dialect);
      idp = createServer();
      await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r));
      issuer = `http://127.0.0.1:${(idp.address() as { port: number }).port}`;
      // The redirect URL names Kesu's port, known once it listens: the object is completed then.
      sso = ssoConfig({
        KESU_OIDC_ISSUER: issuer,
        KESU_OIDC_CLIENT_ID: 'kesu',
        KESU_OIDC_CLIENT_SECRET: CLIENT_SECRET,
        KESU_OIDC_REDIRECT_URL: 'http://127.0.0.1:1/api/v1/auth/sso/callback',
        KESU_OIDC_EMAIL_CLAIM: 'email',
        KESU_OIDC_LABEL: undefined,
      })!;
      kesu = await buildServer(k.app, { sso });
      await kesu.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(kesu.server.address() as { port: number }).port}`;
      sso.redirectUrl = `${base}/api/v1/auth/sso/callback`;
      const provider = new Provider(issuer, {
        clients: [{ client_id: 'kesu', client_secret: CLIENT_SECRET, redirect_uris: [sso.redirectUrl], grant_types: ['authorization_code'], response_types: ['code'] }],
        pkce: { required: () => true },
        claims: { openid: ['sub'], email: ['email', 'email_verified'] },
        cookies: { keys: ['cookie-key-for-tests-only'] },
        findAccount: async (_ctx, id) => (EMAILS[id] ? { accountId: id, claims: async () => ({ sub: id, email: EMAILS[id], email_verified: true }) } : undefined),
      });
      idp.on('request', provider.callback());

      // The administrator pre-creates the people who may sign on, by their e-mail.
      const admin = await k.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'kesu-demo' } });
      const auth = { authorization: `Bearer ${admin.json().token}` };
      const patch = async (u: string, body: object) => assert.equal((await k.server.inject({ method: 'PATCH', url: `/api/v1/users/${k.userIds.get(u)}`, headers: auth, payload: body })).statusCode, 200);
      await patch('handler', { email: 'Wang.Qiang@Example.com' });
      await patch('handler2', { email: 'wu.lei@example.com' });
      assert.equal((await k.server.inject({ method: 'POST', url: `/api/v1/users/${k.userIds.get('handler2')}/deactivate`, headers: auth })).statusCode, 200);
    });
    after(async () => {
      await kesu?.close();
      await new Promise((r) => idp?.close(r));
      await k?.close();
    });

    /** Start at Kesu's button, sign in at the provider as `login`, consent, and come back. */
    async function signOn(login: string, returnTo = '/cases') {
      k.clock.advance(1000); // one auth event per second: the newest first
      const jar = new Jar();
      const start = await send(jar, `${base}/api/v1/auth/sso/start?returnTo=${encodeURIComponent(returnTo)}`);
      assert.equal(start.status, 302);
      const authUrl = new URL(start.headers.get('location')!);
      assert.equal(authUrl.origin, issuer);
      assert.equal(authUrl.searchParams.get('code_challenge_method'), 'S256', 'PKCE');
      assert.ok(authUrl.searchParams.get('code_challenge') && authUrl.searchParams.get('state') && authUrl.searchParams.get('nonce'));
      assert.ok(jar.get(new URL(base).host, 'kesu_sso'), 'the flow cookie is set');
      let page = await follow(jar, authUrl.href);
      assert.equal(page.res.status, 200);
      let html = await page.res.text();
      assert.match(html, /name="login"/, 'the provider’s login form');
      let sub = await submitForm(jar, page.at, html, { login, password: 'any' });
      page = await follow(jar, sub.target, sub.res);
      if (page.res.status === 200 && new URL(page.at).origin === issuer) {
        html = await page.res.text();
        assert.match(html, /value="consent"/, 'the provider’s consent form');
        sub = await submitForm(jar, page.at, html, {});
        page = await follow(jar, sub.target, sub.res);
      }
      return { jar, page, session: jar.get(new URL(base).host, 'kesu_session'), flowCookieLeft: jar.get(new URL(base).host, 'kesu_sso') };
    }

    const ssoEvents = async () => (await listAuthEvents(k.app.database.db, 200)).filter((e) => e.kind.startsWith('sso_'));

    it('tells the sign-in page that single sign-on is on', async () => {
      const r = await fetch(`${base}/api/v1/auth/sso`);
      assert.deepEqual(await r.json(), { enabled: true, label: null });
      const off = await k.server.inject({ method: 'GET', url: '/api/v1/auth/sso' });
      assert.deepEqual(off.json(), { enabled: false, label: null }, 'a server without the settings shows no button');
      assert.equal((await k.server.inject({ method: 'GET', url: '/api/v1/auth/sso/start' })).statusCode, 404);
    });

    it('signs in the user an administrator created with that e-mail, and returns to the page asked for', async () => {
      const { page, session, flowCookieLeft, jar } = await signOn('wq');
      assert.ok(
        page.hops.some((h) => h.startsWith(`${base}/api/v1/auth/sso/callback?`)),
        `came back through the callback: ${page.hops.join(' → ')}`,
      );
      assert.equal(new URL(page.at).pathname, '/cases', 'back where the sign-in started');
      assert.ok(session, 'a session cookie');
      assert.equal(flowCookieLeft, undefined, 'the flow cookie is cleared');
      const me = await fetch(`${base}/api/v1/me`, { headers: { cookie: jar.header(base) } });
      assert.equal(me.status, 200);
      assert.equal((await me.json()).username, 'handler');
      const [e] = await ssoEvents();
      assert.equal(e!.kind, 'sso_signed_in');
      assert.equal(e!.username, 'handler');
      assert.equal(JSON.stringify(e).includes(decodeURIComponent(session!)), false, 'no token in the audit event');
    });

    it('refuses an e-mail no user has, and a deactivated user: back on the sign-in page with the reason', async () => {
      for (const [login, reason, username] of [
        ['stranger', 'unknown_user', null],
        ['wl', 'inactive_user', 'handler2'],
      ] as const) {
        const before = (await ssoEvents()).length;
        const { page, session } = await signOn(login);
        assert.equal(session, undefined, `${login}: no session`);
        assert.equal(new URL(page.at).origin, base);
        assert.equal(new URL(page.at).searchParams.get('sso_error'), reason);
        const events = await ssoEvents();
        assert.equal(events.length, before + 1);
        assert.deepEqual([events[0]!.kind, events[0]!.username, events[0]!.detail.reason], ['sso_refused', username, reason]);
      }
    });

    it('refuses a callback without its flow cookie, and one whose state was forged', async () => {
      const bare = await fetch(`${base}/api/v1/auth/sso/callback?code=abc&state=xyz`, { redirect: 'manual' });
      assert.equal(bare.status, 302);
      assert.equal(bare.headers.get('location'), '/?sso_error=failed');

      // A real code from the provider, delivered with another flow's state: refused, no session.
      k.clock.advance(1000);
      const jar = new Jar();
      const start = await send(jar, `${base}/api/v1/auth/sso/start`);
      const authUrl = new URL(start.headers.get('location')!);
      authUrl.searchParams.set('state', 'forged-state');
      let page = await follow(jar, authUrl.href);
      let sub = await submitForm(jar, page.at, await page.res.text(), { login: 'wq', password: 'any' });
      page = await follow(jar, sub.target, sub.res);
      if (page.res.status === 200 && new URL(page.at).origin === issuer) {
        sub = await submitForm(jar, page.at, await page.res.text(), {});
        page = await follow(jar, sub.target, sub.res);
      }
      assert.equal(new URL(page.at).searchParams.get('sso_error'), 'failed');
      assert.equal(jar.get(new URL(base).host, 'kesu_session'), undefined);
      assert.equal((await ssoEvents())[0]!.detail.reason, 'failed');
    });
  });
}

describe('single sign-on settings', () => {
  it('are off without them, refused half given or over plain http off loopback', () => {
    const none = { KESU_OIDC_ISSUER: undefined, KESU_OIDC_CLIENT_ID: undefined, KESU_OIDC_CLIENT_SECRET: undefined, KESU_OIDC_REDIRECT_URL: undefined, KESU_OIDC_EMAIL_CLAIM: 'email', KESU_OIDC_LABEL: undefined };
    assert.equal(ssoConfig(none), null);
    assert.throws(() => ssoConfig({ ...none, KESU_OIDC_ISSUER: 'https://id.example.com' }), /go together/);
    assert.throws(() => ssoConfig({ ...none, KESU_OIDC_ISSUER: 'http://id.example.com', KESU_OIDC_CLIENT_ID: 'k', KESU_OIDC_REDIRECT_URL: 'https://kesu.example.com/api/v1/auth/sso/callback' }), /must be https/);
    assert.equal(ssoConfig({ ...none, KESU_OIDC_ISSUER: 'https://id.example.com', KESU_OIDC_CLIENT_ID: 'k', KESU_OIDC_REDIRECT_URL: 'https://kesu.example.com/api/v1/auth/sso/callback' })!.clientSecret, null);
  });
});
