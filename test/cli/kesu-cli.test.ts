/** The `kesu` command as an operator uses it (real processes, a temporary SQLite data dir). */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { openDatabase } from '../../src/store/db.js';
import { createApp } from '../../src/services/app.js';
import { receiveComplaint } from '../../src/services/receive-complaint.js';

const root = new URL('../..', import.meta.url).pathname;
let dataDir: string;

function kesu(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/kesu.ts'), ...args], {
    cwd: root,
    env: { ...process.env, KESU_DATA_DIR: dataDir, DATABASE_URL: '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('kesu CLI', () => {
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'kesu-cli-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('policy check: presets pass; a broken file lists every problem with its path', () => {
    assert.equal(kesu(['policy', 'check', 'kesu-default']).code, 0);
    assert.equal(kesu(['policy', 'check', 'policies/property-manager.yaml']).code, 0);
    const bad = join(dataDir, 'bad.yaml');
    writeFileSync(bad, 'id: Bad Id\nversion: "1"\nname: { zh-CN: 坏 }\ngrades: []\n');
    const r = kesu(['policy', 'check', bad, '--lang', 'en']);
    assert.equal(r.code, 1);
    assert.match(r.out, /^id: /m);
    assert.match(r.out, /problem\(s\)/);
    assert.ok(r.out.split('\n').length > 4, r.out);
    // zh-TW too: traditional characters, none of the simplified ones the zh-CN report has.
    const tw = kesu(['policy', 'check', bad, '--lang', 'zh-TW']);
    assert.equal(tw.code, 1);
    assert.match(tw.out, /至少需要 1 項/);
    assert.doesNotMatch(tw.out, /至少需要 1 项/);
  });

  it('calendar add: 2 working days across the 2026 National Day, with the explanation', () => {
    const r = kesu(['calendar', 'add', '2026-09-30T10:00:00+08:00', '2wd', '--lang', 'en']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /2026-10-09/);
    assert.match(r.out, /National Day|国庆/);
    const zh = kesu(['calendar', 'add', '2026-09-30T10:00:00+08:00', '3wd']);
    assert.match(zh.out, /2026-10-10/);
    assert.match(zh.out, /调休/);
    const missing = kesu(['calendar', 'add', '2027-12-30T10:00:00+08:00', '2wd', '--lang', 'en']);
    assert.equal(missing.code, 3, 'a year without holiday data is flagged');
    assert.match(missing.out, /2027|2028/);
    assert.equal(kesu(['calendar', 'add', '2026-09-30T10:00:00+08:00', 'two days']).code, 2);
  });

  it('seed-demo, then audit verify catches a tampered event', async () => {
    const s = kesu(['seed-demo']);
    assert.equal(s.code, 0, s.err);
    assert.match(s.out, /agent\s+kesu-demo/);
    assert.match(kesu(['seed-demo']).out, /nothing changed/);
    const ok = kesu(['audit', 'verify']);
    assert.equal(ok.code, 0);
    assert.match(ok.out, /chain intact/);
    // Record a case through the service on the same file, then edit its event behind its back.
    const database = openDatabase({ dataDir });
    const app = createApp(database);
    const agent = await app.database.db.selectFrom('users').selectAll().where('username', '=', 'agent').executeTakeFirstOrThrow();
    const actor = { id: agent.id, kind: 'user' as const, name: agent.name, roles: ['agent' as const], managerOf: [], approvalLevels: [] };
    await receiveComplaint(app, actor, { channel: 'phone', description: '审计测试', complainant: { anonymous: true } });
    await database.close();
    const db = new SQLite(join(dataDir, 'kesu.sqlite'));
    db.exec('drop trigger complaint_events_no_update'); // append-only (migration 0009): an attacker drops the trigger first
    db.prepare("update complaint_events set actor_name = '别人' where seq = 1").run();
    db.close();
    const tampered = kesu(['audit', 'verify']);
    assert.equal(tampered.code, 1);
    assert.match(tampered.out, /TAMPERED complaint .* event #1: hash_mismatch/);
    const imp = kesu(['calendar', 'import', join(root, 'src/domain/calendar/holidays/CN-2026.json')]);
    assert.equal(imp.code, 0, imp.err);
  });
});
