/**
 * The timeline is chained and MACed: an untouched database verifies; the database refuses UPDATE
 * and DELETE on the event tables and the access log; with the triggers out of the way, editing or
 * deleting an event is caught (the full tamper suite: audit-tamper.test.ts).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { disableAppendOnly } from '../support/audit.js';
import { verifyChains } from '../../src/store/event.repository.js';
import { withPurgePermit } from '../../src/audit/purge.js';

for (const { dialect, skip } of await engines()) {
  describe(`audit hash chain (${dialect})`, { skip }, () => {
    let k: Kesu;
    const ids: string[] = [];
    before(async () => {
      k = await startKesu(dialect);
      for (const d of ['第一件', '第二件', '第三件']) {
        const r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: d, complainant: { name: '王女士', phone: '13912345678' } });
        ids.push(r.body.complaint.id);
        await k.as('specialist').act(r.body.complaint.id, 'judge', { valid: true });
        await k.as('specialist').act(r.body.complaint.id, 'classify', { category: 'attitude', grade: 'general' });
      }
    });
    after(async () => k?.close());

    it('an untouched database verifies', async () => {
      const r = await verifyChains(k.testDb.database.db);
      assert.deepEqual(r.problems, []);
      assert.equal(r.cases, 3);
      assert.equal(r.checked, 9);
      assert.ok(r.accessChecked >= 3, 'the access log is checked too');
      const api = await k.as('auditor').get('/api/v1/audit/verify');
      assert.equal(api.body.ok, true);
    });

    it('the database refuses UPDATE and DELETE on the timeline and the access log', async () => {
      const db = k.testDb.database.db;
      const refused = async (q: Promise<unknown>) =>
        assert.match(
          String(
            await q.then(
              () => 'accepted',
              (e: Error) => e.message,
            ),
          ),
          /append-only/,
        );
      await refused(db.updateTable('complaint_events').set({ actor_name: '别人' }).where('complaint_id', '=', ids[0]!).execute());
      await refused(db.deleteFrom('complaint_events').where('complaint_id', '=', ids[0]!).execute());
      await refused(db.updateTable('pii_access_log').set({ user_name: '别人' }).execute());
      await refused(db.deleteFrom('pii_access_log').execute());
      await refused(sql`update complaint_events set data = '{}'`.execute(db));
      if (dialect === 'postgres') {
        await refused(sql`truncate complaint_events`.execute(db));
        await refused(sql`truncate pii_access_log`.execute(db));
      }
      // The same from a connection of its own, outside the application (a DBA's client).
      const statements = ["update complaint_events set actor_name = 'x'", 'delete from complaint_events', "update pii_access_log set user_name = 'x'", 'delete from pii_access_log'];
      if (dialect === 'sqlite') {
        const c = new SQLite(join(k.testDb.dataDir!, 'kesu.sqlite'));
        try {
          for (const q of statements) assert.throws(() => c.prepare(q).run(), /append-only/, q);
        } finally {
          c.close();
        }
      } else {
        const c = new pg.Client({ connectionString: k.testDb.url });
        await c.connect();
        try {
          for (const q of statements) await assert.rejects(c.query(q), /append-only/, q);
        } finally {
          await c.end();
        }
      }
      assert.deepEqual((await verifyChains(db)).problems, []);
    });

    it('the purge hook lets one transaction delete, and only while it holds the permit', async () => {
      const db = k.testDb.database.db;
      await assert.rejects(
        db.transaction().execute(async (trx) => {
          await withPurgePermit(trx, 'test', async () => {
            await trx.deleteFrom('pii_access_log').where('complaint_id', '=', ids[0]!).execute();
          });
          assert.equal((await trx.selectFrom('audit_purge_permits').selectAll().execute()).length, 0, 'the permit is gone before commit');
          throw new Error('roll back');
        }),
        /roll back/,
      );
      assert.deepEqual((await verifyChains(db)).problems, [], 'rolled back: nothing purged');
    });

    it('an edited event is caught, and so is a deleted one', async () => {
      const db = k.testDb.database.db;
      await disableAppendOnly(db, dialect);
      await db
        .updateTable('complaint_events')
        .set({ data: sql`replace(data, 'general', 'major')` as never })
        .where('complaint_id', '=', ids[1]!)
        .where('seq', '=', 3)
        .execute();
      let r = await verifyChains(db);
      assert.deepEqual(r.problems, [{ complaintId: ids[1], seq: 3, problem: 'hash_mismatch', log: 'events' }]);
      await db.deleteFrom('complaint_events').where('complaint_id', '=', ids[2]!).where('seq', '=', 2).execute();
      r = await verifyChains(db);
      assert.ok(r.problems.some((p) => p.complaintId === ids[2] && p.problem === 'broken_link'));
      assert.ok(r.problems.some((p) => p.complaintId === ids[2] && p.problem === 'gap'));
      const api = await k.as('auditor').get('/api/v1/audit/verify');
      assert.equal(api.body.ok, false);
      assert.equal((await k.as('agent').get('/api/v1/audit/verify')).status, 403);
    });
  });
}
