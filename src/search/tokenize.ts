/**
 * Chinese-aware tokens for full-text search. `Intl.Segmenter` splits 退货 into 退/货, and trigram
 * indexes miss two-character words such as 漏水, so words are cut with jieba in the application and
 * the same tokens are indexed by SQLite FTS5 and PostgreSQL tsvector (search.repository.ts).
 *
 * Memory (issue 9): the dictionary is loaded once, on the first text to cut — not at start-up —
 * and read straight from its file. `@node-rs/jieba/dict.js` would also read the 6 MB keyword
 * (idf) table Kesu never uses and keep both files in JavaScript buffers for the life of the
 * process; here the 5 MB file is read, handed to jieba (which keeps its own ~35 MB copy, native)
 * and dropped.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Jieba } from '@node-rs/jieba';

const require = createRequire(import.meta.url);
let jieba: Jieba | null = null;

function loadJieba(): Jieba {
  const { Jieba: JiebaClass } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');
  return JiebaClass.withDict(readFileSync(require.resolve('@node-rs/jieba/dict.txt')));
}

/** Whether the dictionary has been loaded (it is, once any text was cut). */
export function tokenizerLoaded(): boolean {
  return jieba !== null;
}

/** Search tokens of a text: lower-cased, deduplicated, punctuation and spaces dropped. */
export function searchTokens(text: string): string[] {
  jieba ??= loadJieba();
  const out = new Set<string>();
  for (const raw of jieba.cutForSearch(text.normalize('NFKC').toLowerCase(), true)) {
    // Keep letters, digits and CJK; split mixed tokens like "so-2026" the way FTS would.
    for (const t of raw.split(/[^\p{L}\p{N}]+/u)) if (t) out.add(t);
  }
  return [...out];
}
