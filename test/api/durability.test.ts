/**
 * Nothing acknowledged is lost on kill -9: a real server process acknowledges intakes (201),
 * is killed with SIGKILL, restarts on the same data, and every acknowledged case is there with
 * an intact audit chain.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engines, createTestDb } from '../support/engines.js';

const root = new URL('../..', import.meta.url).pathname;

function startServer(env: Record<string, string>): Promise<{ proc: ChildProcess; base: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/kesu.ts'), 'serve'], {
      cwd: root,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', KESU_SWEEP_INTERVAL_MS: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(/running on (http:\/\/[\d.]+:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, base: m[1]! });
      }
    });
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    proc.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

async function login(base: string, username: string): Promise<string> {
  const r = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'kesu-demo' }) });
  return ((await r.json()) as { token: string }).token;
}

for (const { dialect, skip } of await engines()) {
  describe(`durability (${dialect})`, { skip }, () => {
    const cleanup: (() => Promise<void>)[] = [];
    after(async () => {
      for (const c of cleanup) await c();
    });

    it('acknowledged intakes survive kill -9', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'kesu-kill-'));
      cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
      let env: Record<string, string> = { KESU_DATA_DIR: dataDir, DATABASE_URL: '' };
      if (dialect === 'postgres') {
        const t = await createTestDb('postgres');
        await t.database.close();
        env = { ...env, DATABASE_URL: t.url! };
        cleanup.push(async () => t.drop().catch(() => {}));
      }
      const first = await startServer(env);
      const token = await login(first.base, 'agent');
      const acknowledged: string[] = [];
      const post = (i: number) =>
        fetch(`${first.base}/api/v1/complaints`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ channel: 'phone', description: `断电测试 ${i}`, complainant: { anonymous: true } }),
        }).then(async (r) => {
          if (r.status === 201) acknowledged.push(((await r.json()) as { complaint: { number: string } }).complaint.number);
        });
      for (let i = 0; i < 10; i++) await post(i);
      // Then a burst, killed as soon as the first of it is acknowledged.
      let killed = false;
      const burst = Array.from({ length: 30 }, (_, i) =>
        post(100 + i)
          .then(() => {
            if (!killed) ((killed = true), first.proc.kill('SIGKILL'));
          })
          .catch(() => {}),
      );
      await Promise.all(burst);
      first.proc.kill('SIGKILL');
      assert.ok(acknowledged.length > 0, 'some intakes were acknowledged before the kill');

      const second = await startServer(env);
      cleanup.push(async () => void second.proc.kill('SIGKILL'));
      const t2 = await login(second.base, 'specialist');
      for (const number of acknowledged) {
        const r = await fetch(`${second.base}/api/v1/complaints/${number}`, { headers: { authorization: `Bearer ${t2}` } });
        assert.equal(r.status, 200, `acknowledged case ${number} is there after kill -9`);
      }
      const audit = await fetch(`${second.base}/api/v1/audit/verify`, { headers: { authorization: `Bearer ${await login(second.base, 'auditor')}` } });
      assert.equal(((await audit.json()) as { ok: boolean }).ok, true);
    });
  });
}
