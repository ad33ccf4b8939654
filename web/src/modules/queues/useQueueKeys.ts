/**
 * A queue by keyboard (the keys: web/src/app/shortcuts.ts, scope "queue"): j / k move the current
 * row (a focus ring, scrolled into view), Enter opens its case, a accepts it (签收) when the case
 * allows it for this user and says politely why not otherwise (../case/accept-by-key.ts, as on the
 * case page). The current row is remembered per queue for this tab, so Escape on the case page
 * comes back to it and j goes on from there.
 */
import { App } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { api, ok, type ListRow } from '../../api/client';
import { useLookups } from '../../app/session';
import { usePageShortcuts } from '../../app/page-shortcuts';
import { ACCEPT, acceptByKey } from '../case/accept-by-key';

const currentKey = (queue: string) => `kesu.queue.current.${queue}`;

/** The rows in the order the table shows them (after the user's sorting), as their ids. */
function shownIds(table: HTMLElement | null): string[] {
  return [...(table?.querySelectorAll<HTMLElement>('tbody tr[data-row-key]') ?? [])].map((tr) => tr.dataset.rowKey!);
}

function rowElement(table: HTMLElement | null, id: string): HTMLElement | null {
  return table?.querySelector<HTMLElement>(`tbody tr[data-row-key="${CSS.escape(id)}"]`) ?? null;
}

export interface QueueKeys {
  current: string | null;
  /** Props for each table row: the roving tabindex and what makes a clicked or focused row current. */
  rowProps: (r: ListRow) => React.HTMLAttributes<HTMLElement> & { 'data-current'?: string };
  rowClassName: (r: ListRow) => string;
}

export function useQueueKeys(queue: string, rows: readonly ListRow[], table: () => HTMLElement | null, reload: () => void): QueueKeys {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const { actionLabel } = useLookups();
  const nav = useNavigate();
  const loc = useLocation();
  const [current, setCurrent] = useState<string | null>(() => sessionStorage.getItem(currentKey(queue)));
  const [focusWanted, setFocusWanted] = useState(false);

  useEffect(() => setCurrent(sessionStorage.getItem(currentKey(queue))), [queue]);
  useEffect(() => {
    if (current) sessionStorage.setItem(currentKey(queue), current);
  }, [queue, current]);
  // Coming back from a case (Escape there says so): the remembered row gets the focus once the
  // list is shown — once, so a live reload never takes the focus from the search box.
  const back = (loc.state as { back?: boolean } | null)?.back === true;
  const restore = useRef(back);
  useEffect(() => {
    restore.current = back;
  }, [back, queue]);
  useEffect(() => {
    if (!restore.current || !rows.length) return;
    restore.current = false;
    if (current && rows.some((r) => r.id === current)) setFocusWanted(true);
  }, [rows, current]);
  useEffect(() => {
    if (!focusWanted || !current) return;
    const tr = rowElement(table(), current);
    if (!tr) return;
    setFocusWanted(false);
    tr.focus({ preventScroll: true });
    tr.scrollIntoView({ block: 'nearest' });
  }, [focusWanted, current, table]);

  const move = useCallback(
    (step: number) => {
      const ids = shownIds(table());
      if (!ids.length) return;
      // From the state as it is, not as this render saw it: keys pressed faster than the page
      // renders (a held j) each move one row instead of repeating the same move.
      setCurrent((cur) => {
        const at = cur ? ids.indexOf(cur) : -1;
        return ids[at < 0 ? 0 : Math.min(ids.length - 1, Math.max(0, at + step))]!;
      });
      setFocusWanted(true);
    },
    [table],
  );

  const row = () => rows.find((r) => r.id === current);

  const accept = async () => {
    const r = row();
    if (!r) return void message.info(t('shortcuts.noneSelected'));
    try {
      const view = await ok(api.GET('/api/v1/complaints/{id}', { params: { path: { id: r.id } } }));
      acceptByKey({
        t,
        label: actionLabel(ACCEPT),
        view,
        message,
        modal,
        onSettled: () => {
          reload();
          setFocusWanted(true);
        },
      });
    } catch (e) {
      void message.error((e as Error).message);
    }
  };

  usePageShortcuts('queue', {
    next: () => move(1),
    previous: () => move(-1),
    open: () => {
      const r = row();
      if (r) void nav(`/cases/${r.number}`, { state: { from: loc.pathname } });
      else void message.info(t('shortcuts.noneSelected'));
    },
    accept: () => void accept(),
  });

  return {
    current,
    rowProps: (r) => ({
      tabIndex: r.id === current || (!current && r.id === rows[0]?.id) ? 0 : -1,
      'data-current': r.id === current ? 'true' : undefined,
      onFocus: () => setCurrent(r.id),
      onClick: () => setCurrent(r.id),
    }),
    rowClassName: (r) => (r.id === current ? 'kesu-row-current' : ''),
  };
}
