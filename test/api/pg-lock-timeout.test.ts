/**
 * PostgreSQL's counterpart of SQLite's busy time-out (issue 12): every pooled connection has a
 * `lock_timeout` (KESU_PG_LOCK_TIMEOUT_MS), so a request queued behind another transaction's
 * row lock gives up with 55P03 and answers 503 `storage_busy` with Retry-After, in the caller's
 * language — instead of hanging for as long as the other transaction lives. Nothing is written;
 * once the lock is released the same request succeeds. PostgreSQL only.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { engines, createTestDb, type TestDb } from '../support/engines.js';
import { openDatabase, type Database } from '../../src/store/db.js';
import { createApp } from '../../src/services/app.js';
import { seedDemo, DEMO_PASSWORD } from '../../src/services/seed-demo.js';
import { buildServer } from '../../src/http/server.js';
import { LOCK_RETRY_AFTER_S } from '../../src/http/error-handler.js';

const pgEngine = (await engines()).find((e) => e.dialect === 'postgres')!;

describe('PostgreSQL lock wait answers 503 with Retry-After', { skip: pgEngine.skip }, () => {
  let testDb: TestDb;
  let database: Database;
  let server: FastifyInstance;
  let token = '';
  before(async () => {
    testDb = await createTestDb('postgres');
    // A second pool on the same database with a short lock wait (the test's stand-in for 10 s).
    database = openDatabase({ databaseUrl: testDb.url!, dataDir: '', pgLockTimeoutMs: 300 });
    const app = createApp(database);
    await seedDemo(app);
    server = await buildServer(app);
    const login = await server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'agent', password: DEMO_PASSWORD } });
    assert.equal(login.statusCode, 200, login.body);
    token = login.json().token;
  });
  after(async () => {
    await server?.close();
    await database?.close();
    await testDb?.drop();
  });

  const note = (id: string, lang: string) => server.inject({ method: 'POST', url: `/api/v1/complaints/${id}/actions/note`, payload: { text: '客户来电催办' }, headers: { authorization: `Bearer ${token}`, 'accept-language': lang } });

  it('a note on a case another transaction holds', async () => {
    const created = await server.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      payload: { channel: 'phone', description: '物业维修三次未到场。', complainant: { name: '赵女士', phone: '13912345678' } },
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().complaint.id as string;
    const events = async () =>
      Number(
        (
          await database.db
            .selectFrom('complaint_events')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('complaint_id', '=', id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await events();

    const other = new pg.Client({ connectionString: testDb.url });
    await other.connect();
    try {
      await other.query('begin');
      await other.query('select id from complaints where id = $1 for update', [id]);
      const en = await note(id, 'en');
      assert.equal(en.statusCode, 503, en.body);
      assert.equal(en.headers['retry-after'], String(LOCK_RETRY_AFTER_S));
      assert.equal(en.json().code, 'storage_busy');
      assert.match(en.json().message, /database is busy/);
      const zh = await note(id, 'zh-CN');
      assert.equal(zh.statusCode, 503);
      assert.match(zh.json().message, /数据库正忙/);
      assert.equal(await events(), before, 'nothing written while refused');
    } finally {
      await other.query('rollback');
      await other.end();
    }
    const after = await note(id, 'zh-CN');
    assert.equal(after.statusCode, 200, after.body);
    assert.equal(await events(), before + 1);
  });
});
