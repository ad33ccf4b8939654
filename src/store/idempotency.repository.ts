/**
 * Idempotency keys (migration 0012): one row per key and scope. The HTTP mechanism
 * (http/idempotency.ts) claims a key (`in_progress`, leased), marks it `applied` in the
 * mutation's transaction where the service allows it, and stores the answer (`done`). Channel
 * intake (portal nonces, e-mail Message-IDs) keys its case in the intake transaction
 * (`findIdempotent` / `saveIdempotent`). An expired row counts as absent and is pruned.
 */
import type { Executor } from './db.js';

export type IdempotencyStatus = 'in_progress' | 'applied' | 'done';

export interface IdempotencyRow {
  scopeKey: string;
  requestHash: string;
  status: IdempotencyStatus;
  complaintId: string | null;
  lockedUntil: string | null;
  responseStatus: number | null;
  responseBody: string | null;
  createdAt: string;
  expiresAt: string;
}

export async function getIdempotencyRow(db: Executor, scopeKey: string): Promise<IdempotencyRow | null> {
  const r = await db.selectFrom('idempotency_keys').selectAll().where('scope_key', '=', scopeKey).executeTakeFirst();
  if (!r) return null;
  return {
    scopeKey: r.scope_key,
    requestHash: r.request_hash,
    status: r.status as IdempotencyStatus,
    complaintId: r.complaint_id,
    lockedUntil: r.locked_until,
    responseStatus: r.response_status === null ? null : Number(r.response_status),
    responseBody: r.response_body,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
  };
}

/** Inserts an `in_progress` row; false when the key is already there (whatever its state). */
export async function claimIdempotencyKey(db: Executor, v: { scopeKey: string; requestHash: string; now: string; lockedUntil: string; expiresAt: string }): Promise<boolean> {
  const r = await db
    .insertInto('idempotency_keys')
    .values({ scope_key: v.scopeKey, request_hash: v.requestHash, status: 'in_progress', complaint_id: null, locked_until: v.lockedUntil, response_status: null, response_body: null, created_at: v.now, expires_at: v.expiresAt })
    .onConflict((oc) => oc.column('scope_key').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Removes one key if it has expired (so it can be claimed afresh); true when it did. */
export async function dropExpiredKey(db: Executor, scopeKey: string, now: string): Promise<boolean> {
  const r = await db.deleteFrom('idempotency_keys').where('scope_key', '=', scopeKey).where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/**
 * Takes over a key whose request stopped without an answer (its lease ran out: a crash, a lost
 * connection to the database): only one taker wins, by the lease it saw.
 */
export async function takeOverStaleKey(db: Executor, scopeKey: string, sawLockedUntil: string | null, lockedUntil: string): Promise<boolean> {
  let q = db.updateTable('idempotency_keys').set({ locked_until: lockedUntil }).where('scope_key', '=', scopeKey).where('status', '=', 'in_progress');
  q = sawLockedUntil === null ? q.where('locked_until', 'is', null) : q.where('locked_until', '=', sawLockedUntil);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** In the mutation's transaction: the key's request has taken effect. False when it was not ours to mark. */
export async function markKeyApplied(db: Executor, scopeKey: string, complaintId: string | null): Promise<boolean> {
  const r = await db.updateTable('idempotency_keys').set({ status: 'applied', complaint_id: complaintId }).where('scope_key', '=', scopeKey).where('status', '=', 'in_progress').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The answer of the key's request: replayed from now on. */
export async function storeKeyResponse(db: Executor, scopeKey: string, status: number, sealedBody: string): Promise<void> {
  await db.updateTable('idempotency_keys').set({ status: 'done', locked_until: null, response_status: status, response_body: sealedBody }).where('scope_key', '=', scopeKey).execute();
}

/** A request that ended without an answer worth replaying (5xx, 409): its key may be used again, unless it took effect. */
export async function releaseKey(db: Executor, scopeKey: string): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('scope_key', '=', scopeKey).where('status', '=', 'in_progress').execute();
}

/** Housekeeping: removes up to `limit` expired keys; the number removed. */
export async function pruneExpiredKeys(db: Executor, now: string, limit = 500): Promise<number> {
  const r = await db
    .deleteFrom('idempotency_keys')
    .where('scope_key', 'in', (q) => q.selectFrom('idempotency_keys').select('scope_key').where('expires_at', '<=', now).limit(limit))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Channel intake: the case an unexpired key created, and the hash of the request that did. */
export async function findIdempotent(db: Executor, scopeKey: string, now: string): Promise<{ requestHash: string; complaintId: string } | null> {
  const r = await db.selectFrom('idempotency_keys').select(['request_hash', 'complaint_id']).where('scope_key', '=', scopeKey).where('expires_at', '>', now).executeTakeFirst();
  return r && r.complaint_id ? { requestHash: r.request_hash, complaintId: r.complaint_id } : null;
}

/** Channel intake, in its transaction: claims the key for the new case (a concurrent retry blocks on it). */
export async function saveIdempotent(db: Executor, scopeKey: string, requestHash: string, complaintId: string, at: string, expiresAt: string): Promise<void> {
  await dropExpiredKey(db, scopeKey, at);
  await db
    .insertInto('idempotency_keys')
    .values({ scope_key: scopeKey, request_hash: requestHash, status: 'applied', complaint_id: complaintId, locked_until: null, response_status: null, response_body: null, created_at: at, expires_at: expiresAt })
    .execute();
}
