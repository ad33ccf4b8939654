/**
 * One contract, two stores (issue 15 §5): the same test body runs against the local folder and
 * an S3-compatible store (s3rver, a real S3-protocol server started here). A put streams and
 * hashes; the key is the SHA-256; a stored key is never replaced (a second put of the same key
 * writes nothing and keeps the first bytes); get, exists, delete and list agree; nothing that is
 * not a content address is ever a key.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { FileStore } from '../../src/storage/file-store.js';
import { LocalFileStore } from '../../src/storage/local-store.js';
import { S3FileStore } from '../../src/storage/s3-store.js';
import { startS3, type TestS3 } from './s3-storage-support.js';
import { loadConfig } from '../../src/config.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function bytes(r: Readable | null): Promise<Buffer | null> {
  if (!r) return null;
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function keys(store: FileStore): Promise<string[]> {
  const out: string[] = [];
  for await (const k of store.list()) out.push(k);
  return out.sort();
}

/** A stream of `data` in small chunks, as a network upload arrives. */
function trickle(data: Buffer, size = 1000): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) parts.push(data.subarray(i, i + size));
  return Readable.from(parts);
}

interface Subject {
  name: string;
  open(): Promise<FileStore>;
  close(): Promise<void>;
}

const work = mkdtempSync(join(tmpdir(), 'kesu-store-contract-'));
let s3: TestS3 | undefined;
const subjects: Subject[] = [
  {
    name: 'local folder',
    open: async () => new LocalFileStore(join(work, 'data')),
    close: async () => {},
  },
  {
    name: 'S3 (s3rver)',
    open: async () => {
      s3 = await startS3('contract-bucket');
      return new S3FileStore(s3.settings, join(work, 'spool'));
    },
    close: async () => s3?.close(),
  },
];

after(() => rmSync(work, { recursive: true, force: true }));

for (const subject of subjects) {
  describe(`file store contract: ${subject.name}`, () => {
    let store: FileStore;
    before(async () => {
      store = await subject.open();
    });
    after(async () => {
      store?.close();
      await subject.close();
    });

    it('streams a file in: its key is its SHA-256, and get returns the same bytes', async () => {
      const data = randomBytes(300 * 1024 + 17); // several chunks, not a round size
      const r = await store.put(trickle(data));
      assert.deepEqual(r, { key: sha(data), sha256: sha(data), size: data.length, created: true });
      assert.equal(await store.exists(r.key), true);
      assert.deepEqual(await bytes(await store.get(r.key)), data);
      assert.deepEqual(await keys(store), [r.key]);
    });

    it('never replaces a stored key: the second put writes nothing and the first bytes stay', async () => {
      const first = Buffer.from('第一份内容 / the first content');
      const r1 = await store.put(Readable.from([first]));
      const r2 = await store.put(Readable.from([first]));
      assert.equal(r1.created, true);
      assert.deepEqual(r2, { ...r1, created: false });
      // Even a caller claiming other bytes under that address cannot replace it.
      const other = join(work, `other-${subject.name.length}`);
      writeFileSync(other, 'other bytes');
      assert.deepEqual(await store.putFile(other, r1.key, 11), { created: false });
      assert.deepEqual(await bytes(await store.get(r1.key)), first);
    });

    it('a missing key: get null, exists false, delete harmless; delete removes a stored one', async () => {
      const absent = sha(randomBytes(8));
      assert.equal(await store.get(absent), null);
      assert.equal(await store.exists(absent), false);
      await store.delete(absent);
      const r = await store.put(Readable.from([randomBytes(50)]));
      const before = await keys(store);
      assert.ok(before.includes(r.key));
      await store.delete(r.key);
      assert.equal(await store.exists(r.key), false);
      assert.equal(await store.get(r.key), null);
      assert.deepEqual(
        await keys(store),
        before.filter((k) => k !== r.key),
      );
    });

    it('refuses anything that is not a content address as a key', async () => {
      for (const bad of ['../secret.key', 'tmp', sha(Buffer.from('x')).toUpperCase(), `${sha(Buffer.from('x'))}/x`]) {
        await assert.rejects(store.get(bad), /not a content address/);
        await assert.rejects(store.exists(bad), /not a content address/);
        await assert.rejects(store.delete(bad), /not a content address/);
      }
    });

    it('an empty file is a file too', async () => {
      const r = await store.put(Readable.from([]));
      assert.deepEqual(r, { key: sha(Buffer.alloc(0)), sha256: sha(Buffer.alloc(0)), size: 0, created: true });
      assert.deepEqual(await bytes(await store.get(r.key)), Buffer.alloc(0));
    });
  });
}

describe('storage configuration (KESU_S3_*)', () => {
  it('is the local folder by default and S3 when a bucket is named; the secret never shows in where', () => {
    assert.deepEqual(loadConfig({ KESU_DATA_DIR: work }).storage, { kind: 'local' });
    const cfg = loadConfig({
      KESU_DATA_DIR: work,
      KESU_S3_BUCKET: 'kesu-files',
      KESU_S3_ENDPOINT: 'http://127.0.0.1:9000',
      KESU_S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      KESU_S3_SECRET_ACCESS_KEY: 'very-secret-access-key',
      KESU_S3_FORCE_PATH_STYLE: '1',
      KESU_S3_PREFIX: 'kesu',
    });
    assert.deepEqual(cfg.storage, { kind: 's3', bucket: 'kesu-files', endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'very-secret-access-key', forcePathStyle: true, prefix: 'kesu/' });
    const store = new S3FileStore(cfg.storage as Extract<typeof cfg.storage, { kind: 's3' }>);
    assert.equal(store.where, 's3://kesu-files/kesu/ at http://127.0.0.1:9000');
    store.close();
  });

  it('refuses S3 settings without a bucket, and half a key pair', () => {
    assert.throws(() => loadConfig({ KESU_S3_ENDPOINT: 'http://127.0.0.1:9000' }), /KESU_S3_BUCKET is required/);
    assert.throws(() => loadConfig({ KESU_S3_BUCKET: 'kesu-files', KESU_S3_ACCESS_KEY_ID: 'AKIAEXAMPLE' }), /KESU_S3_ACCESS_KEY_ID and KESU_S3_SECRET_ACCESS_KEY go together/);
  });
});
