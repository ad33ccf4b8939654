/**
 * Shared file storage (issue 15 §5, Done when: "two instances sharing an S3-compatible store
 * serve each other's uploads"). Two Kesu servers, started as `kesu serve` starts them
 * (startServer, configured by KESU_S3_* through loadConfig), on one PostgreSQL and one real
 * S3-protocol server (s3rver, started here), each with its own data folder:
 * - a file uploaded through A downloads through B with identical bytes, with the same
 *   permission checks (an uninvolved agent and the complained-about employee get 404 through B);
 *   no attachment reaches either instance's local folder;
 * - the same content uploaded again (through B) is a new row but no new object: no second PUT;
 * - an upload the lifecycle refuses (an auditor, 403) leaves no object in the bucket;
 * - a file stored by an upload that died before its commit is removed by the housekeeping job of
 *   the other instance once it is old, while a file a row names is kept;
 * - `kesu backup` copies the bucket's objects into the snapshot, and restore puts them back
 *   into an emptied bucket, byte for byte; the `kesu backup` command, run with KESU_S3_* and a
 *   data folder that holds no attachment, copies them from the bucket;
 * - a customer's portal upload through A downloads through B; its hold is forgotten by the sweep
 *   and its file kept.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createTestDb, postgresAvailable, type TestDb } from '../support/engines.js';
import { TestClock } from '../support/kesu.js';
import { PNG } from '../support/channels.js';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/cli/serve.js';
import { fileStoreOf } from '../../src/storage/stores.js';
import { S3FileStore } from '../../src/storage/s3-store.js';
import { stageStream, storeStaged } from '../../src/channels/attachments.js';
import { startHousekeeping } from '../../src/jobs/housekeeping.js';
import { sweepStagedFiles } from '../../src/storage/staging.js';
import { createBackup } from '../../src/records/backup.js';
import { restoreBackup } from '../../src/records/restore.js';
import { filesUnder } from '../../src/records/manifest.js';
import { emptyTarget } from './support.js';
import { startS3, type TestS3 } from './s3-storage-support.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const pgSkip = (await postgresAvailable()) ? false : 'PostgreSQL not available';

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

/** A real multipart upload over HTTP (fetch's FormData). */
async function upload(base: string, token: string, caseId: string, files: { name: string; data: Buffer; type?: string }[]): Promise<{ status: number; body: any }> {
  const form = new FormData();
  for (const f of files) form.append('files', new Blob([new Uint8Array(f.data)], { type: f.type ?? 'image/png' }), f.name);
  const r = await fetch(`${base}/api/v1/complaints/${caseId}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: r.status, body: await r.json() };
}

async function download(base: string, token: string, caseId: string, attachmentId: string): Promise<{ status: number; bytes: Buffer; type: string | null }> {
  const r = await fetch(`${base}/api/v1/complaints/${caseId}/attachments/${attachmentId}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: r.status, bytes: Buffer.from(await r.arrayBuffer()), type: r.headers.get('content-type') };
}

describe('two instances sharing an S3-compatible store (postgres)', { skip: pgSkip }, () => {
  let s3: TestS3;
  let t: TestDb;
  let a: RunningServer;
  let b: RunningServer;
  const clock = new TestClock(new Date('2026-12-01T09:00:00+08:00'));
  const dirs = { a: mkdtempSync(join(tmpdir(), 'kesu-inst-a-')), b: mkdtempSync(join(tmpdir(), 'kesu-inst-b-')) };
  let A = '';
  let B = '';
  let caseId = '';
  const photo = Buffer.concat([PNG, randomBytes(4096)]);
  const puts = (key: string) => s3.events.filter((e) => e.name === 'ObjectCreated:Put' && e.key.endsWith(key)).length;
  const stored = async (key: string) => (await fileStoreOf(a.app)).exists(key);

  before(async () => {
    s3 = await startS3();
    t = await createTestDb('postgres');
    const env = (dataDir: string) =>
      loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: t.url,
        KESU_DATA_DIR: dataDir,
        // Instances on one PostgreSQL share their keys (docs/operations.md).
        KESU_SECRET: 'shared-secret-of-both-instances',
        KESU_CONTACT_KEY: 'shared-contact-key-of-both',
        KESU_AUDIT_KEY: 'shared-audit-key-of-both-instances',
        KESU_SWEEP_INTERVAL_MS: '0',
        KESU_DISPATCH_INTERVAL_MS: '0',
        KESU_HOUSEKEEPING_INTERVAL_MS: '0',
        KESU_AUDIT_CHECKPOINT_INTERVAL_MS: '0',
        KESU_SMS_PROVIDER: 'none',
        KESU_SHUTDOWN_TIMEOUT_MS: '5000',
        ...s3.env,
      });
    a = await startServer(env(dirs.a), { now: clock.now, logger: false });
    b = await startServer(env(dirs.b), { now: clock.now, logger: false });
    A = `http://127.0.0.1:${a.port}`;
    B = `http://127.0.0.1:${b.port}`;
    assert.equal((await fileStoreOf(b.app)).kind, 's3');
    const r = await call(
      A,
      'POST',
      '/api/v1/complaints',
      { channel: 'phone', description: '快递包裹破损，附照片', complainant: { name: '赵女士', phone: '13712345678' }, subject: { employeeIds: [await userId('handler2')], description: '店员' } },
      await login(A, 'agent'),
    );
    assert.equal(r.status, 201, JSON.stringify(r.body));
    caseId = r.body.complaint.id;
  });
  after(async () => {
    await a?.stop('test over');
    await b?.stop('test over');
    await t?.drop();
    await s3?.close();
    rmSync(dirs.a, { recursive: true, force: true });
    rmSync(dirs.b, { recursive: true, force: true });
  });

  async function userId(username: string): Promise<string> {
    const row = await t.database.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
    return row.id;
  }

  it('a file uploaded through A downloads through B with identical bytes; permissions unchanged', async () => {
    const up = await upload(A, await login(A, 'agent'), caseId, [{ name: '破损照片.png', data: photo }]);
    assert.equal(up.status, 201, JSON.stringify(up.body));
    const file = up.body.attachments.at(-1);
    assert.equal(file.sha256, sha(photo));
    assert.equal(puts(sha(photo)), 1, 'stored once in the bucket');

    const dl = await download(B, await login(B, 'agent'), caseId, file.id);
    assert.equal(dl.status, 200);
    assert.equal(dl.type, 'image/png');
    assert.deepEqual(dl.bytes, photo);
    // The same need-to-know through B: an uninvolved agent and the complained-about employee.
    assert.equal((await download(B, await login(B, 'agent2'), caseId, file.id)).status, 404);
    assert.equal((await download(B, await login(B, 'handler2'), caseId, file.id)).status, 404);
    // Neither instance keeps the file on its own disk (staging leaves nothing either).
    for (const dir of [dirs.a, dirs.b]) assert.deepEqual(filesUnder(join(dir, 'attachments')), [], dir);
  });

  it('the same content uploaded again through B is a new row, not a new object', async () => {
    const again = await upload(B, await login(B, 'agent'), caseId, [{ name: '同一张照片.png', data: photo }]);
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.equal(again.body.attachments.filter((f: any) => f.sha256 === sha(photo)).length, 2);
    assert.equal(puts(sha(photo)), 1, 'no second PUT: the stored object is reused, never overwritten');
    const second = again.body.attachments.at(-1);
    assert.deepEqual((await download(A, await login(A, 'agent'), caseId, second.id)).bytes, photo);
    // Both uploads released their holds: no stage row is left to sweep.
    assert.deepEqual(await t.database.db.selectFrom('file_stages').selectAll().execute(), []);
  });

  it('an upload the lifecycle refuses leaves no object in the bucket', async () => {
    const evidence = Buffer.concat([PNG, Buffer.from('refused upload')]);
    const r = await upload(B, await login(B, 'auditor'), caseId, [{ name: 'x.png', data: evidence }]);
    assert.equal(r.status, 403, JSON.stringify(r.body));
    assert.equal(puts(sha(evidence)), 1, 'stored before the transaction');
    assert.equal(await stored(sha(evidence)), false, 'and removed once the transaction refused it');
    assert.deepEqual(await t.database.db.selectFrom('file_stages').selectAll().execute(), []);
  });

  it("a file stored by an upload that died before its commit is swept by the other instance's housekeeping once old", async () => {
    // Instance A stores a file and "dies" before the transaction that would record it: no release.
    const orphan = Buffer.concat([PNG, randomBytes(64)]);
    const f = await stageStream(dirs.a, Readable.from([orphan]), 1 << 20, () => 'image/png');
    await storeStaged(a.app, f);
    assert.equal(await stored(sha(orphan)), true);
    // A portal-style store whose row did commit (its hold never released either).
    const named = await t.database.db.selectFrom('attachments').select('sha256').where('complaint_id', '=', caseId).executeTakeFirstOrThrow();
    const g = await stageStream(dirs.a, Readable.from([photo]), 1 << 20, () => 'image/png');
    await storeStaged(a.app, g);
    assert.equal(named.sha256, sha(photo));
    assert.equal((await t.database.db.selectFrom('file_stages').selectAll().execute()).length, 2);

    // Young holds are never swept: the upload may still be committing.
    clock.advance(30 * 60_000);
    assert.deepEqual(await sweepStagedFiles(b.app, await fileStoreOf(b.app)), { removed: 0, kept: 0 });
    assert.equal(await stored(sha(orphan)), true);

    clock.advance(90 * 60_000);
    const stop = startHousekeeping(b.app, 60_000, { outboxKeepDays: 30, firstDelayMs: 0 });
    try {
      for (let i = 0; i < 100 && (await stored(sha(orphan))); i++) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await stop();
    }
    assert.equal(await stored(sha(orphan)), false, 'the leftover no row names is gone');
    assert.equal(await stored(sha(photo)), true, 'the file a row names stays');
    assert.deepEqual(await t.database.db.selectFrom('file_stages').selectAll().execute(), []);
    assert.deepEqual((await download(B, await login(B, 'agent'), caseId, (await t.database.db.selectFrom('attachments').select('id').where('complaint_id', '=', caseId).executeTakeFirstOrThrow()).id)).bytes, photo);
  });

  it('backup copies the objects into the snapshot; restore puts them back into an emptied bucket', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'kesu-s3-backup-')), 'snap');
    const store = new S3FileStore(s3.settings);
    const target = await emptyTarget('postgres');
    try {
      const { manifest } = await createBackup({ databaseUrl: t.url, dataDir: dirs.a, files: store, out });
      assert.deepEqual(manifest.missingFiles, []);
      const entry = manifest.files.find((x) => x.path === `files/attachments/${sha(photo).slice(0, 2)}/${sha(photo)}`);
      assert.ok(entry, JSON.stringify(manifest.files));
      assert.equal(entry.sha256, sha(photo));
      assert.equal(entry.size, photo.length);

      // The bucket is lost; restore puts the objects back (and the database into an empty one).
      for await (const k of store.list()) await store.delete(k);
      const r = await restoreBackup({ from: out, databaseUrl: target.databaseUrl, dataDir: target.dataDir, files: store });
      assert.equal(r.files, manifest.files.length);
      const back = await store.get(sha(photo));
      const chunks: Buffer[] = [];
      for await (const c of back!) chunks.push(c as Buffer);
      assert.deepEqual(Buffer.concat(chunks), photo);

      // A bucket that holds files is a non-empty target.
      const other = await emptyTarget('postgres');
      try {
        await assert.rejects(restoreBackup({ from: out, databaseUrl: other.databaseUrl, dataDir: other.dataDir, files: store }), /s3:\/\/kesu-files\/attachments\/.* holds 1 file/);
      } finally {
        await other.drop();
      }
    } finally {
      store.close();
      await target.drop();
      rmSync(join(out, '..'), { recursive: true, force: true });
    }
  });

  it('`kesu backup` with KESU_S3_* copies the attachments from the bucket, not from its data folder', async () => {
    const root = new URL('../..', import.meta.url).pathname;
    const out = join(mkdtempSync(join(tmpdir(), 'kesu-s3-cli-')), 'snap');
    try {
      const r = await new Promise<{ code: number | null; err: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/kesu.ts'), 'backup', '--out', out], {
          cwd: root,
          env: { ...process.env, KESU_DATA_DIR: dirs.b, DATABASE_URL: t.url, ...s3.env },
        });
        let err = '';
        child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
        child.on('close', (code) => resolve({ code, err }));
      });
      assert.equal(r.code, 0, r.err);
      assert.doesNotMatch(r.err, /S3RVER|WARNING/);
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { files: { path: string; sha256: string }[]; missingFiles: string[] };
      assert.deepEqual(manifest.missingFiles, []);
      assert.ok(
        manifest.files.some((f) => f.sha256 === sha(photo) && f.path.startsWith('files/attachments/')),
        JSON.stringify(manifest.files),
      );
    } finally {
      rmSync(join(out, '..'), { recursive: true, force: true });
    }
  });

  it("a customer's portal upload through A downloads through B", async () => {
    const evidence = Buffer.concat([PNG, randomBytes(777)]);
    const form = new FormData();
    form.append('kind', 'complaint');
    form.append('description', '网上提交的投诉：收到的商品有划痕，附照片。');
    form.append('anonymous', '1');
    form.append('files', new Blob([new Uint8Array(evidence)], { type: 'image/png' }), '划痕.png');
    const r = await fetch(`${A}/portal/submit`, { method: 'POST', body: form });
    assert.equal(r.status, 201, await r.text());
    const row = await t.database.db.selectFrom('attachments').selectAll().where('sha256', '=', sha(evidence)).executeTakeFirstOrThrow();
    assert.equal(row.source, 'portal');
    const dl = await download(B, await login(B, 'specialist'), row.complaint_id, row.id);
    assert.equal(dl.status, 200);
    assert.deepEqual(dl.bytes, evidence);
    for (const dir of [dirs.a, dirs.b]) assert.deepEqual(filesUnder(join(dir, 'attachments')), [], dir);
    // The portal leaves its hold to the sweep, which forgets it once old and keeps the file a row names.
    assert.deepEqual(
      (await t.database.db.selectFrom('file_stages').select('sha256').execute()).map((x) => x.sha256),
      [sha(evidence)],
    );
    clock.advance(2 * 3_600_000);
    assert.deepEqual(await sweepStagedFiles(b.app, await fileStoreOf(b.app)), { removed: 0, kept: 1 });
    assert.equal(await stored(sha(evidence)), true);
    assert.deepEqual(await t.database.db.selectFrom('file_stages').selectAll().execute(), []);
  });
});
