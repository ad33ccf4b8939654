/**
 * The SQLite driver (store/sqlite-driver.ts): reads outside transactions go to a read-only
 * connection and never wait for an open transaction; writes outside transactions wait for it
 * (they must not slip into it); committed data is visible to the next read at once; cached
 * statements survive a schema change.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestDb, type TestDb } from '../support/engines.js';

describe('SQLite driver: reader beside the writer', () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb('sqlite');
  });
  after(async () => t?.drop());

  it('answers a read while a transaction is open, and holds a write until it ends', async () => {
    const { db } = t.database;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const order: string[] = [];
    const tx = db.transaction().execute(async (trx) => {
      await trx.insertInto('counters').values({ name: 'in-tx', value: 1 }).execute();
      await gate;
      order.push('commit');
    });
    await new Promise((r) => setImmediate(r));
    // The read does not wait for the gate: it answers with the last committed state.
    const seen = await db.selectFrom('counters').select('name').where('name', '=', 'in-tx').execute();
    assert.deepEqual(seen, [], 'uncommitted rows are not visible outside the transaction');
    order.push('read');
    const write = db
      .insertInto('counters')
      .values({ name: 'outside', value: 2 })
      .execute()
      .then(() => order.push('write'));
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(order, ['read'], 'the outside write waits for the open transaction');
    release();
    await tx;
    await write;
    assert.deepEqual(order, ['read', 'commit', 'write']);
    const after = await db.selectFrom('counters').select('name').where('name', 'in', ['in-tx', 'outside']).orderBy('name').execute();
    assert.deepEqual(
      after.map((r) => r.name),
      ['in-tx', 'outside'],
      'the reader sees what was committed, at once',
    );
  });

  it('runs raw SELECT text outside a transaction on the reader, raw writes on the writer', async () => {
    const { db } = t.database;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const tx = db.transaction().execute(async (trx) => {
      await trx.insertInto('counters').values({ name: 'raw-tx', value: 1 }).execute();
      await gate;
    });
    await new Promise((r) => setImmediate(r));
    try {
      // Answers while the transaction is open (the writer is held), from the last committed state.
      const seen = await sql<{ n: number }>`select count(*) as n from counters where name = ${'raw-tx'}`.execute(db);
      assert.equal(Number(seen.rows[0]!.n), 0);
      const withCte = await sql<{ n: number }>`with c as (select 1 as n) select n from c`.execute(db);
      assert.equal(Number(withCte.rows[0]!.n), 1);
      let wrote = false;
      const write = sql`insert into counters (name, value) values (${'raw-outside'}, 1)`.execute(db).then(() => (wrote = true));
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(wrote, false, 'a raw write waits for the open transaction');
      release();
      await write;
    } finally {
      release();
      await tx;
    }
    const rows = await sql<{ name: string }>`select name from counters where name in ('raw-tx', 'raw-outside') order by name`.execute(db);
    assert.deepEqual(
      rows.rows.map((r) => r.name),
      ['raw-outside', 'raw-tx'],
    );
  });

  it('keeps cached statements working across a schema change', async () => {
    const { db } = t.database;
    await sql`create table probe (a integer)`.execute(db);
    await db
      .insertInto('probe' as never)
      .values({ a: 1 } as never)
      .execute();
    const q = () => sql<{ a: number }>`select * from probe`.execute(db);
    assert.equal((await q()).rows.length, 1);
    await sql`alter table probe add column b text`.execute(db);
    const rows = (await db
      .selectFrom('probe' as never)
      .selectAll()
      .execute()) as Record<string, unknown>[];
    assert.deepEqual(Object.keys(rows[0]!).sort(), ['a', 'b']);
  });
});
