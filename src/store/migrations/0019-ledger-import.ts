/**
 * History import (issue 15 §4):
 * - `import_mappings`: the column mappings an organisation saved, by name (the document as JSON),
 *   so the next import of the same ledger reuses it (`--mapping NAME`).
 * - `import_rows`: one row per imported ledger row, keyed per organisation by the ledger's own id
 *   or a hash of the row (UNIQUE(org, key)), with the case it became. Written in the batch's
 *   transaction with the case, so a crashed import resumes after its last committed batch and a
 *   re-run creates nothing.
 * Both tables are new: nothing existing is touched. Frozen once released.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('import_mappings')
    .addColumn('org', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_mappings_pk', ['org', 'name'])
    .execute();
  await db.schema
    .createTable('import_rows')
    .addColumn('org', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('complaint_id', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('row_number', 'integer', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_rows_pk', ['org', 'key'])
    .execute();
  await db.schema.createIndex('import_rows_complaint').on('import_rows').column('complaint_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_rows').ifExists().execute();
  await db.schema.dropTable('import_mappings').ifExists().execute();
}
