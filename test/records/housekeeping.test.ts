/**
 * Outbox housekeeping (issue 15 §6) on every engine: finished rows (sent, skipped, dead, and an
 * expanded row once its deliveries are gone) older than the age are removed; fresh ones and
 * undelivered ones (pending, sending, and a logical row with a delivery still pending) are kept;
 * batches and the per-pass limit hold; two instances pruning at once remove each row once.
 */
import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { runHousekeeping, startHousekeeping } from '../../src/jobs/housekeeping.js';

const DAY = 86_400_000;

for (const { dialect, skip } of await engines()) {
  describe(`outbox housekeeping (${dialect})`, { skip }, () => {
    let k: Kesu;
    before(async () => {
      k = await startKesu(dialect);
    });
    after(async () => k?.close());
    beforeEach(async () => {
      await k.app.database.db.deleteFrom('outbox').execute();
    });

    const ago = (days: number) => new Date(k.clock.now().getTime() - days * DAY).toISOString();

    /** An outbox row `age` days after it ended (delivered, last attempted, or created). */
    async function row(name: string, status: string, days: number, o: { parent?: string; delivered?: boolean; attempted?: boolean } = {}): Promise<string> {
      const id = `${name}-${randomUUID()}`;
      const at = ago(days);
      await k.app.database.db
        .insertInto('outbox')
        .values({
          id,
          complaint_id: null,
          channel: o.parent ? 'email' : 'customer',
          template: 'case.answer',
          recipient: '{}',
          payload: '{}',
          status,
          attempts: 1,
          next_attempt_at: at,
          created_at: o.delivered || o.attempted ? ago(days + 1) : at,
          delivered_at: o.delivered ? at : null,
          last_error: null,
          parent_id: o.parent ?? null,
          lease_owner: null,
          last_attempt_at: o.attempted ? at : null,
        })
        .execute();
      return id;
    }

    async function remaining(): Promise<string[]> {
      const rows = await k.app.database.db.selectFrom('outbox').select('id').execute();
      return rows.map((r) => r.id.replace(/-[0-9a-f-]{36}$/, '')).sort();
    }

    it('removes finished rows older than the age, keeps fresh and undelivered ones', async () => {
      await row('sent-old', 'sent', 31, { delivered: true });
      await row('sent-fresh', 'sent', 29, { delivered: true });
      await row('dead-old', 'dead', 40, { attempted: true });
      await row('dead-fresh', 'dead', 2, { attempted: true });
      await row('skipped-old', 'skipped', 35);
      await row('pending-old', 'pending', 90);
      await row('sending-old', 'sending', 90, { attempted: true });
      const waiting = await row('expanded-waiting', 'expanded', 60, { delivered: true });
      await row('child-pending', 'pending', 60, { parent: waiting });
      const done = await row('expanded-done', 'expanded', 60, { delivered: true });
      await row('child-sent', 'sent', 60, { parent: done, delivered: true });
      await row('child-dead', 'dead', 60, { parent: done, attempted: true });
      await row('expanded-fresh', 'expanded', 1, { delivered: true });

      const r = await runHousekeeping(k.app, { outboxKeepDays: 30, pauseMs: 0 });
      assert.deepEqual(r, { outboxDeleted: 6, more: false });
      assert.deepEqual(await remaining(), ['child-pending', 'dead-fresh', 'expanded-fresh', 'expanded-waiting', 'pending-old', 'sending-old', 'sent-fresh']);
      assert.deepEqual(await runHousekeeping(k.app, { outboxKeepDays: 30 }), { outboxDeleted: 0, more: false }, 'a second pass finds nothing');
    });

    it('works in batches and stops at the per-pass limit; the next pass goes on', async () => {
      for (let i = 0; i < 25; i++) await row(`old${i}`, 'sent', 45, { delivered: true });
      await row('pending', 'pending', 45);
      assert.deepEqual(await runHousekeeping(k.app, { outboxKeepDays: 30, batch: 10, maxBatches: 2, pauseMs: 0 }), { outboxDeleted: 20, more: true });
      assert.deepEqual(await runHousekeeping(k.app, { outboxKeepDays: 30, batch: 10, maxBatches: 2, pauseMs: 0 }), { outboxDeleted: 5, more: false });
      assert.deepEqual(await remaining(), ['pending']);
    });

    it('two instances pruning at once remove every old row once and nothing else', async () => {
      for (let i = 0; i < 60; i++) await row(`old${i}`, i % 3 ? 'sent' : 'dead', 50, { delivered: i % 3 !== 0, attempted: i % 3 === 0 });
      for (let i = 0; i < 5; i++) await row(`keep${i}`, 'pending', 50);
      const other = await k.instance();
      try {
        const [a, b] = await Promise.all([runHousekeeping(k.app, { outboxKeepDays: 30, batch: 7, pauseMs: 1 }), runHousekeeping(other.app, { outboxKeepDays: 30, batch: 7, pauseMs: 1 })]);
        assert.equal(a.outboxDeleted + b.outboxDeleted, 60);
      } finally {
        await other.close();
      }
      assert.deepEqual(await remaining(), ['keep0', 'keep1', 'keep2', 'keep3', 'keep4']);
    });

    it('the serve job runs a pass on its own and stops cleanly', async () => {
      await row('old', 'sent', 31, { delivered: true });
      await row('fresh', 'sent', 1, { delivered: true });
      const stop = startHousekeeping(k.app, 60_000, { outboxKeepDays: 30, firstDelayMs: 0 });
      try {
        const until = Date.now() + 10_000;
        while ((await remaining()).length > 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      } finally {
        await stop();
      }
      assert.deepEqual(await remaining(), ['fresh']);
    });
  });
}
