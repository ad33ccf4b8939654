/**
 * Full-text search over jieba tokens: an FTS5 table on SQLite, a GIN-indexed tsvector on
 * PostgreSQL. Frozen once released.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await db.schema
      .createTable('complaint_search')
      .addColumn('complaint_id', 'text', (c) => c.primaryKey())
      .addColumn('tokens', 'text', (c) => c.notNull())
      .execute();
    await sql`create index complaint_search_fts on complaint_search using gin (to_tsvector('simple', tokens))`.execute(db);
  } else {
    await sql`create virtual table complaint_search using fts5(complaint_id unindexed, tokens, tokenize = 'unicode61')`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists complaint_search`.execute(db);
}
