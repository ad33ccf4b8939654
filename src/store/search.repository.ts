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
export async function indexNewComplaintText(db: Executor, dialect: Dialect, complaintId: string, text: string): Promise<void> {
  await indexNewComplaintTokens(db, dialect, complaintId, searchTokens(text).join(' '));
}

/** `indexNewComplaintText` with the tokens computed before the transaction (the history import's batches). */
export async function indexNewComplaintTokens(db: Executor, dialect: Dialect, complaintId: string, tokens: string): Promise<void> {
  await sql`insert into complaint_search (complaint_id, tokens) values (${complaintId}, ${tokens})`.execute(db);
  // SQLite: remember the FTS rowid on the case for per-row checks (matchesTextDense).
  if (dialect === 'sqlite') await sql`update complaints set search_rowid = last_insert_rowid() where id = ${complaintId}`.execute(db);
}

/**
 * Indexes many new cases at once (the history import's batches; tokens computed before the
 * transaction), before their case rows are inserted. On SQLite the FTS rows get explicit rowids
 * after the largest one (the transaction holds the only writer), returned per case for
 * `complaints.search_rowid`; on PostgreSQL the map is empty.
 */
export async function indexNewComplaintsTokens(db: Executor, dialect: Dialect, rows: readonly { complaintId: string; tokens: string }[]): Promise<Map<string, number>> {
  const rowids = new Map<string, number>();
  if (!rows.length) return rowids;
  let next = 0;
  if (dialect === 'sqlite') {
    const r = await sql<{ m: number | null }>`select max(rowid) as m from complaint_search`.execute(db);
    next = Number(r.rows[0]?.m ?? 0);
  }
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    if (dialect === 'sqlite') {
      const values = chunk.map((x) => {
        next += 1;
        rowids.set(x.complaintId, next);
        return sql`(${next}, ${x.complaintId}, ${x.tokens})`;
      });
      await sql`insert into complaint_search (rowid, complaint_id, tokens) values ${sql.join(values)}`.execute(db);
    } else await sql`insert into complaint_search (complaint_id, tokens) values ${sql.join(chunk.map((x) => sql`(${x.complaintId}, ${x.tokens})`))}`.execute(db);
  }
  return rowids;
}

/** Above this many matching cases a query counts as "common" and uses matchesTextDense. */
export const DENSE_THRESHOLD = 1000;

/** Whether more than `threshold` cases match every token (reads at most that many + 1). */
export async function isCommonText(db: Executor, dialect: Dialect, query: string, threshold = DENSE_THRESHOLD): Promise<boolean> {
  const tokens = searchTokens(query);
  if (!tokens.length) return false;
  const r =
    dialect === 'postgres'
      ? await sql<{ n: number }>`select count(*)::int as n from (select 1 from complaint_search where to_tsvector('simple', tokens) @@ plainto_tsquery('simple', ${tokens.join(' ')}) limit ${threshold + 1}) m`.execute(db)
      : await sql<{ n: number }>`select count(*) as n from (select 1 from complaint_search where complaint_search match ${ftsQuery(tokens)} limit ${threshold + 1})`.execute(db);
  return Number(r.rows[0]?.n ?? 0) > threshold;
}

function ftsQuery(tokens: string[]): string {
  // FTS5 query syntax: each token quoted (quotes doubled), juxtaposition means AND.
  return tokens.map((t) => `"${t.replace(/"/g, '""')}"`).join(' ');
}

/**
 * For a word many cases contain: check each case as the list walks its own order (one index
 * probe per row), so the first page costs about a page of probes instead of the whole matching set.
 */
export function matchesTextDense(eb: ExpressionBuilder<DB, 'complaints'>, dialect: Dialect, query: string): Expression<SqlBool> {
  const tokens = searchTokens(query);
  const number = eb('complaints.number', '=', query.trim().toUpperCase());
  if (!tokens.length) return number;
  const words =
    dialect === 'postgres'
      ? sql<SqlBool>`exists (select 1 from complaint_search s where s.complaint_id = complaints.id and to_tsvector('simple', s.tokens) @@ plainto_tsquery('simple', ${tokens.join(' ')}))`
      : sql<SqlBool>`exists (select 1 from complaint_search where complaint_search match ${ftsQuery(tokens)} and rowid = complaints.search_rowid)`;
  return eb.or([words, number]);
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
  return eb('complaints.id', 'in', sql<string>`(select complaint_id from complaint_search where complaint_search match ${ftsQuery(tokens)} union select id from complaints where number = ${number})`);
}
