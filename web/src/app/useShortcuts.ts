/**
 * Listens for the console's keyboard shortcuts (the table and its rule: ./shortcuts.ts) and runs
 * `run` with the one a key completes. A key a component already handled (defaultPrevented) is
 * left alone; a key that completes a shortcut is taken (preventDefault), so `/` focuses the
 * search box without typing a slash into it.
 */
import { useEffect, useRef } from 'react';
import type { User } from '../api/client';
import { mayTrigger, press, shortcutsFor, type Pending, type ShortcutId } from './shortcuts';

const MODIFIERS = ['Shift', 'Control', 'Alt', 'Meta', 'CapsLock', 'AltGraph'];

/** Whether a dialog or drawer (antd: aria-modal) is shown. */
function dialogOpen(): boolean {
  return [...document.querySelectorAll('[aria-modal="true"]')].some((d) => d.getClientRects().length > 0);
}

export function useShortcuts(me: User | null, run: (id: ShortcutId) => void): void {
  const latest = useRef(run);
  latest.current = run;
  useEffect(() => {
    if (!me) return;
    const table = shortcutsFor(me);
    let pending: Pending | null = null;
    const onKey = (e: KeyboardEvent) => {
      // Shift on its way to `?` is not a key of its own.
      if (MODIFIERS.includes(e.key)) return;
      if (e.defaultPrevented || !mayTrigger({ key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, isComposing: e.isComposing, target: e.target as Element | null }, dialogOpen())) {
        pending = null;
        return;
      }
      const r = press(table, pending, e.key, e.timeStamp);
      pending = r.pending;
      if (!r.hit) return;
      e.preventDefault();
      latest.current(r.hit.id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [me]);
}
