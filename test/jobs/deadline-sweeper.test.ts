/**
 * The deadline sweeper: warning before the due time, breach escalating one tier, repeated
 * escalation, grade rise by age — all as audited transitions; and two instances on one
 * PostgreSQL never firing the same deadline twice.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { sweepDeadlines } from '../../src/jobs/deadline-sweeper.js';
import { createApp } from '../../src/services/app.js';
import { openDatabase } from '../../src/store/db.js';

const HOUR = 3600_000;

for (const { dialect, skip } of await engines()) {
  describe(`deadline sweeper (${dialect})`, { skip }, () => {
    let k: Kesu;
    before(async () => {
      k = await startKesu(dialect, { start: '2026-11-02T09:00:00+08:00' });
    });
    after(async () => k?.close());

    it('warns, breaches and escalates one tier at a time, each exactly once', async () => {
      const r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '超时测试', complainant: { anonymous: true } });
      const id = r.body.complaint.id;
      // triage 24 h → warning at 80 % (19.2 h).
      k.clock.advance(19 * HOUR);
      assert.deepEqual((await sweepDeadlines(k.app)).fired, []);
      k.clock.advance(0.5 * HOUR);
      let s = await sweepDeadlines(k.app);
      assert.deepEqual(
        s.fired.map((f) => `${f.clock}:${f.action}`),
        ['triage:warn'],
      );
      assert.deepEqual((await sweepDeadlines(k.app)).fired, [], 'a second sweep finds nothing');
      k.clock.advance(5 * HOUR);
      s = await sweepDeadlines(k.app);
      assert.deepEqual(
        s.fired.map((f) => `${f.clock}:${f.action}`),
        ['triage:breach'],
      );
      let v = (await k.as('specialist').get(`/api/v1/complaints/${id}`)).body;
      assert.equal(v.complaint.tier, 2);
      assert.ok(
        v.clocks.some((c: any) => c.kind === 'escalation' && c.status === 'running'),
        'escalates again after escalateEvery unless handled',
      );
      const listed = await k.as('specialist').get('/api/v1/complaints?overdue=true');
      assert.ok(listed.body.items.some((i: any) => i.id === id));
      // 24 h later (escalateEvery), still untouched: tier 3, the top; resolve (2 d) breaches too.
      k.clock.advance(24 * HOUR);
      s = await sweepDeadlines(k.app);
      const fired = s.fired.map((f) => `${f.clock}:${f.action}`);
      assert.ok(fired.includes('resolve:breach'), fired.join());
      v = (await k.as('specialist').get(`/api/v1/complaints/${id}`)).body;
      assert.equal(v.complaint.tier, 3);
      const sweeps = v.timeline.filter((e: any) => e.actorId === 'system').map((e: any) => `${e.data.input.clock}:${e.action}`);
      assert.equal(new Set(sweeps).size, sweeps.length, `no clock fired twice: ${sweeps}`);
      const outbox = await k.testDb.database.db.selectFrom('outbox').select(['template', 'recipient']).where('complaint_id', '=', id).where('template', '=', 'deadline_breached').execute();
      assert.ok(
        outbox.some((m) => JSON.parse(m.recipient).role === 'general_manager'),
        'the top tier is told',
      );
    });

    it('an unresolved case becomes major after 30 days (000 注)', async () => {
      const r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '一个月未解决', complainant: { anonymous: true } });
      const id = r.body.complaint.id;
      await k.as('specialist').act(id, 'judge', { valid: true });
      await k.as('specialist').act(id, 'classify', { category: 'attitude', grade: 'general' });
      k.clock.advance(30 * 24 * HOUR + 1000);
      await sweepDeadlines(k.app);
      const v = (await k.as('specialist').get(`/api/v1/complaints/${id}`)).body;
      assert.equal(v.complaint.grade, 'major');
      assert.ok(v.timeline.some((e: any) => e.action === 'raise_grade' && e.data.grade?.to === 'major'));
    });

    it('a paused case is not swept', async () => {
      const r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '暂停测试', complainant: { anonymous: true } });
      const id = r.body.complaint.id;
      const s = k.as('specialist');
      await s.act(id, 'judge', { valid: true });
      await s.act(id, 'classify', { category: 'attitude', grade: 'general' });
      await s.act(id, 'route', { departmentCode: 'customer_service', primaryHandlerId: k.userIds.get('handler') });
      await k.as('handler').act(id, 'accept', {});
      await sweepDeadlines(k.app);
      const p = await k.as('handler').act(id, 'pend', { reason: '等待客户提供发票' });
      assert.equal(p.body.complaint.state, 'pending');
      assert.ok(p.body.clocks.filter((c: any) => c.kind === 'resolve')[0].status === 'paused');
      k.clock.advance(10 * 24 * HOUR);
      const fired = (await sweepDeadlines(k.app)).fired.filter((f) => f.complaintId === id && f.clock !== 'grade_rise.0');
      assert.deepEqual(fired, []);
      const resumed = await k.as('handler').act(id, 'resume', {});
      assert.equal(resumed.body.complaint.state, 'investigating');
      const resolve = resumed.body.clocks.find((c: any) => c.kind === 'resolve');
      assert.equal(resolve.status, 'running');
      assert.ok(new Date(resolve.dueAt).getTime() > k.clock.now().getTime(), 'the pause moved the due time');
      assert.equal(resolve.explanation.pauses.length, 1);
    });

    it('two instances never fire the same deadline twice', { skip: dialect !== 'postgres' ? 'concurrent instances need PostgreSQL (SQLite is single-writer, one instance)' : false }, async () => {
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) {
        const r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: `并发 ${i}`, complainant: { anonymous: true } });
        ids.push(r.body.complaint.id);
      }
      k.clock.advance(25 * HOUR);
      const second = openDatabase({ databaseUrl: k.testDb.url!, dataDir: '' });
      const other = createApp(second, { now: k.clock.now });
      try {
        const results = await Promise.all([sweepDeadlines(k.app), sweepDeadlines(other), sweepDeadlines(k.app), sweepDeadlines(other)]);
        const fired = results.flatMap((r) => r.fired).filter((f) => ids.includes(f.complaintId));
        const keys = fired.map((f) => `${f.complaintId}:${f.clock}:${f.action}`);
        assert.equal(new Set(keys).size, keys.length, 'each deadline fired once');
        // Every case's triage breach fired exactly once, whichever instance took it.
        for (const id of ids) {
          const events = await k.testDb.database.db.selectFrom('complaint_events').select(['action', 'data']).where('complaint_id', '=', id).where('actor_id', '=', 'system').execute();
          const breaches = events.filter((e) => e.action === 'breach' && JSON.parse(e.data).input.clock === 'triage');
          assert.equal(breaches.length, 1, `case ${id}`);
        }
        assert.ok(results[1]!.fired.length + results[3]!.fired.length > 0 || results[0]!.fired.length > 0);
      } finally {
        await second.close();
      }
    });
  });
}
