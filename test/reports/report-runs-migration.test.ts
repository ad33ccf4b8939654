/**
 * Migration 0017 (report_runs) on a database made before it, on every engine: the cases the
 * older build stored are kept, and the first report made after the upgrade counts them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { engines, emptyDatabase } from '../support/engines.js';
import { testSettings } from '../support/channels.js';
import { setChannelSettings } from '../../src/channels/settings.js';
import { MIGRATION_NAMES, migrateTo, migrateToLatest } from '../../src/store/migrate.js';
import { createApp } from '../../src/services/app.js';
import { activatePolicy, readPolicyFile } from '../../src/services/policies.js';
import { seedDemo } from '../../src/services/seed-demo.js';
import { receiveComplaint } from '../../src/services/receive-complaint.js';
import { runReportNow } from '../../src/reports/runs.js';
import type { Actor } from '../../src/domain/complaint/types.js';

const BEFORE = MIGRATION_NAMES[MIGRATION_NAMES.indexOf('0017-report-runs') - 1]!;
const agent: Actor = { id: 'old-agent', kind: 'user', name: 'old-agent', roles: ['agent'], managerOf: [], approvalLevels: [] };

for (const { dialect, skip } of await engines()) {
  describe(`migration 0017 report runs (${dialect})`, { skip }, () => {
    it('adds the stored reports to a database made before it, keeping its cases', async () => {
      const { database, drop } = await emptyDatabase(dialect);
      try {
        await migrateTo(database.db, BEFORE);
        let now = new Date('2026-11-10T02:00:00Z');
        const app = createApp(database, { now: () => now });
        setChannelSettings(app, testSettings(tmpdir()));
        const f = readPolicyFile('kesu-default');
        await activatePolicy(app, f.text, f.format);
        for (const day of ['2026-11-10T02:00:00Z', '2026-11-12T03:00:00Z']) {
          now = new Date(day);
          await receiveComplaint(app, agent, { channel: 'phone', description: '升级前的投诉', complainant: { name: '客户' } });
        }
        assert.deepEqual(await migrateToLatest(database.db), MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf('0017-report-runs')));
        assert.equal(Number((await database.db.selectFrom('complaints').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n), 2);
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
