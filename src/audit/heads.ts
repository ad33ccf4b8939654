/**
 * Chain heads: one row per case and log in `audit_heads`, MACed, written in the transaction that
 * appends to the chain. A head holds the last sequence number and MAC, so deleting the newest
 * records is detected, and for the timeline the digest of the case row as that transaction left
 * it, so an edit of the row is detected.
 */
import { databaseOf, type Executor } from '../store/db.js';
import { loadAuditKeyring, macOf, type AuditKeyring } from './keys.js';
import { headRecord, type HeadFields } from './records.js';

/** The key ring of the database `db` belongs to (root handle or open transaction). */
export function auditKeysOf(db: Executor): AuditKeyring {
  return databaseOf(db)?.audit.keys() ?? loadAuditKeyring({});
}

export async function writeHead(db: Executor, ring: AuditKeyring, h: HeadFields, now: string): Promise<void> {
  const row = headRow(ring, h, now);
  await db
    .insertInto('audit_heads')
    .values(row)
    .onConflict((oc) => oc.columns(['complaint_id', 'log']).doUpdateSet({ seq: row.seq, hash: row.hash, case_digest: row.case_digest, key_id: row.key_id, mac: row.mac, updated_at: row.updated_at }))
    .execute();
}

/** The `audit_heads` row of head `h`, MACed with the ring's current key. */
function headRow(ring: AuditKeyring, h: HeadFields, now: string) {
  return { complaint_id: h.complaint_id, log: h.log, seq: h.seq, hash: h.hash, case_digest: h.case_digest, key_id: ring.current.id, mac: macOf(ring.current, headRecord(h)), updated_at: now };
}

/**
 * Moves (or starts) several chains' heads in one upsert per chunk (the retention purge's groups);
 * each row as `writeHead` writes it. (`writeHead` keeps its own statement: it is on every
 * transition's path.)
 */
export async function writeHeads(db: Executor, ring: AuditKeyring, heads: readonly HeadFields[], now: string): Promise<void> {
  const rows = heads.map((h) => headRow(ring, h, now));
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('audit_heads')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) =>
        oc.columns(['complaint_id', 'log']).doUpdateSet((eb) => ({
          seq: eb.ref('excluded.seq'),
          hash: eb.ref('excluded.hash'),
          case_digest: eb.ref('excluded.case_digest'),
          key_id: eb.ref('excluded.key_id'),
          mac: eb.ref('excluded.mac'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

/** Heads of chains that start in this transaction (the history import's new cases), in one insert per chunk. */
export async function insertNewHeads(db: Executor, ring: AuditKeyring, heads: readonly HeadFields[], now: string): Promise<void> {
  const rows = heads.map((h) => headRow(ring, h, now));
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('audit_heads')
      .values(rows.slice(i, i + 500))
      .execute();
}
