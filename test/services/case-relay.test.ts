/**
 * Live updates across instances: two Kesu instances on one PostgreSQL, each with its case relay
 * (LISTEN/NOTIFY). A change made through instance A reaches a console stream held open on
 * instance B — still only for users who may see the case — and the relay comes back after its
 * LISTEN connection is killed. PostgreSQL only; on SQLite the relay does nothing.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { startCaseRelay } from '../../src/services/case-relay.js';
import type { CaseChanged } from '../../src/services/app.js';
import { openStream } from '../support/stream.js';

const listen = (base: string, token: string) => openStream<CaseChanged>(base, token, 'case_changed');

/** Waits until `cond` holds, failing after `ms`. */
async function waitFor(what: string, cond: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('case relay on SQLite', () => {
  it('does nothing: one instance by construction', async () => {
    const k = await startKesu('sqlite');
    try {
      const listeners = k.app.events.listenerCount('case_changed');
      const relay = startCaseRelay(k.app);
      assert.equal(relay.enabled, false);
      assert.equal(relay.listening(), false);
      await relay.whenListening();
      assert.equal(k.app.events.listenerCount('case_changed'), listeners, 'no relay listener');
      await relay.stop();
    } finally {
      await k.close();
    }
  });
});

const pgEngine = (await engines()).find((e) => e.dialect === 'postgres')!;

describe('case relay: two instances on one PostgreSQL', { skip: pgEngine.skip }, () => {
  let a: Kesu;
  let b: Kesu;
  let base: string;
  const heardOnA: CaseChanged[] = [];
  const heardOnB: CaseChanged[] = [];
  before(async () => {
    a = await startKesu('postgres', { relay: true, start: new Date().toISOString() });
    b = await a.instance({ relay: true });
    assert.ok(a.relay!.listening() && b.relay!.listening());
    assert.notEqual(a.relay!.instanceId, b.relay!.instanceId);
    a.app.events.on('case_changed', (c: CaseChanged) => heardOnA.push(c));
    b.app.events.on('case_changed', (c: CaseChanged) => heardOnB.push(c));
    await b.server.listen({ port: 0, host: '127.0.0.1' });
    const addr = b.server.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  after(async () => {
    await b?.close();
    await a?.close();
  });

  it('a change made through instance A reaches a stream on instance B, for those who may see it only', async () => {
    await b.as('specialist').get('/api/v1/me');
    await b.as('agent2').get('/api/v1/me');
    const spec = await listen(base, b.tokens.get('specialist')!);
    const stranger = await listen(base, b.tokens.get('agent2')!);
    try {
      const r = await a.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '快递送来的洗发水漏了一半', complainant: { name: '林先生' } });
      assert.equal(r.status, 201);
      const id = r.body.complaint.id;
      assert.equal((await a.as('specialist').act(id, 'judge', { valid: true })).status, 200);
      await waitFor('both changes on B', () => spec.events.length >= 2);
      assert.deepEqual(
        spec.events.map((e) => [e.id, e.action, e.state]),
        [
          [id, 'receive', 'received'],
          [id, 'judge', 'valid'],
        ],
      );
      assert.deepEqual(Object.keys(spec.events[1]!).sort(), ['action', 'at', 'id', 'number', 'state']);
      assert.equal(spec.events[0]!.number, r.body.complaint.number);
      // Each instance hears each change once: A its own emit only (its notification comes back
      // and is skipped), B the relayed one only (not sent back out again).
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(
        heardOnA.map((e) => e.action),
        ['receive', 'judge'],
      );
      assert.deepEqual(
        heardOnB.map((e) => e.action),
        ['receive', 'judge'],
      );
      assert.deepEqual(stranger.events, [], 'need-to-know holds on the other instance too');
    } finally {
      await Promise.all([spec.close(), stranger.close()]);
    }
  });

  it('survives a killed LISTEN connection and a malformed notification', async () => {
    await b.as('specialist').get('/api/v1/me');
    const spec = await listen(base, b.tokens.get('specialist')!);
    try {
      const pid = b.relay!.backendPid()!;
      assert.ok(pid > 0);
      // Only that backend: other test processes share this PostgreSQL.
      const killed = await sql<{ ok: boolean }>`select pg_terminate_backend(${pid}) as ok`.execute(a.app.database.db);
      assert.equal(killed.rows[0]!.ok, true);
      await waitFor('the relay to listen again', () => b.relay!.listening() && b.relay!.backendPid() !== pid, 10_000);
      await sql`select pg_notify('kesu_case_changed', 'not json'), pg_notify('kesu_case_changed', '{"origin":"x","change":{"id":1}}')`.execute(a.app.database.db);
      const r = await a.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '维修后空调仍然漏水', complainant: { name: '钱先生' } });
      assert.equal(r.status, 201);
      await waitFor('the change on B after reconnecting', () => spec.events.some((e) => e.id === r.body.complaint.id));
      assert.deepEqual(
        spec.events.map((e) => e.action),
        ['receive'],
      );
    } finally {
      await spec.close();
    }
  });

  it('stops cleanly: no more relaying, the connection is closed', async () => {
    const relay = startCaseRelay(b.app, { connectionString: b.testDb.url });
    await relay.whenListening();
    const pid = relay.backendPid();
    await relay.stop();
    assert.equal(relay.listening(), false);
    const left = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where pid = ${pid}`.execute(a.app.database.db);
    assert.equal(left.rows[0]!.n, 0);
  });
});
