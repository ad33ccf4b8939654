/**
 * The recent cases an intake compares its text with (link-candidates.ts), as token sets.
 *
 * Cutting 200 texts with jieba and parsing 200 bodies on every intake was the largest cost of the
 * request (issue 9), and consecutive intakes compare against nearly the same 200 cases. So the
 * token set of each case is kept per (case id, version): an intake reads the ids and versions of
 * the window (an index range), and fetches and cuts only the cases it has not seen at that
 * version. A changed case has a new version and is cut again, so the cache is never stale; it is
 * per database handle and bounded, and another instance's writes are seen through the versions.
 */
import type { Executor } from '../store/db.js';
import { caseBodies, recentCaseVersions } from '../store/repeat.repository.js';
import { comparedText, tokenSet } from './similarity.js';

export interface RecentText {
  id: string;
  tokens: ReadonlySet<string>;
  /** The product reference, normalised (normProduct). */
  product: string;
}

export const normProduct = (s: string | undefined | null) => (s ?? '').normalize('NFKC').trim().toLowerCase();

/** Cached entries per database handle; a few windows' worth. */
const MAX_ENTRIES = 2000;

interface Entry extends RecentText {
  version: number;
}

const caches = new WeakMap<object, Map<string, Entry>>();

function cacheOf(db: Executor): Map<string, Entry> {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = new Map()));
  return c;
}

export async function recentTexts(db: Executor, from: string, before: string, limit: number): Promise<RecentText[]> {
  const cache = cacheOf(db);
  const window = await recentCaseVersions(db, from, before, limit);
  const missing = window.filter((w) => cache.get(w.id)?.version !== w.version).map((w) => w.id);
  for (const r of await caseBodies(db, missing)) {
    cache.delete(r.id); // re-insert at the end: Map order is the eviction order
    cache.set(r.id, { id: r.id, version: r.version, tokens: tokenSet(comparedText(r.body)), product: normProduct(r.body.references.product) });
  }
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  const out: RecentText[] = [];
  for (const w of window) {
    const e = cache.get(w.id);
    // A case changed between the two reads is compared at the version read (or skipped if gone).
    if (e) out.push(e);
  }
  return out;
}
