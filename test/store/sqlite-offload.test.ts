/**
 * Long reads in a worker thread (store/sqlite-offload.ts), SQLite: `database.reads` answers what
 * the main connection answers, sees each commit at once, refuses to write (and writes nothing),
 * and runs beside the main thread — a read on the main connection started after a long offloaded
 * one is answered first, which a read on the main thread could never be (better-sqlite3 would run
 * the long one to its end before anything else).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestDb, type TestDb } from '../support/engines.js';

describe('SQLite: long reads off the event loop', () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb('sqlite');
  });
  after(async () => t?.drop());

  it('answers what the main connection answers, and sees a commit at once', async () => {
    const { db, reads } = t.database;
    await db.insertInto('counters').values({ name: 'offload-a', value: 7 }).execute();
    const q = (k: typeof db) => k.selectFrom('counters').select(['name', 'value']).where('name', 'like', 'offload-%').orderBy('name').execute();
    assert.deepEqual(await q(reads), await q(db));
    assert.deepEqual(await q(reads), [{ name: 'offload-a', value: 7 }]);
    await db.updateTable('counters').set({ value: 8 }).where('name', '=', 'offload-a').execute();
    assert.deepEqual(await q(reads), [{ name: 'offload-a', value: 8 }], 'the next read after a commit sees it');
    const [{ n }] = (await sql<{ n: number }>`select count(*) as n from complaints`.execute(reads)).rows as [{ n: number }];
    assert.equal(typeof n, 'number', 'raw SQL runs there too');
  });

  it('refuses a write, naming why, and changes nothing', async () => {
    const { db, reads } = t.database;
    await assert.rejects(reads.insertInto('counters').values({ name: 'offload-write', value: 1 }).execute(), /only reads|readonly/);
    await assert.rejects(sql`delete from counters`.execute(reads), /only reads|readonly/);
    await assert.rejects(
      reads.transaction().execute(async () => {}),
      /no transactions/,
    );
    assert.equal((await db.selectFrom('counters').select('name').where('name', '=', 'offload-write').execute()).length, 0);
    assert.ok((await db.selectFrom('counters').select('name').execute()).length > 0, 'the delete deleted nothing');
  });

  it('runs beside the main thread: a main-thread read started later is answered first', async () => {
    const { db, reads } = t.database;
    // A read that takes SQLite a while (a few hundred ms): counting a generated series.
    const long = sql<{ n: number }>`with recursive s(i) as (select 1 union all select i + 1 from s where i < 3000000) select count(*) as n from s`;
    const order: string[] = [];
    const offloaded = long.execute(reads).then((r) => {
      order.push('long offloaded read');
      return r.rows[0]!.n;
    });
    // Give the worker the query before the main thread asks its own.
    await new Promise((r) => setTimeout(r, 20));
    await db.selectFrom('counters').select('name').limit(1).execute();
    order.push('short main read');
    assert.equal(await offloaded, 3_000_000);
    assert.deepEqual(order, ['short main read', 'long offloaded read']);
  });
});
