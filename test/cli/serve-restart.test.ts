/**
 * Issue 7: a restart after a weekend. A case's clock falls due while the server is down; on the
 * next start the sweeper fires it within seconds, and health and sign-in answer meanwhile.
 * The server is started as `kesu serve` starts it (startServer: migrate, seed, warm, listen,
 * jobs), on both engines, with an injected clock instead of a real wait.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDb, engines, type TestDb } from '../support/engines.js';
import { TestClock } from '../support/kesu.js';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/cli/serve.js';

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)));
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

async function call(base: string, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }> {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

async function login(base: string, username: string): Promise<string> {
  const r = await call(base, 'POST', '/api/v1/auth/login', { username, password: 'kesu-demo' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.token as string;
}

for (const { dialect, skip } of await engines()) {
  describe(`restart with deadlines already due (${dialect})`, { skip }, () => {
    let t: TestDb | undefined;
    let running: RunningServer | undefined;
    const dataDir = mkdtempSync(join(tmpdir(), 'kesu-restart-'));
    after(async () => {
      await running?.stop('test over');
      await t?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('fires the overdue clock within seconds of start-up while health and sign-in answer', async () => {
      t = await createTestDb(dialect);
      const clock = new TestClock(new Date('2026-11-06T17:00:00+08:00')); // a Friday evening
      const env = (sweepMs: string) =>
        loadConfig({
          PORT: '0',
          HOST: '127.0.0.1',
          KESU_DATA_DIR: t!.dataDir ?? dataDir,
          ...(t!.url ? { DATABASE_URL: t!.url } : {}),
          KESU_SWEEP_INTERVAL_MS: sweepMs,
          KESU_DISPATCH_INTERVAL_MS: '0',
          KESU_SMS_PROVIDER: 'none',
          KESU_SHUTDOWN_TIMEOUT_MS: '5000',
        });

      // Friday: a complaint is registered, then the server is stopped for the weekend.
      running = await startServer(env('0'), { now: clock.now, logger: false });
      let base = `http://127.0.0.1:${running.port}`;
      const agent = await login(base, 'agent');
      const r = await call(base, 'POST', '/api/v1/complaints', { channel: 'phone', description: '周末前登记的投诉', complainant: { anonymous: true } }, agent);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const id = r.body.complaint.id as string;
      assert.equal(await running.stop('weekend'), 'clean');
      running = undefined;

      // Monday morning: the triage clock (24 h) has long fallen due.
      clock.set('2026-11-09T08:30:00+08:00');
      running = await startServer(env('1000'), { now: clock.now, logger: false });
      base = `http://127.0.0.1:${running.port}`;
      const health = await within(call(base, 'GET', '/api/health/live'), 5000, 'health');
      assert.equal(health.status, 200);
      const specialist = await within(login(base, 'specialist'), 5000, 'sign-in');

      // The breach is written within seconds (polled, no fixed sleep).
      const deadline = Date.now() + 15_000;
      let timeline: { action?: string; type?: string }[] = [];
      for (;;) {
        const v = await within(call(base, 'GET', `/api/v1/complaints/${id}`, undefined, specialist), 5000, 'case page');
        assert.equal(v.status, 200);
        timeline = v.body.timeline;
        if (timeline.some((e) => JSON.stringify(e).includes('breach'))) break;
        assert.ok(Date.now() < deadline, `no breach fired after start-up; timeline: ${JSON.stringify(timeline.map((e) => e.action ?? e.type))}`);
        await new Promise((res) => setTimeout(res, 100));
      }
      const ready = await within(call(base, 'GET', '/api/health/ready'), 5000, 'readiness');
      assert.equal(ready.status, 200, JSON.stringify(ready.body));
      assert.ok(
        ready.body.jobs.some((j: { name: string }) => j.name === 'sweeper'),
        'the sweeper reports its heartbeat',
      );
      assert.equal(await running.stop('test over'), 'clean');
      running = undefined;
    });
  });
}
