/**
 * Where attachment bytes live (issue 15 §5): one interface, two implementations — a local folder
 * (local-store.ts, the default for the embedded SQLite set-up) and any S3-compatible object
 * store (s3-store.ts) that several instances on one PostgreSQL share.
 *
 * Files are content-addressed: the key of a file is the SHA-256 of its bytes, so the same file
 * sent twice is stored once, and a stored file never changes — a put of a key that exists keeps
 * the stored object and writes nothing. Which stored files are still needed is the database's
 * business (staging.ts), not the store's.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface PutResult {
  /** The content address (SHA-256, hex): the key to get the file back by. */
  key: string;
  sha256: string;
  size: number;
  /** False when the key was stored already (nothing was written). */
  created: boolean;
}

export interface FileStore {
  /** `local` or `s3`. */
  readonly kind: 'local' | 's3';
  /** Where the files are, for messages and logs (never a credential). */
  readonly where: string;
  /** Streams a file in, hashing it on the way (no whole-file buffering), and stores it at its address. */
  put(input: Readable): Promise<PutResult>;
  /**
   * Stores a local file whose SHA-256 and size the caller has computed already (an upload staged
   * and checked on this machine, a backup's copy), read as a stream. An existing key is kept as it
   * is. `disposable`: the caller removes its file afterwards and never changes it, so the store
   * may take the file over instead of copying it (the local store links it into place).
   */
  putFile(path: string, sha256: string, size: number, opts?: { disposable?: boolean }): Promise<{ created: boolean }>;
  /** The file's bytes as a stream, or null when the store has no such key. */
  get(key: string): Promise<Readable | null>;
  exists(key: string): Promise<boolean>;
  /** Removes a key (nothing happens when it is absent). Only the staging sweep calls this. */
  delete(key: string): Promise<void>;
  /** Every stored key, in no particular order (backup, restore's emptiness check). */
  list(): AsyncIterable<string>;
  /** Releases connections (the S3 client); the store is unusable afterwards. */
  close(): void;
}

/** A content address: 64 lower-case hex digits. Anything else is never a key. */
export function isContentKey(key: string): boolean {
  return /^[0-9a-f]{64}$/.test(key);
}

/** Refuses a key that is not a content address (no path tricks reach a store). */
export function checkKey(key: string): string {
  if (!isContentKey(key)) throw new Error(`not a content address: ${JSON.stringify(key).slice(0, 80)}`);
  return key;
}

/**
 * Streams `input` into a new file under `dir` while hashing it: the way `put` learns a file's
 * address before it is stored (a key is needed before the first byte reaches an object store).
 */
export async function spool(dir: string, input: Readable): Promise<{ path: string; sha256: string; size: number }> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, randomUUID());
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(input, meter, createWriteStream(path));
  } catch (e) {
    rmSync(path, { force: true });
    throw e;
  }
  return { path, sha256: hash.digest('hex'), size };
}

/** `put` on top of `putFile`: spool, store, remove the spooled copy. */
export async function putBySpooling(store: FileStore, spoolDir: string, input: Readable): Promise<PutResult> {
  const s = await spool(spoolDir, input);
  try {
    const { created } = await store.putFile(s.path, s.sha256, s.size, { disposable: true });
    return { key: s.sha256, sha256: s.sha256, size: s.size, created };
  } finally {
    rmSync(s.path, { force: true });
  }
}
