/**
 * `Idempotency-Key` on every mutating request (issue 12 §5; docs/api.md "Idempotency"). A route
 * wraps its work in `idempotent(...)`, naming who the caller is (`user:<id>`, or for customers
 * the case or survey link the form opened) and what the request is (its parameters and body, or
 * for uploads the form fields and the files' SHA-256). The key's life is in
 * services/idempotent-requests.ts; here: reading the header, replaying a stored answer byte for
 * byte with `Idempotent-Replayed: true`, and storing the answer as it leaves (an onSend hook
 * installed once by `installIdempotency`).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { DB } from '../store/schema.js';
import type { App } from '../services/app.js';
import { AppError, fieldProblem } from '../domain/errors.js';
import { claimKey, markApplied, releaseKey, requestHash, storeAnswer } from '../services/idempotent-requests.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The Idempotency-Key this request holds, while it holds one. */
    idempotency?: { scopeKey: string; state: 'claimed' | 'stored' | 'replayed' };
  }
}

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';

/** The request header, as route schemas document it. */
export const IdempotencyHeaders = z.object({
  'idempotency-key': z.string().min(1).max(200).optional().meta({
    description:
      'A unique value per intended change (e.g. a UUID): a retry with the same key and request returns the first answer (`Idempotent-Replayed: true`) and changes nothing; with another request it is refused (422). Kept KESU_IDEMPOTENCY_TTL_HOURS (default 24 h).',
  }),
});

/** What OpenAPI says about the header on a mutating route. */
export const IDEMPOTENCY_NOTE =
  ' Send an `Idempotency-Key` header to make a retry safe: the same key with the same request replays the first answer byte for byte with `Idempotent-Replayed: true`; with another request it is refused (422 idempotency_mismatch); while the first is still running, 409.';

/** Headers an answer is replayed with (besides its bytes). */
const KEPT_HEADERS = ['content-type', 'cache-control', 'content-security-policy', 'referrer-policy', 'x-content-type-options', 'x-frame-options', 'location'];

/**
 * Only answers of requests that took effect are kept for replay. A refusal (4xx) changed nothing,
 * so a retry runs again: the agent who corrects the form and sends it again under the same key gets
 * the new answer, not the old refusal (nor 422 for a "different body"), and in the language they
 * switched to (as Stripe keeps no result for a request refused by validation).
 */
function replayable(status: number): boolean {
  return status < 400;
}

/** Marks the key applied in the mutation's transaction (a no-op without a key). */
export type MarkApplied = (trx: Transaction<DB>, complaintId?: string | null) => Promise<void>;

export function idempotencyKeyOf(req: FastifyRequest): string | null {
  const v = req.headers[IDEMPOTENCY_HEADER];
  if (v === undefined) return null;
  if (typeof v !== 'string' || v.length === 0 || v.length > 200)
    throw new AppError('invalid_input', 'bad Idempotency-Key', [fieldProblem('Idempotency-Key', '幂等键须为 1–200 个字符', 'Idempotency-Key must be 1–200 characters', '冪等鍵須為 1–200 個字元')]);
  return v;
}

export interface IdempotentOptions {
  /** Who: `user:<id>`, `case:<id>`, `survey:<token hash>`. */
  scope: string;
  /** What: hashed; the same key with another value is refused. */
  request: unknown;
  /** The key (default: the Idempotency-Key header; the portal also takes its form's nonce). */
  key?: string | null;
  /**
   * The answer to give when the request took effect but its answer was lost (the process died
   * between the commit and the answer): the resource as it is now. Without it such a retry gets 409.
   */
  recover?: (complaintId: string | null) => Promise<FastifyReply>;
}

/**
 * Runs `work` once per key: a retry replays the first answer. `work` gets `mark` to call in its
 * transaction (through the service's `inTransaction` hook) where the service takes one.
 */
export async function idempotent(app: App, req: FastifyRequest, reply: FastifyReply, o: IdempotentOptions, work: (mark: MarkApplied) => Promise<FastifyReply>): Promise<FastifyReply> {
  const key = o.key === undefined ? idempotencyKeyOf(req) : o.key;
  if (!key) return work(async () => {});
  const scopeKey = `${o.scope}|${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}|${key}`;
  const claim = await claimKey(app, scopeKey, requestHash(o.request));
  if (claim.kind === 'done') {
    req.idempotency = { scopeKey, state: 'replayed' };
    reply.code(claim.status);
    for (const [h, v] of Object.entries(claim.headers)) reply.header(h, v);
    return reply.header(REPLAYED_HEADER, 'true').send(claim.body);
  }
  if (claim.kind === 'lost') {
    if (!o.recover)
      throw new AppError('conflict', 'the request with this Idempotency-Key took effect but its answer was lost', [
        fieldProblem(
          'Idempotency-Key',
          '使用此幂等键的请求已生效，但其应答已丢失：请重新读取',
          'The request with this Idempotency-Key took effect but its answer was lost: read the resource again',
          '使用此冪等鍵的請求已生效，但其應答已遺失：請重新讀取',
        ),
      ]);
    req.idempotency = { scopeKey, state: 'claimed' }; // the recovered answer is stored as the key's
    reply.header(REPLAYED_HEADER, 'true');
    return o.recover(claim.complaintId);
  }
  req.idempotency = { scopeKey, state: 'claimed' };
  return work((trx, complaintId = null) => markApplied(trx, scopeKey, complaintId));
}

/** Stores answers as they leave and frees keys of requests that ended without one. Installed once, on the root server. */
export function installIdempotency(server: FastifyInstance, app: App): void {
  server.addHook('onSend', async (req, reply, payload) => {
    const c = req.idempotency;
    if (!c || c.state !== 'claimed') return payload;
    if (!replayable(reply.statusCode)) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    const headers: Record<string, string> = {};
    for (const h of KEPT_HEADERS) {
      const v = reply.getHeader(h);
      if (v !== undefined) headers[h] = String(v);
    }
    try {
      await storeAnswer(app, c.scopeKey, { status: reply.statusCode, headers, body: Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'utf8') });
      c.state = 'stored';
    } catch (e) {
      req.log.warn({ err: e }, 'idempotency: answer not stored');
    }
    return payload;
  });
  server.addHook('onResponse', async (req) => {
    const c = req.idempotency;
    if (!c || c.state !== 'claimed') return;
    // No answer stored: the key may be used again, unless the request took effect (then it stays applied).
    await releaseKey(app, c.scopeKey).catch((e) => req.log.warn({ err: e }, 'idempotency: key not released'));
  });
}
