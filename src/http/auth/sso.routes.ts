/**
 * Single sign-on routes (services/sso.ts; docs/security.md "Single sign-on"). The sign-in page
 * asks `GET /api/v1/auth/sso` whether to show its button; the button goes to
 * `/api/v1/auth/sso/start`, which redirects to the provider; the provider sends the browser back
 * to `/api/v1/auth/sso/callback` (KESU_OIDC_REDIRECT_URL), which sets the session cookie and
 * returns to the console — or to the sign-in page with `?sso_error=<reason>`.
 * All three are GETs a browser follows: nothing is mutated but the caller's own session.
 */
import { z } from 'zod';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SsoConfig } from '../../config.js';
import type { App } from '../../services/app.js';
import { beginSso, completeSso, safeReturnTo, SsoRefused, type SsoFlow } from '../../services/sso.js';
import { AppError } from '../../domain/errors.js';
import type { ResponseTypeProvider } from '../schemas/registry.js';
import { errors } from '../schemas/common.js';
import { isSecureRequest } from '../security/headers.js';
import { sessionCookie } from './auth.routes.js';

export const SSO_COOKIE = 'kesu_sso';
const FLOW_PATH = '/api/v1/auth/sso';
const FLOW_SECONDS = 600;

const SsoInfo = z.strictObject({ enabled: z.boolean(), label: z.string().nullable().meta({ description: 'The button label (KESU_OIDC_LABEL); null: the console’s own' }) });
const StartQuery = z.object({ returnTo: z.string().max(500).optional() });
const Redirect = z.null().meta({ description: 'A redirect: see the Location header' });

function flowCookie(req: FastifyRequest, value: string, maxAge: number): string {
  const base = `${SSO_COOKIE}=${value}; Path=${FLOW_PATH}; HttpOnly; SameSite=Lax; Max-Age=${maxAge}`;
  return isSecureRequest(req) ? `${base}; Secure` : base;
}

function flowOf(req: FastifyRequest): SsoFlow | null {
  const raw = req.headers.cookie
    ?.split(';')
    .map((s) => s.trim())
    .find((s) => s.startsWith(`${SSO_COOKIE}=`));
  if (!raw) return null;
  try {
    const f = JSON.parse(Buffer.from(raw.slice(SSO_COOKIE.length + 1), 'base64url').toString()) as Partial<SsoFlow>;
    return typeof f.state === 'string' && typeof f.nonce === 'string' && typeof f.verifier === 'string' ? { state: f.state, nonce: f.nonce, verifier: f.verifier, returnTo: safeReturnTo(f.returnTo) } : null;
  } catch {
    return null;
  }
}

export function ssoRoutes(fastify: FastifyInstance, app: App, sso: SsoConfig | null): void {
  const server = fastify.withTypeProvider<ResponseTypeProvider>();
  server.get('/api/v1/auth/sso', { schema: { tags: ['auth'], summary: 'Whether single sign-on is configured (the sign-in page shows its button)', response: { 200: SsoInfo, ...errors() } } }, async () => ({
    enabled: !!sso,
    label: sso?.label ?? null,
  }));

  server.get(
    '/api/v1/auth/sso/start',
    { schema: { tags: ['auth'], summary: 'Start single sign-on: redirects to the OpenID provider (authorization code with PKCE)', querystring: StartQuery, response: { 302: Redirect, ...errors(404) } } },
    async (req, reply) => {
      if (!sso) throw new AppError('not_found', 'single sign-on is not configured');
      const { url, flow } = await beginSso(sso, (req.query as { returnTo?: string }).returnTo);
      reply.header('set-cookie', flowCookie(req, Buffer.from(JSON.stringify(flow)).toString('base64url'), FLOW_SECONDS));
      reply.header('cache-control', 'no-store');
      return reply.redirect(url, 302);
    },
  );

  server.get(
    '/api/v1/auth/sso/callback',
    { schema: { tags: ['auth'], summary: 'The OpenID provider returns here: sets the session cookie and redirects to the console, or to the sign-in page with ?sso_error=', response: { 302: Redirect, ...errors(404) } } },
    async (req, reply) => {
      if (!sso) throw new AppError('not_found', 'single sign-on is not configured');
      const flow = flowOf(req);
      const clear = flowCookie(req, '', 0);
      reply.header('cache-control', 'no-store');
      if (!flow) return reply.header('set-cookie', clear).redirect('/?sso_error=failed', 302);
      // The URL the provider called, as registered (behind a proxy the request's own host may differ).
      const callbackUrl = new URL(sso.redirectUrl);
      callbackUrl.search = new URL(req.url, 'http://kesu.invalid').search;
      try {
        const s = await completeSso(app, sso, callbackUrl, flow, req.ip);
        reply.header('set-cookie', [clear, sessionCookie(req, encodeURIComponent(s.token), new Date(s.expiresAt).toUTCString())]);
        return reply.redirect(flow.returnTo, 302);
      } catch (e) {
        if (!(e instanceof SsoRefused)) throw e;
        return reply.header('set-cookie', clear).redirect(`/?sso_error=${e.reason}`, 302);
      }
    },
  );
}
