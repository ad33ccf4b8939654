/**
 * Migration 0029 on a database made before it, on every engine: access-log rows already there
 * keep every value (reason null) and their chain still verifies — the access record includes
 * `reason` only when it is set, so old rows hash as they did.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines, migratedFrom } from '../support/engines.js';
import { receive } from '../../src/domain/lifecycle/intake.js';
import { recordPiiAccess } from '../../src/store/pii-access.repository.js';
import { verifyChains } from '../../src/audit/verify.js';
import type { Actor } from '../../src/domain/complaint/types.js';

const agent: Actor = { id: 'old-agent', kind: 'user', name: 'old-agent', roles: ['agent'], managerOf: [], approvalLevels: [] };

for (const { dialect, skip } of await engines()) {
  describe(`migration 0029 reason on the access log (${dialect})`, { skip }, () => {
    it('carries existing access rows forward unchanged, their chain verifying', async () => {
      const id = '01900000-0000-7000-8000-000000000029';
      // A view's row, as the code before 0029 wrote it: no reason column, no reason in the hashed record.
      const old = {
        id: '01900000-0000-7000-8000-0000000000a1',
        at: '2026-03-02T01:00:00.000Z',
        userId: agent.id,
        userName: agent.name,
        complaintId: id,
        complaintNumber: 'KS-2026-000029',
        fields: ['phone'],
        route: 'GET /api/v1/complaints/:id',
      };
      const {
        database,
        seeded: before,
        drop,
      } = await migratedFrom(dialect, '0029-records-console', async ({ database, now, policy, calendar, insertReceived }) => {
        await insertReceived(receive({ channel: 'phone', description: '旧案件', complainant: { name: '王芳', phone: '13900004321' } }, { id, number: 'KS-2026-000029' }, { actor: agent, now, policy, calendar }));
        await recordPiiAccess(database.db, { ...old, at: now.toISOString() });
        return database.db.selectFrom('pii_access_log').selectAll().execute();
      });
      try {
        const after = await database.db.selectFrom('pii_access_log').selectAll().execute();
        assert.deepEqual(
          after,
          before.map((row) => ({ ...row, reason: null })),
        );
        assert.deepEqual((await verifyChains(database.db, { checkpoint: null })).problems, []);
        await recordPiiAccess(database.db, { ...old, id: '01900000-0000-7000-8000-0000000000a2', fields: ['phone'], route: 'POST /api/v1/complaints/:id/reveal', reason: '致电客户' });
        assert.deepEqual((await verifyChains(database.db, { checkpoint: null })).problems, []);
      } finally {
        await drop();
      }
    });
  });
}
