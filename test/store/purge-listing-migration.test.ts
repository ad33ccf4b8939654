/**
 * Migration 0030 (the purge listing's `(state, id)` index) on a database made before it, on every
 * engine: the archived cases imported before it stay exactly as they were, the index exists, the
 * purge listing uses it on SQLite (no sort of every archived case per batch), and a purge pass
 * over the upgraded database purges the expired cases with the audit trail verifying.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { engines, emptyDatabase, withCaseTermsTable } from '../support/engines.js';
import { MIGRATION_NAMES, migrateTo, migrateToLatest } from '../../src/store/migrate.js';
import { createApp } from '../../src/services/app.js';
import { activatePolicy, readPolicyFile } from '../../src/services/policies.js';
import { importLedger } from '../../src/records/import/ledger-import.js';
import { runPurge } from '../../src/records/retention.js';
import { verifyChains } from '../../src/store/event.repository.js';
import { LEDGER_MAPPING, ledgerSheet } from '../../bench/ledger-sheet.js';

async function db0032Scratch(db: import('kysely').Kysely<any>, what: 'create' | 'drop'): Promise<void> {
  if (what === 'drop') return void (await db.schema.dropTable('report_rollup_marks').execute());
  await db.schema
    .createTable('report_rollup_marks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('from_at', 'text')
    .addColumn('to_at', 'text')
    .addColumn('created_at', 'text')
    .execute();
}

const BEFORE = MIGRATION_NAMES[MIGRATION_NAMES.indexOf('0030-purge-listing') - 1]!;

for (const { dialect, skip } of await engines()) {
  describe(`migration 0030 purge listing index (${dialect})`, { skip }, () => {
    it('carries a database made before it forward; the purge then lists through the index', async () => {
      const { database, drop } = await emptyDatabase(dialect);
      try {
        await migrateTo(database.db, BEFORE);
        const importer = createApp(database, { now: () => new Date('2026-01-01T00:00:00Z') });
        const f = readPolicyFile('kesu-default');
        await activatePolicy(importer, f.text, f.format);
        // Today's importer also marks report roll-ups stale (migration 0032, after this one); the
        // importer of this schema did not. A scratch table takes its marks and goes before the
        // migrations run, so the database is the one the old code left.
        await db0032Scratch(database.db, 'create');
        const r = await withCaseTermsTable(database.db, () => importLedger(importer, ledgerSheet(30), 'old.csv', { mapping: LEDGER_MAPPING }));
        assert.equal(r.created, 30);
        await db0032Scratch(database.db, 'drop');
        const before = await database.db.selectFrom('complaints').selectAll().orderBy('id').execute();

        await migrateToLatest(database.db);
        assert.deepEqual(await database.db.selectFrom('complaints').selectAll().orderBy('id').execute(), before, 'every case row as it was');
        if (dialect === 'sqlite') {
          const plan = await sql<{ detail: string }>`explain query plan select id from complaints where state = 'archived' and updated_at <= '2029' and id > '' order by id limit 100`.execute(database.db);
          assert.deepEqual(
            plan.rows.map((p) => p.detail),
            ['SEARCH complaints USING INDEX complaints_state_id (state=? AND id>?)'],
          );
        } else {
          const ix = await sql<{ n: number }>`select count(*)::int as n from pg_indexes where tablename = 'complaints' and indexname = 'complaints_state_id'`.execute(database.db);
          assert.equal(ix.rows[0]!.n, 1);
        }

        const purger = createApp(database, { now: () => new Date('2030-06-01T00:00:00Z') });
        const p = await runPurge(purger, { batch: 7 });
        assert.equal(p.purged.length, 30);
        assert.deepEqual((await verifyChains(database.db)).problems, []);
      } finally {
        await drop();
      }
    });
  });
}
