/**
 * The queues each role works from. A queue is a fixed server filter; visibility and avoidance
 * are always applied by the server, so "all" shows each user only the cases they may see.
 */
import type { ListFilter, User } from '../../api/client';
import { HANDLING_STATES, OPEN_STATES, TRIAGE_STATES } from '../../api/generated/state-groups';

export interface QueueDef {
  key: string;
  /** Server filter (GET /api/v1/complaints query). */
  filter: (me: User) => ListFilter;
  /** Whether this user gets the queue in the menu. */
  for: (me: User) => boolean;
  /** Opened from the workbench only, not listed in the menu. */
  hidden?: boolean;
}

const has = (me: User, ...roles: User['roles']) => roles.some((r) => me.roles.includes(r));

export const QUEUES: QueueDef[] = [
  { key: 'handling', filter: () => ({ mine: 'handler', state: [...HANDLING_STATES] }), for: (me) => has(me, 'handler') },
  // 催办 (issue 14): my cases a manager urged that I have not answered yet; the workbench's count opens it.
  { key: 'urged', filter: () => ({ mine: 'handler', state: [...HANDLING_STATES], urged: 'true' }), for: (me) => has(me, 'handler'), hidden: true },
  { key: 'triage', filter: () => ({ state: [...TRIAGE_STATES] }), for: (me) => has(me, 'specialist') },
  { key: 'received', filter: () => ({ mine: 'first_responder' }), for: () => true },
  { key: 'department', filter: (me) => ({ department: me.managerOf }), for: (me) => me.managerOf.length > 0 },
  { key: 'approval', filter: () => ({ needsApproval: 'true' }), for: (me) => has(me, 'approver', 'specialist') },
  { key: 'followup', filter: () => ({ state: ['answered'] }), for: (me) => has(me, 'followup', 'specialist') },
  { key: 'pending', filter: () => ({ state: ['pending'] }), for: (me) => has(me, 'handler', 'specialist', 'approver') },
  { key: 'overdue', filter: () => ({ overdue: 'true', state: [...OPEN_STATES] }), for: (me) => has(me, 'specialist', 'approver', 'handler', 'admin', 'auditor') },
  { key: 'all', filter: () => ({}), for: () => true },
];

/** The user's first queue in the menu (`g` `q`, and where Escape on a case goes without a queue to return to). */
export function firstQueuePath(me: User | null): string {
  return `/queues/${(me && QUEUES.find((q) => q.for(me))?.key) ?? 'all'}`;
}
