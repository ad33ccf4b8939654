/**
 * The full-text index: one row of space-joined jieba tokens per case. Queries require every
 * query token (AND). The SQL differs per engine; everything else is shared.
 */
import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import { searchTokens } from '../search/tokenize.js';
import type { Dialect, Executor } from './db.js';
import type { DB } from './schema.js';

export async function indexComplaintText(db: Executor, dialect: Dialect, complaintId: string, text: string): Promise<void> {
  const tokens = searchTokens(text).join(' ');
  if (dialect === 'postgres') {
    await sql`insert into complaint_search (complaint_id, tokens) values (${complaintId}, ${tokens})
              on conflict (complaint_id) do update set tokens = excluded.tokens`.execute(db);
  } else {
    await sql`delete from complaint_search where complaint_id = ${complaintId}`.execute(db);
    await sql`insert into complaint_search (complaint_id, tokens) values (${complaintId}, ${tokens})`.execute(db);
  }
}

/** `complaints.id IN (cases matching every token of the query)`, or null for an empty query. */
export function matchesText(eb: ExpressionBuilder<DB, 'complaints'>, dialect: Dialect, query: string): Expression<SqlBool> | null {
  const tokens = searchTokens(query);
  if (!tokens.length) return null;
  if (dialect === 'postgres') {
    const q = tokens.join(' ');
    return eb('complaints.id', 'in', sql<string>`(select complaint_id from complaint_search where to_tsvector('simple', tokens) @@ plainto_tsquery('simple', ${q}))`);
  }
  // FTS5 query syntax: each token quoted (quotes doubled), juxtaposition means AND.
  const match = tokens.map((t) => `"${t.replace(/"/g, '""')}"`).join(' ');
  return eb('complaints.id', 'in', sql<string>`(select complaint_id from complaint_search where complaint_search match ${match})`);
}
