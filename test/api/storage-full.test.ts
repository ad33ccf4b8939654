/**
 * Issue 7: a database that cannot be written. SQLite is filled for real (its page limit set to
 * the pages it has, so growth fails with SQLITE_FULL as on a full disk); PostgreSQL gets the
 * server's own "disk full" error (SQLSTATE 53100) from a trigger. Writes answer 507 with
 * Retry-After in the caller's language, reads keep working, readiness fails, the log names the
 * cause once, nothing acknowledged is lost, and everything recovers once space is back.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';

const intake = (i: number) => ({ channel: 'phone', description: `磁盘满测试 ${i} ${'详细描述'.repeat(200)}`, complainant: { name: '王女士', phone: '13812345678' } });

for (const { dialect, skip } of await engines()) {
  describe(`database cannot be written (${dialect})`, { skip }, () => {
    let k: Kesu;
    const logged: { level: string; msg: string }[] = [];
    before(async () => {
      k = await startKesu(dialect);
      k.app.log = {
        info: (_o, msg) => logged.push({ level: 'info', msg: msg ?? '' }),
        warn: (_o, msg) => logged.push({ level: 'warn', msg: msg ?? '' }),
        error: (_o, msg) => logged.push({ level: 'error', msg: msg ?? '' }),
      };
    });
    after(async () => k?.close());

    async function fill(): Promise<void> {
      const { db } = k.app.database;
      if (dialect === 'sqlite') {
        const pages = Number((await sql<{ page_count: number }>`pragma page_count`.execute(db)).rows[0]!.page_count);
        await sql.raw(`pragma max_page_count = ${pages}`).execute(db);
        return;
      }
      await sql`create or replace function kesu_test_disk_full() returns trigger language plpgsql as $$
        begin raise exception 'could not extend file: No space left on device' using errcode = '53100'; end $$`.execute(db);
      for (const table of ['complaints', 'pii_access_log', 'complaint_events']) await sql.raw(`create trigger kesu_test_disk_full before insert on ${table} for each statement execute function kesu_test_disk_full()`).execute(db);
    }

    async function free(): Promise<void> {
      const { db } = k.app.database;
      if (dialect === 'sqlite') await sql.raw('pragma max_page_count = 1073741823').execute(db);
      else for (const table of ['complaints', 'pii_access_log', 'complaint_events']) await sql.raw(`drop trigger kesu_test_disk_full on ${table}`).execute(db);
    }

    it('answers 507 with Retry-After, keeps reads, fails readiness, logs once, loses nothing', async () => {
      const agent = k.as('agent');
      const specialist = k.as('specialist');
      const acknowledged: string[] = [];
      const first = await agent.post('/api/v1/complaints', intake(0));
      assert.equal(first.status, 201);
      acknowledged.push(first.body.complaint.id);
      await specialist.get('/api/v1/complaints'); // signed in before the disk fills
      assert.equal((await k.server.inject({ method: 'GET', url: '/api/health/ready' })).statusCode, 200);

      await fill();
      // Intake goes on until the database is full (at once on PostgreSQL, after the free
      // space inside the last pages on SQLite).
      let refused: { status: number; body: any; headers: Record<string, unknown> } | null = null;
      for (let i = 1; i <= 200 && !refused; i++) {
        const r = await agent.post('/api/v1/complaints', intake(i));
        if (r.status === 201) acknowledged.push(r.body.complaint.id);
        else refused = r;
      }
      assert.ok(refused, 'the database never filled up');
      assert.equal(refused.status, 507, JSON.stringify(refused.body));
      assert.equal(refused.headers['retry-after'], '60');
      assert.equal(refused.body.code, 'storage_full');
      assert.match(refused.body.message, /存储空间已满/, 'zh-CN by default');
      const en = await agent.post('/api/v1/complaints', intake(999), { 'accept-language': 'en' });
      assert.equal(en.status, 507);
      assert.match(en.body.message, /out of storage space/);
      assert.doesNotMatch(en.body.message, /存储/, 'only the caller’s language');

      // Reads keep working: the queue, and the case page (masked when its access log cannot be written).
      const queue = await specialist.get('/api/v1/complaints?limit=200');
      assert.equal(queue.status, 200);
      const listed = new Set(queue.body.items.map((c: { id: string }) => c.id));
      for (const id of acknowledged) assert.ok(listed.has(id), `acknowledged case ${id} is listed`);
      const page = await specialist.get(`/api/v1/complaints/${acknowledged[0]}`);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      if (dialect === 'postgres') {
        assert.equal(page.body.complaint.piiMasked, true, 'shown masked rather than unlogged');
        assert.notEqual(page.body.complaint.complainant.phone, '13812345678');
      }

      const ready = await k.server.inject({ method: 'GET', url: '/api/health/ready' });
      assert.equal(ready.statusCode, 503);
      assert.equal(ready.json().storage.kind, 'disk_full');
      assert.equal((await k.server.inject({ method: 'GET', url: '/api/health/live' })).statusCode, 200, 'the process itself is alive');
      const notices = logged.filter((l) => /storage is full/.test(l.msg));
      assert.equal(notices.length, 1, `the cause is logged once: ${JSON.stringify(logged)}`);
      assert.ok(!logged.some((l) => /cannot rollback/.test(l.msg)));

      // Space is freed: the next write succeeds and everything recovers.
      await free();
      const again = await agent.post('/api/v1/complaints', intake(1000));
      assert.equal(again.status, 201, JSON.stringify(again.body));
      acknowledged.push(again.body.complaint.id);
      assert.equal((await k.server.inject({ method: 'GET', url: '/api/health/ready' })).statusCode, 200);
      assert.ok(logged.some((l) => /writable again/.test(l.msg)));
      for (const id of acknowledged) assert.equal((await specialist.get(`/api/v1/complaints/${id}`)).status, 200, `case ${id} survived`);
      const count = await k.app.database.db
        .selectFrom('complaints')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), acknowledged.length, 'no half-written case either');
    });
  });
}
