/**
 * Each case remembers its row in the SQLite FTS5 index (`complaints.search_rowid`), so a search
 * for a word most cases contain can walk the cases in date order and check each one by rowid,
 * instead of building the whole matching set first. (PostgreSQL looks rows up by complaint_id,
 * the primary key of its complaint_search table, and leaves the column empty.) Frozen once released.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('complaints').addColumn('search_rowid', 'integer').execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  // One pass over the index (its complaint_id column is not indexed, so no per-case lookups).
  const rows = await sql<{ rowid: number; complaint_id: string }>`select rowid, complaint_id from complaint_search`.execute(db);
  for (const r of rows.rows) await sql`update complaints set search_rowid = ${r.rowid} where id = ${r.complaint_id}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('complaints').dropColumn('search_rowid').execute();
}
