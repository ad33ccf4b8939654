/**
 * Customer flags (issue 13 §3, 001 篇3 §11): a customer whose case was judged malicious can be
 * flagged, with the reason, by whom and until when; the flag is lifted (never deleted) with a
 * reason. The customer is named only by the keyed contact hashes of the case (contact_keys,
 * migration 0011) — no second plaintext copy of a phone or e-mail. New tables only: nothing
 * existing changes. Frozen once released.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('customer_flags')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull()) // malicious
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('source_complaint_id', 'text', (c) => c.notNull())
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('set_by_name', 'text', (c) => c.notNull())
    .addColumn('set_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('lifted_by', 'text')
    .addColumn('lifted_by_name', 'text')
    .addColumn('lifted_at', 'text')
    .addColumn('lift_reason', 'text')
    .execute();
  await db.schema.createIndex('customer_flags_source').on('customer_flags').column('source_complaint_id').execute();
  await db.schema
    .createTable('customer_flag_keys')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('flag_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_flag_keys_pk', ['key', 'flag_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('customer_flag_keys').ifExists().execute();
  await db.schema.dropTable('customer_flags').ifExists().execute();
}
