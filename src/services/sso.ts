/**
 * Single sign-on with an OpenID Connect provider (issue 12 §2; docs/security.md "Single
 * sign-on"): the authorization-code flow with PKCE (S256), state and nonce, through
 * `openid-client`. Kesu matches the provider's e-mail claim (KESU_OIDC_EMAIL_CLAIM) to the e-mail
 * of an active user an administrator created — nobody is created by signing in: an unknown,
 * ambiguous or deactivated e-mail is refused. A match starts an ordinary session
 * (services/sessions.ts `startSession`): the same idle and absolute lifetimes and revocations.
 * Both outcomes are auth events (`sso_signed_in`, `sso_refused`) — with the username, never a
 * token or a code.
 *
 * The flow's secrets (state, nonce, PKCE verifier) travel in a short-lived HttpOnly cookie on
 * the callback path: nothing is stored server-side between the redirect and the callback.
 */
import * as oidc from 'openid-client';
import type { SsoConfig } from '../config.js';
import { insertAuthEvent } from '../store/login-throttle.repository.js';
import { findUsersByEmail, type UserRecord } from '../store/user.repository.js';
import type { App } from './app.js';
import { uuidv7 } from './ids.js';
import { startSession } from './sessions.js';

/** What the browser keeps between the redirect to the provider and the callback. */
export interface SsoFlow {
  state: string;
  nonce: string;
  verifier: string;
  /** A path of the console to return to (same origin only). */
  returnTo: string;
}

export type SsoRefusal = 'unknown_user' | 'ambiguous_user' | 'inactive_user' | 'no_email' | 'unverified_email' | 'failed';

export class SsoRefused extends Error {
  constructor(
    readonly reason: SsoRefusal,
    detail: string,
  ) {
    super(detail);
  }
}

const discovered = new Map<string, Promise<oidc.Configuration>>();

function insecure(cfg: SsoConfig): boolean {
  return new URL(cfg.issuer).protocol === 'http:'; // loopback only: config.ts refuses anything else
}

/** The provider's configuration, discovered once per issuer and client (again after a failure). */
export function providerConfig(cfg: SsoConfig): Promise<oidc.Configuration> {
  const key = `${cfg.issuer}|${cfg.clientId}`;
  let p = discovered.get(key);
  if (!p) {
    p = oidc.discovery(new URL(cfg.issuer), cfg.clientId, cfg.clientSecret ?? undefined, cfg.clientSecret ? undefined : oidc.None(), insecure(cfg) ? { execute: [oidc.allowInsecureRequests] } : undefined);
    p.catch(() => discovered.delete(key));
    discovered.set(key, p);
  }
  return p;
}

/** A same-origin console path, else `/`. */
export function safeReturnTo(v: unknown): string {
  return typeof v === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(v) && v.length <= 500 ? v : '/';
}

/** The provider's authorization URL and the flow the browser keeps. */
export async function beginSso(cfg: SsoConfig, returnTo: unknown): Promise<{ url: string; flow: SsoFlow }> {
  const config = await providerConfig(cfg);
  const flow: SsoFlow = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier(), returnTo: safeReturnTo(returnTo) };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: cfg.redirectUrl,
    scope: 'openid email profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
    code_challenge_method: 'S256',
    state: flow.state,
    nonce: flow.nonce,
  });
  return { url: url.href, flow };
}

async function audit(app: App, kind: 'sso_signed_in' | 'sso_refused', username: string | null, address: string | null, detail: Record<string, unknown>): Promise<void> {
  const now = app.now();
  await insertAuthEvent(app.database.db, { id: uuidv7(now.getTime()), at: now.toISOString(), kind, username, address, actorId: null, detail });
  app.log.info({ audit: `auth.${kind}`, username, ...detail }, `single sign-on: ${kind === 'sso_signed_in' ? 'signed in' : 'refused'}`);
}

/**
 * The callback: exchanges the code (checking state, nonce and the PKCE verifier), reads the
 * e-mail claim (ID token, else userinfo) and starts a session for the one active user with that
 * e-mail. Throws SsoRefused, after recording why.
 */
export async function completeSso(app: App, cfg: SsoConfig, callbackUrl: URL, flow: SsoFlow, address: string | null): Promise<{ token: string; expiresAt: string; user: UserRecord }> {
  let email: unknown;
  let verified: unknown;
  try {
    const config = await providerConfig(cfg);
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true });
    const claims = tokens.claims()!;
    email = claims[cfg.emailClaim];
    verified = claims.email_verified;
    if (email === undefined && tokens.access_token) {
      const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
      email = info[cfg.emailClaim];
      verified = info.email_verified;
    }
  } catch (e) {
    // The provider's error code only: its description may echo request parameters.
    const code = e instanceof oidc.AuthorizationResponseError || e instanceof oidc.ResponseBodyError ? e.error : e instanceof Error ? e.name : 'error';
    await audit(app, 'sso_refused', null, address, { reason: 'failed', error: code });
    throw new SsoRefused('failed', String(code));
  }
  const refuse = async (reason: SsoRefusal, username: string | null = null): Promise<never> => {
    await audit(app, 'sso_refused', username, address, { reason });
    throw new SsoRefused(reason, reason);
  };
  if (typeof email !== 'string' || !email.includes('@')) return refuse('no_email');
  if (verified === false) return refuse('unverified_email');
  const users = await findUsersByEmail(app.database.db, email);
  if (users.length === 0) return refuse('unknown_user');
  if (users.length > 1) return refuse('ambiguous_user');
  const user = users[0]!;
  if (!user.active) return refuse('inactive_user', user.username);
  const s = await startSession(app, user.id);
  await audit(app, 'sso_signed_in', user.username, address, { issuer: cfg.issuer });
  return { ...s, user };
}
