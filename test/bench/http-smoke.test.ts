/**
 * The HTTP bench runs (issue 9): `bench/http.ts --smoke` starts the real server, drives it over
 * HTTP, measures the raw insert, and prints the Kesu/raw ratios. Nothing here asserts a time —
 * only that the bench runs to the end and reports every figure. PostgreSQL: skipped with a
 * notice when it does not answer, unless KESU_REQUIRE_PG=1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engines } from '../support/engines.js';

const ROOT = new URL('../..', import.meta.url).pathname;

function runBench(engine: string, out: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // src through tsx, so the smoke needs no build (the bench itself prefers dist, as npm start does).
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'http.ts'), '--smoke', '--engine', engine, '--server', 'tsx', '--out', out], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

for (const { dialect, skip } of await engines()) {
  test(`bench:http --smoke runs through the real server and prints the ratios (${dialect})`, { skip, timeout: 180_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kesu-bench-smoke-'));
    try {
      const out = join(dir, 'result.json');
      const r = await runBench(dialect, out);
      assert.equal(r.code, 0, `bench failed:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
      assert.match(r.stdout, new RegExp(`ratio ${dialect} intake 1 client\\(s\\): \\d+\\.\\d+`));
      assert.match(r.stdout, /\| engine \| intake clients \| Kesu intake\/s \| raw insert\/s \| ratio Kesu\/raw \|/);
      const report = JSON.parse(readFileSync(out, 'utf8'));
      const e = report.results[0];
      assert.equal(e.engine, dialect);
      for (const x of e.ratios) assert.ok(Number.isFinite(x.ratio) && x.ratio > 0, `ratio for ${x.clients} client(s): ${x.ratio}`);
      for (const name of ['sign-in', 'intake', 'queue page', 'search', 'case detail', 'action: note', 'action: judge'])
        assert.ok(
          e.scenarios.some((s: { name: string; stats: { ok: number } }) => s.name === name && s.stats.ok > 0),
          `${name} ran`,
        );
      assert.ok(e.burst.queue.ok > 0 && e.burst.intakes.ok > 0, 'the burst ran');
      assert.ok(e.server.rssAfterStartMiB > 0 && e.server.rssAfterRunMiB > 0, 'RSS was read');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
