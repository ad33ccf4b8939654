/**
 * Idempotent requests (issue 12 §5; docs/api.md "Idempotency"): the life of one Idempotency-Key
 * in its scope (`<caller>|<METHOD> <route>|<key>`), whatever the route.
 *
 * 1. `claimKey` before the work: a new key is recorded `in_progress` with a lease; a key whose
 *    answer is stored comes back as `done` (to replay); the same key with another request hash is
 *    refused (idempotency_mismatch, 422); a key another request is working on is waited for
 *    briefly and then refused (conflict, 409) — never two executions. An expired key is claimed
 *    afresh; a key whose lease ran out without an answer (a crash) is taken over by one retry.
 * 2. `markApplied` in the mutation's own transaction, where the service takes a hook: from its
 *    commit on, the request cannot run again, even if the process dies before answering — a retry
 *    then gets `lost` and the route answers with the resource as it is (or 409 if it cannot).
 * 3. `storeAnswer` with the answer's status, headers and bytes, sealed with the server secret
 *    (answers carry personal data and access codes); `releaseKey` when the request ended without
 *    an answer worth replaying (5xx, 409, 401, 429) and did not take effect.
 * Keys live KESU_IDEMPOTENCY_TTL_HOURS (default 24): `pruneIdempotencyKeys` from housekeeping.
 */
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../store/schema.js';
import type { App } from './app.js';
import { AppError, fieldProblem } from '../domain/errors.js';
import { canonicalJson } from '../store/event.repository.js';
import { seal, unseal } from '../channels/secrets.js';
import { claimIdempotencyKey, dropExpiredKey, getIdempotencyRow, markKeyApplied, pruneExpiredKeys, releaseKey as releaseRow, storeKeyResponse, takeOverStaleKey } from '../store/idempotency.repository.js';

export const DEFAULT_IDEMPOTENCY_TTL_HOURS = 24;
/** How long a claimed key is held for its request before a retry may take it over (a crash). */
export const IDEMPOTENCY_LEASE_MS = 60_000;
/** How long a retry waits for a concurrent request with its key to answer, in real time. */
const WAIT_MS = 3_000;
const POLL_MS = 20;

/** KESU_IDEMPOTENCY_TTL_HOURS of the app (`app.settings`), in ms. */
export function idempotencyTtlMs(app: App): number {
  return app.settings.idempotencyTtlHours * 3_600_000;
}

/** SHA-256 of a request's canonical JSON (object keys sorted). */
export function requestHash(request: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(request ?? null))
    .digest('hex');
}

/** A stored answer, byte for byte. */
export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export type Claim = { kind: 'claimed' } | ({ kind: 'done' } & StoredAnswer) | { kind: 'lost'; complaintId: string | null };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function claimKey(app: App, scopeKey: string, hash: string): Promise<Claim> {
  const db = app.database.db;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const now = app.now();
    const at = now.toISOString();
    const lease = new Date(now.getTime() + IDEMPOTENCY_LEASE_MS).toISOString();
    if (await claimIdempotencyKey(db, { scopeKey, requestHash: hash, now: at, lockedUntil: lease, expiresAt: new Date(now.getTime() + idempotencyTtlMs(app)).toISOString() })) return { kind: 'claimed' };
    const row = await getIdempotencyRow(db, scopeKey);
    if (!row) continue; // released meanwhile: claim it
    if (row.expiresAt <= at) {
      await dropExpiredKey(db, scopeKey, at);
      continue;
    }
    if (row.requestHash !== hash)
      throw new AppError('idempotency_mismatch', 'Idempotency-Key reused with a different request', [
        fieldProblem('Idempotency-Key', '此幂等键已用于另一个请求', 'This Idempotency-Key was used with a different request', '此冪等鍵已用於另一個請求'),
      ]);
    if (row.status === 'done' && row.responseStatus !== null && row.responseBody !== null) return { kind: 'done', ...openAnswer(await sealKey(app), row.responseStatus, row.responseBody) };
    const leased = row.lockedUntil !== null && row.lockedUntil > at;
    if (!leased && row.status === 'in_progress') {
      if (await takeOverStaleKey(db, scopeKey, row.lockedUntil, lease)) return { kind: 'claimed' };
      continue;
    }
    if (!leased) return { kind: 'lost', complaintId: row.complaintId };
    if (Date.now() >= deadline)
      throw new AppError('conflict', 'a request with this Idempotency-Key is still being processed', [
        fieldProblem('Idempotency-Key', '使用此幂等键的请求仍在处理中，请稍后重试', 'A request with this Idempotency-Key is still being processed: retry later', '使用此冪等鍵的請求仍在處理中，請稍後重試'),
      ]);
    await sleep(POLL_MS);
  }
}

/**
 * In the mutation's transaction: the request has taken effect. Refuses (rolling the mutation
 * back) when the key is no longer this request's — a retry took it over after the lease ran out.
 */
export async function markApplied(trx: Transaction<DB>, scopeKey: string, complaintId: string | null): Promise<void> {
  if (!(await markKeyApplied(trx, scopeKey, complaintId)))
    throw new AppError('conflict', 'Idempotency-Key taken over by a retry', [fieldProblem('Idempotency-Key', '此幂等键已被重试接管', 'This Idempotency-Key was taken over by a retry', '此冪等鍵已被重試接管')]);
}

async function sealKey(app: App): Promise<Buffer> {
  return app.settings.channels.sealKey;
}

function openAnswer(key: Buffer, status: number, sealed: string): StoredAnswer {
  const v = unseal(key, sealed);
  return { status, headers: JSON.parse(v.h ?? '{}') as Record<string, string>, body: Buffer.from(v.b ?? '', 'base64') };
}

export async function storeAnswer(app: App, scopeKey: string, a: StoredAnswer): Promise<void> {
  const sealed = seal(await sealKey(app), { h: JSON.stringify(a.headers), b: a.body.toString('base64') });
  await storeKeyResponse(app.database.db, scopeKey, a.status, sealed);
}

export async function releaseKey(app: App, scopeKey: string): Promise<void> {
  await releaseRow(app.database.db, scopeKey);
}

/** Removes expired keys, a batch at a time (housekeeping); the number removed. */
export async function pruneIdempotencyKeys(app: App, batch = 500, maxBatches = 40): Promise<number> {
  const at = app.now().toISOString();
  let n = 0;
  for (let i = 0; i < maxBatches; i++) {
    const d = await pruneExpiredKeys(app.database.db, at, batch);
    n += d;
    if (d < batch) break;
  }
  return n;
}
