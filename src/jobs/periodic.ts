/**
 * A background job's timing, once: a pass after `firstDelayMs`, then every `intervalMs`; never two
 * passes at once (a pass still running when the timer fires is not doubled); a failed pass is
 * logged and the next one runs as usual; the returned stop lets the running pass finish (it is
 * told through `stopped()`) and resolves when it has. Timers are unref'd: they never keep the
 * process alive.
 */
import type { App } from '../services/app.js';

export function startPeriodic(app: App, job: { name: string; intervalMs: number; firstDelayMs: number; pass: (stopped: () => boolean) => Promise<unknown> }): () => Promise<void> {
  let running: Promise<unknown> | null = null;
  let stopped = false;
  const isStopped = () => stopped;
  const run = (): void => {
    if (running || stopped) return;
    running = job
      .pass(isStopped)
      .catch((e) => app.log.error({ err: e }, `${job.name} failed`))
      .finally(() => (running = null));
  };
  const first = setTimeout(run, job.firstDelayMs);
  const timer = setInterval(run, job.intervalMs);
  first.unref();
  timer.unref();
  return async () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(timer);
    await running;
  };
}
