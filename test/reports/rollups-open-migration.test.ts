/**
 * Migration 0036 (the roll-ups count open cases too) on a database made before it: days rolled
 * up the old way (settled cases only, their open cases left to the live tail) and a transition
 * written by today's writer on the old schema (a day mark: no case marks there yet). After the
 * upgrade every row is kept, no case has a part yet, the job's next pass rolls the old days up
 * again with their open cases, and the figures are those of the facts alone.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines, migratedFrom } from '../support/engines.js';
import { MIGRATION_NAMES } from '../../src/store/migrate.js';
import { statistics } from '../../src/reports/statistics.js';
import { rollUpReports } from '../../src/reports/rollups.js';
import { recordFacts } from '../../src/store/facts.repository.js';
import { receive } from '../../src/domain/lifecycle/intake.js';
import { SYSTEM_ACTOR, type Actor, type Complaint } from '../../src/domain/complaint/types.js';
import { seedRandomCases } from './rollups-fixture.js';

const M = '0036-rollup-open-cases';
const DAY = '2026-02-10';

for (const { dialect, skip } of await engines()) {
  describe(`migration ${M} (${dialect})`, { skip }, () => {
    it('keeps the old roll-ups, rolls their open cases up on the next pass, with the same figures', async () => {
      const old = await migratedFrom(dialect, M, async (o) => {
        const agent: Actor = { id: 'old-agent', kind: 'user', name: '张敏', roles: ['agent'], managerOf: [], approvalLevels: [] };
        const r = receive(
          { channel: 'phone', description: '升级前', complainant: { name: '客户' } },
          { id: '00000000-0000-7000-8000-000000000001', number: 'KS-2026-00000001' },
          { actor: agent, now: o.now, policy: o.policy, calendar: o.calendar },
        );
        await o.insertReceived(r);
        const db = o.database.db as any;
        const template = await db.selectFrom('complaints').selectAll().executeTakeFirstOrThrow();
        await seedRandomCases(db, template, { n: 300, seed: 5, from: '2026-02-01T00:00:00Z', days: 20, avoider: 'old-manager', firstResponder: agent.id });
        // One day rolled up as the job before 0036 left it: its settled cases only (no roll-up rows
        // needed for this test: the next pass must rebuild the day because its open cases are not rolled up).
        const [s, e] = ['2026-02-09T16:00:00.000Z', '2026-02-10T16:00:00.000Z'];
        await db.insertInto('report_rollup_meta').values({ id: 'rollups', zone: 'Asia/Shanghai', updated_at: o.now.toISOString() }).execute();
        await db.insertInto('report_rollup_days').values({ day: DAY, cases: 1, rolled_at: o.now.toISOString() }).execute();
        const settled = db.selectFrom('complaints').select('id').where('received_at', '>=', s).where('received_at', '<', e).where('state', 'in', ['closed', 'archived']);
        await db.updateTable('case_facts').set({ rolled_day: DAY }).where('complaint_id', 'in', settled).execute();
        // Today's writer on the old schema: a rolled-up settled case reopened marks its day.
        const one = await settled.select('body').limit(1).executeTakeFirstOrThrow();
        const c = { ...(JSON.parse(one.body) as Complaint), state: 'investigating', cycle: 2, updatedAt: '2026-03-01T00:00:00.000Z' } as Complaint;
        await o.database.db.transaction().execute(async (trx) => {
          await trx
            .updateTable('complaints')
            .set({ state: 'investigating', body: JSON.stringify(c) })
            .where('id', '=', c.id)
            .execute();
          await recordFacts(trx, c, [{ action: 'reopen', at: c.updatedAt, actorId: 'x', data: {} }], [], null);
        });
        const open = await db.selectFrom('complaints').select('id').where('received_at', '>=', s).where('received_at', '<', e).where('state', 'not in', ['closed', 'archived']).execute();
        return { rolled: (await db.selectFrom('case_facts').select('complaint_id').where('rolled_day', '=', DAY).execute()).length, open: open.length, facts: (await db.selectFrom('case_facts').select('complaint_id').execute()).length };
      });
      try {
        assert.deepEqual(old.ran, MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf(M)));
        const db = old.database.db;
        assert.ok(old.seeded.rolled > 0 && old.seeded.open > 0, `old day: ${JSON.stringify(old.seeded)}`);
        // Every row kept: the facts, the old day's cases under it, no part, the day mark.
        assert.equal((await db.selectFrom('case_facts').select('complaint_id').execute()).length, old.seeded.facts);
        const rolled = await db.selectFrom('case_facts').select(['rolled_day', 'rolled_part']).where('rolled_day', '=', DAY).execute();
        assert.equal(rolled.length, old.seeded.rolled);
        assert.ok(rolled.every((r) => r.rolled_part === 0));
        assert.equal((await db.selectFrom('report_rollup_marks').selectAll().execute()).length, 1, 'the old writer marked the day');
        assert.deepEqual(await db.selectFrom('report_rollup_case_marks').selectAll().execute(), []);

        const avoider: Actor = { id: 'old-manager', kind: 'user', name: '陈芳', roles: ['approver'], managerOf: [], approvalLevels: [] };
        const q = { from: '2026-02-01', to: '2026-02-28', groupBy: 'day' as const, filters: {}, repeatWindowDays: 30 };
        await db.deleteFrom('report_rollup_meta').execute();
        const plain = [await statistics(old.app, SYSTEM_ACTOR, q), await statistics(old.app, avoider, q)];
        const pass = await rollUpReports(old.app);
        assert.ok(pass.rebuilt.includes(DAY) && pass.rebuilt.length >= 15, `days: ${pass.rebuilt.join(', ')}`);
        const parts = await db.selectFrom('case_facts').select('complaint_id').where('rolled_part', '=', 1).execute();
        assert.ok(parts.length >= old.seeded.open, `open cases rolled up with their parts: ${parts.length}`);
        const fast = [await statistics(old.app, SYSTEM_ACTOR, q), await statistics(old.app, avoider, q)];
        fast.forEach((f, i) => assert.deepEqual(f, plain[i], `after the upgrade: query ${i}`));
      } finally {
        await old.drop();
      }
    });
  });
}
