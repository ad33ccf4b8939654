/**
 * The shortcuts a page offers while it is shown (a queue's j/k/Enter/a, the case page's Escape):
 * the page registers its handlers for its scope with `usePageShortcuts`, and the one key handler
 * of the console (useShortcuts, in the shell) asks here which scopes are live and runs the page's
 * handler. The keys themselves stay in the one table, ./shortcuts.ts.
 */
import { useEffect, useRef } from 'react';
import type { PageShortcutId, ShortcutScope } from './shortcuts';

type PageScope = Exclude<ShortcutScope, 'everywhere'>;
export type PageHandlers = Partial<Record<PageShortcutId, () => void>>;

/** The live pages' handlers by scope (a ref each, so a handler always sees the page's latest state). */
const live = new Map<PageScope, { current: PageHandlers }>();

/** The scopes whose shortcuts a key may complete now: everywhere, and those of the pages shown. */
export function liveScopes(): Set<ShortcutScope> {
  return new Set<ShortcutScope>(['everywhere', ...live.keys()]);
}

/** Runs a page's shortcut; false when no page shown offers it. */
export function runPageShortcut(scope: PageScope, id: PageShortcutId): boolean {
  const run = live.get(scope)?.current[id];
  if (!run) return false;
  run();
  return true;
}

/** Offers the page's shortcuts of `scope` while the calling component is mounted. */
export function usePageShortcuts(scope: PageScope, handlers: PageHandlers): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    live.set(scope, ref);
    return () => {
      // A page shown after this one may have taken the scope already.
      if (live.get(scope) === ref) live.delete(scope);
    };
  }, [scope]);
}
