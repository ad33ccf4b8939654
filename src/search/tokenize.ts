/**
 * Chinese-aware tokens for full-text search. `Intl.Segmenter` splits 退货 into 退/货, and trigram
 * indexes miss two-character words such as 漏水, so words are cut with jieba in the application and
 * the same tokens are indexed by SQLite FTS5 and PostgreSQL tsvector (search.repository.ts).
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

let jieba: Jieba | null = null;

/** Search tokens of a text: lower-cased, deduplicated, punctuation and spaces dropped. */
export function searchTokens(text: string): string[] {
  jieba ??= Jieba.withDict(dict);
  const out = new Set<string>();
  for (const raw of jieba.cutForSearch(text.normalize('NFKC').toLowerCase(), true)) {
    // Keep letters, digits and CJK; split mixed tokens like "so-2026" the way FTS would.
    for (const t of raw.split(/[^\p{L}\p{N}]+/u)) if (t) out.add(t);
  }
  return [...out];
}
