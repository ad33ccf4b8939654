/**
 * The transaction guard (store/transaction-guard.ts): inside a transaction, a query through the
 * root handle fails at once instead of hanging (SQLite: one connection behind a mutex) or
 * reading outside the transaction (PostgreSQL). Also: SQLite's own error survives when SQLite
 * has already rolled the transaction back (a full database).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestDb, engines, type TestDb } from '../support/engines.js';
import { RootHandleInTransaction } from '../../src/store/transaction-guard.js';
import { createApp } from '../../src/services/app.js';
import { seedDemo } from '../../src/services/seed-demo.js';

/** Fails the test instead of hanging it when the promise does not settle. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: did not settle within ${ms} ms (deadlock?)`)), ms)));
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

for (const { dialect, skip } of await engines()) {
  describe(`transaction guard (${dialect})`, { skip }, () => {
    let t: TestDb;
    before(async () => {
      t = await createTestDb(dialect);
    });
    after(async () => t?.drop());

    it('refuses a root-handle query inside a transaction, and the transaction rolls back', async () => {
      const { db } = t.database;
      const attempt = db.transaction().execute(async (trx) => {
        await trx.insertInto('counters').values({ name: 'guard-test', value: 1 }).execute();
        await db.selectFrom('policies').select('key').execute(); // the mistake
        return 'committed';
      });
      await assert.rejects(within(attempt, 5000, 'root query inside a transaction'), RootHandleInTransaction);
      const row = await db.selectFrom('counters').select('value').where('name', '=', 'guard-test').executeTakeFirst();
      assert.equal(row, undefined, 'nothing of the failed transaction was kept');
    });

    it('lets the same query through the transaction, and root queries from other requests wait their turn', async () => {
      const { db } = t.database;
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const tx = db.transaction().execute(async (trx) => {
        await trx.insertInto('counters').values({ name: 'guard-ok', value: 1 }).execute();
        await gate;
        return (await trx.selectFrom('counters').select('value').where('name', '=', 'guard-ok').executeTakeFirst())?.value;
      });
      // Another request, outside the transaction's async context: not misuse.
      const other = db.selectFrom('policies').select('key').execute();
      release();
      assert.equal(Number(await within(tx, 5000, 'transaction')), 1);
      assert.ok(Array.isArray(await within(other, 5000, 'concurrent root query')));
    });

    it('does not flag work that a transaction started and that runs after it ended', async () => {
      const { db } = t.database;
      let later!: Promise<unknown>;
      await db.transaction().execute(async (trx) => {
        await trx.selectFrom('policies').select('key').execute();
        later = new Promise((resolve, reject) => setTimeout(() => db.selectFrom('policies').select('key').execute().then(resolve, reject), 20));
      });
      assert.ok(Array.isArray(await within(later, 5000, 'query after the transaction')));
    });

    it('catches the start-up bug: a cold calendar loaded through the root handle inside a transaction', async () => {
      const seeded = createApp(t.database);
      await seedDemo(seeded);
      const app = createApp(t.database); // fresh caches, as after a restart
      const policy = await app.activePolicy();
      await assert.rejects(
        within(
          t.database.db.transaction().execute(async () => app.calendarFor(policy)),
          5000,
          'calendar via root handle',
        ),
        RootHandleInTransaction,
      );
      const cal = await within(
        t.database.db.transaction().execute(async (trx) => app.calendarFor(policy, trx)),
        5000,
        'calendar via the transaction',
      );
      assert.ok(cal, 'through the transaction the calendar loads');
    });

    if (dialect === 'sqlite') {
      it("keeps SQLite's own error when a full database ended the transaction (not 'cannot rollback')", async () => {
        const { db } = t.database;
        const pages = Number((await sql<{ page_count: number }>`pragma page_count`.execute(db)).rows[0]!.page_count);
        await sql.raw(`pragma max_page_count = ${pages}`).execute(db);
        try {
          const big = 'x'.repeat(3000);
          const attempt = db.transaction().execute(async (trx) => {
            for (let i = 0; i < 200; i++)
              await trx
                .insertInto('counters')
                .values({ name: `full-${i}-${big}`, value: i })
                .execute();
          });
          await assert.rejects(attempt, (e: { code?: string; message?: string }) => {
            assert.equal(e.code, 'SQLITE_FULL', `got ${e.code}: ${e.message}`);
            return true;
          });
          assert.equal(t.database.storage.fault?.kind, 'disk_full', 'the fault is recorded for readiness');
        } finally {
          await sql.raw('pragma max_page_count = 1073741823').execute(db);
        }
        await db.transaction().execute(async (trx) => trx.insertInto('counters').values({ name: 'after-full', value: 1 }).execute());
        assert.equal(t.database.storage.fault, null, 'a committed transaction clears the fault');
      });
    }
  });
}
