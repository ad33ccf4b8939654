/**
 * The deadline sweeper: finds clocks whose next check is due (by the index on next_check_at, so
 * its cost follows the due clocks, not all open ones), and turns each into an ordinary audited
 * transition: `warn` before the due time, `breach` (escalate one tier) after it, `raise_grade`
 * for the policy's grade-rise clocks.
 *
 * Several instances on one PostgreSQL never fire a deadline twice: each case is locked with
 * FOR UPDATE SKIP LOCKED (a case another instance is working on is skipped), and its clocks are
 * re-read under that lock, so a clock already handled no longer looks due.
 */
import { SYSTEM_ACTOR, type Clock } from '../domain/complaint/types.js';
import { apply, type Decision } from '../domain/lifecycle/apply.js';
import { dueComplaintIds } from '../store/clock.repository.js';
import { afterDecision, persistDecisions } from '../store/decisions.js';
import { lockForDecision, warnMissingHolidays } from '../services/act-on-complaint.js';
import type { App } from '../services/app.js';
import { clockFired } from '../services/metrics.js';
import { sweepAbsences, type AbsenceSweep } from '../services/absences.js';
import { sweepDuties, type DutySweep } from './duties.js';
import { startClockRecalculation, stopClockRecalculation } from '../services/recalculate-clocks.js';

export interface SweepResult {
  /** Cases looked at in this pass (a full batch means more may be due). */
  cases: number;
  fired: { complaintId: string; clock: string; action: string }[];
  skipped: number;
  /** What the absence job did on this tick (stand-ins taking over, cases returned). */
  absences?: AbsenceSweep;
  /** What the duty job did on this tick (scheduled duties created, reminders, breaches). */
  duties?: DutySweep;
}

function nextAction(k: Clock, now: string, policy: { gradeRise: { to: string }[] }): { action: string; input: Record<string, string> } | null {
  if (k.status !== 'running' || !k.nextCheckAt || k.nextCheckAt > now) return null;
  if (k.kind.startsWith('grade_rise.')) {
    // The grade rises when the period is over, not at its warning (80 %): before that the check
    // is the warning, as for any clock ("this case becomes major on …").
    if (k.dueAt && k.dueAt > now) return { action: 'warn', input: { clock: k.kind } };
    const rule = policy.gradeRise[Number(k.kind.split('.')[1])];
    return rule ? { action: 'raise_grade', input: { clock: k.kind, to: rule.to } } : null;
  }
  if (k.dueAt && k.dueAt <= now) return { action: 'breach', input: { clock: k.kind } };
  return { action: 'warn', input: { clock: k.kind } };
}

/**
 * One pass: handles up to `limit` due cases. Call repeatedly (the server does, on a timer). Every
 * clock that fired on a case is its own transition (own event, own version, own `case.<action>`
 * row), and all of a case's are written together by the decision writer in one transaction.
 */
export async function sweepDeadlines(app: App, opts: { limit?: number; instance?: string } = {}): Promise<SweepResult> {
  const { db } = app.database;
  // Absences that started or ended by now hand cases to their stand-ins (and back) first, so the
  // warnings below already reach whoever stands in. A failure there never stops the deadlines.
  const absences = await sweepAbsences(app).catch((e: unknown) => {
    app.log.error({ err: e }, 'absence sweep failed');
    return undefined;
  });
  // Duties (issue 10 §2): the month's scheduled ones, reminders and breaches; never stops the deadlines either.
  const duties = await sweepDuties(app, { limit: opts.limit ?? 200 }).catch((e: unknown) => {
    app.log.error({ err: e }, 'duty sweep failed');
    return undefined;
  });
  const now = app.now();
  const nowIso = now.toISOString();
  const ids = await dueComplaintIds(db, nowIso, opts.limit ?? 200);
  const result: SweepResult = { cases: ids.length, fired: [], skipped: 0, ...(absences ? { absences } : {}), ...(duties ? { duties } : {}) };
  for (const id of ids) {
    const fired: SweepResult['fired'] = [];
    const changed = await db.transaction().execute(async (trx) => {
      const locked = await lockForDecision(app, trx, id, true);
      if (!locked) {
        result.skipped += 1;
        return null;
      }
      const { policy, calendar } = locked;
      let state = { complaint: locked.complaint, clocks: locked.clocks };
      const decisions: Decision[] = [];
      // A case may have several due clocks; handle them in due order, each as a transition.
      for (let guard = 0; guard < 20; guard++) {
        const due = state.clocks
          .map((k) => ({ k, next: nextAction(k, nowIso, policy) }))
          .filter((x) => x.next)
          .sort((a, b) => (a.k.nextCheckAt! < b.k.nextCheckAt! ? -1 : 1))[0];
        if (!due) break;
        const d = apply(state.complaint, state.clocks, due.next!.action, due.next!.input, { actor: SYSTEM_ACTOR, now, policy, calendar });
        if (d.kind === 'refused') {
          app.log.warn({ complaint: state.complaint.number, clock: due.k.kind, refusal: d.detail }, 'sweeper could not act');
          break;
        }
        decisions.push(d);
        state = afterDecision(state, d);
        fired.push({ complaintId: id, clock: due.k.kind, action: due.next!.action });
        clockFired(app, due.next!.action, due.k, now); // /metrics: sweeper lag
      }
      if (!decisions.length) return null;
      const after = await persistDecisions(trx, locked, decisions);
      warnMissingHolidays(app, after.complaint, after.changedClocks);
      return after.complaint;
    });
    // Only what committed is reported and announced.
    result.fired.push(...fired);
    if (changed) app.events.emit('case_changed', { id, number: changed.number, state: changed.state, action: fired[fired.length - 1]!.action, at: nowIso });
  }
  return result;
}

/**
 * Runs the sweeper at once and then every `intervalMs` until stopped; errors are logged, never
 * fatal. A pass that found a full batch is followed by the next one straight away (after
 * yielding to the event loop), so the backlog of a server that was down over a weekend fires
 * within seconds of the start, in batches that let requests through between them.
 */
export function startSweeper(app: App, intervalMs: number, opts: { batch?: number } = {}): () => Promise<void> {
  const batch = opts.batch ?? 200;
  let running: Promise<unknown> | null = null;
  let stopped = false;
  const run = (): void => {
    if (running || stopped) return;
    let full = false;
    running = sweepDeadlines(app, { limit: batch })
      .then((r) => {
        full = r.cases >= batch;
        if (r.fired.length) app.log.info({ fired: r.fired.length }, 'deadline sweep');
      })
      .catch((e) => app.log.error({ err: e }, 'deadline sweep failed'))
      .finally(() => {
        running = null;
        app.heartbeats.beat('sweeper');
        // Clocks still counted on an older holiday list (an import whose recalculation did not
        // finish, one made by the CLI or another instance): recalculated in the background.
        if (!stopped) void startClockRecalculation(app);
        if (full && !stopped) setImmediate(run);
      });
  };
  app.heartbeats.register('sweeper', intervalMs);
  const timer = setInterval(run, intervalMs);
  timer.unref();
  setImmediate(run);
  return async () => {
    stopped = true;
    clearInterval(timer);
    app.heartbeats.unregister('sweeper');
    await running;
    await stopClockRecalculation(app);
  };
}
