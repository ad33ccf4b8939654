/**
 * `kesu purge --dry-run` and `kesu purge` as an operator runs them, in a process of their own
 * beside a running Kesu (SQLite: the CLI reads the same data folder, audit key file included;
 * on PostgreSQL the test process's audit key is its own, so the in-process tests cover that
 * engine): the dry run names the expired case and the held one and changes nothing; the purge
 * anonymises the expired case, keeps the held one, writes a checkpoint, and `kesu audit verify`
 * passes. `kesu hold set|list` as the policy's roles allow, bad input refused naming the field.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { sql } from 'kysely';
import { startChannelKesu, type ChannelKesu } from '../support/channels.js';
import { archivedInquiry } from './retention-support.js';

const root = new URL('../..', import.meta.url).pathname;

function kesu(args: string[], dataDir: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, KESU_DATA_DIR: dataDir, DATABASE_URL: '' };
    delete env.KESU_AUDIT_KEY;
    delete env.KESU_AUDIT_KEY_FILE;
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/kesu.ts'), ...args], { cwd: root, env });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

describe('kesu purge (sqlite)', () => {
  let ck: ChannelKesu;
  before(async () => {
    // Archived in 2024: more than a year ago by the real clock the CLI reads.
    ck = await startChannelKesu('sqlite', { start: '2024-03-01T09:00:00+08:00' });
  });
  after(async () => ck?.close());

  it('lists in a dry run, then purges; the audit trail verifies', async () => {
    const db = ck.k.app.database.db;
    const expired = await archivedInquiry(ck.k, { name: '林先生', phone: '13800009999' });
    const held = await archivedInquiry(ck.k, { name: '何女士', phone: '13800008888' });
    const dir = ck.k.testDb.dataDir!;
    const refused = await kesu(['hold', 'set', '--as', 'agent', '--case', held, '--reason', '诉讼'], dir);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /refused \(forbidden\)/);
    const bad = await kesu(['hold', 'set', '--as', 'admin', '--from', 'yesterday', '--to', '2026-01-01T00:00:00Z', '--reason', '审计'], dir);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /refused \(invalid_input\): from: An ISO 8601 time/);
    const set = await kesu(['hold', 'set', '--as', 'admin', '--case', held, '--reason', '诉讼'], dir);
    assert.equal(set.code, 0, set.err);
    assert.match(set.out, new RegExp(`ACTIVE case ${held} .*: 诉讼`));
    const list = await kesu(['hold', 'list', '--as', 'auditor', '--active'], dir);
    assert.equal(list.code, 0, list.err);
    assert.match(list.out, /1 hold\(s\)/);
    const number = async (id: string) => (await db.selectFrom('complaints').select('number').where('id', '=', id).executeTakeFirstOrThrow()).number;
    const rows = async () => (await sql<Record<string, unknown>>`select * from complaints order by id`.execute(db)).rows.map((r) => JSON.stringify(r));
    const before = await rows();

    const dry = await kesu(['purge', '--dry-run'], ck.k.testDb.dataDir!);
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, new RegExp(`WOULD ANONYMISE ${await number(expired)} \\(${expired}\\): retention expired: default, 365 days`));
    assert.match(dry.out, new RegExp(`HELD ${await number(held)} .*held by `));
    assert.match(dry.out, /dry run: 1 case\(s\) to purge/);
    assert.deepEqual(await rows(), before, 'the dry run changed nothing');

    const run = await kesu(['purge'], ck.k.testDb.dataDir!);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, new RegExp(`ANONYMISED ${await number(expired)}`));
    assert.match(run.out, /checkpoint .*checkpoint-/);
    const body = JSON.parse((await db.selectFrom('complaints').select('body').where('id', '=', expired).executeTakeFirstOrThrow()).body);
    assert.deepEqual(body.complainant, { anonymous: true });
    const kept = JSON.parse((await db.selectFrom('complaints').select('body').where('id', '=', held).executeTakeFirstOrThrow()).body);
    assert.equal(kept.complainant.name, '何女士');

    const verify = await kesu(['audit', 'verify'], ck.k.testDb.dataDir!);
    assert.equal(verify.code, 0, verify.out + verify.err);
    assert.match(verify.out, /against the checkpoint of .*: chain intact/);
  });
});
