/**
 * Idempotency bookkeeping outside a transaction is written with `synchronous = NORMAL` and the
 * writer is back to FULL at once (store/sqlite-driver.ts, relaxedSync); every other write, and
 * every transaction (the change itself, which marks the key applied), stays FULL. The pragma calls
 * are recorded on the real better-sqlite3 connection, and the rows must be there afterwards.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, sql } from 'kysely';
import { KesuSqliteDriver, relaxedSync } from '../../src/store/sqlite-driver.js';

describe('SQLite: relaxed sync for idempotency bookkeeping', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kesu-relaxed-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('knows which statements are bookkeeping', () => {
    assert.equal(relaxedSync('insert into "idempotency_keys" ("scope_key") values (?)'), true);
    assert.equal(relaxedSync('update "idempotency_keys" set "status" = ? where "scope_key" = ?'), true);
    assert.equal(relaxedSync('delete from "idempotency_keys" where "scope_key" = ?'), true);
    assert.equal(relaxedSync('insert into "complaints" ("id") values (?)'), false);
    assert.equal(relaxedSync('update "outbox" set "status" = ?'), false);
    assert.equal(relaxedSync('select * from "idempotency_keys"'), false);
  });

  it('writes them with NORMAL, everything else and every transaction with FULL', async () => {
    const file = join(dir, 'db.sqlite');
    const writer = new SQLite(file);
    writer.pragma('journal_mode = WAL');
    writer.pragma('synchronous = FULL');
    writer.exec('create table idempotency_keys (scope_key text primary key, status text); create table counters (name text primary key, value integer)');
    const reader = new SQLite(file, { readonly: true });
    const calls: string[] = [];
    const pragma = writer.pragma.bind(writer);
    writer.pragma = ((source: string, options?: { simple?: boolean }) => {
      if (source.startsWith('synchronous =')) calls.push(source);
      return pragma(source, options);
    }) as typeof writer.pragma;
    const driver = new KesuSqliteDriver(writer, reader);
    const db = new Kysely<any>({ dialect: { createAdapter: () => new SqliteAdapter(), createDriver: () => driver, createIntrospector: (k) => new SqliteIntrospector(k), createQueryCompiler: () => new SqliteQueryCompiler() } });

    await db.insertInto('idempotency_keys').values({ scope_key: 'a', status: 'in_progress' }).execute();
    assert.deepEqual(calls.splice(0), ['synchronous = NORMAL', 'synchronous = FULL'], 'the claim');
    await db.insertInto('counters').values({ name: 'n', value: 1 }).execute();
    assert.deepEqual(calls.splice(0), [], 'another autocommit write stays FULL');
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('idempotency_keys').set({ status: 'applied' }).where('scope_key', '=', 'a').execute();
      await trx.updateTable('counters').set({ value: 2 }).execute();
    });
    assert.deepEqual(calls.splice(0), [], 'a transaction stays FULL, bookkeeping inside it too');
    await db.updateTable('idempotency_keys').set({ status: 'done' }).where('scope_key', '=', 'a').execute();
    assert.deepEqual(calls.splice(0), ['synchronous = NORMAL', 'synchronous = FULL'], 'the stored answer');
    assert.equal(driver.writerSynchronous(), 2, 'FULL again');
    assert.deepEqual((await sql<{ status: string }>`select status from idempotency_keys`.execute(db)).rows, [{ status: 'done' }]);
    await db.destroy();
  });
});
