/**
 * The records console (issue 15, console side; issue 12 §6):
 * - a reason on the personal-data access log: a reader who sees a case masked may reveal one
 *   field with a stated reason, and the row records it. One nullable column: existing rows
 *   (views, which carry no reason) keep their values and their hashes — the access record
 *   includes `reason` only when it is set (src/audit/records.ts);
 * - `import_jobs`: a ledger import started from the console runs after its request has been
 *   answered; this row is its progress (rows done / total) and, at the end, its report (the
 *   dry run's problems with row and column, or the cases created). New table only.
 * Frozen once released.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('pii_access_log').addColumn('reason', 'text').execute();
  await db.schema
    .createTable('import_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dry_run', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // running | done | refused | failed
    .addColumn('source', 'text', (c) => c.notNull()) // the uploaded file's name
    .addColumn('mapping_name', 'text', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('done', 'integer', (c) => c.notNull())
    .addColumn('created', 'integer', (c) => c.notNull())
    .addColumn('already_imported', 'integer', (c) => c.notNull())
    .addColumn('problems', 'text', (c) => c.notNull()) // JSON ImportProblem[]
    .addColumn('error', 'text')
    .addColumn('started_by', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('import_jobs_started').on('import_jobs').columns(['started_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_jobs').ifExists().execute();
  await db.schema.alterTable('pii_access_log').dropColumn('reason').execute();
}
