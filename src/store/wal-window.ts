/**
 * Checkpoints at the bulk job's pace while a history import runs on SQLite (the retention purge
 * was measured with it too and gained nothing, so it does not use it).
 *
 * Why: at SQLite's default (`wal_autocheckpoint = 1000` pages) a 500-row import batch or a few
 * purge groups write more than 1 000 pages, so nearly every commit also checkpointed — copied
 * its pages into the database file and synced it — with the same B-tree pages written again by
 * the next batch. Measured (docs/performance.md, issue 15): the commits' time of a 10 k-row
 * import 2.1–2.2 s → 1.2–1.3 s.
 *
 * How: inside the window automatic checkpoints are off for the writer connection and the job
 * calls `afterBatch()` after each committed batch, which runs a PASSIVE checkpoint (never waits
 * for readers) every `every` calls, and once more at the end — so the copying happens between the
 * job's own transactions, never inside an intake's commit. Windows of several jobs at once share
 * one setting: the first in turns automatic checkpoints off, the last out puts the old setting
 * back (also when a job fails). PostgreSQL: nothing to do.
 */
import { sql } from 'kysely';
import type { Database } from './db.js';

interface Window {
  open: number;
  previous: number;
  /** Read the old setting and turned automatic checkpoints off (set before any await: two jobs starting at once share it). */
  ready: Promise<void>;
}
const windows = new WeakMap<Database, Window>();

export async function withWalWindow<T>(database: Database, every: number, run: (afterBatch: () => Promise<void>) => Promise<T>): Promise<T> {
  if (database.dialect !== 'sqlite') return run(async () => {});
  let window = windows.get(database);
  if (!window) {
    const w: Window = { open: 0, previous: 1000, ready: Promise.resolve() };
    w.ready = (async () => {
      const r = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(database.db);
      w.previous = Math.max(0, Math.floor(Number(r.rows[0]?.wal_autocheckpoint ?? 1000)));
      await sql`pragma wal_autocheckpoint = 0`.execute(database.db);
    })();
    windows.set(database, (window = w));
  }
  window.open += 1;
  let batches = 0;
  const checkpoint = () => sql`pragma wal_checkpoint(passive)`.execute(database.db);
  try {
    await window.ready;
    return await run(async () => {
      if (++batches % Math.max(1, every) === 0) await checkpoint();
    });
  } finally {
    window.open -= 1;
    if (window.open === 0) {
      windows.delete(database);
      await sql.raw(`pragma wal_autocheckpoint = ${window.previous}`).execute(database.db);
    }
    // Best effort: a failed checkpoint only leaves the pages in the WAL for the next one, and must
    // not hide why the job itself failed.
    await checkpoint().catch(() => undefined);
  }
}
