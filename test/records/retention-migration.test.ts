/**
 * Migration 0015 on a database made before it, on every engine: the case already there is kept
 * as it was (its row, its timeline, its chain verifying), the purge chain starts empty at seq 0,
 * and a legal hold on that case is honoured at once.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines, migratedFrom } from '../support/engines.js';
import { receive } from '../../src/domain/lifecycle/intake.js';
import { heldIds } from '../../src/store/legal-hold.repository.js';
import { verifyChains } from '../../src/audit/verify.js';
import { verifyPurgeChain } from '../../src/audit/purge.js';
import type { Actor } from '../../src/domain/complaint/types.js';

const agent: Actor = { id: 'old-agent', kind: 'user', name: 'old-agent', roles: ['agent'], managerOf: [], approvalLevels: [] };

for (const { dialect, skip } of await engines()) {
  describe(`migration 0015 retention and legal holds (${dialect})`, { skip }, () => {
    it('carries an existing case forward and starts the purge chain empty', async () => {
      const id = '01900000-0000-7000-8000-000000000015';
      const { database, now, seeded, drop } = await migratedFrom(dialect, '0015-retention-holds', async ({ database, now, policy, calendar, insertReceived }) => {
        await insertReceived(receive({ channel: 'phone', description: '旧案件', complainant: { name: '王芳', phone: '13900004321' } }, { id, number: 'KS-2026-000015' }, { actor: agent, now, policy, calendar }));
        const row = await database.db.selectFrom('complaints').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
        const events = await database.db.selectFrom('complaint_events').selectAll().where('complaint_id', '=', id).execute();
        return { row, events };
      });
      try {
        const { row, events } = seeded;
        assert.deepEqual(await database.db.selectFrom('complaints').selectAll().where('id', '=', id).executeTakeFirstOrThrow(), row);
        assert.deepEqual(await database.db.selectFrom('complaint_events').selectAll().where('complaint_id', '=', id).execute(), events);
        assert.deepEqual((await verifyChains(database.db, { checkpoint: null })).problems, []);
        const chain = await database.db.selectFrom('purge_chain').selectAll().execute();
        assert.deepEqual(
          chain.map((c) => [Number(c.id), Number(c.seq), c.hash]),
          [[1, 0, '0'.repeat(64)]],
        );
        assert.deepEqual(await verifyPurgeChain(database.db, database.audit.keys()), { checked: 0, problems: [] });
        assert.deepEqual(await database.db.selectFrom('legal_holds').selectAll().execute(), []);
        await database.db
          .insertInto('legal_holds')
          .values({
            id: 'h1',
            scope: 'case',
            complaint_id: id,
            contact_key: null,
            contact_kind: null,
            received_from: null,
            received_to: null,
            reason: 'test',
            set_by: 'admin',
            set_at: now.toISOString(),
            lifted_by: null,
            lifted_at: null,
            lift_reason: null,
          })
          .execute();
        assert.deepEqual([...(await heldIds(database.db, [id]))], [id]);
      } finally {
        await drop();
      }
    });
  });
}
