/**
 * Migration 0017 (report_runs) on a database made before it, on every engine: the cases the
 * older build stored are kept, and the first report made after the upgrade counts them.
 *
 * The cases are made by today's intake (which also writes tables of later migrations), so the
 * database is migrated fully, given its cases, and then put back to "before 0017" by undoing
 * 0017 alone (it only adds `report_runs`): exactly the state an upgrade from an older build
 * meets for this migration.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { engines, emptyDatabase } from '../support/engines.js';
import { testSettings } from '../support/channels.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import * as m0017 from '../../src/store/migrations/0017-report-runs.js';
import { createApp } from '../../src/services/app.js';
import { activatePolicy, readPolicyFile } from '../../src/services/policies.js';
import { seedDemo } from '../../src/services/seed-demo.js';
import { receiveComplaint } from '../../src/services/receive-complaint.js';
import { runReportNow } from '../../src/reports/runs.js';
import type { Actor } from '../../src/domain/complaint/types.js';

const agent: Actor = { id: 'old-agent', kind: 'user', name: 'old-agent', roles: ['agent'], managerOf: [], approvalLevels: [] };

for (const { dialect, skip } of await engines()) {
  describe(`migration 0017 report runs (${dialect})`, { skip }, () => {
    it('adds the stored reports to a database made before it, keeping its cases', async () => {
      const { database, drop } = await emptyDatabase(dialect);
      try {
        await migrateToLatest(database.db);
        let now = new Date('2026-11-10T02:00:00Z');
        const app = createApp(database, { now: () => now });
        app.settings.channels = testSettings(tmpdir());
        const f = readPolicyFile('kesu-default');
        await activatePolicy(app, f.text, f.format);
        for (const day of ['2026-11-10T02:00:00Z', '2026-11-12T03:00:00Z']) {
          now = new Date(day);
          await receiveComplaint(app, agent, { channel: 'phone', description: '升级前的投诉', complainant: { name: '客户' } });
        }
        await m0017.down(database.db);
        await database.db
          .deleteFrom('kysely_migration' as never)
          .where('name' as never, '=', '0017-report-runs' as never)
          .execute();
        assert.deepEqual(await migrateToLatest(database.db), ['0017-report-runs']);
        assert.equal(
          Number(
            (
              await database.db
                .selectFrom('complaints')
                .select((eb) => eb.fn.countAll().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          ),
          2,
        );
        await seedDemo(app);
        now = new Date('2026-12-02T01:00:00Z');
        const { run, generated } = await runReportNow(app, { kind: 'monthly', period: '2026-11' });
        assert.equal(generated, true);
        assert.equal(run.status, 'done');
        assert.equal(run.headline?.received, 2);
      } finally {
        await drop();
      }
    });
  });
}
