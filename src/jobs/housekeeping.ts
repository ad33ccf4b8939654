/**
 * Housekeeping (issue 15 §6): removes finished outbox rows older than `outboxKeepDays`,
 * sessions past their absolute lifetime, survey links expired more than `outboxKeepDays` ago,
 * expired Idempotency-Keys (issue 12 §5) and stored files no committed upload named (§5),
 * (store/housekeeping.repository.ts says which rows), a small batch at a time with a pause
 * between batches, so a first run over a year of delivered rows never holds the SQLite writer
 * or a PostgreSQL lock for long. Runs from `kesu serve` at a low rate (default every 10 min; the
 * first pass a minute after the start, out of the start-up's way). Several instances may run it
 * at once (see the repository).
 */
import type { App } from '../services/app.js';
import { startPeriodic } from './periodic.js';
import { pruneExpired, pruneOutbox } from '../store/housekeeping.repository.js';
import { pruneIdempotencyKeys } from '../services/idempotent-requests.js';
import { fileStoreOf } from '../storage/stores.js';
import { sweepStagedFiles } from '../storage/staging.js';

export interface HousekeepingOptions {
  /** Finished outbox rows that ended more than this many days ago are removed. */
  outboxKeepDays: number;
  /**
   * Rows per DELETE (default 100). Small, because better-sqlite3 runs a statement on the event
   * loop: a batch of 500 held every request for 33 ms on a quiet machine and 117 ms on a loaded
   * one (bench:http --profile, docs/performance.md 2026-12-04); 100 rows hold it for a fifth.
   */
  batch?: number;
  /** Most batches per pass (default 200: 20,000 rows as before); the rest waits for the next pass. */
  maxBatches?: number;
  /** Pause between batches in ms (default 50). */
  pauseMs?: number;
}

export interface HousekeepingResult {
  outboxDeleted: number;
  /** The pass stopped at `maxBatches` with rows still to remove. */
  more: boolean;
}

const DAY = 86_400_000;
const DEFAULT_BATCH = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One pass: batches until one deletes nothing (not merely a short one: a logical row becomes
 * removable only once its deliveries are gone), `maxBatches` is reached or `stopped()` says so.
 */
export async function runHousekeeping(app: App, opts: HousekeepingOptions, stopped: () => boolean = () => false): Promise<HousekeepingResult> {
  const batch = opts.batch ?? DEFAULT_BATCH;
  const maxBatches = opts.maxBatches ?? 200;
  const before = new Date(app.now().getTime() - opts.outboxKeepDays * DAY).toISOString();
  let outboxDeleted = 0;
  for (let i = 0; i < maxBatches; i++) {
    if (stopped()) return { outboxDeleted, more: true };
    const n = await pruneOutbox(app.database, before, batch);
    outboxDeleted += n;
    if (n === 0) return { outboxDeleted, more: false };
    if (n === batch) await sleep(opts.pauseMs ?? 50);
  }
  return { outboxDeleted, more: true };
}

/**
 * Sessions past their absolute lifetime (refused already; the idle time-out is checked on use),
 * and survey links that expired more than `outboxKeepDays` ago (until then the link still answers
 * "expired" rather than "not found"), a batch at a time like the outbox.
 */
export async function pruneExpiredTokens(app: App, opts: HousekeepingOptions, stopped: () => boolean = () => false): Promise<{ sessionsDeleted: number; surveyTokensDeleted: number }> {
  const batch = opts.batch ?? DEFAULT_BATCH;
  const now = app.now().getTime();
  const out = { sessionsDeleted: 0, surveyTokensDeleted: 0 };
  for (const [table, before, field] of [
    ['sessions', new Date(now).toISOString(), 'sessionsDeleted'],
    ['survey_tokens', new Date(now - opts.outboxKeepDays * DAY).toISOString(), 'surveyTokensDeleted'],
  ] as const)
    for (let i = 0; i < (opts.maxBatches ?? 200) && !stopped(); i++) {
      const n = await pruneExpired(app.database, table, before, batch);
      out[field] += n;
      if (n < batch) break;
      await sleep(opts.pauseMs ?? 50);
    }
  return out;
}

/** Runs a pass after `firstDelayMs` and then every `intervalMs` until stopped; errors are logged, never fatal. */
export function startHousekeeping(app: App, intervalMs: number, opts: HousekeepingOptions & { firstDelayMs?: number }): () => Promise<void> {
  return startPeriodic(app, {
    name: 'housekeeping',
    intervalMs,
    firstDelayMs: opts.firstDelayMs ?? 60_000,
    pass: async (stopped) => {
      const r = await runHousekeeping(app, opts, stopped);
      // Expired Idempotency-Keys (KESU_IDEMPOTENCY_TTL_HOURS) go too.
      const idempotencyKeysDeleted = stopped() ? 0 : await pruneIdempotencyKeys(app, opts.batch ?? DEFAULT_BATCH, opts.maxBatches ?? 200);
      const expired = stopped() ? { sessionsDeleted: 0, surveyTokensDeleted: 0 } : await pruneExpiredTokens(app, opts, stopped);
      // Files stored by uploads that never committed nor released them (storage/staging.ts).
      const staged = stopped() ? { removed: 0 } : await sweepStagedFiles(app, await fileStoreOf(app));
      if (r.outboxDeleted || idempotencyKeysDeleted || expired.sessionsDeleted || expired.surveyTokensDeleted || staged.removed)
        app.log.info({ outboxDeleted: r.outboxDeleted, idempotencyKeysDeleted, ...expired, stagedFilesRemoved: staged.removed, more: r.more }, 'housekeeping');
    },
  });
}
