/**
 * Leaving the policy editor with an unpublished draft asks first (issue 14): a move to another
 * page of the console — the menu, a link, a shortcut, the browser's back button — opens a
 * confirmation that names how many changes would be
 * lost; closing or reloading the tab gets the browser's own question (`beforeunload`). The admin
 * page's own tabs ask the same through `confirmLeave` (AdminPage.tsx).
 */
import { App } from 'antd';
import { useCallback, useContext, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { UNSAFE_NavigationContext, type To } from 'react-router';
import { setPopGuard } from '../../app/pop-guard';

/** Asks whether to drop `changes` unpublished changes; `go` runs on yes. */
export function useConfirmLeave(): (changes: number, go: () => void, stay?: () => void) => void {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  return useCallback(
    (changes, go, stay) => {
      if (changes === 0) return go();
      modal.confirm({
        title: t('policyEditor.leaveTitle'),
        content: t('policyEditor.leaveBody', { count: changes }),
        okText: t('policyEditor.leaveOk'),
        okButtonProps: { danger: true, 'data-testid': 'pe-leave-ok' } as never,
        cancelText: t('policyEditor.leaveCancel'),
        cancelButtonProps: { 'data-testid': 'pe-leave-cancel' } as never,
        onOk: go,
        onCancel: stay,
      });
    },
    [modal, t],
  );
}

/**
 * While `changes` > 0: leaving this page of the console, or the console, asks first.
 *
 * Without a data router (its `useBlocker` would add ~17 KB to every page's first load, against
 * the 400 KB budget of test/browser/bundle-budget.test.ts) the router's own navigator is wrapped
 * while the draft holds changes — the menu, links and shortcuts all navigate through it — and
 * the browser's back / forward button is caught before the router sees it (app/pop-guard.ts),
 * the page's address put back, and the move made again only
 * when the reader chooses to leave.
 */
export function useUnpublishedGuard(changes: number): void {
  const confirmLeave = useConfirmLeave();
  const { navigator } = useContext(UNSAFE_NavigationContext);
  const latest = useRef(changes);
  latest.current = changes;
  const dirty = changes > 0;
  useEffect(() => {
    if (!dirty) return;
    const here = window.location.pathname;
    // The router's own record of this entry (its index among the tab's entries), to put back as it was.
    const hereState: unknown = window.history.state;
    const { push, replace } = navigator;
    const elsewhere = (to: To) => (typeof to === 'string' ? new URL(to, window.location.href).pathname : (to.pathname ?? here)) !== here;
    navigator.push = (to, state, opts) => (elsewhere(to) ? confirmLeave(latest.current, () => push(to, state, opts)) : push(to, state, opts));
    navigator.replace = (to, state, opts) => (elsewhere(to) ? confirmLeave(latest.current, () => replace(to, state, opts)) : replace(to, state, opts));
    let leaving = false;
    const unguard = setPopGuard(() => {
      if (leaving || window.location.pathname === here) return false;
      // Not for the router: back on this page's address, then ask; leaving goes back again.
      window.history.pushState(hereState, '', here);
      confirmLeave(latest.current, () => {
        leaving = true;
        window.history.back();
      });
      return true;
    });
    const ask = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      // Older engines ask only when returnValue is set; the browser words the question itself.
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', ask);
    return () => {
      navigator.push = push;
      navigator.replace = replace;
      unguard();
      window.removeEventListener('beforeunload', ask);
    };
  }, [dirty, navigator, confirmLeave]);
}
