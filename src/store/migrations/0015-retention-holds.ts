/**
 * Retention, legal hold and purge (issue 15 §2; docs/operations.md "Retention and legal hold"):
 * - `legal_holds`: a hold on one case, on a customer (by the keyed contact hash of
 *   services/contact-keys.ts, never the plaintext), or on every case received in a time range;
 *   set and lifted with a reason. A hold that is not lifted stops any purge of what it covers.
 * - `purge_records`: one signed, hash-chained record per purged case (src/audit/purge.ts): one
 *   chain over the whole table (`seq` 1, 2, …), each MACed with the audit key.
 * - `purge_chain`: the one row holding the chain's last seq and hash; a purge locks it last, so
 *   two instances append in turn.
 * - `purge_files`: attachment files whose rows a committed purge removed, deleted from the disk
 *   after the commit (a crash between the two leaves the list for the next run).
 * Existing data is untouched. Frozen once released: imports no application code.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('legal_holds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull()) // case | customer | received
    .addColumn('complaint_id', 'text')
    .addColumn('contact_key', 'text')
    .addColumn('contact_kind', 'text')
    .addColumn('received_from', 'text')
    .addColumn('received_to', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('set_at', 'text', (c) => c.notNull())
    .addColumn('lifted_by', 'text')
    .addColumn('lifted_at', 'text')
    .addColumn('lift_reason', 'text')
    .execute();
  await db.schema.createIndex('legal_holds_case').on('legal_holds').columns(['complaint_id']).execute();
  await db.schema.createIndex('legal_holds_contact').on('legal_holds').columns(['contact_key']).execute();
  await db.schema
    .createTable('purge_records')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('complaint_id', 'text', (c) => c.notNull().unique())
    .addColumn('complaint_number', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('policy_key', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('counts', 'text', (c) => c.notNull())
    .addColumn('redactions', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('purge_chain')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db
    .insertInto('purge_chain')
    .values({ id: 1, seq: 0, hash: '0'.repeat(64) })
    .execute();
  await db.schema
    .createTable('purge_files')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('staged_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['purge_files', 'purge_chain', 'purge_records', 'legal_holds']) await db.schema.dropTable(t).ifExists().execute();
}
