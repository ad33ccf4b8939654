/**
 * Matching quality, full figures (issue 13 "Scale and quality"; docs/knowledge.md "Measured
 * quality"): similar-case suggestions held out by category on the Chinese sample and the CFPB
 * file (bench/knowledge/eval.ts), beside a plain keyword baseline on the same candidates. The
 * article suggestions are scored by test/knowledge/eval.test.ts (82 hand-labelled texts, 12
 * articles), which prints its figures in every test run.
 *
 *   npx tsx bench/knowledge-eval.ts [--limit N] [--every K]
 */
import { evalSimilarCases, type Metrics } from './knowledge/eval.js';
import { option } from './http/options.js';

const limit = option('--limit') ? Number(option('--limit')) : undefined;
const every = option('--every') ? Number(option('--every')) : undefined;
const f = (m: Metrics) => `P@3 ${m.precisionAt3.toFixed(3)}  MRR ${m.mrr.toFixed(3)}`;
for (const lang of ['zh', 'en'] as const) {
  const t = Date.now();
  const r = evalSimilarCases(lang, { limit, holdOutEvery: every });
  console.log(`# similar cases (${lang}): ${r.texts} texts, ${r.categories} categories, ${r.queries} held out against ${r.cases} cases (${r.noCandidate} with no candidate) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  console.log(`#   matcher (BM25 over the newest 200 sharing a word)  ${f(r.matcher)}`);
  console.log(`#   keyword baseline (most shared words, same cands)   ${f(r.keyword)}`);
}
