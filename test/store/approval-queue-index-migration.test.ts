/**
 * Migration 0035 (the approval queue's index) on a database made before it, on every engine: a
 * case the old code received and judged stays exactly as it was (case row, events, clocks, its
 * participants), the index exists, SQLite reads an approver's waiting cases through it (newest
 * first, no walk of every case), and a department manager who approves still lists the old case
 * of their department page by page.
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
import { listComplaints } from '../../src/store/complaint.repository.js';

const MIGRATION = '0035-approval-queue-index';

for (const { dialect, skip } of await engines()) {
  describe(`migration 0035 approval queue index (${dialect})`, { skip }, () => {
    it('carries a database made before it forward; the approval branch reads through the index', async () => {
      const id = '01900000-0000-7000-8000-000000000035';
      const snapshot = async (db: import('kysely').Kysely<any>) => ({
        complaints: await db.selectFrom('complaints').selectAll().orderBy('id').execute(),
        events: await db.selectFrom('complaint_events').selectAll().orderBy('complaint_id').orderBy('seq').execute(),
        clocks: await db.selectFrom('clocks').selectAll().orderBy('complaint_id').orderBy('kind').execute(),
        participants: await db.selectFrom('complaint_participants').selectAll().orderBy('complaint_id').orderBy('user_id').orderBy('relation').execute(),
      });
      let dept = '';
      const { database, seeded, ran, drop } = await migratedFrom(dialect, MIGRATION, async ({ database, app, now, policy, calendar, insertReceived }) => {
        await seedDemo(app);
        const agent = actorOf((await findUserByUsername(database.db, 'agent'))!);
        const specialist = actorOf((await findUserByUsername(database.db, 'specialist'))!);
        const manager = actorOf((await findUserByUsername(database.db, 'deptmanager'))!);
        const handler = actorOf((await findUserByUsername(database.db, 'handler'))!);
        dept = manager.managerOf[0]!;
        const r = receive({ channel: 'phone', description: '升级前的案件', complainant: { anonymous: true } }, { id, number: 'KS-2026-000001' }, { actor: agent, now, policy, calendar });
        await insertReceived(r);
        let state: CaseState = { complaint: r.complaint, clocks: r.clocks, calendar };
        for (const [action, input] of [
          ['judge', { valid: true }],
          ['classify', { category: policy.categories.find((c) => c.department === dept)?.code ?? policy.categories[0]!.code, grade: 'general' }],
        ] as const) {
          const d = apply(state.complaint, state.clocks, action, input, { actor: specialist, now, policy, calendar });
          if (d.kind !== 'applied') throw new Error(JSON.stringify(d));
          const before = state;
          state = await database.db.transaction().execute((trx) => persistDecisions(trx, before, [d]));
        }
        const routed = apply(state.complaint, state.clocks, 'route', { departmentCode: dept, primaryHandlerId: handler.id, coHandlerIds: [] }, { actor: specialist, now, policy, calendar });
        if (routed.kind !== 'applied') throw new Error(JSON.stringify(routed));
        const classified = state;
        await database.db.transaction().execute((trx) => persistDecisions(trx, classified, [routed]));
        return snapshot(database.db);
      });
      try {
        assert.deepEqual(ran, MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf(MIGRATION)));
        assert.deepEqual(await snapshot(database.db), seeded, 'every case, event, clock and participant row as it was');
        assert.equal(seeded.complaints[0]!.department_code, dept, 'the old case is in the manager’s department');
        if (dialect === 'sqlite') {
          const plan = (await sql.raw<{ detail: string }>(`explain query plan select id from complaints where needs_approval in (1) order by received_at desc, id desc limit 51`).execute(database.db)).rows.map((p) => p.detail);
          assert.deepEqual(plan, ['SEARCH complaints USING COVERING INDEX complaints_needs_approval (needs_approval=?)']);
        } else {
          const ix = await sql<{ indexname: string }>`select indexname from pg_indexes where indexname = 'complaints_needs_approval'`.execute(database.db);
          assert.equal(ix.rows.length, 1);
        }
        const manager = actorOf((await findUserByUsername(database.db, 'deptmanager'))!);
        assert.ok(manager.roles.includes('approver') && manager.managerOf.length, 'the demo manager approves and manages: three branches');
        const listed = await listComplaints(database.db, dialect, manager, {}, { limit: 1 });
        assert.deepEqual(
          listed.items.map((x) => x.id),
          [id],
        );
        assert.equal(listed.nextCursor, null);
      } finally {
        await drop();
      }
    });
  });
}
