/**
 * Case numbers (issue 9): on PostgreSQL one sequence per year instead of the `counters` row
 * every intake locked until its commit; SQLite keeps its counter (one writer). Concurrent
 * intakes get distinct numbers, and a database made before the change carries its counters
 * forward, so no number is ever given twice.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { engines, emptyDatabase } from '../support/engines.js';
import { startKesu, TestClock } from '../support/kesu.js';
import { migrateToLatest, migrateTo } from '../../src/store/migrate.js';
import { createApp } from '../../src/services/app.js';
import { seedDemo } from '../../src/services/seed-demo.js';
import { receiveComplaint } from '../../src/services/receive-complaint.js';
import { actorOf, findUserByUsername } from '../../src/store/user.repository.js';

const intake = { channel: 'phone', description: '快递破损，要求赔偿', complainant: { anonymous: true } };
const seqOf = (number: string) => Number(number.split('-')[2]);

for (const { dialect, skip } of await engines()) {
  describe(`case numbers (${dialect})`, { skip }, () => {
    const cleanups: (() => Promise<void>)[] = [];
    after(async () => {
      for (const c of cleanups.reverse()) await c();
    });

    it('concurrent intakes get distinct, consecutive-enough numbers', async () => {
      const k = await startKesu(dialect);
      cleanups.push(() => k.close());
      const first = await k.as('agent').post('/api/v1/complaints', intake);
      assert.equal(first.status, 201, JSON.stringify(first.body));
      const counterBefore = await k.app.database.db.selectFrom('counters').select('value').where('name', '=', 'complaint:2026').executeTakeFirst();
      const n = 16;
      const rs = await Promise.all(Array.from({ length: n }, (_, i) => k.as(i % 2 ? 'agent' : 'agent2').post('/api/v1/complaints', intake)));
      for (const r of rs) assert.equal(r.status, 201, JSON.stringify(r.body));
      const numbers = rs.map((r) => r.body.complaint.number as string);
      assert.equal(new Set(numbers).size, n, 'no number twice');
      for (const x of numbers) assert.match(x, /^KS-2026-\d{6}$/);
      const seqs = numbers.map(seqOf);
      const start = seqOf(first.body.complaint.number);
      assert.ok(Math.min(...seqs) > start, 'after the earlier case');
      assert.ok(Math.max(...seqs) - start <= 2 * n, `no large gaps: ${start} then ${seqs.sort((a, b) => a - b).join(',')}`);
      const counterAfter = await k.app.database.db.selectFrom('counters').select('value').where('name', '=', 'complaint:2026').executeTakeFirst();
      if (dialect === 'postgres') assert.deepEqual(counterAfter, counterBefore, 'PostgreSQL does not touch the counter row');
      else assert.equal(Number(counterAfter!.value), Number(counterBefore!.value) + n);
    });

    it('a database made before the change carries its counters forward', async () => {
      const { database, drop } = await emptyDatabase(dialect);
      cleanups.push(drop);
      // What an older build left: migrated up to 0007, 41 cases numbered in 2026.
      await migrateTo(database.db, '0007-shared-caches');
      await database.db.insertInto('counters').values({ name: 'complaint:2026', value: 41 }).execute();
      await migrateToLatest(database.db);
      // A counter of a year no sequence exists for yet (an older instance still running, say).
      await database.db.insertInto('counters').values({ name: 'complaint:2027', value: 7 }).execute();
      const clock = new TestClock(new Date('2026-09-28T09:00:00+08:00'));
      const app = createApp(database, { now: clock.now });
      await seedDemo(app);
      const agent = actorOf((await findUserByUsername(database.db, 'agent'))!);
      const a = await receiveComplaint(app, agent, intake);
      assert.equal(a.complaint.number, 'KS-2026-000042');
      const b = await receiveComplaint(app, agent, intake);
      assert.equal(b.complaint.number, 'KS-2026-000043');
      clock.set('2027-01-04T09:00:00+08:00');
      const c = await receiveComplaint(app, agent, intake);
      assert.equal(c.complaint.number, 'KS-2027-000008');
      clock.set('2028-01-03T09:00:00+08:00');
      const d = await receiveComplaint(app, agent, intake);
      assert.equal(d.complaint.number, 'KS-2028-000001', 'a new year starts at 1');
    });
  });
}
