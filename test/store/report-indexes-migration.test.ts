/**
 * Migration 0031 (the dashboard's indexes) on a database made before it, on every engine: a case
 * the old code received and judged stays exactly as it was (case row, events, clocks), the three
 * indexes exist, SQLite reads the dashboard's events, running clocks and open-case counts through
 * them, and the dashboard over the upgraded database counts the old case.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { engines, migratedFrom } from '../support/engines.js';
import { MIGRATION_NAMES } from '../../src/store/migrate.js';
import { seedDemo } from '../../src/services/seed-demo.js';
import { receive } from '../../src/domain/lifecycle/intake.js';
import { apply } from '../../src/domain/lifecycle/apply.js';
import { persistDecisions, type CaseState } from '../../src/store/decisions.js';
import { actorOf, findUserByUsername } from '../../src/store/user.repository.js';
import { reportDashboard } from '../../src/services/report-dashboard.js';

const INDEXES = ['clocks_status_due', 'complaint_events_action_at', 'complaints_open_dims'];

for (const { dialect, skip } of await engines()) {
  describe(`migration 0031 report indexes (${dialect})`, { skip }, () => {
    it('carries a database made before it forward; the dashboard then reads through the indexes', async () => {
      const id = '01900000-0000-7000-8000-000000000031';
      const snapshot = async (db: import('kysely').Kysely<any>) => ({
        complaints: await db.selectFrom('complaints').selectAll().orderBy('id').execute(),
        events: await db.selectFrom('complaint_events').selectAll().orderBy('complaint_id').orderBy('seq').execute(),
        clocks: await db.selectFrom('clocks').selectAll().orderBy('complaint_id').orderBy('kind').execute(),
      });
      const { database, app, seeded, ran, drop } = await migratedFrom(dialect, '0031-report-indexes', async ({ database, app, now, policy, calendar, insertReceived }) => {
        await seedDemo(app);
        const agent = actorOf((await findUserByUsername(database.db, 'agent'))!);
        const specialist = actorOf((await findUserByUsername(database.db, 'specialist'))!);
        const r = receive({ channel: 'phone', description: '升级前的案件', complainant: { anonymous: true } }, { id, number: 'KS-2026-000001' }, { actor: agent, now, policy, calendar });
        await insertReceived(r);
        const state: CaseState = { complaint: r.complaint, clocks: r.clocks, calendar };
        const d = apply(state.complaint, state.clocks, 'judge', { valid: true }, { actor: specialist, now, policy, calendar });
        if (d.kind !== 'applied') throw new Error(JSON.stringify(d));
        await database.db.transaction().execute((trx) => persistDecisions(trx, state, [d]));
        return snapshot(database.db);
      });
      try {
        assert.deepEqual(ran, MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf('0031-report-indexes')));
        assert.deepEqual(await snapshot(database.db), seeded, 'every case, event and clock row as it was');
        assert.ok(seeded.events.length >= 2 && seeded.clocks.length >= 1, 'the old case has events and clocks');
        if (dialect === 'sqlite') {
          const plan = async (q: string) => (await sql.raw<{ detail: string }>(`explain query plan ${q}`).execute(database.db)).rows.map((p) => p.detail);
          assert.deepEqual(await plan(`select count(*) from complaint_events where action = 'close' and at >= '2026-03-01'`), ['SEARCH complaint_events USING COVERING INDEX complaint_events_action_at (action=? AND at>?)']);
          assert.deepEqual(await plan(`select complaint_id from clocks where status = 'running' and due_at <= '2026-03-03' order by due_at`), ['SEARCH clocks USING INDEX clocks_status_due (status=? AND due_at<?)']);
          assert.deepEqual(await plan(`select state, grade, department_code, channel, kind, count(*) from complaints where state not in ('closed', 'archived') group by state, grade, department_code, channel, kind`), [
            'SCAN complaints USING COVERING INDEX complaints_open_dims',
          ]);
        } else {
          const ix = await sql<{ indexname: string }>`select indexname from pg_indexes where indexname in (${sql.join(INDEXES)}) order by indexname`.execute(database.db);
          assert.deepEqual(
            ix.rows.map((r) => r.indexname),
            INDEXES,
          );
        }

        const manager = actorOf((await findUserByUsername(database.db, 'csmanager'))!);
        const v = await reportDashboard(app, manager);
        assert.equal(v.open.total, 1);
        assert.deepEqual(v.open.byChannel, [{ key: 'phone', count: 1 }]);
        assert.equal(
          v.trend.reduce((s, x) => s + x.received, 0),
          1,
        );
      } finally {
        await drop();
      }
    });
  });
}
