/**
 * Security headers on every answer (@fastify/helmet), for the console, the API, the API docs and
 * the portal alike (the portal's pages send a stricter policy of their own: portal.routes.ts):
 * - a Content-Security-Policy: everything from this origin only, no inline or foreign scripts,
 *   no plugins, no `<base>` games, forms post here only, and `frame-ancestors 'none'` (with
 *   `X-Frame-Options: DENY` for old browsers) so no other site can frame the console. Styles
 *   allow 'unsafe-inline': antd writes its CSS-in-JS into `<style>` elements and the portal's
 *   pages carry theirs inline; images may be `data:`/`blob:` (previews of attachments);
 * - `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`, the cross-origin opener
 *   and resource policies (same origin);
 * - `Strict-Transport-Security` only on answers to requests that came over TLS (directly, or
 *   through a trusted proxy's `X-Forwarded-Proto: https`), so a plain-HTTP installation on a
 *   LAN is not told to switch to HTTPS it does not have.
 */
import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'media-src': ["'self'", 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'worker-src': ["'self'", 'blob:'],
  'object-src': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** One year, without subdomains (other hosts of the organisation may not have TLS). */
export const HSTS = 'max-age=31536000';

/** Whether the request came over TLS: directly, or through a trusted proxy (Fastify's `trustProxy`). */
export function isSecureRequest(req: FastifyRequest): boolean {
  return req.protocol === 'https';
}

export async function installSecurityHeaders(server: FastifyInstance): Promise<void> {
  await server.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  });
  server.addHook('onRequest', (req, reply, done) => {
    if (isSecureRequest(req)) reply.header('strict-transport-security', HSTS);
    done();
  });
}
