/**
 * Near-identical texts: the Jaccard similarity of two token sets (|A∩B| / |A∪B|), with the same
 * jieba tokens the full-text index uses (search/tokenize.ts), so 门店不给退货 and 门店不给退货！
 * are identical and word order does not matter.
 */
import { searchTokens } from '../search/tokenize.js';

export function tokenSet(text: string): Set<string> {
  return new Set(searchTokens(text));
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (!a.size && !b.size) return 0;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return shared / (a.size + b.size - shared);
}

/** The words of a case compared for similarity: its title and description. */
export function comparedText(c: { title?: string | null; description?: string | null }): string {
  return [c.title, c.description].filter(Boolean).join('\n');
}
