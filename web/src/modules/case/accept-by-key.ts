/**
 * The `a` key's 签收 (the lifecycle's `accept`, under the label the lifecycle gives it), the same
 * in a queue (useQueueKeys.ts) and on the case page (CasePage.tsx): when the case allows it for
 * this user — the server's allowedActions decide, as for the case page's buttons — a confirmation
 * naming the case, its button focused, then the action; otherwise a polite message saying why not
 * and nothing changes.
 */
import type { App } from 'antd';
import { createElement } from 'react';
import type { TFunction } from 'i18next';
import { api, newIdempotencyKey, ok, type CaseView } from '../../api/client';

/** The lifecycle action the `a` key takes. */
export const ACCEPT = 'accept';

type Feedback = Pick<ReturnType<typeof App.useApp>, 'message' | 'modal'>;

export interface AcceptByKey extends Feedback {
  t: TFunction;
  /** The lifecycle's label for `accept` in the reader's language (useLookups().actionLabel). */
  label: string;
  /** The case as just read (its allowedActions for this user). */
  view: CaseView;
  /** After the confirmed action: the case as it now is, or null when the server refused it (its message was shown). */
  onSettled: (done: CaseView | null) => void;
}

export function acceptByKey({ t, label, view, message, modal, onSettled }: AcceptByKey): void {
  const c = view.complaint;
  if (!view.allowedActions.includes(ACCEPT)) {
    void message.info(t('shortcuts.cannotAccept', { action: label, number: c.number, state: t(`state.${c.state}`) }));
    return;
  }
  // One key for this confirmation: a retried request acts once.
  const key = newIdempotencyKey();
  modal.confirm({
    title: t('shortcuts.acceptConfirm', { action: label, number: c.number }),
    content: createElement('span', { 'data-testid': 'accept-case-title' }, c.title),
    okText: label,
    cancelText: t('common.cancel'),
    autoFocusButton: 'ok',
    okButtonProps: { 'data-testid': 'accept-confirm' } as never,
    onOk: async () => {
      try {
        const done = await ok(api.POST('/api/v1/complaints/{id}/actions/{action}', { params: { path: { id: c.id, action: ACCEPT }, header: { 'idempotency-key': key } }, body: {} as never }));
        void message.success(t('case.done', { action: label, state: t(`state.${done.complaint.state}`) }));
        onSettled(done);
      } catch (e) {
        void message.error((e as Error).message);
        onSettled(null);
      }
    },
  });
}
