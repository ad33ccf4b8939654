/**
 * Migration 0027 on a database made before it, on every engine: a case answered by the old code
 * is carried forward untouched (and has no duties — nothing is invented for the past); after the
 * upgrade the duties tables exist and a policy without a `duties` section still acts as before.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines, migratedFrom } from '../support/engines.js';
import { MIGRATION_NAMES } from '../../src/store/migrate.js';
import { seedDemo } from '../../src/services/seed-demo.js';
import { receive } from '../../src/domain/lifecycle/intake.js';
import { apply } from '../../src/domain/lifecycle/apply.js';
import { afterDecision, persistDecisions, type CaseState } from '../../src/store/decisions.js';
import { getComplaint } from '../../src/store/complaint.repository.js';
import { actorOf, listUsers } from '../../src/store/user.repository.js';
import { sweepDeadlines } from '../../src/jobs/deadline-sweeper.js';

for (const { dialect, skip } of await engines()) {
  describe(`migration 0027 duties (${dialect})`, { skip }, () => {
    it('carries cases forward; duties tables added empty; a policy without duties acts as before', async () => {
      const id = '01900000-0000-7000-8000-000000000027';
      const { database, app, seeded, ran, drop } = await migratedFrom(dialect, '0027-duties', async ({ database, app, now, policy, calendar, insertReceived }) => {
        await seedDemo(app);
        const users = new Map((await listUsers(database.db)).map((u) => [u.username, u]));
        const [agent, specialist, handler] = ['agent', 'specialist', 'handler'].map((n) => actorOf(users.get(n)!));
        const r = receive({ channel: 'phone', description: '升级前的案件', complainant: { anonymous: true } }, { id, number: 'KS-2026-000001' }, { actor: agent!, now, policy, calendar });
        await insertReceived(r);
        // The old code: the decision writer without duties (no policy on the state, as then).
        let state: CaseState = { complaint: r.complaint, clocks: r.clocks, calendar };
        for (const [who, action, input] of [
          [specialist, 'judge', { valid: true }],
          [specialist, 'classify', { category: 'attitude', grade: 'general' }],
          [specialist, 'route', { departmentCode: 'customer_service', primaryHandlerId: handler!.id }],
        ] as const) {
          const d = apply(state.complaint, state.clocks, action, input, { actor: who!, now, policy, calendar });
          assert.equal(d.kind, 'applied', JSON.stringify(d));
          if (d.kind !== 'applied') throw new Error(action);
          await database.db.transaction().execute((trx) => persistDecisions(trx, state, [d]));
          state = afterDecision(state, d);
        }
        return { handler, state };
      });
      try {
        const { handler, state } = seeded;
        assert.deepEqual(ran, MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf('0027-duties')));
        const old = await getComplaint(database.db, id);
        assert.deepEqual([old?.state, old?.primaryHandlerId, old?.version], ['assigned', handler!.id, state.complaint.version]);
        const events = await database.db.selectFrom('complaint_events').select('action').where('complaint_id', '=', id).execute();
        assert.equal(events.length, 4, 'every event carried forward');
        assert.equal(
          Number(
            (
              await database.db
                .selectFrom('duties')
                .select((eb) => eb.fn.countAll().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          ),
          0,
        );
        assert.equal(
          Number(
            (
              await database.db
                .selectFrom('duty_history')
                .select((eb) => eb.fn.countAll().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          ),
          0,
        );
        // The sweeper runs its duty job on the upgraded database (the default policy has no duties).
        const s = await sweepDeadlines(app);
        assert.deepEqual(s.duties, { created: [], reminded: [], breached: [] });
      } finally {
        await drop();
      }
    });
  });
}
