/**
 * Migration 0009 carries an existing audit trail forward, on both engines: a database built with
 * the migrations before it, holding a case whose events were chained with the old unkeyed scheme
 * and access-log rows with no chain, still verifies after the migration; the first checkpoint
 * anchors those chains; new events continue them with MACs; and an edit of an old event made
 * (and re-hashed with the old scheme) after anchoring is caught.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Migrator, type Kysely, type Migration } from 'kysely';
import { openDatabase, type Database } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import * as m0001 from '../../src/store/migrations/0001-initial.js';
import * as m0002 from '../../src/store/migrations/0002-full-text-search.js';
import * as m0003 from '../../src/store/migrations/0003-customer-channels.js';
import * as m0004 from '../../src/store/migrations/0004-next-due.js';
import * as m0005 from '../../src/store/migrations/0005-pii-access-log.js';
import * as m0006 from '../../src/store/migrations/0006-search-rowid.js';
import * as m0007 from '../../src/store/migrations/0007-shared-caches.js';
import { engines, PG_ADMIN_URL } from '../support/engines.js';
import { disableAppendOnly } from '../support/audit.js';
import { appendEvents, eventHash, GENESIS_HASH, verifyChains } from '../../src/store/event.repository.js';
import { recordPiiAccess } from '../../src/store/pii-access.repository.js';
import { latestCheckpoint, writeCheckpoint } from '../../src/audit/checkpoint.js';

const before0009: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-full-text-search': m0002,
  '0003-customer-channels': m0003,
  '0004-next-due': m0004,
  '0005-pii-access-log': m0005,
  '0006-search-rowid': m0006,
  '0007-shared-caches': m0007,
};

const ID = '019a0000-0000-7000-8000-000000000001';
const AT = '2026-03-02T01:00:00.000Z';

/** What Kesu wrote before migration 0009: a case, two events chained with the old scheme, two access rows. */
async function legacyTrail(db: Kysely<any>): Promise<void> {
  await db
    .insertInto('complaints')
    .values({
      id: ID,
      number: 'KS-2026-000001',
      kind: 'complaint',
      channel: 'phone',
      state: 'triaged',
      grade: null,
      category: null,
      department_code: null,
      primary_handler_id: null,
      first_responder_id: 'u1',
      tier: 1,
      cycle: 1,
      policy_key: 'kesu-default@1',
      title: '旧案件',
      search_text: 'ks-2026-000001',
      received_at: AT,
      updated_at: AT,
      resolve_due_at: null,
      overdue: 0,
      needs_approval: 0,
      version: 2,
      body: '{}',
    })
    .execute();
  let prev = GENESIS_HASH;
  for (const [seq, type, to] of [
    [1, 'received', 'received'],
    [2, 'transition', 'triaged'],
  ] as const) {
    const row = { complaint_id: ID, seq, type, action: null, actor_id: 'u1', actor_name: '张三', at: AT, from_state: null, to_state: to, data: '{}', prev_hash: prev };
    prev = eventHash(row);
    await db
      .insertInto('complaint_events')
      .values({ ...row, hash: prev })
      .execute();
  }
  for (const n of [1, 2])
    await db
      .insertInto('pii_access_log')
      .values({ id: `019a0000-0000-7000-8000-00000000010${n}`, at: AT, user_id: 'u1', user_name: '张三', complaint_id: ID, complaint_number: 'KS-2026-000001', fields: '["phone"]', route: null })
      .execute();
}

for (const { dialect, skip } of await engines()) {
  describe(`audit trail carried forward by migration 0009 (${dialect})`, { skip }, () => {
    let database: Database;
    let dataDir: string;
    let drop = async () => {};
    const checkpointDir = () => join(dataDir, 'checkpoints');

    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'kesu-0009-'));
      if (dialect === 'sqlite') database = openDatabase({ dataDir });
      else {
        const name = `kesu_0009_${randomBytes(5).toString('hex')}`;
        const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
        await admin.connect();
        await admin.query(`create database ${name}`);
        await admin.end();
        const url = new URL(PG_ADMIN_URL);
        url.pathname = `/${name}`;
        database = openDatabase({ databaseUrl: url.toString(), dataDir });
        drop = async () => {
          const a = new pg.Client({ connectionString: PG_ADMIN_URL });
          await a.connect();
          await a.query(`drop database if exists ${name} with (force)`);
          await a.end();
        };
      }
      const old = new Migrator({ db: database.db, provider: { getMigrations: async () => before0009 } });
      const r = await old.migrateToLatest();
      if (r.error) throw r.error;
      await legacyTrail(database.db);
    });
    after(async () => {
      await database?.close();
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('after the migration the old chains still verify', async () => {
      assert.ok((await migrateToLatest(database.db)).includes('0009-audit-anchors'));
      const r = await verifyChains(database.db, { checkpoint: null });
      assert.deepEqual(r.problems, []);
      assert.equal(r.checked, 2);
      assert.equal(r.accessChecked, 2);
      const access = await database.db.selectFrom('pii_access_log').select(['seq', 'scheme']).orderBy('seq').execute();
      assert.deepEqual(
        access.map((a) => [Number(a.seq), Number(a.scheme)]),
        [
          [1, 1],
          [2, 1],
        ],
      );
    });

    it('the first checkpoint anchors them; new records continue them with MACs', async () => {
      const cp = await writeCheckpoint(database, new Date('2026-04-01T00:00:00Z'), checkpointDir());
      assert.equal(cp.anchored, 2);
      assert.equal(cp.heads, 2);
      const keys = database.audit.keys();
      await database.db
        .transaction()
        .execute((trx) => appendEvents(trx, ID, [{ complaintId: ID, type: 'note', action: null, actorId: 'u2', actorName: '李四', at: '2026-04-01T01:00:00.000Z', fromState: null, toState: null, data: { text: '新记录' } } as never]));
      await recordPiiAccess(database.db, { id: '019a0000-0000-7000-8000-000000000201', at: '2026-04-01T01:00:00.000Z', userId: 'u2', userName: '李四', complaintId: ID, complaintNumber: 'KS-2026-000001', fields: ['phone'], route: null });
      const events = await database.db.selectFrom('complaint_events').select(['seq', 'scheme', 'key_id']).orderBy('seq').execute();
      assert.deepEqual(
        events.map((e) => Number(e.scheme)),
        [1, 1, 2],
      );
      assert.equal(events[2]!.key_id, keys.current.id);
      const r = await verifyChains(database.db, { checkpoint: latestCheckpoint(checkpointDir(), keys) });
      assert.deepEqual(r.problems, []);
      assert.equal(r.checked, 3);
      assert.equal(r.accessChecked, 3);
    });

    it('an old event edited and re-hashed with the old scheme after anchoring is caught', async () => {
      await disableAppendOnly(database.db, dialect);
      const rows = await database.db.selectFrom('complaint_events').selectAll().where('complaint_id', '=', ID).orderBy('seq').execute();
      let prev = GENESIS_HASH;
      for (const r of rows.slice(0, 2)) {
        const { hash: _h, scheme: _s, key_id: _k, ...row } = { ...r, seq: Number(r.seq), actor_name: '别人', prev_hash: prev };
        prev = eventHash(row);
        await database.db.updateTable('complaint_events').set({ actor_name: '别人', prev_hash: row.prev_hash, hash: prev }).where('complaint_id', '=', ID).where('seq', '=', row.seq).execute();
      }
      const r = await verifyChains(database.db, { checkpoint: latestCheckpoint(checkpointDir(), database.audit.keys()) });
      const kinds = r.problems.map((p) => p.problem);
      assert.ok(kinds.includes('broken_link'), JSON.stringify(r.problems));
      assert.ok(kinds.includes('behind_checkpoint'), JSON.stringify(r.problems));
    });
  });
}
