/**
 * The tokens matching ranks a similar case by (issue 13 §6): the jieba tokens of its title and
 * description — not `searchText`, which also holds the number, order, name and other lines a
 * complaint's wording says nothing about. Written with the case at intake
 * (`complaint_terms`, migration 0040), so matching reads them instead of cutting up to 200
 * candidates' texts per request; a case without them (made before 0040, or purged) is cut from its
 * body, which gives the same tokens.
 */
import { searchTokens } from '../search/tokenize.js';

/** The text of a case that matching compares. */
export function caseMatchText(c: { title: string; description: string }): string {
  return `${c.title}\n${c.description}`;
}

/** The case's match tokens: deduplicated, in text order (`searchTokens`). */
export function caseMatchTerms(c: { title: string; description: string }): string[] {
  return searchTokens(caseMatchText(c));
}

/** The stored form: tokens never hold a space (`searchTokens` splits on everything but letters and digits). */
export function storeTerms(tokens: readonly string[]): string {
  return tokens.join(' ');
}

/** The stored tokens, or those cut from the case's text when none were stored (null). */
export function termsOf(stored: string | null, c: { title: string; description: string }): string[] {
  if (stored === null) return caseMatchTerms(c);
  return stored ? stored.split(' ') : [];
}
