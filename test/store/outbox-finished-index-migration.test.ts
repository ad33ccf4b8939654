/**
 * Migration 0039 (the finished outbox rows' index) on a database made before it, on every
 * engine: every outbox row stays exactly as it was, the index exists, SQLite reads a prune batch
 * through it (not a scan of every row) and deletes each of the batch's rows by its key, and housekeeping's prune still removes exactly the
 * finished rows past the cut-off — a pending row, a recent sent row and an expanded row with a
 * delivery row left are kept.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { engines, migratedFrom } from '../support/engines.js';
import { MIGRATION_NAMES } from '../../src/store/migrate.js';
import { pruneOutbox, pruneOutboxStatement } from '../../src/store/housekeeping.repository.js';

const MIGRATION = '0039-outbox-finished-index';

const row = (id: string, status: string, at: string, extra: { parent_id?: string; delivered_at?: string | null } = {}) => ({
  id,
  complaint_id: null,
  channel: 'email',
  template: 'received',
  recipient: 'kehu@example.com',
  payload: '{}',
  status,
  attempts: 1,
  next_attempt_at: at,
  created_at: at,
  delivered_at: status === 'sent' ? at : null,
  last_error: null,
  lease_owner: null,
  last_attempt_at: at,
  parent_id: null,
  ...extra,
});

for (const { dialect, skip } of await engines()) {
  describe(`migration 0039 outbox finished index (${dialect})`, { skip }, () => {
    it('carries a database made before it forward; the prune reads through the index and removes only what it should', async () => {
      const old = '2026-01-05T02:00:00.000Z';
      const recent = '2026-03-01T02:00:00.000Z';
      const rows = [
        row('ob-sent-old', 'sent', old),
        row('ob-skipped-old', 'skipped', old),
        row('ob-dead-old', 'dead', old),
        row('ob-sent-recent', 'sent', recent),
        row('ob-pending-old', 'pending', old),
        row('ob-expanded-old-done', 'expanded', old),
        row('ob-expanded-old-open', 'expanded', old),
        row('ob-child-open', 'pending', old, { parent_id: 'ob-expanded-old-open' }),
      ];
      const snapshot = (db: import('kysely').Kysely<any>) => db.selectFrom('outbox').selectAll().orderBy('id').execute();
      const { database, seeded, ran, drop } = await migratedFrom(dialect, MIGRATION, async ({ database }) => {
        await database.db.insertInto('outbox').values(rows).execute();
        return snapshot(database.db);
      });
      try {
        assert.deepEqual(ran, MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf(MIGRATION)));
        assert.equal(seeded.length, rows.length);
        assert.deepEqual(await snapshot(database.db), seeded, 'every outbox row as it was');
        if (dialect === 'sqlite') {
          const plan = (
            await sql<{ detail: string }>`explain query plan
              select id from outbox o indexed by outbox_finished
              where o.status in ('sent', 'skipped', 'dead', 'expanded')
                and ((o.status in ('sent', 'skipped', 'dead')) or (o.status = 'expanded' and not exists (select 1 from outbox c where c.parent_id = o.id)))
                and coalesce(o.delivered_at, o.last_attempt_at, o.created_at) < ${'2026-02-01'}
              limit 500`.execute(database.db)
          ).rows.map((p) => p.detail);
          assert.ok(plan[0]?.includes('USING INDEX outbox_finished') && !plan.join(' ').includes('SCAN o'), plan.join(' | '));
          // The prune's own statement: the batch through the index, and each of its rows deleted by
          // its key — not a walk of the status index over every sent row to find them.
          const prunePlan = (await sql<{ detail: string }>`explain query plan ${pruneOutboxStatement('sqlite', '2026-02-01', 100)}`.execute(database.db)).rows.map((p) => p.detail);
          const joined = prunePlan.join(' | ');
          assert.ok(
            prunePlan.some((d) => d.includes('USING INDEX outbox_finished')),
            joined,
          );
          assert.ok(
            prunePlan.some((d) => /^SEARCH outbox USING (INDEX sqlite_autoindex_outbox_1|INTEGER PRIMARY KEY|PRIMARY KEY) \(id=\?\)/.test(d)),
            joined,
          );
          assert.ok(!prunePlan.some((d) => d.includes('outbox_pending') || /^SCAN/.test(d)), joined);
        } else {
          const ix = await sql<{ indexname: string }>`select indexname from pg_indexes where indexname = 'outbox_finished'`.execute(database.db);
          assert.equal(ix.rows.length, 1);
        }
        let deleted = 0;
        for (let n = -1; n !== 0;) deleted += n = await pruneOutbox(database, '2026-02-01T00:00:00.000Z', 2);
        assert.equal(deleted, 4);
        assert.deepEqual(
          (await snapshot(database.db)).map((r) => r.id),
          ['ob-child-open', 'ob-expanded-old-open', 'ob-pending-old', 'ob-sent-recent'],
        );
      } finally {
        await drop();
      }
    });
  });
}
