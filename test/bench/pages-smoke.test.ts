/**
 * The page-speed bench runs (issue 14): `bench/pages.ts --smoke` starts the real server, seeds a
 * little history and opens each main page of the console in Chromium, cold and warm, beside the
 * replayed API requests and the navigation floor. Nothing here asserts a time — only that the bench
 * runs to the end and reports every page with its figures (the smoke measures the desktop only). Skipped, loudly, without Chromium.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;
const CHROMIUM = process.env.KESU_CHROMIUM ?? '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `Chromium not found at ${CHROMIUM} (apt-get install -y chromium fonts-noto-cjk)`;
if (skip) console.log(`# SKIPPED page-speed bench smoke: ${skip}`);

test('bench:pages --smoke opens every main page through the real server and reports its figures', { skip, timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kesu-pages-smoke-'));
  try {
    const out = join(dir, 'result.json');
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      // src through tsx, so the smoke needs no server build (the bench itself prefers dist, as npm start does).
      const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'pages.ts'), '--smoke', '--server', 'tsx', '--out', out], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d));
      child.stderr.on('data', (d: Buffer) => (stderr += d));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
    assert.equal(r.code, 0, `bench failed:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
    assert.match(r.stdout, /\| screen \| page \| cold ready ms \| warm ready ms \|/);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    const pages = report.pages as {
      screen: string;
      page: string;
      coldReadyMs: number;
      warmReadyMs: number;
      apiCalls: number;
      apiReplayedMs: number;
      navigationFloorMs: number;
      coldJsTransferKiB: number;
      coldJsDecodedKiB: number;
      coldJsFiles: number;
    }[];
    for (const screen of ['desktop'])
      for (const name of ['workbench', 'intake', 'queue (triage)', 'queue (all)', 'case page', 'dashboard', 'reports']) {
        const p = pages.find((x) => x.screen === screen && x.page === name);
        assert.ok(p, `${screen} ${name} measured`);
        assert.ok(p.coldReadyMs > 0 && p.warmReadyMs > 0 && p.navigationFloorMs > 0, `${screen} ${name}: ${JSON.stringify(p)}`);
        assert.ok(p.apiCalls > 0 && p.apiReplayedMs > 0, `${screen} ${name} made API calls and they were replayed`);
        assert.ok(p.coldJsFiles > 0 && p.coldJsTransferKiB > 0 && p.coldJsDecodedKiB > 0, `${screen} ${name}: the cold load's JavaScript was counted`);
      }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
