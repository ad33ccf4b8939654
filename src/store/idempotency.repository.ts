/** Idempotency keys of intake: a retried request returns the case the first one created. */
import type { Executor } from './db.js';

export async function findIdempotent(db: Executor, scopeKey: string): Promise<{ requestHash: string; complaintId: string } | null> {
  const r = await db.selectFrom('idempotency_keys').select(['request_hash', 'complaint_id']).where('scope_key', '=', scopeKey).executeTakeFirst();
  return r ? { requestHash: r.request_hash, complaintId: r.complaint_id } : null;
}

export async function saveIdempotent(db: Executor, scopeKey: string, requestHash: string, complaintId: string, at: string): Promise<void> {
  await db.insertInto('idempotency_keys').values({ scope_key: scopeKey, request_hash: requestHash, complaint_id: complaintId, created_at: at }).execute();
}
