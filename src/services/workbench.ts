/**
 * The workbench (工作台): per role, what needs doing now — counts of the queues that concern the
 * user and the few most urgent cases among them. Every count is a list-complaints filter (the
 * same store reading as the queue it links to), so visibility and avoidance (回避) apply as in
 * the queues: a case the user must avoid is never counted nor listed.
 */
import type { Actor, Role, State } from '../domain/complaint/types.js';
import { FOLLOWUP_STATES } from '../domain/permissions/relations.js';
import { HANDLING_STATES, OPEN_STATES, TRIAGE_STATES } from '../domain/lifecycle/state-groups.js';
import { countComplaints, listComplaints, type ListFilters, type ListRow } from '../store/complaint.repository.js';
import type { App } from './app.js';

const HANDLING: State[] = [...HANDLING_STATES];
const TRIAGE: State[] = [...TRIAGE_STATES];
const OPEN: State[] = [...OPEN_STATES];

export type WorkbenchKey = 'handling' | 'nearDue' | 'overdue' | 'triage' | 'approval' | 'followup' | 'departmentOverdue' | 'received' | 'urged';

export interface WorkbenchItem {
  key: WorkbenchKey;
  /** The console queue the count opens. */
  queue: string;
  count: number;
  /** Counts that need attention first (overdue, about to breach) are flagged. */
  urgent: boolean;
}

export interface Workbench {
  items: WorkbenchItem[];
  /** The most urgent cases of the items above: the running clock due soonest first. */
  urgent: ListRow[];
}

interface Def {
  key: WorkbenchKey;
  queue: string;
  urgent: boolean;
  for: (a: Actor) => boolean;
  filter: (a: Actor, now: string) => Omit<ListFilters, 'text'>;
}

const has = (a: Actor, ...roles: Role[]) => roles.some((r) => a.roles.includes(r));

const DEFS: Def[] = [
  // 催办 (issue 14): cases of mine a manager urged, until I record something on them.
  { key: 'urged', queue: 'urged', urgent: true, for: (a) => has(a, 'handler'), filter: () => ({ mine: 'handler', state: HANDLING, urged: true }) },
  { key: 'overdue', queue: 'overdue', urgent: true, for: (a) => has(a, 'handler'), filter: () => ({ mine: 'handler', overdue: true, state: OPEN }) },
  { key: 'nearDue', queue: 'handling', urgent: true, for: (a) => has(a, 'handler'), filter: (_a, now) => ({ mine: 'handler', state: HANDLING, warnedBy: now }) },
  { key: 'handling', queue: 'handling', urgent: false, for: (a) => has(a, 'handler'), filter: () => ({ mine: 'handler', state: HANDLING }) },
  { key: 'triage', queue: 'triage', urgent: false, for: (a) => has(a, 'specialist'), filter: () => ({ state: TRIAGE }) },
  { key: 'approval', queue: 'approval', urgent: false, for: (a) => has(a, 'approver', 'specialist'), filter: () => ({ needsApproval: true }) },
  { key: 'followup', queue: 'followup', urgent: false, for: (a) => has(a, 'followup', 'specialist'), filter: () => ({ state: [FOLLOWUP_STATES[0]!] }) },
  { key: 'departmentOverdue', queue: 'department', urgent: true, for: (a) => a.managerOf.length > 0, filter: (a) => ({ departmentCode: a.managerOf, overdue: true, state: OPEN }) },
  { key: 'received', queue: 'received', urgent: false, for: () => true, filter: () => ({ mine: 'first_responder', state: OPEN }) },
];

const URGENT_LIMIT = 5;

export async function workbench(app: App, actor: Actor): Promise<Workbench> {
  const now = app.now().toISOString();
  const db = app.database.db;
  const mine = DEFS.filter((d) => d.for(actor));
  const items = await Promise.all(mine.map(async (d) => ({ key: d.key, queue: d.queue, urgent: d.urgent, count: await countComplaints(db, actor, d.filter(actor, now)) })));
  // The soonest-due few of each non-empty item, merged: at most a handful of small keyset reads.
  const lists = await Promise.all(mine.filter((d, i) => items[i]!.count > 0).map((d) => listComplaints(db, app.database.dialect, actor, d.filter(actor, now), { limit: URGENT_LIMIT, order: 'due' })));
  const byId = new Map<string, ListRow>();
  for (const l of lists) for (const r of l.items) byId.set(r.id, r);
  const urgent = [...byId.values()].sort((a, b) => (a.nextDue?.dueAt ?? '').localeCompare(b.nextDue?.dueAt ?? '') || a.id.localeCompare(b.id)).slice(0, URGENT_LIMIT);
  return { items, urgent };
}
