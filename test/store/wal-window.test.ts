/**
 * The bulk jobs' WAL window (store/wal-window.ts) on a real SQLite file: automatic checkpoints
 * are off inside it and the job's own checkpoints run every `every` batches; two windows open at
 * once share it and the setting comes back only when the last closes, also when a job throws;
 * the WAL is checkpointed at the end. PostgreSQL: the job just runs.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../../src/store/db.js';
import { withWalWindow } from '../../src/store/wal-window.js';
import { engines, emptyDatabase } from '../support/engines.js';

const setting = async (d: Database) => Number((await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(d.db)).rows[0]!.wal_autocheckpoint);

describe('WAL window for bulk jobs (SQLite)', () => {
  it('turns automatic checkpoints off inside, checkpoints every `every` batches, shares overlapping windows, restores after a failure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kesu-wal-window-'));
    const d = openDatabase({ dataDir: dir });
    try {
      await sql`create table t (x text)`.execute(d.db);
      assert.equal(await setting(d), 1000);
      const wal = () => statSync(join(dir, 'kesu.sqlite-wal')).size;
      const batch = () => d.db.transaction().execute((trx) => sql`insert into t values (${'x'.repeat(50_000)})`.execute(trx));
      // Without a checkpoint of its own the WAL only grows (automatic ones are off: 4 × 50 kB is
      // far below 1 000 pages anyway, so this shows the window's own checkpoints, not SQLite's).
      const growing: number[] = [];
      await withWalWindow(d, 1000, async (afterBatch) => {
        for (let b = 0; b < 4; b++) {
          await batch();
          await afterBatch();
          growing.push(wal());
        }
      });
      for (let i = 1; i < 4; i++) assert.ok(growing[i]! > growing[i - 1]!, `the WAL grew at batch ${i + 1}: ${growing}`);
      // Checkpointed every 2 batches: the WAL restarts from its start and stops growing.
      const sizes: number[] = [];
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const first = withWalWindow(d, 2, async (afterBatch) => {
        for (let b = 0; b < 8; b++) {
          await batch();
          await afterBatch();
          sizes.push(wal());
        }
        await gate;
      });
      while (sizes.length < 8) await new Promise((r) => setTimeout(r, 5));
      assert.equal(sizes[7], sizes[3], `no growth after the window's checkpoints: ${sizes}`);
      // A second window opened while the first runs, failing: the setting stays off for the first.
      await assert.rejects(
        withWalWindow(d, 1, async () => {
          assert.equal(await setting(d), 0);
          throw new Error('job failed');
        }),
        /job failed/,
      );
      assert.equal(await setting(d), 0, 'still off: the first window is open');
      release();
      await first;
      assert.equal(await setting(d), 1000, 'back to the old setting when the last window closed');
      const after = await sql<{ log: number; checkpointed: number }>`pragma wal_checkpoint(passive)`.execute(d.db);
      assert.equal(Number(after.rows[0]!.log), Number(after.rows[0]!.checkpointed), 'everything checkpointed at the end');
    } finally {
      await d.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

for (const { dialect, skip } of await engines()) {
  if (dialect !== 'postgres') continue;
  describe('WAL window (postgres)', { skip }, () => {
    it('just runs the job', async () => {
      const { database, drop } = await emptyDatabase(dialect);
      try {
        let batches = 0;
        assert.equal(await withWalWindow(database, 1, async (afterBatch) => (await afterBatch(), ++batches)), 1);
      } finally {
        await drop();
      }
    });
  });
}
