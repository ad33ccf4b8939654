/**
 * Ranking for the experience library and similar cases (issue 13 §6), in-process so both engines
 * rank alike: BM25 over jieba tokens, plus fixed bonuses for the same category and a shared
 * product, times a bounded feedback factor. The database only finds candidates (any shared
 * token); every score is computed here.
 */

/** BM25 constants (the usual defaults). */
const K1 = 1.2;
const B = 0.75;
/** Added to the text score when the category equals the asked one. */
export const CATEGORY_BONUS = 1.5;
/** Added when a product of the catalogue appears in both. */
export const PRODUCT_BONUS = 1;
/** Each net helpful vote moves the score by this fraction… */
export const FEEDBACK_STEP = 0.1;
/** …up to this many net votes either way: the factor stays within [0.5, 1.5]. */
export const FEEDBACK_CAP = 5;

export interface Candidate {
  id: string;
  /** Term frequencies of the candidate's tokens. */
  tf: ReadonlyMap<string, number>;
  length: number;
  category: string | null;
  products: readonly string[];
  /** Helpful minus not-helpful votes. */
  netFeedback: number;
}

export interface Scored {
  id: string;
  score: number;
  sharedTerms: string[];
  sameCategory: boolean;
  sharedProducts: string[];
}

/** Feedback factor: 1 + 0.1 per net helpful vote, capped at ±5 votes (so 0.5 … 1.5). */
export function feedbackFactor(net: number): number {
  return 1 + FEEDBACK_STEP * Math.max(-FEEDBACK_CAP, Math.min(FEEDBACK_CAP, net));
}

/**
 * Scores `candidates` against the query tokens. `docFreq(t)` is how many documents of a corpus of
 * `total` contain `t`. Candidates sharing no term score nothing and are dropped.
 */
export function rank(
  query: { tokens: readonly string[]; category?: string | null; products: readonly string[] },
  candidates: readonly Candidate[],
  corpus: { total: number; averageLength: number; docFreq: (t: string) => number },
): Scored[] {
  const out: Scored[] = [];
  const avg = corpus.averageLength || 1;
  const N = Math.max(corpus.total, 1);
  for (const c of candidates) {
    let text = 0;
    const shared: { t: string; w: number }[] = [];
    for (const t of query.tokens) {
      const f = c.tf.get(t) ?? 0;
      if (!f) continue;
      const n = Math.min(corpus.docFreq(t), N);
      const idf = Math.log(1 + (N - n + 0.5) / (n + 0.5));
      const w = (idf * f * (K1 + 1)) / (f + K1 * (1 - B + (B * c.length) / avg));
      text += w;
      shared.push({ t, w });
    }
    if (!shared.length) continue;
    const sameCategory = !!query.category && c.category === query.category;
    const sharedProducts = query.products.filter((p) => c.products.includes(p));
    const score = (text + (sameCategory ? CATEGORY_BONUS : 0) + (sharedProducts.length ? PRODUCT_BONUS : 0)) * feedbackFactor(c.netFeedback);
    shared.sort((a, b) => b.w - a.w);
    out.push({ id: c.id, score, sharedTerms: shared.map((s) => s.t).slice(0, 8), sameCategory, sharedProducts });
  }
  return out.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}

/** Term frequencies of a token list. */
export function termFrequencies(tokens: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of tokens) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}
