/**
 * The cases related to one case (issue 13 §2): the links written at intake, both ways, and the
 * problem records grouping it — only what the reader may see. A case the reader may not see
 * looks missing (avoidance: the complained-about employee learns nothing).
 */
import type { Actor } from '../domain/complaint/types.js';
import { AppError } from '../domain/errors.js';
import { canSee } from '../domain/permissions/visibility.js';
import { getComplaint } from '../store/complaint.repository.js';
import { relatedVisible } from '../store/repeat.repository.js';
import type { App } from '../services/app.js';
import type { LinkReason } from './definition.js';

export interface RelatedCase {
  id: string;
  number: string;
  title: string;
  state: string;
  category: string | null;
  receivedAt: string;
  direction: 'earlier' | 'later';
  /** Why the cases are linked: one entry per reason (customer, reference, text). */
  reasons: { reason: LinkReason; detail: string | null }[];
}

export async function relatedCases(app: App, actor: Actor, id: string): Promise<RelatedCase[]> {
  const c = await getComplaint(app.database.db, id);
  if (!c || !canSee(c, actor)) throw new AppError('not_found', 'no such case');
  const byCase = new Map<string, RelatedCase>();
  for (const r of await relatedVisible(app.database.db, actor, id)) {
    let e = byCase.get(r.id);
    if (!e) byCase.set(r.id, (e = { id: r.id, number: r.body.number, title: r.body.title, state: r.body.state, category: r.body.category, receivedAt: r.body.receivedAt, direction: r.direction, reasons: [] }));
    e.reasons.push({ reason: r.reason, detail: r.detail });
  }
  return [...byCase.values()];
}
