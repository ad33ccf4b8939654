/**
 * Migration 0018 on a database made before it, on every engine: the users and a case routed by
 * the old code are carried forward untouched; after the upgrade an absence of that case's
 * handler can be recorded and hands the case to its backup as an audited transition.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines, migratedFrom } from '../support/engines.js';
import { MIGRATION_NAMES } from '../../src/store/migrate.js';
import { seedDemo } from '../../src/services/seed-demo.js';
import { recordAbsence } from '../../src/services/absences.js';
import { receive } from '../../src/domain/lifecycle/intake.js';
import { apply } from '../../src/domain/lifecycle/apply.js';
import { afterDecision, persistDecisions, type CaseState } from '../../src/store/decisions.js';
import { getComplaint } from '../../src/store/complaint.repository.js';
import { actorOf, listUsers } from '../../src/store/user.repository.js';

for (const { dialect, skip } of await engines()) {
  describe(`migration 0018 absences (${dialect})`, { skip }, () => {
    it('carries users and cases forward; an absence recorded after it hands the old case over', async () => {
      const id = '01900000-0000-7000-8000-000000000018';
      const { database, app, now, seeded, ran, drop } = await migratedFrom(dialect, '0018-absences', async ({ database, app, now, policy, calendar, insertReceived }) => {
        await seedDemo(app);
        const users = new Map((await listUsers(database.db)).map((u) => [u.username, u]));
        const [agent, specialist, handler, handler2] = ['agent', 'specialist', 'handler', 'handler2'].map((n) => actorOf(users.get(n)!));
        const r = receive({ channel: 'phone', description: '升级前的案件', complainant: { anonymous: true } }, { id, number: 'KS-2026-000001' }, { actor: agent!, now, policy, calendar });
        await insertReceived(r);
        // The old code: the staff had no absences (the route reads none).
        let state: CaseState = { complaint: r.complaint, clocks: r.clocks, calendar };
        for (const [who, action, input] of [
          [specialist, 'judge', { valid: true }],
          [specialist, 'classify', { category: 'attitude', grade: 'general' }],
          [specialist, 'route', { departmentCode: 'customer_service', primaryHandlerId: handler!.id, backupHandlerId: handler2!.id }],
        ] as const) {
          const d = apply(state.complaint, state.clocks, action, input, { actor: who!, now, policy, calendar });
          assert.equal(d.kind, 'applied', JSON.stringify(d));
          if (d.kind !== 'applied') throw new Error(action);
          await database.db.transaction().execute((trx) => persistDecisions(trx, state, [d]));
          state = afterDecision(state, d);
        }
        return { users, handler, handler2, state };
      });
      try {
        const { users, handler, handler2, state } = seeded;
        assert.deepEqual(ran, MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf('0018-absences')));
        assert.equal((await listUsers(database.db)).length, users.size, 'every user carried forward');
        const old = await getComplaint(database.db, id);
        assert.deepEqual([old?.state, old?.primaryHandlerId, old?.version], ['assigned', handler!.id, state.complaint.version]);
        assert.equal(
          Number(
            (
              await database.db
                .selectFrom('absences')
                .select((eb) => eb.fn.countAll().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          ),
          0,
        );

        const a = await recordAbsence(app, handler!, { from: now.toISOString(), to: '2026-03-04', reason: '年假' });
        assert.equal(a.status, 'active');
        const moved = await getComplaint(database.db, id);
        assert.equal(moved?.primaryHandlerId, handler2!.id);
        const events = await database.db.selectFrom('complaint_events').select('action').where('complaint_id', '=', id).execute();
        assert.ok(events.some((e) => e.action === 'stand_in'));
      } finally {
        await drop();
      }
    });
  });
}
