/**
 * The experience library's tables (migration 0025): articles, their versions, the token index and
 * suggestion feedback; and the candidate cases for matching — visible (the same need-to-know rule
 * as lists and search, `visibleTo`) resolved cases sharing any token with the query text.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Actor } from '../domain/complaint/types.js';
import type { Dialect, Executor } from './db.js';
import { visibleTo } from './complaint.repository.js';
import { DENSE_THRESHOLD } from './search.repository.js';
import type { KnowledgeArticlesTable, KnowledgeVersionsTable } from './schema.js';
import { RESOLVED_STATES } from '../domain/lifecycle/state-groups.js';

export type ArticleRow = KnowledgeArticlesTable;
export type VersionRow = KnowledgeVersionsTable;

export async function getArticle(db: Executor, id: string): Promise<ArticleRow | null> {
  return (await db.selectFrom('knowledge_articles').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function getVersion(db: Executor, id: string, version: number): Promise<VersionRow | null> {
  return (await db.selectFrom('knowledge_versions').selectAll().where('article_id', '=', id).where('version', '=', version).executeTakeFirst()) ?? null;
}

export async function listVersions(db: Executor, id: string): Promise<VersionRow[]> {
  return db.selectFrom('knowledge_versions').selectAll().where('article_id', '=', id).orderBy('version', 'desc').execute();
}

/** Current versions of the given articles. */
export async function currentVersions(db: Executor, ids: readonly string[]): Promise<Map<string, { article: ArticleRow; version: VersionRow }>> {
  const out = new Map<string, { article: ArticleRow; version: VersionRow }>();
  if (!ids.length) return out;
  const rows = await db
    .selectFrom('knowledge_articles as a')
    .innerJoin('knowledge_versions as v', (j) => j.onRef('v.article_id', '=', 'a.id').onRef('v.version', '=', 'a.current_version'))
    .selectAll('a')
    .select(['v.document', 'v.edited_by', 'v.edited_by_name', 'v.edited_at', 'v.note', 'v.version'])
    .where('a.id', 'in', [...ids])
    .execute();
  for (const r of rows)
    out.set(r.id, {
      article: {
        id: r.id,
        current_version: r.current_version,
        status: r.status,
        category: r.category,
        title: r.title,
        token_count: r.token_count,
        source_complaint_id: r.source_complaint_id,
        created_by: r.created_by,
        created_at: r.created_at,
        updated_at: r.updated_at,
      },
      version: { article_id: r.id, version: r.version, document: r.document, edited_by: r.edited_by, edited_by_name: r.edited_by_name, edited_at: r.edited_at, note: r.note },
    });
  return out;
}

/**
 * Saves a version: the first one inserts the article, a later one must follow `expectedVersion`
 * (false when someone saved in between). The token index is replaced by the new version's tokens.
 */
export async function saveVersion(db: Executor, article: ArticleRow, version: VersionRow, tokens: readonly string[], expectedVersion: number | null): Promise<boolean> {
  if (expectedVersion === null) await db.insertInto('knowledge_articles').values(article).execute();
  else {
    const r = await db
      .updateTable('knowledge_articles')
      .set({ current_version: article.current_version, status: article.status, category: article.category, title: article.title, token_count: article.token_count, updated_at: article.updated_at })
      .where('id', '=', article.id)
      .where('current_version', '=', expectedVersion)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
    await db.deleteFrom('knowledge_tokens').where('article_id', '=', article.id).execute();
  }
  await db.insertInto('knowledge_versions').values(version).execute();
  const tf = new Map<string, number>();
  for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
  const rows = [...tf].map(([token, n]) => ({ token, article_id: article.id, tf: n }));
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('knowledge_tokens')
      .values(rows.slice(i, i + 500))
      .execute();
  return true;
}

/** Articles, newest first; `tokens` (all required) and `status` / `category` narrow the list. */
export async function listArticles(db: Executor, f: { tokens?: readonly string[]; status?: string; category?: string; limit: number }): Promise<ArticleRow[]> {
  let q = db.selectFrom('knowledge_articles').selectAll();
  for (const t of f.tokens ?? []) q = q.where('id', 'in', db.selectFrom('knowledge_tokens').select('article_id').where('token', '=', t));
  if (f.status) q = q.where('status', '=', f.status);
  if (f.category) q = q.where('category', '=', f.category);
  return q.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}

/** The published articles sharing any of `tokens`, with the shared tokens' counts. */
export async function articleCandidates(db: Executor, tokens: readonly string[], limit: number): Promise<{ article_id: string; token: string; tf: number }[]> {
  if (!tokens.length) return [];
  const ids = db
    .selectFrom('knowledge_tokens as t')
    .innerJoin('knowledge_articles as a', 'a.id', 't.article_id')
    .select('t.article_id')
    .distinct()
    .where('t.token', 'in', [...tokens])
    .where('a.status', '=', 'published')
    .limit(limit);
  return db
    .selectFrom('knowledge_tokens')
    .select(['article_id', 'token', 'tf'])
    .where('token', 'in', [...tokens])
    .where('article_id', 'in', ids)
    .execute();
}

/** Corpus figures for BM25 over published articles: how many, their mean length, each token's document frequency. */
export async function articleCorpus(db: Executor, tokens: readonly string[]): Promise<{ total: number; averageLength: number; docFreq: Map<string, number> }> {
  const stats = await db
    .selectFrom('knowledge_articles')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.avg<number>('token_count').as('avg')])
    .where('status', '=', 'published')
    .executeTakeFirstOrThrow();
  const docFreq = new Map<string, number>();
  if (tokens.length) {
    const rows = await db
      .selectFrom('knowledge_tokens as t')
      .innerJoin('knowledge_articles as a', 'a.id', 't.article_id')
      .select(['t.token', (eb) => eb.fn.countAll<number>().as('n')])
      .where('t.token', 'in', [...tokens])
      .where('a.status', '=', 'published')
      .groupBy('t.token')
      .execute();
    for (const r of rows) docFreq.set(r.token, Number(r.n));
  }
  return { total: Number(stats.n), averageLength: Number(stats.avg ?? 0), docFreq };
}

/** States in which a case has its answer: the ones matching offers as similar resolved cases (a state group of the domain). */
export { RESOLVED_STATES };

/** The FTS query "any of these tokens" (each token quoted, quotes doubled; PostgreSQL: a tsquery of ORs). */
function anyTokenQuery(dialect: Dialect, tokens: readonly string[]): string {
  return dialect === 'postgres' ? tokens.map((t) => `'${t.replace(/'/g, "''")}'`).join(' | ') : tokens.map((t) => `"${t.replace(/"/g, '""')}"`).join(' OR ');
}

/** Whether more than `threshold` cases (any state) share a token with the query (PostgreSQL; reads at most that many + 1). */
async function sharesCommonToken(db: Executor, dialect: Dialect, tokens: readonly string[], threshold: number): Promise<boolean> {
  const r = await sql<{ n: number }>`select count(*)::int as n from (select 1 from complaint_search where to_tsvector('simple', tokens) @@ to_tsquery('simple', ${anyTokenQuery(dialect, tokens)}) limit ${threshold + 1}) m`.execute(db);
  return Number(r.rows[0]?.n ?? 0) > threshold;
}

/**
 * A candidate, as lean as ranking allows: its category and stored match tokens (`complaint_terms`;
 * null when made before migration 0040 or purged); its body only when it has no stored tokens (to
 * cut them from its text); its product reference and description only when asked (`withText`: the
 * query names a product of the catalogue, and only then can a product bonus apply). The bodies of
 * the few shown are read afterwards (`caseBodies`): reading and parsing 200 bodies per request cost
 * more than the ranking itself.
 */
export interface SimilarCaseRow {
  id: string;
  category: string | null;
  match_terms: string | null;
  body: string | null;
  product: string | null;
  description: string | null;
}

/** The bodies of the given cases (the few a match shows). */
export async function caseBodies(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom('complaints')
    .select(['id', 'body'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.body]));
}

/** The lean columns of a candidate case (see SimilarCaseRow); `terms` is the stored-tokens expression. */
function leanCaseColumns(dialect: Dialect, terms: RawBuilder<string | null>, withText: boolean) {
  const field = (path: string) =>
    // `path` is one of the two constants below, never input.
    !withText ? sql<string | null>`null` : dialect === 'sqlite' ? sql<string | null>`json_extract(complaints.body, ${sql.lit(`$.${path}`)})` : sql<string | null>`(complaints.body::json #>> ${sql.lit(`{${path.replace('.', ',')}}`)})`;
  return [
    'complaints.id',
    'complaints.category',
    terms.as('match_terms'),
    sql<string | null>`case when ${terms} is null then complaints.body end`.as('body'),
    field('references.product').as('product'),
    field('description').as('description'),
  ] as const;
}

/**
 * The ranking facts of candidate articles: their category (the article row keeps the current
 * version's) and, only when the query names a product (`withProducts`), the current version's
 * products — not the whole documents; those of the few shown are read afterwards (currentVersions).
 */
export async function articleFacts(db: Executor, dialect: Dialect, ids: readonly string[], withProducts: boolean): Promise<Map<string, { category: string | null; tokenCount: number; products: string[] }>> {
  const out = new Map<string, { category: string | null; tokenCount: number; products: string[] }>();
  if (!ids.length) return out;
  const products = !withProducts
    ? sql<string | null>`null`
    : dialect === 'sqlite'
      ? sql<string | null>`(select json_extract(v.document, '$.products') from knowledge_versions v where v.article_id = a.id and v.version = a.current_version)`
      : sql<string | null>`(select (v.document::json -> 'products')::text from knowledge_versions v where v.article_id = a.id and v.version = a.current_version)`;
  const rows = await db
    .selectFrom('knowledge_articles as a')
    .select(['a.id', 'a.category', 'a.token_count', products.as('products')])
    .where('a.id', 'in', [...ids])
    .execute();
  for (const r of rows) out.set(r.id, { category: r.category, tokenCount: Number(r.token_count), products: r.products ? (JSON.parse(r.products) as string[]) : [] });
  return out;
}

/**
 * SQLite: how many of the newest cases sharing a word the walk reads at most. A person who sees
 * few resolved cases (a handler with a handful of their own, say) would otherwise read every case
 * sharing any word — at 1 M cases most of the history — before giving up; past this many they get
 * the visible ones among the newest matches, fewer than `limit` perhaps, never an invisible one.
 */
export const SIMILAR_WALK = 5000;

/**
 * Up to `limit` resolved cases `actor` may see sharing any token with the query (the full-text
 * index, OR of the tokens), newest first, with their stored bodies. Gathering every case that
 * shares any word and sorting them all (the first reading) cost 0.3–0.5 s at 20 000–50 000 cases
 * and grew with the history: a complaint's words are common, and any of them counts. So:
 *
 * - SQLite: the full-text index hands its matches newest first (rowid order, i.e. the order the
 *   cases were registered), each case is read by id and checked (state, need-to-know probed per
 *   case), and the walk stops at `limit` — or after `SIMILAR_WALK` matches (`opts.walk`). (A per-case probe of the index from the case's side,
 *   as the list's dense search does for AND queries, costs about 1 ms per case for an OR of a
 *   dozen words: FTS5 reads each word's whole list per probe.)
 * - PostgreSQL (GIN gives no order): when many cases share a word (`dense`, DENSE_THRESHOLD as
 *   for the list's search), walk the cases newest first and check each one's token row — a
 *   scalar subquery on purpose: an `exists` is planned as a semi-join over the whole GIN match
 *   again; when few do (`sparse`), start from them and sort that short list.
 *
 * "Newest" is the intake time on PostgreSQL and the registration order on SQLite: the same for
 * cases taken in by Kesu; for imported history (registered later than received) SQLite's walk
 * prefers the imported cases among those sharing a word. `form` forces a reading (tests).
 */
export async function similarCaseCandidates(db: Executor, dialect: Dialect, actor: Actor, tokens: readonly string[], limit: number, opts: { form?: 'dense' | 'sparse'; walk?: number; withText?: boolean } = {}): Promise<SimilarCaseRow[]> {
  if (!tokens.length) return [];
  const q = anyTokenQuery(dialect, tokens);
  const resolved = [...RESOLVED_STATES];
  const withText = opts.withText ?? false;
  const joined = sql<string | null>`t.terms`;
  if (dialect === 'sqlite') {
    const walk = db
      .selectFrom(sql<{ r: number; complaint_id: string }>`(select rowid as r, complaint_id from complaint_search where complaint_search match ${q} order by rowid desc limit ${opts.walk ?? SIMILAR_WALK})`.as('m'))
      .crossJoin('complaints')
      .whereRef('complaints.id', '=', 'm.complaint_id')
      .where('complaints.state', 'in', resolved)
      .where(visibleTo(actor, { probe: true }))
      .leftJoin('complaint_terms as t', 't.complaint_id', 'complaints.id')
      .select([...leanCaseColumns(dialect, joined, withText), 'complaints.received_at'])
      .orderBy(sql`m.r`, 'desc')
      .limit(limit);
    const rows = await walk.execute();
    // Newest first by intake time among the walked ones (equal to the walk's order for cases Kesu registered).
    return rows
      .sort((x, y) => (x.received_at < y.received_at ? 1 : x.received_at > y.received_at ? -1 : x.id < y.id ? 1 : x.id > y.id ? -1 : 0))
      .map((r) => ({ id: r.id, category: r.category, match_terms: r.match_terms, body: r.body, product: r.product, description: r.description }));
  }
  const form = opts.form ?? ((await sharesCommonToken(db, dialect, tokens, DENSE_THRESHOLD)) ? 'dense' : 'sparse');
  if (form === 'dense')
    return db
      .selectFrom('complaints')
      .select(leanCaseColumns(dialect, sql<string | null>`(select t.terms from complaint_terms t where t.complaint_id = complaints.id)`, withText))
      .where(visibleTo(actor))
      .where('state', 'in', resolved)
      .where(sql<SqlBool>`(select to_tsvector('simple', s.tokens) from complaint_search s where s.complaint_id = complaints.id) @@ to_tsquery('simple', ${q})`)
      .orderBy('received_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  return db
    .selectFrom(sql<{ complaint_id: string }>`(select complaint_id from complaint_search where to_tsvector('simple', tokens) @@ to_tsquery('simple', ${q}))`.as('m'))
    .crossJoin('complaints')
    .whereRef('complaints.id', '=', 'm.complaint_id')
    .where(visibleTo(actor, { probe: true }))
    .where('complaints.state', 'in', resolved)
    .leftJoin('complaint_terms as t', 't.complaint_id', 'complaints.id')
    .select(leanCaseColumns(dialect, joined, withText))
    .orderBy('complaints.received_at', 'desc')
    .orderBy('complaints.id', 'desc')
    .limit(limit)
    .execute();
}

/** Net helpful votes (helpful − not helpful) per target. */
export async function netFeedback(db: Executor, kind: 'article' | 'case', ids: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!ids.length) return out;
  const rows = await db
    .selectFrom('knowledge_feedback')
    .select(['target_id', (eb) => eb.fn.sum<number>(eb.case().when('helpful', '=', 1).then(1).else(-1).end()).as('net')])
    .where('target_kind', '=', kind)
    .where('target_id', 'in', [...ids])
    .groupBy('target_id')
    .execute();
  for (const r of rows) out.set(r.target_id, Number(r.net));
  return out;
}

/** Stores a person's vote on a suggestion, replacing their earlier vote on it. */
export async function replaceFeedback(db: Executor, row: { id: string; target_kind: string; target_id: string; helpful: number; user_id: string; at: string }): Promise<void> {
  await db.deleteFrom('knowledge_feedback').where('target_kind', '=', row.target_kind).where('target_id', '=', row.target_id).where('user_id', '=', row.user_id).execute();
  await db.insertInto('knowledge_feedback').values(row).execute();
}
