/**
 * Shared file storage (issue 15 §5; storage/staging.ts): `file_stages` counts the uploads in
 * flight per stored file (content address), so a file stored before a transaction that then
 * failed — or whose process died — is removed, and a file a committed row names never is:
 * - `sha256` the file's content address; `holders` uploads holding it; `staged_at` when the last
 *   hold began (the sweep's age); `sweeping_at` when a removal of the file was claimed (null: none).
 * - an index on `attachments.sha256`: a removal asks whether any row names the file.
 * Existing attachments need nothing: their files stay where they are (`<dataDir>/attachments/<aa>/<sha256>`
 * is the local store's layout) and no stage row is made for them, so none is ever swept.
 * Frozen once released: imports no application code.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('file_stages')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('holders', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('staged_at', 'text', (c) => c.notNull())
    .addColumn('sweeping_at', 'text')
    .execute();
  await db.schema.createIndex('file_stages_staged_at').on('file_stages').column('staged_at').execute();
  await db.schema.createIndex('attachments_sha256').on('attachments').column('sha256').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('attachments_sha256').ifExists().execute();
  await db.schema.dropTable('file_stages').ifExists().execute();
}
