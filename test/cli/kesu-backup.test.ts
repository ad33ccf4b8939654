/**
 * `kesu backup`, `kesu backup verify` and `kesu restore` as an operator runs them — real
 * processes beside a Kesu that keeps taking complaints — on every engine: the backup process
 * takes its snapshot while intakes run in this process; verify passes; restore fills an empty
 * target with the counts of the manifest and refuses to run again on the now non-empty target;
 * a corrupted file makes verify exit 1 naming it.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { engines } from '../support/engines.js';
import { PNG, multipart, startChannelKesu, type ChannelKesu } from '../support/channels.js';
import { emptyTarget, tmp, type Target } from '../records/support.js';

const root = new URL('../..', import.meta.url).pathname;

function kesu(args: string[], env: { dataDir: string; databaseUrl?: string }): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/kesu.ts'), ...args], {
      cwd: root,
      env: { ...process.env, KESU_DATA_DIR: env.dataDir, DATABASE_URL: env.databaseUrl ?? '' },
    });
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

for (const { dialect, skip } of await engines()) {
  describe(`kesu backup and restore (${dialect})`, { skip }, () => {
    let ck: ChannelKesu;
    let target: Target;
    const dir = tmp('kesu-cli-backup-');
    const out = join(dir, 'snapshot');
    before(async () => {
      ck = await startChannelKesu(dialect);
      target = await emptyTarget(dialect);
    });
    after(async () => {
      await target?.drop();
      await ck?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('backs up while complaints keep arriving; verify passes; restore refills an empty target and refuses a full one', async () => {
      const source = { dataDir: ck.s.dataDir, databaseUrl: ck.k.testDb.url };
      let stop = false;
      let n = 0;
      const intakes = (async () => {
        while (!stop) {
          const r = await ck.k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: `命令行备份时的来电 ${n++}`, complainant: { name: '周先生', phone: '13912345678' } });
          assert.equal(r.status, 201);
          if (n === 2) {
            if (!ck.k.tokens.get('agent')) await ck.k.as('agent').get('/api/v1/me');
            const m = multipart({}, [{ field: 'files', name: '照片.png', type: 'image/png', data: Buffer.concat([PNG, randomBytes(40)]) }]);
            const u = await ck.k.server.inject({ method: 'POST', url: `/api/v1/complaints/${r.body.complaint.id}/attachments`, payload: m.payload, headers: { ...m.headers, authorization: `Bearer ${ck.k.tokens.get('agent')}` } });
            assert.equal(u.statusCode, 201, u.body);
          }
        }
      })();
      while (n < 3) await new Promise((r) => setTimeout(r, 5));
      const b = await kesu(['backup', '--out', out], source);
      const during = n;
      stop = true;
      await intakes;
      assert.equal(b.code, 0, b.err);
      assert.match(b.out, new RegExp(`backup written to ${out}: ${dialect}, schema \\d{4}-`));
      assert.ok(during > 3, 'complaints arrived while the backup ran');
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
      assert.ok(manifest.tables.complaints >= 3 && manifest.tables.complaints <= n, `${manifest.tables.complaints} of ${n}`);
      assert.equal(manifest.files.filter((f: { path: string }) => f.path.startsWith('files/attachments/')).length, 1);

      const v = await kesu(['backup', 'verify', out], source);
      assert.equal(v.code, 0, v.out + v.err);
      assert.match(v.out, /: OK — /);

      const r = await kesu(['restore', '--from', out], target);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /the counts match the manifest; \d+ files/);
      const again = await kesu(['restore', '--from', out], target);
      assert.equal(again.code, 1);
      assert.match(again.err, /the target is not empty/);
    });

    it('verify exits 1 and names a corrupted file', async () => {
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
      const p = join(out, ...manifest.database.path.split('/'));
      const bytes = readFileSync(p);
      const at = Math.floor(bytes.length / 2);
      bytes[at] = bytes[at]! ^ 0x01;
      writeFileSync(p, bytes);
      const v = await kesu(['backup', 'verify', out], { dataDir: ck.s.dataDir, databaseUrl: ck.k.testDb.url });
      assert.equal(v.code, 1);
      assert.match(v.out, new RegExp(`^BAD ${manifest.database.path}: SHA-256`, 'm'));
    });
  });
}
