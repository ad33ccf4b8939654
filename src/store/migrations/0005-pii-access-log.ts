/**
 * Access to personal data is logged (DOMAIN §5): one row each time a complainant's phone, ID
 * number, e-mail or address is shown unmasked. Append-only (the application only inserts and
 * reads); kept apart from the case timeline, which it would drown. Keyset pagination newest
 * first, overall, per case and per user, hence the three indexes ending in (at, id).
 * Frozen like every migration: it imports no application code.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pii_access_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('complaint_id', 'text', (c) => c.notNull())
    .addColumn('complaint_number', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('route', 'text')
    .execute();
  await db.schema.createIndex('pii_access_log_at').on('pii_access_log').columns(['at', 'id']).execute();
  await db.schema.createIndex('pii_access_log_complaint').on('pii_access_log').columns(['complaint_id', 'at', 'id']).execute();
  await db.schema.createIndex('pii_access_log_user').on('pii_access_log').columns(['user_id', 'at', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pii_access_log').ifExists().execute();
}
