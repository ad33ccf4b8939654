/**
 * The case page: the case (personal data masked for those who do not need it), its timeline,
 * its clocks with their explanations, and the actions the caller may take now.
 *
 * Each view that shows personal data unmasked is recorded in `pii_access_log` (who, which case,
 * when, which fields, from which route): one small insert, run beside the timeline and clock
 * reads, and awaited — if it cannot be written the view fails rather than go unlogged, except
 * when the database cannot be written at all (a full disk): then the case is shown masked, so
 * the work goes on without an unlogged disclosure. A masked view, or a case whose complainant
 * left no phone, ID number, e-mail or address, writes nothing.
 */
import type { Actor, Clock, Complaint } from '../domain/complaint/types.js';
import { allowedActions } from '../domain/lifecycle/apply.js';
import { ruleOfClock } from '../domain/policy/clock-rules.js';
import type { I18nText } from '../domain/policy/index.js';
import { canSee } from '../domain/permissions/visibility.js';
import { complainantFor, maskComplainant, mayRevealPii, piiFieldsOf } from '../domain/permissions/pii.js';
import { AppError } from '../domain/errors.js';
import { personalDataOf } from '../domain/policy/personal-data.js';
import { getComplaint, findIdByNumber } from '../store/complaint.repository.js';
import { listEvents, type TimelineEvent } from '../store/event.repository.js';
import { listClocks } from '../store/clock.repository.js';
import { clockView, type ClockView } from '../domain/lifecycle/clock-remaining.js';
import { recordPiiAccess, type PiiAccess } from '../store/pii-access.repository.js';
import type { App } from './app.js';
import { uuidv7 } from './ids.js';
import { requestContext } from './request-context.js';

export interface ComplaintView {
  /** `piiRevealable` on a masked view: the reader may reveal one field with a reason (services/reveal-field.ts). */
  complaint: Complaint & { piiMasked: boolean; piiRevealable?: boolean };
  timeline: TimelineEvent[];
  /** Each with what it has left while paused; `name`: a policy clock rule's name (kind `rule:<code>`), for the console and the print form. */
  clocks: (ClockView & { name?: I18nText })[];
  allowedActions: string[];
  /** The promised time (承诺时限): the resolve clock's due time. */
  promisedAt: string | null;
}

export interface ViewOptions {
  /** Where the view is shown, for the access log; default: the current HTTP request's route. */
  route?: string;
  /**
   * The caller already recorded this view's personal-data access in its own transaction (intake
   * answers with the new case: one durable commit instead of two — see `piiAccessFor`).
   */
  accessLogged?: boolean;
}

/** The access-log row for `actor` seeing `c`'s personal data unmasked, or null when nothing is revealed. */
export function piiAccessFor(c: Complaint, actor: Actor, at: Date, route: string | null): PiiAccess | null {
  const { masked } = complainantFor(c, actor);
  const fields = masked ? [] : piiFieldsOf(c.complainant);
  if (!fields.length) return null;
  return { id: uuidv7(at.getTime()), at: at.toISOString(), userId: actor.id, userName: actor.name, complaintId: c.id, complaintNumber: c.number, fields, route };
}

export async function viewComplaint(app: App, actor: Actor, idOrNumber: string, opts: ViewOptions = {}): Promise<ComplaintView> {
  const db = app.database.db;
  const id = /^KS-\d{4}-\d+$/.test(idOrNumber) ? await findIdByNumber(db, idOrNumber) : idOrNumber;
  const c = id ? await getComplaint(db, id) : null;
  if (!c || !canSee(c, actor)) throw new AppError('not_found', `complaint ${idOrNumber}`);
  const policy = await app.policyByKey(c.policyKey);
  // Who may reveal follows the active policy (as services/reveal-field.ts does), not the case's version.
  const reveal = personalDataOf(await app.activePolicy()).reveal;
  let { complainant, masked } = complainantFor(c, actor);
  const access = opts.accessLogged ? null : piiAccessFor(c, actor, app.now(), opts.route ?? requestContext()?.route ?? null);
  const logged = (write: Promise<void>) =>
    write.catch((e: unknown) => {
      if (!app.database.storage.failed(e)) throw e;
      complainant = maskComplainant(c.complainant);
      masked = true;
    });
  // While the storage is known to refuse writes, show the data masked rather than try the log:
  // a small access-log transaction may still fit and would wrongly report the storage writable.
  if (access && app.database.storage.fault) {
    complainant = maskComplainant(c.complainant);
    masked = true;
  }
  const [timeline, clocks] = await Promise.all([listEvents(db, c.id), listClocks(db, c.id), access && !masked ? logged(recordPiiAccess(db, access)) : null]);
  return {
    complaint: { ...c, complainant, piiMasked: masked, ...(masked ? { piiRevealable: mayRevealPii(c, actor, reveal) } : {}) },
    timeline,
    clocks: clocks.map((k) => {
      const v = clockView(k);
      const rule = ruleOfClock(policy, k.kind);
      return rule ? { ...v, name: rule.name } : v;
    }),
    allowedActions: allowedActions(c, actor, policy),
    promisedAt: clocks.find((k) => k.kind === 'resolve')?.dueAt ?? null,
  };
}
