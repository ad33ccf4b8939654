/**
 * The full-text index: one row of space-joined jieba tokens per case. Queries require every
 * query token (AND). The SQL differs per engine; everything else is shared.
 */
import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import { searchTokens } from '../search/tokenize.js';
import type { Dialect, Executor } from './db.js';
import type { DB } from './schema.js';

/**
 * Indexes a new case's text. Insert-only: FTS5 cannot find a row by an UNINDEXED column without
 * scanning, so re-indexing an existing case would need a rowid mapping (not needed yet — a case's
 * searchable text is fixed at intake).
 */
export async function indexNewComplaintText(db: Executor, _dialect: Dialect, complaintId: string, text: string): Promise<void> {
  const tokens = searchTokens(text).join(' ');
  await sql`insert into complaint_search (complaint_id, tokens) values (${complaintId}, ${tokens})`.execute(db);
}

/**
 * `complaints.id IN (cases matching every token of the query, or whose number is the query)`.
 * The number match sits inside the subquery (UNION) rather than in an outer OR, so PostgreSQL
 * can use both indexes instead of scanning every case.
 */
export function matchesText(eb: ExpressionBuilder<DB, 'complaints'>, dialect: Dialect, query: string): Expression<SqlBool> {
  const tokens = searchTokens(query);
  const number = query.trim().toUpperCase();
  if (!tokens.length) return eb('complaints.number', '=', number);
  if (dialect === 'postgres') {
    const q = tokens.join(' ');
    return eb('complaints.id', 'in', sql<string>`(select complaint_id from complaint_search where to_tsvector('simple', tokens) @@ plainto_tsquery('simple', ${q}) union select id from complaints where number = ${number})`);
  }
  // FTS5 query syntax: each token quoted (quotes doubled), juxtaposition means AND.
  const match = tokens.map((t) => `"${t.replace(/"/g, '""')}"`).join(' ');
  return eb('complaints.id', 'in', sql<string>`(select complaint_id from complaint_search where complaint_search match ${match} union select id from complaints where number = ${number})`);
}
