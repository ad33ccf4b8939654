/**
 * The case page: the case (personal data masked for those who do not need it), its timeline,
 * its clocks with their explanations, and the actions the caller may take now.
 */
import type { Actor, Clock, Complaint } from '../domain/complaint/types.js';
import { allowedActions } from '../domain/lifecycle/apply.js';
import { canSee } from '../domain/permissions/visibility.js';
import { complainantFor } from '../domain/permissions/pii.js';
import { AppError } from '../domain/errors.js';
import { getComplaint, findIdByNumber } from '../store/complaint.repository.js';
import { listEvents, type TimelineEvent } from '../store/event.repository.js';
import { listClocks } from '../store/clock.repository.js';
import type { App } from './app.js';

export interface ComplaintView {
  complaint: Complaint & { piiMasked: boolean };
  timeline: TimelineEvent[];
  clocks: Clock[];
  allowedActions: string[];
  /** The promised time (承诺时限): the resolve clock's due time. */
  promisedAt: string | null;
}

export async function viewComplaint(app: App, actor: Actor, idOrNumber: string): Promise<ComplaintView> {
  const db = app.database.db;
  const id = /^KS-\d{4}-\d+$/.test(idOrNumber) ? await findIdByNumber(db, idOrNumber) : idOrNumber;
  const c = id ? await getComplaint(db, id) : null;
  if (!c || !canSee(c, actor)) throw new AppError('not_found', `complaint ${idOrNumber}`);
  const policy = await app.policyByKey(c.policyKey);
  const [timeline, clocks] = await Promise.all([listEvents(db, c.id), listClocks(db, c.id)]);
  const { complainant, masked } = complainantFor(c, actor);
  return {
    complaint: { ...c, complainant, piiMasked: masked },
    timeline,
    clocks,
    allowedActions: allowedActions(c, actor, policy),
    promisedAt: clocks.find((k) => k.kind === 'resolve')?.dueAt ?? null,
  };
}
