/**
 * The retention purge job (issue 15 §2): `kesu serve` runs a pass of records/retention.ts every
 * `intervalMs` (KESU_PURGE_INTERVAL_MS, default 1 h; 0 disables it), the first a few minutes after
 * the start, out of the start-up's way. Several instances may run it at once: cases are purged
 * in groups of 50 per transaction, each under its row lock (PostgreSQL `SKIP LOCKED`), and its
 * purge record marks it done, so no case is purged twice and a crash leaves nothing half-done.
 * A pass that purged something writes an audit checkpoint, so the latest checkpoint lists the
 * moved heads (docs/audit.md "Purges").
 */
import type { App } from '../services/app.js';
import { startPeriodic } from './periodic.js';
import { runPurge, type PurgeOptions } from '../records/retention.js';
import { writeCheckpoint } from '../audit/checkpoint.js';

export function startPurge(app: App, intervalMs: number, opts: PurgeOptions & { firstDelayMs?: number } = {}): () => Promise<void> {
  return startPeriodic(app, {
    name: 'retention purge',
    intervalMs,
    firstDelayMs: opts.firstDelayMs ?? 300_000,
    pass: async (stopped) => {
      const r = await runPurge(app, { ...opts, stopped });
      if (r.purged.length || r.filesDeleted || r.failed.length) app.log.info({ purged: r.purged.length, held: r.held.length, failed: r.failed.length, filesDeleted: r.filesDeleted, more: r.more, policy: r.policyKey }, 'retention purge');
      if (r.purged.length && app.database.audit.checkpointDir) await writeCheckpoint(app.database, app.now());
    },
  });
}
