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
import { apply } from '../domain/lifecycle/apply.js';
import { lockComplaint, saveComplaint } from '../store/complaint.repository.js';
import { appendEvents } from '../store/event.repository.js';
import { dueComplaintIds, listClocks, upsertClocks } from '../store/clock.repository.js';
import { enqueueMessages } from '../store/outbox.repository.js';
import type { App } from '../services/app.js';
import { clockFired } from '../services/metrics.js';

export interface SweepResult {
  /** Cases looked at in this pass (a full batch means more may be due). */
  cases: number;
  fired: { complaintId: string; clock: string; action: string }[];
  skipped: number;
}

function nextAction(k: Clock, now: string, policy: { gradeRise: { to: string }[] }): { action: string; input: Record<string, string> } | null {
  if (k.status !== 'running' || !k.nextCheckAt || k.nextCheckAt > now) return null;
  if (k.kind.startsWith('grade_rise.')) {
    const rule = policy.gradeRise[Number(k.kind.split('.')[1])];
    return rule ? { action: 'raise_grade', input: { clock: k.kind, to: rule.to } } : null;
  }
  if (k.dueAt && k.dueAt <= now) return { action: 'breach', input: { clock: k.kind } };
  return { action: 'warn', input: { clock: k.kind } };
}

/** One pass: handles up to `limit` due cases. Call repeatedly (the server does, on a timer). */
export async function sweepDeadlines(app: App, opts: { limit?: number; instance?: string } = {}): Promise<SweepResult> {
  const { db, dialect } = app.database;
  const now = app.now();
  const nowIso = now.toISOString();
  const ids = await dueComplaintIds(db, nowIso, opts.limit ?? 200);
  const result: SweepResult = { cases: ids.length, fired: [], skipped: 0 };
  for (const id of ids) {
    const before = result.fired.length;
    const changed = await db.transaction().execute(async (trx) => {
      let c = await lockComplaint(trx, dialect, id, true);
      if (!c) {
        result.skipped += 1;
        return null;
      }
      const policy = await app.policyByKey(c.policyKey, trx);
      const calendar = await app.calendarFor(policy, trx);
      let clocks = await listClocks(trx, id);
      const version = c.version;
      const changed = new Map<string, Clock>();
      // A case may have several due clocks; handle them in due order, each as a transition.
      for (let guard = 0; guard < 20; guard++) {
        const due = clocks.map((k) => ({ k, next: nextAction(k, nowIso, policy) })).filter((x) => x.next).sort((a, b) => (a.k.nextCheckAt! < b.k.nextCheckAt! ? -1 : 1))[0];
        if (!due) break;
        const d = apply(c, clocks, due.next!.action, due.next!.input, { actor: SYSTEM_ACTOR, now, policy, calendar });
        if (d.kind === 'refused') {
          app.log.warn({ complaint: c.number, clock: due.k.kind, refusal: d.detail }, 'sweeper could not act');
          break;
        }
        await appendEvents(trx, id, d.events);
        await enqueueMessages(trx, d.outbox);
        d.clocks.forEach((k) => changed.set(k.kind, k));
        const merged = new Map(clocks.map((k) => [k.kind, k]));
        d.clocks.forEach((k) => merged.set(k.kind, k));
        clocks = [...merged.values()];
        c = d.complaint;
        result.fired.push({ complaintId: id, clock: due.k.kind, action: due.next!.action });
        clockFired(app, due.next!.action, due.k, now); // /metrics: sweeper lag
      }
      if (changed.size) {
        await saveComplaint(trx, { ...c, version: version + 1 }, version, clocks);
        await upsertClocks(trx, [...changed.values()]);
      }
      return c;
    });
    if (changed && result.fired.length > before)
      app.events.emit('case_changed', { id, number: changed.number, state: changed.state, action: result.fired[result.fired.length - 1]!.action, at: nowIso });
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
  };
}
