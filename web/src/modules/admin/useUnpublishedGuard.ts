/**
 * Leaving the policy editor with an unpublished draft asks first (issue 14): a move to another
 * page of the console — the menu, a link, a shortcut, the browser's back button (the data
 * router's `useBlocker`, App.tsx) — opens a confirmation that names how many changes would be
 * lost; closing or reloading the tab gets the browser's own question (`beforeunload`). The admin
 * page's own tabs ask the same through `confirmLeave` (AdminPage.tsx).
 */
import { App } from 'antd';
import { useCallback, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useBlocker } from 'react-router';

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

/** While `changes` > 0: leaving this page of the console, or the console, asks first. */
export function useUnpublishedGuard(changes: number): void {
  const confirmLeave = useConfirmLeave();
  const blocker = useBlocker(({ currentLocation, nextLocation }) => changes > 0 && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    confirmLeave(changes, () => blocker.proceed(), () => blocker.reset());
  }, [blocker, changes, confirmLeave]);
  useEffect(() => {
    if (changes === 0) return;
    const ask = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      // Older engines ask only when returnValue is set; the browser words the question itself.
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [changes]);
}
