/**
 * Maps domain codes to HTTP statuses and answers `{ code, message, fields, requestId }` in the
 * caller's language. Request validation failures from the route schemas are answered the same
 * way. `requestId` (also the `X-Request-Id` header) is added to every error body, whoever sent it.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, messageFor, type ErrorCode, type FieldProblem, type Locale, type Messages } from '../domain/errors.js';
import { ownMessage, pathText } from '../domain/validation.js';
import { localeOf } from './locale.js';
import { lockTimedOut, storageFaultKind, type StorageHealth } from '../store/storage-health.js';

const STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  policy_invalid: 422,
  not_found: 404,
  // Assigning the complained-about person is refused on its field; the person themself never
  // gets this code — the handler turns their refusal into not_found (they must not learn the case exists).
  avoidance: 422,
  forbidden: 403,
  approval_level_too_low: 403,
  unauthenticated: 401,
  illegal_transition: 409,
  conflict: 409,
  extension_over_limit: 422,
  idempotency_mismatch: 422,
  storage_full: 507,
  storage_unavailable: 503,
  storage_busy: 503,
  login_throttled: 429,
  rate_limited: 429,
};

/** Seconds a client should wait before retrying a write refused for lack of storage. */
export const STORAGE_RETRY_AFTER_S = 60;
/** Seconds a client should wait before retrying a write that met a lock held past the busy time-out. */
export const LOCK_RETRY_AFTER_S = 2;

/** Fastify's own body errors, in the three UI languages. */
const BODY_ERRORS: Record<string, Messages> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { 'zh-CN': '请求体不是有效的 JSON', 'zh-TW': '請求內容不是有效的 JSON', en: 'The body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { 'zh-CN': '请求体为空', 'zh-TW': '請求內容為空', en: 'The body is empty' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { 'zh-CN': '不支持的内容类型', 'zh-TW': '不支援的內容類型', en: 'Unsupported content type' },
  FST_ERR_CTP_BODY_TOO_LARGE: { 'zh-CN': '请求体过大', 'zh-TW': '請求內容過大', en: 'The body is too large' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { 'zh-CN': '请求体长度与声明不符', 'zh-TW': '請求內容長度與宣告不符', en: 'The body length does not match Content-Length' },
};

export function errorBody(code: ErrorCode, locale: Locale, fields: FieldProblem[] = [], extra: Record<string, unknown> = {}) {
  const first = fields[0];
  return {
    code,
    message: first ? `${messageFor(code, locale)}：${first.path} — ${first.message[locale]}` : messageFor(code, locale),
    fields: fields.map((f) => ({ path: f.path, message: f.message[locale] })),
    ...extra,
  };
}

export function installErrorHandler(app: FastifyInstance, storage?: StorageHealth): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const locale = localeOf(req);
    // A full disk or a read-only database: the write was refused as a whole; say so and when to
    // retry. StorageHealth logs the cause once, so no line per request here.
    const fault = storage?.failed(err) ?? storageFaultKind(err)?.kind ?? null;
    if (fault) {
      const code = fault === 'disk_full' ? 'storage_full' : 'storage_unavailable';
      return reply.status(STATUS[code]).header('retry-after', String(STORAGE_RETRY_AFTER_S)).send(errorBody(code, locale));
    }
    // A lock held past the busy time-out (another writer): worth a quick retry; one warning line, no stack.
    const busy = lockTimedOut(err);
    if (busy) {
      req.log.warn({ engineCode: busy.engineCode }, 'database lock wait timed out: answered 503');
      return reply.status(STATUS.storage_busy).header('retry-after', String(LOCK_RETRY_AFTER_S)).send(errorBody('storage_busy', locale));
    }
    if (err instanceof AppError) {
      // Avoidance refusals must look exactly like a missing case.
      const code = err.code === 'avoidance' && err.fields.length === 0 ? 'not_found' : err.code;
      if (code === 'login_throttled' && typeof err.extra.retryAfter === 'number') reply.header('retry-after', String(err.extra.retryAfter));
      return reply.status(STATUS[code]).send(errorBody(code, locale, err.fields, err.extra));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'body';
      const fields: FieldProblem[] = err.validation.map((v) => {
        const path = pathText(
          v.instancePath
            .split('/')
            .filter(Boolean)
            .map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
        );
        return { path: path ? `${where === 'body' ? '' : `${where}.`}${path}` : where, message: ownMessage(v.message ?? '') };
      });
      return reply.status(400).send(errorBody('invalid_input', locale, fields));
    }
    const bodyProblem = BODY_ERRORS[err.code];
    if (bodyProblem) return reply.status(err.statusCode ?? 400).send(errorBody('invalid_input', locale, [{ path: 'body', message: bodyProblem }]));
    if (err.statusCode && err.statusCode < 500) {
      return reply.status(err.statusCode).send({ code: err.statusCode === 404 ? 'not_found' : 'invalid_input', message: err.message, fields: [] });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ code: 'internal', message: locale === 'en' ? 'Internal error' : locale === 'zh-TW' ? '內部錯誤' : '内部错误', fields: [] });
  });
  app.setNotFoundHandler((req, reply) => reply.status(404).send(errorBody('not_found', localeOf(req))));
  // The id to quote to support and to find the request's log lines by (http/request-id.ts).
  app.addHook('preSerialization', (req, reply, payload, done) => done(null, reply.statusCode >= 400 && isErrorBody(payload) ? { ...payload, requestId: req.id } : payload));
}

function isErrorBody(p: unknown): p is Record<string, unknown> {
  return typeof p === 'object' && p !== null && !Array.isArray(p) && 'code' in p && 'message' in p && !('requestId' in p);
}
