/**
 * Escape on the case page (web/src/app/shortcuts.ts, scope "case", registered by CasePage with
 * its other keys): the way back to the queue the case
 * was opened from (a queue passes its path in the navigation state), else to the user's first
 * queue in the menu. The queue is told it is a return, so it gives the focus back to the row.
 */
import { useLocation, useNavigate } from 'react-router';
import { useSession } from '../../app/session';
import { firstQueuePath } from '../queues/queues';

export function useBackToQueue(): () => void {
  const nav = useNavigate();
  const loc = useLocation();
  const { me } = useSession();
  return () => {
    const from = (loc.state as { from?: unknown } | null)?.from;
    const queue = typeof from === 'string' && from.startsWith('/queues/') ? from : firstQueuePath(me);
    void nav(queue, { state: { back: true } });
  };
}
