/**
 * Live updates for the web console: relays `case_changed` (app.events) to listeners, each told
 * only about cases its own user may see (need-to-know and avoidance, domain/permissions). The
 * case is loaded once per change, whatever the number of listeners. An urge (催办) is also told
 * to the case's handlers as its own event: the change relayed from another instance carries the
 * action, and the handlers are read from the case loaded here, so it works on every instance.
 */
import type { Actor, Complaint } from '../domain/complaint/types.js';
import { canSee } from '../domain/permissions/visibility.js';
import { getComplaint } from '../store/complaint.repository.js';
import type { App, CaseChanged } from './app.js';

export interface CaseWatcher {
  actor: Actor;
  send(change: CaseChanged): void;
  /** A manager urged (催办) a case this watcher's user handles: told to the handlers only. */
  urged?(change: CaseChanged): void;
}

/** Whether the change is an urge the actor is the target of: they handle the case (primary or backup). */
function urgesActor(change: CaseChanged, c: Complaint, actor: Actor): boolean {
  return change.action === 'urge' && (c.primaryHandlerId === actor.id || c.backupHandlerId === actor.id);
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
      for (const w of list)
        if (canSee(c, w.actor)) {
          w.send(change);
          if (urgesActor(change, c, w.actor)) w.urged?.(change);
        }
    })();
  };
  app.events.on('case_changed', onChange);
  return () => app.events.off('case_changed', onChange);
}
