/**
 * `kesu serve` writes a signed checkpoint of all chain heads at start (which, the first time,
 * anchors the chains from before migration 0009) and then every `intervalMs` (0: only at start).
 * With several instances each writes its own into the shared folder (or its own); any one serves.
 */
import type { App } from '../services/app.js';
import { writeCheckpoint } from './checkpoint.js';

export function startCheckpoints(app: App, intervalMs: number): { stop(): Promise<void> } {
  if (!app.database.audit.checkpointDir) return { stop: async () => {} };
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const run = () => {
    if (stopped) return;
    running = running.then(async () => {
      try {
        const r = await writeCheckpoint(app.database, app.now());
        app.log.info({ file: r.file, heads: r.heads, anchored: r.anchored, skipped: r.skipped }, 'audit checkpoint written');
        if (r.skipped) app.log.warn({ skipped: r.skipped }, 'audit checkpoint: heads with a bad MAC left out; run kesu audit verify');
      } catch (e) {
        app.log.error({ err: e }, 'audit checkpoint failed');
      }
    });
  };
  run();
  const timer = intervalMs > 0 ? setInterval(run, intervalMs) : null;
  timer?.unref();
  return {
    stop: async () => {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
