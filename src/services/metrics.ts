/**
 * What the operations metrics (`GET /metrics`, http/metrics.ts) know about the domain:
 * - `operationsSnapshot(app)`: the state of the work, read on each scrape with a handful of
 *   indexed counts (store/metrics.repository.ts) — open cases per state, overdue cases, clocks
 *   waiting for the sweeper, the outbox backlog and its dead letters.
 * - `clockFired(app, …)`: the sweeper's one-line report of each warning, breach or grade rise it
 *   fires, with how late it fired (now − the time it was due: the deadline for a breach, the
 *   warning or grade-rise time otherwise); on `app.events` as `clock_fired`, so the jobs need no
 *   metrics library and no handle on the HTTP server. Reported inside the case's transaction: a
 *   pass that then fails to commit is reported again when the next pass fires the clock.
 */
import type { Clock } from '../domain/complaint/types.js';
import { OPEN_STATES } from '../domain/lifecycle/state-groups.js';
import { countCasesByState, countOverdueCases, dueClocks, outboxBacklog, type DueClocks, type OutboxStatusCount } from '../store/metrics.repository.js';
import type { App } from './app.js';

export interface OperationsSnapshot {
  at: string;
  openCases: Record<string, number>;
  overdueCases: number;
  dueClocks: DueClocks[];
  outbox: OutboxStatusCount[];
}

export async function operationsSnapshot(app: App): Promise<OperationsSnapshot> {
  const db = app.database.db;
  const at = app.now().toISOString();
  const [byState, overdueCases, due, outbox] = await Promise.all([countCasesByState(db, OPEN_STATES), countOverdueCases(db), dueClocks(db, at), outboxBacklog(db)]);
  return { at, openCases: Object.fromEntries(OPEN_STATES.map((s) => [s, byState.get(s) ?? 0])), overdueCases, dueClocks: due, outbox };
}

export const CLOCK_FIRED = 'clock_fired';

export interface ClockFired {
  /** warn | breach | raise_grade */
  action: string;
  /** The clock's kind (resolve, first_response, grade_rise.0, …). */
  clock: string;
  /** How long after it was due the sweeper acted, in ms. */
  lateMs: number;
}

/** Called by the sweeper for each clock it acts on, before the clock is updated. */
export function clockFired(app: App, action: string, clock: Clock, now: Date): void {
  const dueAt = action === 'breach' ? clock.dueAt : clock.nextCheckAt;
  const e: ClockFired = { action, clock: clock.kind, lateMs: dueAt ? now.getTime() - Date.parse(dueAt) : 0 };
  app.events.emit(CLOCK_FIRED, e);
}
