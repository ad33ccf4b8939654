/**
 * The local file store: `<dataDir>/attachments/<aa>/<sha256>` — the layout Kesu has always used,
 * so files stored by earlier versions are read as they are. Uploads are staged beside it in
 * `attachments/tmp` (channels/attachments.ts), on the same file system.
 *
 * A file reaches its address by a hard link: atomic, and refused by the file system when the
 * address exists (EEXIST), so a stored file is never replaced, not even by two instances sharing
 * the folder (a network file system) storing the same file at once. A disposable staged copy is
 * linked itself; any other file (a backup's copy, or one on another file system) is first copied
 * complete into `attachments/tmp` and that copy linked, so the store never shares an inode with
 * a file someone else may change.
 */
import { copyFileSync, createReadStream, existsSync, linkSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { checkKey, isContentKey, putBySpooling, type FileStore, type PutResult } from './file-store.js';

export class LocalFileStore implements FileStore {
  readonly kind = 'local' as const;
  readonly where: string;
  /** `<dataDir>/attachments`. */
  readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'attachments');
    this.where = this.root;
  }

  pathOf(key: string): string {
    return join(this.root, checkKey(key).slice(0, 2), key);
  }

  private get tmpDir(): string {
    return join(this.root, 'tmp');
  }

  put(input: Readable): Promise<PutResult> {
    return putBySpooling(this, this.tmpDir, input);
  }

  async putFile(path: string, sha256: string, _size: number, opts: { disposable?: boolean } = {}): Promise<{ created: boolean }> {
    const final = this.pathOf(sha256);
    if (existsSync(final)) return { created: false };
    mkdirSync(join(this.root, sha256.slice(0, 2)), { recursive: true });
    if (opts.disposable)
      try {
        linkSync(path, final);
        return { created: true };
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') return { created: false };
        if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP') throw e;
      }
    // A complete private copy first, then linked into place the same way.
    mkdirSync(this.tmpDir, { recursive: true });
    const copy = join(this.tmpDir, randomUUID());
    try {
      copyFileSync(path, copy);
      linkSync(copy, final);
      return { created: true };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return { created: false };
      throw e;
    } finally {
      rmSync(copy, { force: true });
    }
  }

  async get(key: string): Promise<Readable | null> {
    const p = this.pathOf(key);
    if (!existsSync(p)) return null;
    return createReadStream(p);
  }

  async exists(key: string): Promise<boolean> {
    return existsSync(this.pathOf(key));
  }

  async delete(key: string): Promise<void> {
    rmSync(this.pathOf(key), { force: true });
  }

  async *list(): AsyncIterable<string> {
    if (!existsSync(this.root)) return;
    for (const dir of readdirSync(this.root, { withFileTypes: true })) {
      // `tmp` (staged uploads) and anything else that is not a two-digit prefix folder is not a stored file.
      if (!dir.isDirectory() || !/^[0-9a-f]{2}$/.test(dir.name)) continue;
      for (const f of readdirSync(join(this.root, dir.name))) if (isContentKey(f) && f.startsWith(dir.name)) yield f;
    }
  }

  close(): void {}
}
