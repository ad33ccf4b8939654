/**
 * Migration 0041 (the pending outbox rows by channel) on a database made before it, on every
 * engine: every outbox row stays exactly as it was, the index exists, the dispatcher's "no webhook
 * configured" statement (`skipPendingStatement`, the real one, with its real parameters) is read
 * through it — on SQLite the plan searches `outbox_pending_channel` and neither scans the table nor
 * walks `outbox_pending` over every pending row; on PostgreSQL, with sequential scans priced out,
 * it is usable at all — and the statement still settles exactly the pending webhook rows.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CompiledQuery, type Kysely } from 'kysely';
import { engines, migratedFrom } from '../support/engines.js';
import { MIGRATION_NAMES } from '../../src/store/migrate.js';
import { skipPending, skipPendingStatement } from '../../src/store/delivery.repository.js';

const MIGRATION = '0041-outbox-pending-channel-index';
const REASON = 'no webhook configured (KESU_WEBHOOKS)';

const row = (id: string, channel: string, status: string) => ({
  id,
  complaint_id: null,
  channel,
  template: 'received',
  recipient: '{}',
  payload: '{}',
  status,
  attempts: status === 'pending' ? 0 : 1,
  next_attempt_at: '2026-03-02T01:00:00.000Z',
  created_at: '2026-03-02T01:00:00.000Z',
  delivered_at: status === 'sent' ? '2026-03-02T01:00:01.000Z' : null,
  last_error: null,
  lease_owner: status === 'sending' ? 'other:1' : null,
  last_attempt_at: status === 'pending' ? null : '2026-03-02T01:00:00.000Z',
  parent_id: null,
});

for (const { dialect, skip } of await engines()) {
  describe(`migration 0041 outbox pending channel index (${dialect})`, { skip }, () => {
    it('carries a database made before it forward; the "no webhook configured" update reads through the index and settles only pending webhook rows', async () => {
      const rows = [
        row('ob-webhook-pending', 'webhook', 'pending'),
        row('ob-webhook-sending', 'webhook', 'sending'),
        row('ob-webhook-sent', 'webhook', 'sent'),
        row('ob-email-pending', 'email', 'pending'),
        row('ob-customer-pending', 'customer', 'pending'),
        row('ob-sms-sent', 'sms', 'sent'),
      ];
      const snapshot = (db: Kysely<any>) => db.selectFrom('outbox').selectAll().orderBy('id').execute();
      const { database, seeded, ran, drop } = await migratedFrom(dialect, MIGRATION, async ({ database }) => {
        await database.db.insertInto('outbox').values(rows).execute();
        return snapshot(database.db);
      });
      try {
        assert.deepEqual(ran, MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf(MIGRATION)));
        assert.equal(seeded.length, rows.length);
        assert.deepEqual(await snapshot(database.db), seeded, 'every outbox row as it was');
        const now = '2026-03-02T02:00:00.000Z';
        const statement = skipPendingStatement(database.db, 'webhook', now, REASON).compile();
        if (dialect === 'sqlite') {
          const plan = (await database.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${statement.sql}`, [...statement.parameters]))).rows.map((p) => p.detail);
          const joined = plan.join(' | ');
          assert.ok(
            plan.some((d) => /^SEARCH outbox USING INDEX outbox_pending_channel \(channel=\?\)/.test(d)),
            joined,
          );
          assert.ok(!plan.some((d) => d.includes('outbox_pending ') || /^SCAN/.test(d)), joined);
        } else {
          const ix = await database.db.executeQuery<{ indexdef: string }>(CompiledQuery.raw(`select indexdef from pg_indexes where indexname = 'outbox_pending_channel'`));
          assert.equal(ix.rows.length, 1);
          assert.match(ix.rows[0]!.indexdef, /WHERE \(status = 'pending'::text\)/);
          // Six rows are cheaper to scan than to look up; price the scan out to ask whether the
          // statement can use the partial index at all (it cannot when the predicate is not implied).
          const plan = await database.db.transaction().execute(async (trx) => {
            await trx.executeQuery(CompiledQuery.raw('set local enable_seqscan = off'));
            return (await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${statement.sql}`, [...statement.parameters]))).rows.map((p) => p['QUERY PLAN']);
          });
          assert.ok(
            plan.some((d) => d.includes('outbox_pending_channel')),
            plan.join(' | '),
          );
        }
        assert.equal(await skipPending(database.db, 'webhook', now, REASON), 1);
        assert.equal(await skipPending(database.db, 'webhook', now, REASON), 0, 'nothing left to settle');
        const after = await snapshot(database.db);
        const changed = after.filter((r, i) => JSON.stringify(r) !== JSON.stringify(seeded[i]));
        assert.deepEqual(
          changed.map((r) => [r.id, r.status, r.last_error, r.delivered_at, r.next_attempt_at]),
          [['ob-webhook-pending', 'skipped', REASON, null, now]],
        );
      } finally {
        await drop();
      }
    });
  });
}
