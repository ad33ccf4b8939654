/**
 * Running clocks counted again after a holiday list changed (issue 10 §5). Adding or replacing a
 * year (`kesu calendar import`, PUT /api/v1/calendar/years/{year}) bumps the region's holiday
 * revision in the same transaction as the write (store/calendar.repository.ts); this job then
 * finds the regions whose revision is ahead of their last finished recalculation and, in batches
 * of cases, counts each running clock again from its start with its limit, extensions and pauses
 * (ClockSet.recalculate). A case whose times move gets one `recalculate_clocks` transition by the
 * system, with each moved clock's old and new times on its event; a later promise sends the
 * customer the policy's delay notice, an earlier one the `promise_earlier` message
 * (domain/lifecycle/apply.ts). A case whose times do not move but whose clocks had assumed a year
 * without holiday data that the change supplied gets the transition too, to clear that flag
 * (`holidayData` on its event); other cases get nothing.
 *
 * Robust by construction: each case is counted outside any transaction and written in its own
 * short one (re-counted under the lock only if the case changed meanwhile), a region is marked
 * done only when all its cases went through, and a second run moves nothing. A process that
 * dies half way leaves the region pending: the sweeper loop of `kesu serve` (on start and on
 * every tick) and the next import run it again, and the cases already done simply do not move.
 */
import { SYSTEM_ACTOR, type Complaint } from '../domain/complaint/types.js';
import { apply, type Decision } from '../domain/lifecycle/apply.js';
import type { ClockMove } from '../domain/lifecycle/clocks.js';
import { calendarNames, calendarSpec } from '../domain/policy/index.js';
import { getComplaint } from '../store/complaint.repository.js';
import { caseIdsWithRunningClocks, listClocks } from '../store/clock.repository.js';
import { listPolicies } from '../store/policy.repository.js';
import { markRecalculated, pendingRecalculations, type PendingRecalculation } from '../store/calendar.repository.js';
import { persistDecisions } from '../store/decisions.js';
import { lockForDecision, warnMissingHolidays } from './act-on-complaint.js';
import type { App } from './app.js';

export interface RecalculationResult {
  /** The region revisions worked on, and whether each finished (every case went through). */
  regions: (PendingRecalculation & { done: boolean })[];
  /** Cases counted again. */
  cases: number;
  /** Cases whose times moved: each got a `recalculate_clocks` transition. */
  moved: { complaintId: string; number: string; clocks: ClockMove[] }[];
  /** Cases that could not be written (logged; the region stays pending and is tried again). */
  failed: number;
}

const ACTION = 'recalculate_clocks';

export interface RecalculationOptions {
  /** Cases per batch (default 100). */
  batch?: number;
  /** Checked between cases: true stops the run there, leaving the region pending (a graceful stop). */
  stopping?: () => boolean;
}

/** Runs every pending region to the end, including revisions written while it runs. */
export async function recalculateClocks(app: App, opts: RecalculationOptions = {}): Promise<RecalculationResult> {
  const batch = opts.batch ?? 100;
  const result: RecalculationResult = { regions: [], cases: 0, moved: [], failed: 0 };
  const tried = new Set<string>();
  for (;;) {
    const pending = (await pendingRecalculations(app.database.db)).filter((p) => !tried.has(`${p.region}#${p.revision}`));
    if (!pending.length || opts.stopping?.()) return result;
    // Count on the holiday lists as they are now, not on a copy cached before the change.
    app.invalidateCalendars();
    for (const p of pending) {
      tried.add(`${p.region}#${p.revision}`);
      const done = await recalculateRegion(app, p, batch, result, opts.stopping ?? (() => false));
      if (done) await markRecalculated(app.database.db, p);
      result.regions.push({ ...p, done });
    }
  }
}

/** The policy versions with a calendar (the default or a named one) on the region's holidays. */
async function policiesOn(app: App, region: string): Promise<string[]> {
  const keys: string[] = [];
  for (const { key } of await listPolicies(app.database.db)) {
    const p = await app.policyByKey(key);
    if ([undefined, ...calendarNames(p)].some((name) => calendarSpec(p, name).holidays === region)) keys.push(key);
  }
  return keys;
}

async function recalculateRegion(app: App, p: PendingRecalculation, batch: number, result: RecalculationResult, stopping: () => boolean): Promise<boolean> {
  const keys = await policiesOn(app, p.region);
  let done = true;
  let after = '';
  for (;;) {
    const ids = await caseIdsWithRunningClocks(app.database.db, keys, after, batch);
    for (const id of ids) {
      if (stopping()) return false;
      result.cases += 1;
      try {
        const moved = await recalculateCase(app, id, p);
        if (moved) result.moved.push(moved);
      } catch (e) {
        done = false;
        result.failed += 1;
        app.log.error({ err: e, complaintId: id, region: p.region }, 'clock recalculation failed for a case; it is tried again on the next run');
      }
    }
    if (ids.length < batch) return done;
    after = ids[ids.length - 1]!;
  }
}

function movedClocks(d: Decision | { kind: 'refused' }): ClockMove[] {
  if (d.kind !== 'applied') return [];
  return (d.events[0]?.data.clocks as ClockMove[] | undefined) ?? [];
}

/** Whether the recount changed any clock row: a move, or only the missing-holiday-data flag cleared. */
function changedClocks(d: Decision | { kind: 'refused' }): boolean {
  return d.kind === 'applied' && d.clocks.length > 0;
}

async function recalculateCase(app: App, id: string, p: PendingRecalculation): Promise<RecalculationResult['moved'][number] | null> {
  const { db } = app.database;
  const input = { region: p.region, revision: p.revision };
  const now = app.now();
  // Counted outside any transaction: most cases do not move and need no write at all.
  const seen = await getComplaint(db, id);
  if (!seen) return null;
  const policy = await app.policyByKey(seen.policyKey);
  const counted = apply(seen, await listClocks(db, id), ACTION, input, { actor: SYSTEM_ACTOR, now, policy, calendar: await app.calendarFor(policy) });
  if (!changedClocks(counted)) return null;
  const saved = await db.transaction().execute(async (trx): Promise<{ complaint: Complaint; clocks: ClockMove[] } | null> => {
    const locked = await lockForDecision(app, trx, id);
    if (!locked) return null;
    // The case changed since it was counted (someone acted on it): count again under the lock, in memory.
    const d = locked.complaint.version === seen.version ? counted : apply(locked.complaint, locked.clocks, ACTION, input, { actor: SYSTEM_ACTOR, now, policy: locked.policy, calendar: locked.calendar });
    const clocks = movedClocks(d);
    if (d.kind !== 'applied' || !changedClocks(d)) return null;
    const after = await persistDecisions(trx, locked, [d]);
    warnMissingHolidays(app, after.complaint, after.changedClocks);
    return { complaint: after.complaint, clocks };
  });
  if (!saved) return null;
  app.events.emit('case_changed', { id, number: saved.complaint.number, state: saved.complaint.state, action: ACTION, at: saved.complaint.updatedAt });
  // Only the flag cleared: written and audited, but not a case whose times moved.
  return saved.clocks.length ? { complaintId: id, number: saved.complaint.number, clocks: saved.clocks } : null;
}

const running = new WeakMap<App, { promise: Promise<RecalculationResult | null>; again: boolean; stopping: boolean }>();
const latest = new WeakMap<App, Promise<RecalculationResult | null>>();

/**
 * Starts a recalculation in the background unless one is running on this app (then that one
 * runs once more at its end, for a change written while it ran). Never rejects: a failure is
 * logged and the region stays pending for the next start. Resolves to null when it failed.
 */
export function startClockRecalculation(app: App, opts: { batch?: number } = {}): Promise<RecalculationResult | null> {
  const current = running.get(app);
  if (current) {
    if (!current.stopping) current.again = true;
    return current.promise;
  }
  const entry = { promise: Promise.resolve<RecalculationResult | null>(null), again: false, stopping: false };
  entry.promise = (async () => {
    let last: RecalculationResult | null = null;
    do {
      entry.again = false;
      try {
        last = await recalculateClocks(app, { ...opts, stopping: () => entry.stopping });
        if (last.moved.length || last.failed) app.log.info({ regions: last.regions, cases: last.cases, moved: last.moved.length, failed: last.failed }, 'clocks recalculated after a holiday change');
      } catch (e) {
        app.log.error({ err: e }, 'clock recalculation failed; it runs again on the next sweep');
        last = null;
      }
    } while (entry.again && !entry.stopping);
    running.delete(app);
    return last;
  })();
  running.set(app, entry);
  latest.set(app, entry.promise);
  return entry.promise;
}

/** The recalculation running on this app, if any (the tests wait for it). */
export function runningClockRecalculation(app: App): Promise<RecalculationResult | null> | undefined {
  return running.get(app)?.promise;
}

/**
 * A graceful stop: the running recalculation (if any) ends after the case it is writing, and
 * the region stays pending for the next start. Resolves when it has ended.
 */
export async function stopClockRecalculation(app: App): Promise<void> {
  const current = running.get(app);
  if (!current) return;
  current.stopping = true;
  await current.promise;
}

/** The last recalculation started on this app, running or finished (the tests wait for it). */
export function latestClockRecalculation(app: App): Promise<RecalculationResult | null> | undefined {
  return latest.get(app);
}
