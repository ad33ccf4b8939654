/**
 * The matching evaluation harness (issue 13 "Scale and quality"): labelled sets built from the
 * real complaint files in ../shared/data, scored with the service's own tokens and ranking, and a
 * plain keyword baseline on the same candidates. Used by `bench/knowledge-eval.ts` (full figures,
 * docs/knowledge.md) and by the tests (a small slice in every test run).
 *
 * Similar cases, held out by category: of the texts whose category the file gives, every
 * `holdOutEvery`-th is a query, the others are resolved cases of that category, in a fixed
 * pseudo-random order standing for the order of intake (later = newer; the files are grouped by category). As the service does (src/services/knowledge-match.ts,
 * store/knowledge.repository.ts), a query's candidates are the newest `CASE_CANDIDATES` cases
 * sharing any of its match tokens, ranked by BM25 over the candidates' own document frequencies
 * with no category given (as at intake). A suggestion is relevant when its category is the
 * query's: precision@3 and MRR of the first relevant one.
 *
 * - Chinese: zh-consumer-complaints-sample.csv (`category`: 外卖, 书籍, 手机 …; 11 of them).
 * - English: cfpb-complaints-with-narrative.csv (`Product`: credit reporting, debt collection,
 *   mortgage …; the narrative as the text).
 */
import { readFileSync } from 'node:fs';
import { rank, termFrequencies, type Candidate } from '../../src/knowledge/scoring.js';
import { matchTokens } from '../../src/services/knowledge-match.js';
import { caseMatchTerms } from '../../src/knowledge/case-terms.js';
import { parseCsv } from '../../src/records/import/csv.js';

export const DATA = new URL('../../../shared/data/', import.meta.url);
/** The service's number of similar-case candidates (the newest sharing a word). */
export const CASE_CANDIDATES = 200;

export interface Metrics {
  precisionAt3: number;
  mrr: number;
}

/** Precision@3 (relevant among the top three, over three) and MRR (1 / rank of the first relevant). */
export function metrics(rankings: { ranked: string[]; relevant: string[] | ((id: string) => boolean) }[]): Metrics {
  let p = 0;
  let rr = 0;
  for (const { ranked, relevant } of rankings) {
    const is = typeof relevant === 'function' ? relevant : (id: string) => relevant.includes(id);
    p += ranked.slice(0, 3).filter(is).length / 3;
    const first = ranked.findIndex(is);
    rr += first < 0 ? 0 : 1 / (first + 1);
  }
  const n = Math.max(rankings.length, 1);
  return { precisionAt3: p / n, mrr: rr / n };
}

export interface LabelledText {
  category: string;
  text: string;
}

/** The labelled texts of a data file: `zh` (category, text) or `en` (CFPB Product, narrative). */
export function labelledTexts(lang: 'zh' | 'en'): LabelledText[] {
  const file = lang === 'zh' ? 'zh-consumer-complaints-sample.csv' : 'cfpb-complaints-with-narrative.csv';
  const [header, ...rows] = parseCsv(readFileSync(new URL(file, DATA), 'utf8'));
  const ci = header!.fields.indexOf(lang === 'zh' ? 'category' : 'Product');
  const ti = header!.fields.indexOf(lang === 'zh' ? 'text' : 'Consumer complaint narrative');
  if (ci < 0 || ti < 0) throw new Error(`${file}: the category or text column is missing`);
  return rows.map((r) => ({ category: r.fields[ci]?.trim() ?? '', text: r.fields[ti]?.trim() ?? '' })).filter((r) => r.category && r.text.length >= 8);
}

/** A copy of `xs` in a fixed order drawn from `seed` (Fisher–Yates with mulberry32). */
export function shuffled<T>(xs: readonly T[], seed: number): T[] {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export interface CaseEval {
  lang: 'zh' | 'en';
  texts: number;
  queries: number;
  cases: number;
  categories: number;
  /** Queries sharing no word with any case (counted as misses in both). */
  noCandidate: number;
  matcher: Metrics;
  keyword: Metrics;
}

/** Similar-case suggestions held out by category; `limit` keeps the first N texts of that order (a slice for CI). */
export function evalSimilarCases(lang: 'zh' | 'en', opts: { limit?: number; holdOutEvery?: number } = {}): CaseEval {
  const every = opts.holdOutEvery ?? 10;
  // The files are grouped by category; a history is not. The texts are put in a fixed pseudo-random
  // order (seeded, the same every run) that stands for the order of intake, so "the newest 200" mixes
  // categories in their real proportions; a slice is the first N of that order.
  const all = shuffled(labelledTexts(lang), 13);
  const texts = all.slice(0, Math.min(opts.limit ?? all.length, all.length));

  const queries = texts.filter((_, i) => i % every === every - 1);
  const cases = texts.filter((_, i) => i % every !== every - 1).map((t, i) => ({ id: String(i), category: t.category, tokens: caseMatchTerms({ title: '', description: t.text }) }));
  const index = new Map<string, number[]>();
  for (const [i, c] of cases.entries()) for (const t of c.tokens) (index.get(t) ?? index.set(t, []).get(t)!).push(i);

  let noCandidate = 0;
  const m: { ranked: string[]; relevant: (id: string) => boolean }[] = [];
  const b: typeof m = [];
  for (const q of queries) {
    const tokens = matchTokens(q.text);
    const sharing = new Set<number>();
    for (const t of tokens) for (const i of index.get(t) ?? []) sharing.add(i);
    const picked = [...sharing]
      .sort((x, y) => y - x)
      .slice(0, CASE_CANDIDATES)
      .map((i) => cases[i]!);
    if (!picked.length) noCandidate++;
    const df = new Map<string, number>();
    let total = 0;
    for (const c of picked) {
      for (const t of c.tokens) df.set(t, (df.get(t) ?? 0) + 1);
      total += c.tokens.length;
    }
    const cands: Candidate[] = picked.map((c) => ({ id: c.id, tf: termFrequencies(c.tokens), length: c.tokens.length, category: c.category, products: [], netFeedback: 0 }));
    const ranked = rank({ tokens, category: null, products: [] }, cands, { total: picked.length, averageLength: picked.length ? total / picked.length : 1, docFreq: (t) => df.get(t) ?? 0 }).map((s) => s.id);
    const qs = new Set(tokens);
    // Keyword baseline on the same candidates: most shared words first, newest first among equals.
    const keyword = picked
      .map((c) => ({ id: c.id, n: c.tokens.filter((t) => qs.has(t)).length }))
      .filter((c) => c.n > 0)
      .sort((x, y) => y.n - x.n || Number(y.id) - Number(x.id))
      .map((c) => c.id);
    const relevant = (id: string) => cases[Number(id)]!.category === q.category;
    m.push({ ranked, relevant });
    b.push({ ranked: keyword, relevant });
  }
  return { lang, texts: texts.length, queries: queries.length, cases: cases.length, categories: new Set(texts.map((t) => t.category)).size, noCandidate, matcher: metrics(m), keyword: metrics(b) };
}
