/**
 * Live updates for the web console: relays `case_changed` (app.events) to listeners, each told
 * only about cases its own user may see (need-to-know and avoidance, domain/permissions). The
 * case is loaded once per change, whatever the number of listeners.
 */
import type { Actor, Complaint } from '../domain/complaint/types.js';
import { canSee } from '../domain/permissions/visibility.js';
import { getComplaint } from '../store/complaint.repository.js';
import type { App, CaseChanged } from './app.js';

export interface CaseWatcher {
  actor: Actor;
  send(change: CaseChanged): void;
}

/** Subscribes; returns the function that unsubscribes. */
export function watchCases(app: App, watchers: () => Iterable<CaseWatcher>): () => void {
  const onChange = (change: CaseChanged) => {
    void (async () => {
      const list = [...watchers()];
      if (!list.length) return;
      let c: Complaint | null = null;
      try {
        c = await getComplaint(app.database.db, change.id);
      } catch (err) {
        app.log.warn({ err, id: change.id }, 'live update: could not load the case');
        return;
      }
      if (!c) return;
      for (const w of list) if (canSee(c, w.actor)) w.send(change);
    })();
  };
  app.events.on('case_changed', onChange);
  return () => app.events.off('case_changed', onChange);
}
