/**
 * Listens for the console's keyboard shortcuts (the table and its rule: ./shortcuts.ts) and runs
 * `run` with the one a key completes — or, for a page's own shortcut (j/k in a queue, Escape on
 * a case), the handler that page registered (./page-shortcuts.ts). A key a component already
 * handled (defaultPrevented) is left alone; a key that completes a shortcut is taken
 * (preventDefault), so `/` focuses the search box without typing a slash into it.
 */
import { useEffect, useRef } from 'react';
import type { User } from '../api/client';
import { mayTrigger, press, shortcutsFor, type EverywhereId, type PageShortcutId, type Pending } from './shortcuts';
import { liveScopes, runPageShortcut } from './page-shortcuts';

const MODIFIERS = ['Shift', 'Control', 'Alt', 'Meta', 'CapsLock', 'AltGraph'];
/** What has the keys while it is shown: a dialog or drawer (antd: aria-modal), a dropdown menu or a popover (Escape closes it). */
const KEY_OWNERS = '[aria-modal="true"], .ant-dropdown:not(.ant-dropdown-hidden), .ant-popover:not(.ant-popover-hidden)';

/** Whether a dialog, drawer, dropdown menu or popover is shown. */
function dialogOpen(): boolean {
  return [...document.querySelectorAll(KEY_OWNERS)].some((d) => d.getClientRects().length > 0);
}

export function useShortcuts(me: User | null, run: (id: EverywhereId) => void): void {
  const latest = useRef(run);
  latest.current = run;
  useEffect(() => {
    if (!me) return;
    let pending: Pending | null = null;
    const onKey = (e: KeyboardEvent) => {
      // Shift on its way to `?` is not a key of its own.
      if (MODIFIERS.includes(e.key)) return;
      if (e.defaultPrevented || !mayTrigger({ key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, isComposing: e.isComposing, target: e.target as Element | null }, dialogOpen())) {
        pending = null;
        return;
      }
      const r = press(shortcutsFor(me, liveScopes()), pending, e.key, e.timeStamp);
      pending = r.pending;
      if (!r.hit) return;
      const { hit } = r;
      if (hit.scope) {
        if (runPageShortcut(hit.scope, hit.id as PageShortcutId)) e.preventDefault();
        return;
      }
      e.preventDefault();
      latest.current(hit.id as EverywhereId);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [me]);
}
