/**
 * Need-to-know visibility (001 篇1 §二(七)4, 003 规范1/3) and avoidance (回避, 001 篇1 §二(一),
 * 002 篇7 §四), read from the relation rules (relations.ts). The store's list query applies the
 * same rules in SQL, derived from the same table (store/complaint.repository.ts `visibleTo`);
 * test/store/visibility-agreement.test.ts checks the two agree.
 */
import type { Actor, Complaint } from '../complaint/types.js';
import { grants, relations, type Person } from './relations.js';

/** Whether the person must avoid the case (回避): they may neither see it nor act on it. */
export function mustAvoid(c: Complaint, p: Person): boolean {
  return grants(relations(c, p), 'bars');
}

/**
 * Whether the actor may see the case at all: system actors always; people when one of their
 * relations to it grants `see` and none bars them.
 */
export function canSee(c: Complaint, actor: Actor): boolean {
  if (actor.kind === 'system') return true;
  const rel = relations(c, actor);
  return !grants(rel, 'bars') && grants(rel, 'see');
}
