/**
 * Request ids. Every request has one: the `X-Request-Id` a trusted reverse proxy sent
 * (`KESU_TRUST_PROXY=1`, from an address of `KESU_TRUSTED_PROXIES`: http/security/proxy.ts; 1–128 characters of letters, digits and `_ - . : @ + = /`, anything
 * else is replaced), otherwise a fresh UUID. Without a trusted proxy a client's header is
 * ignored, so nobody can plant an id in the logs. The id is
 * - Fastify's `req.id`, so every line of `req.log` carries it as `reqId`;
 * - in the request context (services/request-context.ts), so the services' `app.log` lines
 *   carry it too (`requestIdLogMixin` on the server's logger, which `kesu serve` makes `app.log`);
 * - returned in the `X-Request-Id` response header of every answer, the event streams included,
 *   and as `requestId` in every error body (http/error-handler.ts).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { requestContext } from '../services/request-context.js';
import { redactingLogOptions } from './security/redact.js';

export const REQUEST_ID_HEADER = 'x-request-id';
const ACCEPTED = /^[\w.:@+=/-]{1,128}$/;

/** Fastify's `genReqId`; `trusted`: whether the peer is a trusted proxy (boolean: any peer or none). */
export function requestIdGenerator(trusted: boolean | ((req: IncomingMessage) => boolean)): (req: IncomingMessage) => string {
  const fromProxy = typeof trusted === 'function' ? trusted : () => trusted;
  return (req) => {
    const given = req.headers[REQUEST_ID_HEADER];
    if (typeof given === 'string' && ACCEPTED.test(given) && fromProxy(req)) return given;
    return randomUUID();
  };
}

/**
 * pino `mixin`: a line logged while serving a request gets its `reqId`, unless the logger
 * already carries it (`req.log`, a child bound to it).
 */
export function requestIdLogMixin(_obj: object, _level: number, logger: { bindings(): Record<string, unknown> }): object {
  const reqId = requestContext()?.requestId;
  if (!reqId || 'reqId' in logger.bindings()) return {};
  return { reqId };
}

/** Every answer carries its id. On the raw response, so hijacked replies (event streams) have it too. */
export function installRequestIds(server: FastifyInstance): void {
  server.addHook('onRequest', (req, reply, done) => {
    reply.raw.setHeader(REQUEST_ID_HEADER, req.id);
    done();
  });
}

/** The server's logger options with the request-id mixin and the redaction of secrets (security/redact.ts); false: no logging. */
export function withRequestIdLogging(logger: boolean | object | undefined): boolean | object {
  if (!logger) return false;
  return { ...redactingLogOptions(logger === true ? {} : logger), mixin: requestIdLogMixin };
}
