/**
 * A reason on the personal-data access log (issue 12 §6, reveal one field): a reader who sees a
 * case masked may reveal one field with a stated reason, and the row records that reason. One
 * nullable column: existing rows (views, which carry no reason) keep their values and their
 * hashes — the access record includes `reason` only when it is set (src/audit/records.ts).
 * Frozen once released.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('pii_access_log').addColumn('reason', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('pii_access_log').dropColumn('reason').execute();
}
