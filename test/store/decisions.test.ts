/**
 * The decision writer (store/decisions.ts), used by staff actions and the deadline sweeper alike:
 * every transition bumps the case's version by one, and what a webhook receives is the version
 * the database stored. Regression: a sweep firing two clocks on one case sent `v+1` and `v+2`
 * while storing `v+1`, so the next human action sent `v+2` again.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { TestReceiver, startChannelKesu, type ChannelKesu } from '../support/channels.js';
import { sweepDeadlines } from '../../src/jobs/deadline-sweeper.js';
import { apply } from '../../src/domain/lifecycle/apply.js';
import { SYSTEM_ACTOR } from '../../src/domain/complaint/types.js';
import { lockForDecision } from '../../src/services/act-on-complaint.js';
import { persistDecisions } from '../../src/store/decisions.js';
import { AppError } from '../../src/domain/errors.js';

const HOUR = 3600_000;

for (const { dialect, skip } of await engines()) {
  describe(`decision writer (${dialect})`, { skip }, () => {
    let ck: ChannelKesu;
    let rx: TestReceiver;
    before(async () => {
      rx = await TestReceiver.start();
      ck = await startChannelKesu(dialect, {
        start: '2026-11-02T09:00:00+08:00',
        settings: { webhooks: [{ name: 'crm', url: rx.url('/hook'), secret: 'hook-secret-123' }] },
      });
    });
    after(async () => {
      await ck?.close();
      await rx?.close();
    });

    const db = () => ck.k.testDb.database.db;
    const stored = async (id: string) => {
      const row = await db().selectFrom('complaints').select(['version', 'body']).where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(JSON.parse(row.body).version, Number(row.version), 'the version column and the stored case agree');
      return Number(row.version);
    };
    const hooksOf = (id: string) =>
      rx.requests
        .filter((r) => r.url === '/hook')
        .map((r) => JSON.parse(r.body) as { event: string; complaint: { id: string; version: number } })
        .filter((b) => b.complaint.id === id);

    it('a sweep firing two clocks on one case: webhooks say the stored versions, one per transition', async () => {
      const r = await ck.k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '两个时钟同时到期', complainant: { anonymous: true } });
      assert.equal(r.status, 201);
      const id = r.body.complaint.id as string;
      ck.k.clock.advance(25 * HOUR);
      assert.deepEqual(
        (await sweepDeadlines(ck.k.app)).fired.filter((f) => f.complaintId === id).map((f) => `${f.clock}:${f.action}`),
        ['triage:breach'],
      );
      const v1 = await stored(id);
      // 24 h later the resolve deadline and the escalation clock the breach started fall due together.
      ck.k.clock.advance(24 * HOUR);
      const fired = (await sweepDeadlines(ck.k.app)).fired.filter((f) => f.complaintId === id);
      assert.equal(fired.length, 2, `two clocks fired in one sweep: ${fired.map((f) => f.clock)}`);
      const afterSweep = await stored(id);
      const judged = await ck.k.as('specialist').act(id, 'judge', { valid: true });
      assert.equal(judged.status, 200);

      await ck.dispatch();
      // Deliveries need not arrive in order; the version is what orders them for a receiver.
      const hooks = hooksOf(id).sort((a, b) => a.complaint.version - b.complaint.version);
      assert.deepEqual(hooks.map((h) => h.event).sort(), ['case.breach', 'case.breach', 'case.breach', 'case.judge', 'case.receive']);
      const versions = hooks.map((h) => h.complaint.version);
      assert.deepEqual(versions, [1, 2, 3, 4, 5], 'consecutive, none repeated');
      assert.equal(versions.at(-1), await stored(id), 'the last webhook says what the database stores');
      assert.deepEqual([hooks[0]!.event, hooks.at(-1)!.event], ['case.receive', 'case.judge']);
      assert.equal(afterSweep, v1 + 2, 'each fired clock is a transition with its own version');
      assert.equal(judged.body.complaint.version, v1 + 3);
      const timeline = (await ck.k.as('specialist').get(`/api/v1/complaints/${id}`)).body.timeline as unknown[];
      assert.equal(timeline.length, versions.length, 'one event per version');
    });

    it('refuses decisions that do not follow the locked case, and a case changed meanwhile', async () => {
      const r = await ck.k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '版本检查', complainant: { anonymous: true } });
      const id = r.body.complaint.id as string;
      ck.k.clock.advance(25 * HOUR);
      const app = ck.k.app;
      await assert.rejects(
        db()
          .transaction()
          .execute(async (trx) => {
            const locked = (await lockForDecision(app, trx, id))!;
            const d = apply(locked.complaint, locked.clocks, 'breach', { clock: 'triage' }, { actor: SYSTEM_ACTOR, now: app.now(), policy: locked.policy, calendar: locked.calendar });
            assert.equal(d.kind, 'applied');
            if (d.kind !== 'applied') return;
            await persistDecisions(trx, locked, [d, d]);
          }),
        /does not follow/,
      );
      await assert.rejects(
        db()
          .transaction()
          .execute(async (trx) => {
            const locked = (await lockForDecision(app, trx, id))!;
            const d = apply(locked.complaint, locked.clocks, 'breach', { clock: 'triage' }, { actor: SYSTEM_ACTOR, now: app.now(), policy: locked.policy, calendar: locked.calendar });
            if (d.kind !== 'applied') throw new Error(d.detail);
            await trx
              .updateTable('complaints')
              .set({ version: locked.complaint.version + 1 })
              .where('id', '=', id)
              .execute();
            await persistDecisions(trx, locked, [d]);
          }),
        (e) => e instanceof AppError && e.code === 'conflict',
      );
      assert.equal(await stored(id), 1, 'nothing was written');
    });
  });
}
