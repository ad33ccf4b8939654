/**
 * The experience library (经验库, issue 13 §4; seed 002 篇3): articles of known problems with
 * their cause, handling steps and phone-script lines. Every save is a new version (history kept,
 * the current one shown); the roles of the policy's `knowledge.editors` write, everyone signed in
 * reads. A resolved case becomes a draft article in one step, without the customer's personal
 * data. Matching lives in knowledge-match.ts.
 */
import type { Transaction } from 'kysely';
import type { Actor, Complaint } from '../domain/complaint/types.js';
import { AppError, fieldProblem } from '../domain/errors.js';
import { canSee } from '../domain/permissions/visibility.js';
import { knowledge as knowledgeSchema, type KnowledgePolicy } from '../domain/policy/knowledge.js';
import type { Policy } from '../domain/policy/index.js';
import { searchTokens } from '../search/tokenize.js';
import { getComplaint } from '../store/complaint.repository.js';
import type { DB } from '../store/schema.js';
import { currentVersions, getArticle, listArticles, listVersions, RESOLVED_STATES, saveVersion, type ArticleRow, type VersionRow } from '../store/knowledge.repository.js';
import { uuidv7 } from './ids.js';
import type { App } from './app.js';

export const ARTICLE_STATUSES = ['draft', 'published', 'retired'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

/** What an editor writes; every version stores all of it. */
export interface ArticleContent {
  title: string;
  symptom: string;
  cause: string;
  steps: string[];
  /** Phone-script lines for this situation (read to the customer). */
  scripts: string[];
  category: string | null;
  products: string[];
  /** The policy the article applies to (policy id), or null for any. */
  policyId: string | null;
  status: ArticleStatus;
}

export interface Article extends ArticleContent {
  id: string;
  version: number;
  sourceComplaintId: string | null;
  editedBy: string;
  editedAt: string;
  createdAt: string;
}

export interface ArticleVersion extends ArticleContent {
  version: number;
  editedBy: string;
  editedAt: string;
  note: string | null;
}

export interface ArticleSummary {
  id: string;
  title: string;
  status: ArticleStatus;
  category: string | null;
  version: number;
  updatedAt: string;
}

type Mark = (trx: Transaction<DB>) => Promise<void>;

/** The section, or its defaults for a policy stored before it existed. */
export const knowledgeRulesOf = (p: Policy): KnowledgePolicy => (p as Partial<Policy>).knowledge ?? knowledgeSchema.parse({});

async function requireEditor(app: App, actor: Actor): Promise<void> {
  const editors = knowledgeRulesOf(await app.activePolicy()).editors;
  if (!actor.roles.some((r) => editors.includes(r))) throw new AppError('forbidden', 'may not edit the experience library');
}

/** The text an article is found by: everything but the status. */
export function articleText(c: ArticleContent): string {
  return [c.title, c.symptom, c.cause, ...c.steps, ...c.scripts, ...c.products].join('\n');
}

function contentOf(v: VersionRow): ArticleContent {
  return JSON.parse(v.document) as ArticleContent;
}

function articleView(a: ArticleRow, v: VersionRow): Article {
  return { id: a.id, version: v.version, ...contentOf(v), sourceComplaintId: a.source_complaint_id, editedBy: v.edited_by_name, editedAt: v.edited_at, createdAt: a.created_at };
}

async function store(
  app: App,
  actor: Actor,
  id: string,
  content: ArticleContent,
  previous: ArticleRow | null,
  expectedVersion: number | null,
  extra: { sourceComplaintId?: string | null; note?: string | null },
  mark?: Mark,
): Promise<Article> {
  const tokens = searchTokens(articleText(content)); // before the transaction: jieba is CPU work
  const at = app.now().toISOString();
  const version = (previous?.current_version ?? 0) + 1;
  const article: ArticleRow = {
    id,
    current_version: version,
    status: content.status,
    category: content.category,
    title: content.title,
    token_count: tokens.length,
    source_complaint_id: previous?.source_complaint_id ?? extra.sourceComplaintId ?? null,
    created_by: previous?.created_by ?? actor.id,
    created_at: previous?.created_at ?? at,
    updated_at: at,
  };
  const row: VersionRow = { article_id: id, version, document: JSON.stringify(content), edited_by: actor.id, edited_by_name: actor.name, edited_at: at, note: extra.note ?? null };
  const saved = await app.database.db.transaction().execute(async (trx) => {
    const ok = await saveVersion(trx, article, row, tokens, expectedVersion);
    if (ok) await mark?.(trx);
    return ok;
  });
  if (!saved)
    throw new AppError('conflict', 'article changed meanwhile', [
      fieldProblem('version', '该经验已被他人修改，请刷新后再编辑', 'Someone else saved this article meanwhile: reload it and edit again', '該經驗已被他人修改，請重新整理後再編輯'),
    ]);
  app.log.info({ audit: 'knowledge.saved', articleId: id, version, actorId: actor.id }, 'experience article saved');
  return articleView(article, row);
}

export async function createArticle(app: App, actor: Actor, content: ArticleContent, mark?: Mark): Promise<Article> {
  await requireEditor(app, actor);
  return store(app, actor, uuidv7(app.now().getTime()), content, null, null, {}, mark);
}

/** Saves a new version of article `id`; `expectedVersion` is the version the editor started from. */
export async function updateArticle(app: App, actor: Actor, id: string, content: ArticleContent, expectedVersion: number, note: string | null, mark?: Mark): Promise<Article> {
  await requireEditor(app, actor);
  const previous = await getArticle(app.database.db, id);
  if (!previous) throw new AppError('not_found', 'no such article');
  if (previous.current_version !== expectedVersion)
    throw new AppError('conflict', 'stale version', [fieldProblem('version', '该经验已被他人修改，请刷新后再编辑', 'Someone else saved this article meanwhile: reload it and edit again', '該經驗已被他人修改，請重新整理後再編輯')]);
  return store(app, actor, id, content, previous, expectedVersion, { note }, mark);
}

export async function getArticleById(app: App, id: string): Promise<Article> {
  const cur = (await currentVersions(app.database.db, [id])).get(id);
  if (!cur) throw new AppError('not_found', 'no such article');
  return articleView(cur.article, cur.version);
}

export async function articleHistory(app: App, id: string): Promise<ArticleVersion[]> {
  const rows = await listVersions(app.database.db, id);
  if (!rows.length) throw new AppError('not_found', 'no such article');
  return rows.map((v) => ({ version: v.version, ...contentOf(v), editedBy: v.edited_by_name, editedAt: v.edited_at, note: v.note }));
}

/** The library's list: all words of `q` (jieba tokens) must occur; drafts and retired ones only for editors. */
export async function searchArticles(app: App, actor: Actor, f: { q?: string; status?: ArticleStatus; category?: string; limit: number }): Promise<{ items: ArticleSummary[]; mayEdit: boolean }> {
  const editors = knowledgeRulesOf(await app.activePolicy()).editors;
  const isEditor = actor.roles.some((r) => editors.includes(r));
  const status = isEditor ? f.status : 'published';
  const tokens = f.q ? searchTokens(f.q) : [];
  if (f.q && !tokens.length) return { items: [], mayEdit: isEditor };
  const rows = await listArticles(app.database.db, { tokens, status, category: f.category, limit: f.limit });
  return { items: rows.map((a) => ({ id: a.id, title: a.title, status: a.status as ArticleStatus, category: a.category, version: a.current_version, updatedAt: a.updated_at })), mayEdit: isEditor };
}

/** Removes the customer's own identifiers (name, phone, e-mail, ID, address) and any phone-like or e-mail-like text. */
export function withoutPersonalData(text: string, c: Complaint): string {
  let out = text;
  const own = [c.complainant.name, c.complainant.phone, c.complainant.email, c.complainant.idNumber, c.complainant.address].filter((x): x is string => !!x && x.trim().length >= 2);
  for (const v of own) out = out.split(v).join('***');
  return out
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '***')
    .replace(/(\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}/g, '***')
    .replace(/\d{17}[\dXx]/g, '***');
}

/** "Turn this case into experience": a draft article pre-filled from resolved case `id`, without personal data. */
export async function draftFromCase(app: App, actor: Actor, id: string, mark?: Mark): Promise<Article> {
  await requireEditor(app, actor);
  const c = await getComplaint(app.database.db, id);
  // Avoidance: a case the actor may not see looks exactly like a missing one.
  if (!c || !canSee(c, actor)) throw new AppError('not_found', 'no such case');
  if (!(RESOLVED_STATES as readonly string[]).includes(c.state) || !c.answer)
    throw new AppError('conflict', 'case not resolved', [fieldProblem('id', '只能从已答复的案件生成经验', 'Only a case that has been answered can become experience', '只能從已答覆的案件產生經驗')]);
  const clean = (t: string) => withoutPersonalData(t, c).trim();
  const steps = [c.proposal?.description, c.answer.text].filter((x): x is string => !!x && !!x.trim()).map(clean);
  const content: ArticleContent = {
    title: clean(c.title).slice(0, 200) || c.number,
    symptom: clean(c.description),
    cause: clean(c.findings?.cause ?? ''),
    steps: [...new Set(steps)],
    scripts: [],
    category: c.category,
    products: c.references.product ? [clean(c.references.product)] : [],
    policyId: c.policyKey.split('@')[0] ?? null,
    status: 'draft',
  };
  return store(app, actor, uuidv7(app.now().getTime()), content, null, null, { sourceComplaintId: c.id, note: `from ${c.number}` }, mark);
}
