/**
 * Migration 0019 on a database made before it, on every engine: the case the old build took in
 * stays as it was (row, timeline, facts), the import tables start empty, and a ledger imports
 * into the upgraded database with its chain and the old one verifying.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { engines, emptyDatabase, withCaseTermsTable } from '../support/engines.js';
import { MIGRATION_NAMES, migrateTo, migrateToLatest } from '../../src/store/migrate.js';
import { createApp } from '../../src/services/app.js';
import { activatePolicy, readPolicyFile } from '../../src/services/policies.js';
import { receiveComplaint } from '../../src/services/receive-complaint.js';
import { importLedger } from '../../src/records/import/ledger-import.js';
import { parseMapping } from '../../src/records/import/mapping.js';
import { verifyChains } from '../../src/store/event.repository.js';
import type { Actor } from '../../src/domain/complaint/types.js';

const BEFORE = MIGRATION_NAMES[MIGRATION_NAMES.indexOf('0019-ledger-import') - 1]!;
const agent: Actor = { id: 'old-agent', kind: 'user', name: '张敏', roles: ['agent'], managerOf: [], approvalLevels: [] };

for (const { dialect, skip } of await engines()) {
  describe(`migration 0019 ledger import (${dialect})`, { skip }, () => {
    it('carries a database made before it forward; a ledger then imports into it', async () => {
      const { database, drop } = await emptyDatabase(dialect);
      try {
        await migrateTo(database.db, BEFORE);
        const now = new Date('2026-03-02T09:00:00+08:00');
        const app = createApp(database, { now: () => now });
        const f = readPolicyFile('kesu-default');
        await activatePolicy(app, f.text, f.format);
        const old = await withCaseTermsTable(database.db, () => receiveComplaint(app, agent, { channel: 'phone', description: '升级前受理的投诉', complainant: { name: '王芳', phone: '13900004321' } }));
        const before = await database.db.selectFrom('complaints').selectAll().where('id', '=', old.complaint.id).executeTakeFirstOrThrow();

        await migrateToLatest(database.db);
        const after = await database.db.selectFrom('complaints').selectAll().where('id', '=', old.complaint.id).executeTakeFirstOrThrow();
        assert.deepEqual(after, before, 'the old case is untouched');
        for (const t of ['import_rows', 'import_mappings'] as const)
          assert.equal(
            Number(
              (
                await database.db
                  .selectFrom(t)
                  .select(sql<number>`count(*)`.as('n'))
                  .executeTakeFirstOrThrow()
              ).n,
            ),
            0,
          );

        const mapping = parseMapping('name: m\ncolumns: { receivedAt: 时间, description: 内容, customerName: 姓名 }\ndefaults: { channel: letter }\n');
        const r = await importLedger(app, { header: ['时间', '内容', '姓名'], rows: [{ row: 2, cells: ['2025-12-01 10:00', '来信反映门店服务差', '李先生'] }] }, 'old.csv', { mapping });
        assert.equal(r.created, 1);
        assert.equal(
          Number(
            (
              await database.db
                .selectFrom('complaints')
                .select(sql<number>`count(*)`.as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          ),
          2,
        );
        assert.deepEqual((await verifyChains(database.db)).problems, []);
      } finally {
        await drop();
      }
    });
  });
}
