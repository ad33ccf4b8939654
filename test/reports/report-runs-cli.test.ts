/**
 * `kesu report run` and `kesu report list` as an operator uses them (real processes, a
 * temporary SQLite data dir): progress printed step by step, a period made twice stored once,
 * and bad input (a period not ended, an unknown kind or section) refused with exit 2 naming
 * the field, storing nothing.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
let dataDir: string;

function kesu(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/kesu.ts'), ...args], {
    cwd: root,
    env: { ...process.env, KESU_DATA_DIR: dataDir, DATABASE_URL: '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('kesu report', () => {
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'kesu-report-cli-'));
    assert.equal(kesu(['seed-demo']).code, 0);
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('run prints the progress of an ended period; a second run prints the stored one; list shows it', () => {
    const r = kesu(['report', 'run', 'weekly', '--period', '2025-W48']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^weekly 2025-W48:\s+0% claimed$/m);
    assert.match(r.out, /^weekly 2025-W48:\s+10% statistics$/m);
    assert.match(r.out, /^weekly 2025-W48: 100% done$/m);
    assert.match(r.out, /^stored [0-9a-f-]{36} \(sha256 [0-9a-f]{64}\)/m);
    const again = kesu(['report', 'run', 'weekly', '--period', '2025-W48']);
    assert.equal(again.code, 0);
    assert.match(again.out, /^already made: weekly\s+2025-W48\s+2025-11-24…2025-11-30\s+done/m);
    const list = kesu(['report', 'list']);
    assert.equal(list.code, 0);
    assert.equal(list.out.split('\n').filter((l) => l.startsWith('weekly')).length, 1);
    assert.match(list.out, /^next weekly /m);
  });

  it('refuses a period not ended, an unknown kind or section, naming the field', () => {
    for (const [args, field] of [
      [['report', 'run', 'weekly', '--period', '2099-W01'], /^period: .*has not ended/m],
      [['report', 'run', 'monthly', '--period', '2025-W48'], /^period: .*not a monthly period/m],
      [['report', 'run', 'daily', '--period', '2025-11-01'], /^kind: unknown report kind "daily"/m],
      [['report', 'run', 'monthly', '--period', '2025-11', '--sections', 'intake,gossip'], /^sections: .*gossip/m],
      [['report', 'list', '--kind', 'daily'], /^kind: /m],
    ] as const) {
      const r = kesu([...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.out}${r.err}`);
      assert.match(r.err, field);
    }
    assert.equal(kesu(['report', 'list', '--kind', 'monthly']).out.trim().split('\n')[0], 'no stored reports yet');
  });
});
