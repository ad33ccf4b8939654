/**
 * Issue 7: graceful shutdown always finishes. The real `kesu serve` process gets SIGTERM:
 * - idle, it stops cleanly (exit 0);
 * - while a sweep is stuck (PostgreSQL: the clocks table locked by another session, so the
 *   sweeper's query waits), it gives up after KESU_SHUTDOWN_TIMEOUT_MS and exits 1 — it does not
 *   hang as it did when only kill -9 stopped it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDb, engines } from '../support/engines.js';

interface Server {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; at: number }>;
}

async function startServe(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/kesu.ts', 'serve'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', KESU_SMS_PROVIDER: 'none', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.on('exit', (code) => resolve({ code, at: Date.now() })));
  const deadline = Date.now() + 60_000;
  while (!/is running on http/.test(out)) {
    if (child.exitCode !== null) throw new Error(`kesu serve exited early:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`kesu serve did not start within 60 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => out, exited };
}

const eng = await engines();

describe('SIGTERM', () => {
  it('stops an idle server cleanly (sqlite)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kesu-sigterm-'));
    try {
      // A generous time-out: on a loaded machine a clean stop can take seconds; this test is about exit 0.
      const s = await startServe({ KESU_DATA_DIR: dataDir, KESU_SWEEP_INTERVAL_MS: '200', KESU_SHUTDOWN_TIMEOUT_MS: '30000' });
      s.child.kill('SIGTERM');
      const r = await s.exited;
      assert.equal(r.code, 0, s.output());
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  const pgSkip = eng.find((e) => e.dialect === 'postgres')!.skip;
  it('exits within the time-out while a sweep is stuck (postgres)', { skip: pgSkip }, async () => {
    const t = await createTestDb('postgres');
    await t.database.close();
    const dataDir = mkdtempSync(join(tmpdir(), 'kesu-sigterm-'));
    const blocker = new pg.Client({ connectionString: t.url });
    let s: Server | undefined;
    try {
      // No lock_timeout: the sweep must stay stuck on the lock however slow the machine (with one it would give up and retry).
      s = await startServe({ DATABASE_URL: t.url!, KESU_DATA_DIR: dataDir, KESU_SWEEP_INTERVAL_MS: '200', KESU_SHUTDOWN_TIMEOUT_MS: '1500', KESU_PG_LOCK_TIMEOUT_MS: '0' });
      await blocker.connect();
      await blocker.query('begin');
      await blocker.query('lock table clocks in access exclusive mode');
      // Wait until the server's sweep is actually waiting on the lock.
      const name = new URL(t.url!).pathname.slice(1);
      const deadline = Date.now() + 20_000;
      for (;;) {
        // pg_stat_activity is a snapshot taken once per transaction, and the blocker is inside one:
        // without clearing it, a first look taken before the sweep blocked would be seen for ever.
        await blocker.query('select pg_stat_clear_snapshot()');
        const w = await blocker.query("select count(*)::int as n from pg_stat_activity where datname = $1 and wait_event_type = 'Lock' and pid <> pg_backend_pid()", [name]);
        if (w.rows[0].n > 0) break;
        assert.ok(Date.now() < deadline, `the sweep never waited on the lock:\n${s!.output()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const sentAt = Date.now();
      s.child.kill('SIGTERM');
      const r = await Promise.race([s.exited, new Promise<null>((res) => setTimeout(() => res(null), 30_000))]);
      assert.ok(r, `still running 30 s after SIGTERM:\n${s.output()}`);
      assert.equal(r.code, 1, 'a shutdown cut short exits 1');
      assert.ok(r.at - sentAt >= 1000, 'it waited for the sweep before giving up');
      assert.match(s.output(), /shutdown timed out/);
    } finally {
      if (s && s.child.exitCode === null) s.child.kill('SIGKILL');
      await blocker.query('rollback').catch(() => {});
      await blocker.end().catch(() => {});
      const a = new pg.Client({ connectionString: t.url!.replace(/\/[^/]*$/, '/postgres') });
      await a.connect();
      await a.query(`drop database if exists ${new URL(t.url!).pathname.slice(1)} with (force)`);
      await a.end();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
