/**
 * The recorded purge path's hook (docs/audit.md "Purges"): runs `fn` in the transaction `trx` with
 * a permit that lets the append-only triggers of migration 0009 accept UPDATE/DELETE on
 * `complaint_events` and `pii_access_log`, removing the permit before `trx` commits. The caller
 * (the data-lifecycle work, not built yet) records the purge on the case and re-anchors the heads
 * in the same transaction, then takes a checkpoint.
 */
import type { Transaction } from 'kysely';
import { randomUUID } from 'node:crypto';
import type { DB } from '../store/schema.js';

export async function withPurgePermit<T>(trx: Transaction<DB>, reason: string, fn: () => Promise<T>): Promise<T> {
  const id = randomUUID();
  await trx.insertInto('audit_purge_permits').values({ id, reason }).execute();
  try {
    return await fn();
  } finally {
    await trx.deleteFrom('audit_purge_permits').where('id', '=', id).execute();
  }
}
