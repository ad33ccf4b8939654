/**
 * The history import's and the purge's batch edges (issue 15 scale work), on every engine:
 * - a bad row in the last of many small batches: the import is refused and writes nothing (the
 *   whole file is checked before the first batch), and SQLite's checkpoint setting is untouched;
 * - a crash inside a batch in the middle of the file: the batches (cut in order of receipt, not
 *   file order) before it stay, the failed one leaves nothing, SQLite's automatic checkpoints are back on (store/wal-window.ts), and the
 *   re-run imports exactly the rest; the audit verifies;
 * - then the purge with its time-sized groups (records/purge-group-size.ts) over listing
 *   batches smaller than the file: every case purged once, one purge record each, audit clean.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { engines, createTestDb } from '../support/engines.js';
import { createApp } from '../../src/services/app.js';
import { activatePolicy, readPolicyFile } from '../../src/services/policies.js';
import { importLedger } from '../../src/records/import/ledger-import.js';
import { runPurge } from '../../src/records/retention.js';
import { verifyChains } from '../../src/audit/verify.js';
import { LEDGER_MAPPING, ledgerSheet } from '../../bench/ledger-sheet.js';

const ROWS = 120;
const BATCH = 7; // batches that do not divide the file: the last one is short

for (const { dialect, skip } of await engines()) {
  describe(`ledger import and purge batch edges (${dialect})`, { skip }, () => {
    it('refuses a file whose last row is bad, then resumes a crash mid-file exactly, then purges every case once', async () => {
      const t = await createTestDb(dialect);
      try {
        const app = createApp(t.database, { now: () => new Date('2026-01-01T00:00:00Z') });
        const f = readPolicyFile('kesu-default');
        await activatePolicy(app, f.text, f.format);
        const db = t.database.db;
        const count = async (table: 'complaints' | 'import_rows' | 'complaint_events' | 'case_facts' | 'purge_records') =>
          Number(
            (
              await db
                .selectFrom(table)
                .select((eb) => eb.fn.countAll().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          );
        const autoCheckpoint = async () => (dialect === 'sqlite' ? Number((await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db)).rows[0]!.wal_autocheckpoint) : null);
        const initial = await autoCheckpoint();

        const bad = ledgerSheet(ROWS);
        bad.rows[ROWS - 1]!.cells[6] = '不存在的等级';
        const refused = await importLedger(app, bad, 'bad.csv', { mapping: LEDGER_MAPPING, batchSize: BATCH });
        assert.equal(refused.refused, true);
        assert.deepEqual(
          refused.problems.map((p) => p.row),
          [ROWS + 1],
          'the last data row (row 1 is the header)',
        );
        assert.deepEqual([await count('complaints'), await count('import_rows'), await count('complaint_events'), await count('case_facts')], [0, 0, 0, 0]);
        assert.equal(await autoCheckpoint(), initial);

        const sheet = ledgerSheet(ROWS);
        await assert.rejects(
          importLedger(app, sheet, 'ledger.csv', {
            mapping: LEDGER_MAPPING,
            batchSize: BATCH,
            inBatch: async (_trx, b) => {
              if (b === 8) throw new Error('crash in batch 9');
            },
          }),
          /crash in batch 9/,
        );
        assert.equal(await count('complaints'), 8 * BATCH, 'the eight batches before the crash, none of the ninth');
        assert.equal(await count('import_rows'), 8 * BATCH);
        assert.equal(await autoCheckpoint(), initial, 'automatic checkpoints back on after the failure');
        // The batches are cut in order of receipt (then file order), not file order: this sheet
        // cycles through the months row by row, so the first eight batches are the 56 earliest.
        const byReceipt = [...sheet.rows].sort((a, b) => String(a.cells[1]).localeCompare(String(b.cells[1])) || a.row - b.row);
        const importedRows = async () => (await db.selectFrom('import_rows').select('row_number').execute()).map((r) => Number(r.row_number)).sort((a, b) => a - b);
        assert.deepEqual(
          await importedRows(),
          byReceipt
            .slice(0, 8 * BATCH)
            .map((r) => r.row)
            .sort((a, b) => a - b),
          'the earliest received rows',
        );
        assert.notDeepEqual(
          await importedRows(),
          sheet.rows.slice(0, 8 * BATCH).map((r) => r.row),
          'not the first rows of the file',
        );

        const resumed = await importLedger(app, sheet, 'ledger.csv', { mapping: LEDGER_MAPPING, batchSize: BATCH });
        assert.deepEqual([resumed.alreadyImported, resumed.created], [8 * BATCH, ROWS - 8 * BATCH]);
        assert.deepEqual([await count('complaints'), await count('case_facts'), await count('complaint_events')], [ROWS, ROWS, ROWS]);
        const numbers = await db.selectFrom('complaints').select('number').execute();
        assert.equal(new Set(numbers.map((n) => n.number)).size, ROWS, 'every case its own number');
        const received = new Map(sheet.rows.map((r) => [r.row, String(r.cells[1])]));
        const numbered = await db.selectFrom('import_rows').innerJoin('complaints', 'complaints.id', 'import_rows.complaint_id').select(['complaints.number', 'import_rows.row_number']).orderBy('complaints.number').execute();
        const times = numbered.map((n) => received.get(Number(n.row_number))!);
        assert.deepEqual(times, [...times].sort(), 'case numbers in order of receipt, across the crash and the resume');
        assert.equal(await autoCheckpoint(), initial);
        assert.deepEqual((await verifyChains(db)).problems, []);

        const purger = createApp(t.database, { now: () => new Date('2030-06-01T00:00:00Z') });
        const p = await runPurge(purger, { batch: 50 });
        assert.deepEqual([p.purged.length, p.failed.length, new Set(p.purged.map((e) => e.id)).size], [ROWS, 0, ROWS]);
        assert.equal(await count('purge_records'), ROWS);
        assert.deepEqual((await verifyChains(db)).problems, []);
        assert.equal((await runPurge(purger, {})).purged.length, 0, 'a second pass finds nothing left');
      } finally {
        await t.drop();
      }
    });
  });
}
