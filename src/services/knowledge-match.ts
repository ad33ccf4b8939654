/**
 * Matching (issue 13 §6; seed 002 篇3): for a complaint text, the best experience articles and the
 * most similar resolved cases the reader may see, each with why it matched. The database finds
 * candidates sharing any jieba token (token index for articles, the cases' full-text index, under
 * the same need-to-know rule as lists and search); src/knowledge/scoring.ts ranks them alike on
 * both engines. Staff feedback ("helpful" / "not helpful", one vote per person and suggestion,
 * the latest counts) scales a suggestion's score within [0.5, 1.5]. A candidate case's tokens are
 * read as stored at intake (`complaint_terms`), not cut again per request; only the few suggestions
 * shown are read whole (article documents, case bodies), the candidates by their ranking facts.
 */
import type { Transaction } from 'kysely';
import type { DB } from '../store/schema.js';
import type { Actor, Complaint, Satisfaction } from '../domain/complaint/types.js';
import { AppError } from '../domain/errors.js';
import { rank, termFrequencies, type Candidate, type Scored } from '../knowledge/scoring.js';
import { searchTokens } from '../search/tokenize.js';
import { termsOf } from '../knowledge/case-terms.js';
import { articleCandidates, articleCorpus, articleFacts, caseBodies, currentVersions, getArticle, netFeedback, replaceFeedback, similarCaseCandidates } from '../store/knowledge.repository.js';
import { getComplaint } from '../store/complaint.repository.js';
import { canSee } from '../domain/permissions/visibility.js';
import type { ArticleContent } from './knowledge.js';
import { uuidv7 } from './ids.js';
import type { App } from './app.js';

/** How many cases sharing a word are ranked (the newest ones). */
const CASE_CANDIDATES = 200;
const ARTICLE_CANDIDATES = 500;

export interface MatchReasons {
  sharedTerms: string[];
  sameCategory: boolean;
  sharedProducts: string[];
}

export interface ArticleMatch {
  id: string;
  title: string;
  symptom: string;
  steps: string[];
  scripts: string[];
  category: string | null;
  score: number;
  reasons: MatchReasons;
}

export interface CaseMatch {
  id: string;
  number: string;
  title: string;
  category: string | null;
  /** The answer given (and the approved proposal's description, when there was one). */
  solution: string;
  satisfaction: Satisfaction | null;
  score: number;
  reasons: MatchReasons;
}

export interface MatchResult {
  articles: ArticleMatch[];
  cases: CaseMatch[];
}

const reasonsOf = (s: Scored): MatchReasons => ({ sharedTerms: s.sharedTerms, sameCategory: s.sameCategory, sharedProducts: s.sharedProducts });
const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * Function words and pronouns say nothing about the problem: a single CJK character token (我, 的,
 * 了, 也 …) and a few common fillers are left out of the query, so "why it matched" names real words.
 */
const FILLERS = new Set(['我们', '你们', '他们', '没有', '还是', '已经', '就是', '这个', '那个', '什么', '怎么', '可以', '一个', 'the', 'a', 'an', 'and', 'or', 'of', 'to', 'in', 'is', 'it', 'my', 'i', 'for', 'on', 'was', 'not']);
export function matchTokens(text: string): string[] {
  return searchTokens(text).filter((t) => !FILLERS.has(t) && !(t.length === 1 && /\p{Script=Han}/u.test(t)));
}

/** The catalogue's products named in a text (policy highlights.products). */
export function productsIn(text: string, catalogue: readonly string[]): string[] {
  const t = text.toLowerCase();
  return catalogue.filter((p) => t.includes(p.toLowerCase()));
}

export async function matchText(app: App, actor: Actor, input: { text: string; category?: string | null; limit?: number }): Promise<MatchResult> {
  const limit = input.limit ?? 5;
  const policy = await app.activePolicy();
  const catalogue = policy.highlights?.products ?? [];
  const tokens = matchTokens(input.text);
  const query = { tokens, category: input.category ?? null, products: productsIn(input.text, catalogue) };
  const db = app.database.db;

  // Articles: BM25 over the published library.
  const hits = await articleCandidates(db, tokens, ARTICLE_CANDIDATES);
  const tfs = new Map<string, Map<string, number>>();
  for (const h of hits) (tfs.get(h.article_id) ?? tfs.set(h.article_id, new Map()).get(h.article_id)!).set(h.token, h.tf);
  const ids = [...tfs.keys()];
  // Ranking needs each candidate's category and (only when the query names a product) its products;
  // the whole article or case is read for the few shown, not for every candidate.
  const withText = query.products.length > 0;
  const [facts, corpus, articleVotes] = await Promise.all([articleFacts(db, app.database.dialect, ids, withText), articleCorpus(db, tokens), netFeedback(db, 'article', ids)]);
  const articleCands: Candidate[] = [];
  for (const id of ids) {
    const f = facts.get(id);
    if (!f) continue;
    articleCands.push({ id, tf: tfs.get(id)!, length: f.tokenCount, category: f.category, products: f.products, netFeedback: articleVotes.get(id) ?? 0 });
  }
  const rankedArticles = rank(query, articleCands, { total: corpus.total, averageLength: corpus.averageLength, docFreq: (t) => corpus.docFreq.get(t) ?? 0 }).slice(0, limit);
  const current = await currentVersions(
    db,
    rankedArticles.map((s) => s.id),
  );
  const articles = rankedArticles.map((s) => {
    const c = JSON.parse(current.get(s.id)!.version.document) as ArticleContent;
    return { id: s.id, title: c.title, symptom: c.symptom, steps: c.steps, scripts: c.scripts, category: c.category, score: round(s.score), reasons: reasonsOf(s) };
  });

  // Similar cases: BM25 over the candidates (their own document frequencies).
  const rows = await similarCaseCandidates(db, app.database.dialect, actor, tokens, CASE_CANDIDATES, { withText });
  const caseVotes = await netFeedback(
    db,
    'case',
    rows.map((r) => r.id),
  );
  const df = new Map<string, number>();
  let totalLength = 0;
  const caseCands: Candidate[] = rows.map((r) => {
    // The tokens written at intake; a case made before them (or purged) is cut now from its body — the same tokens.
    const own = r.match_terms !== null ? termsOf(r.match_terms, { title: '', description: '' }) : termsOf(null, JSON.parse(r.body!) as Complaint);
    for (const t of own) df.set(t, (df.get(t) ?? 0) + 1);
    totalLength += own.length;
    // Only the query's products can count (rank: shared products), so only they are looked for in the description.
    const products = withText ? [...new Set([...(r.product ? [r.product] : []), ...(r.description ? productsIn(r.description, query.products) : [])])] : [];
    return { id: r.id, tf: termFrequencies(own), length: own.length, category: r.category, products, netFeedback: caseVotes.get(r.id) ?? 0 };
  });
  const rankedCases = rank(query, caseCands, { total: rows.length, averageLength: rows.length ? totalLength / rows.length : 1, docFreq: (t) => df.get(t) ?? 0 }).slice(0, limit);
  const bodies = await caseBodies(
    db,
    rankedCases.map((s) => s.id),
  );
  const cases = rankedCases.map((s) => {
    const c = JSON.parse(bodies.get(s.id)!) as Complaint;
    const solution = [c.proposal?.description, c.answer?.text].filter((x): x is string => !!x).join('\n');
    return { id: c.id, number: c.number, title: c.title, category: c.category, solution, satisfaction: c.followUp?.satisfaction ?? null, score: round(s.score), reasons: reasonsOf(s) };
  });
  return { articles, cases };
}

/** Records `actor`'s vote on a suggestion (their earlier vote on it is replaced). */
export async function recordFeedback(app: App, actor: Actor, input: { kind: 'article' | 'case'; targetId: string; helpful: boolean }, mark?: (trx: Transaction<DB>) => Promise<void>): Promise<void> {
  if (input.kind === 'article') {
    if (!(await getArticle(app.database.db, input.targetId))) throw new AppError('not_found', 'no such article');
  } else {
    const c = await getComplaint(app.database.db, input.targetId);
    if (!c || !canSee(c, actor)) throw new AppError('not_found', 'no such case');
  }
  const at = app.now();
  await app.database.db.transaction().execute(async (trx) => {
    await replaceFeedback(trx, { id: uuidv7(at.getTime()), target_kind: input.kind, target_id: input.targetId, helpful: input.helpful ? 1 : 0, user_id: actor.id, at: at.toISOString() });
    await mark?.(trx);
  });
  app.log.info({ audit: 'knowledge.feedback', kind: input.kind, targetId: input.targetId, helpful: input.helpful, actorId: actor.id }, 'suggestion feedback');
}
