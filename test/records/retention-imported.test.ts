/**
 * The retention clock of cases imported from a ledger (issue 15 §2 and §4), on every engine: it
 * counts from the ledger's closing date, not from the import that wrote the case row years later.
 * Under a ten-year retention a case closed eleven years ago is listed by the dry run and purged
 * with its signed purge record and the audit trail verifying; a case closed nine years ago stays;
 * a legal hold keeps an expired one.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines, createTestDb } from '../support/engines.js';
import { createApp } from '../../src/services/app.js';
import { activatePolicy, readPolicyFile } from '../../src/services/policies.js';
import { importLedger } from '../../src/records/import/ledger-import.js';
import { setHold } from '../../src/records/retention-holds.js';
import { runPurge } from '../../src/records/retention.js';
import { verifyChains } from '../../src/audit/verify.js';
import { purgeRecordValid, type PurgeRow } from '../../src/audit/purge.js';
import type { Actor } from '../../src/domain/complaint/types.js';
import { LEDGER_MAPPING, ledgerSheet } from '../../bench/ledger-sheet.js';

const TEN_YEARS = 3650;
const admin: Actor = { id: 'records-admin', kind: 'user', name: 'records-admin', roles: ['admin'], managerOf: [], approvalLevels: [] };

for (const { dialect, skip } of await engines()) {
  describe(`retention of imported cases (${dialect})`, { skip }, () => {
    it('counts from the ledger’s closing date: closed 11 years ago goes, 9 years ago stays, a held one stays', async () => {
      const t = await createTestDb(dialect);
      try {
        const now = new Date('2026-06-01T00:00:00Z');
        const app = createApp(t.database, { now: () => now });
        const f = readPolicyFile('kesu-default');
        const text = f.text
          .replace(/^version: .*$/m, "version: '2026.1-ten-years'")
          .replace(/^  defaultDays: 365$/m, `  defaultDays: ${TEN_YEARS}`)
          .replace(/^    important: 1095.*$/m, `    important: ${TEN_YEARS}`)
          .replace(/^    major: 1825.*$/m, `    major: ${TEN_YEARS}`);
        await activatePolicy(app, text, f.format);
        const retention = (await app.activePolicy()).retention!;
        assert.deepEqual([retention.defaultDays, retention.byGrade], [TEN_YEARS, { important: TEN_YEARS, major: TEN_YEARS }]);

        // Closed 2015-01-03 and 2015-02-03 (eleven years before now), and 2017-01-03 (nine).
        assert.equal((await importLedger(app, ledgerSheet(2, { year: 2015, idPrefix: 'OLD' }), 'ledger-2015.csv', { mapping: LEDGER_MAPPING })).created, 2);
        assert.equal((await importLedger(app, ledgerSheet(1, { year: 2017, idPrefix: 'NEW' }), 'ledger-2017.csv', { mapping: LEDGER_MAPPING })).created, 1);
        const db = t.database.db;
        const idOf = async (externalId: string) => (await db.selectFrom('import_rows').select('complaint_id').where('external_id', '=', externalId).executeTakeFirstOrThrow()).complaint_id;
        const [old, oldHeld, recent] = [await idOf('OLD-1'), await idOf('OLD-2'), await idOf('NEW-1')];
        // The case rows were written now; only the ledger knows when the cases were closed.
        const rows = await db.selectFrom('complaints').select(['id', 'state', 'updated_at']).orderBy('id').execute();
        assert.deepEqual(
          rows.map((r) => [r.state, r.updated_at]),
          [
            ['archived', now.toISOString()],
            ['archived', now.toISOString()],
            ['archived', now.toISOString()],
          ],
        );
        await setHold(app, admin, { scope: 'case', complaint: oldHeld, reason: '诉讼保全' });

        const dry = await runPurge(app, { dryRun: true });
        assert.deepEqual(
          dry.purged.map((e) => [e.id, e.archivedAt, e.days, e.expiredAt]),
          [[old, '2015-01-03T09:45:00.000Z', TEN_YEARS, '2024-12-31T09:45:00.000Z']],
        );
        assert.deepEqual(
          dry.held.map((e) => [e.id, e.archivedAt, e.heldBy.length]),
          [[oldHeld, '2015-02-03T09:45:00.000Z', 1]],
        );
        assert.equal((await db.selectFrom('purge_records').select('seq').execute()).length, 0, 'the dry run purged nothing');

        const run = await runPurge(app);
        assert.deepEqual(
          run.purged.map((e) => e.id),
          [old],
        );
        assert.deepEqual(
          run.held.map((e) => e.id),
          [oldHeld],
        );
        assert.deepEqual(run.failed, []);
        const records = (await db.selectFrom('purge_records').selectAll().execute()) as PurgeRow[];
        assert.deepEqual(
          records.map((r) => r.complaint_id),
          [old],
        );
        assert.equal(purgeRecordValid(t.database.audit.keys(), records[0]!), 'ok');
        assert.match(records[0]!.reason, /3650 days after archiving on 2015-01-03T09:45:00.000Z/);
        const body = JSON.parse((await db.selectFrom('complaints').select('body').where('id', '=', old).executeTakeFirstOrThrow()).body);
        assert.deepEqual(body.complainant, { anonymous: true });
        for (const id of [oldHeld, recent]) {
          const kept = JSON.parse((await db.selectFrom('complaints').select('body').where('id', '=', id).executeTakeFirstOrThrow()).body);
          assert.ok(kept.complainant.name, `${id} keeps its customer`);
        }
        assert.deepEqual((await verifyChains(db, { checkpoint: null })).problems, []);
        // Nothing more to do; the nine-year-old case goes once its ten years are up.
        assert.deepEqual((await runPurge(app)).purged, []);
        const later = createApp(t.database, { now: () => new Date('2027-01-04T00:00:00Z') });
        assert.deepEqual(
          (await runPurge(later)).purged.map((e) => e.id),
          [recent],
        );
      } finally {
        await t.drop();
      }
    });
  });
}
