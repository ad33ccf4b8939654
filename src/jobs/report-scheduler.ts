/**
 * The report scheduler (issue 11 §3): every `intervalMs` (KESU_REPORT_INTERVAL_MS, default
 * 5 min; 0 disables it) makes the scheduled reports that are due and not yet stored, and
 * takes over runs whose generator died (reports/runs.ts). Every instance may run it: the runs'
 * claims (UNIQUE per period, leases) let exactly one of them make each report. The first pass
 * runs shortly after the start, so a report due while no instance was up is made then.
 */
import type { App } from '../services/app.js';
import { startPeriodic } from './periodic.js';
import { runDueReports, type RunOptions } from '../reports/runs.js';

export function startReportScheduler(app: App, intervalMs: number, opts: RunOptions & { firstDelayMs?: number } = {}): () => Promise<void> {
  return startPeriodic(app, {
    name: 'scheduled reports',
    intervalMs,
    firstDelayMs: opts.firstDelayMs ?? 5_000,
    pass: async (stopped) => {
      const r = await runDueReports(app, { ...opts, stopped });
      if (r.generated.length || r.failed.length) app.log.info({ reports: r }, 'scheduled reports');
    },
  });
}
