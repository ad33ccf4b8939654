/**
 * Files customers send (portal uploads, e-mail attachments): checked against the allowed types
 * by their first bytes (not only by what the sender claims), limited in size, staged under
 * `<dataDir>/attachments/tmp` while they are read, and then stored content-addressed in the app's
 * file store (storage/: the local `<dataDir>/attachments/<aa>/<sha256>`, or an S3-compatible
 * store) — the same file sent twice is stored once, and a stored file never changes.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable, Transform } from 'node:stream';
import type { App } from '../services/app.js';
import { fileStoreOf } from '../storage/stores.js';
import { holdFile, releaseFile } from '../storage/staging.js';

const BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  pdf: 'application/pdf',
  txt: 'text/plain',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  amr: 'audio/amr',
  mp4: 'video/mp4',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** File name endings of the allowed types, for a file picker's `accept` (e.g. `.jpg,.png,.pdf`). */
export function allowedExtensions(types: string[]): string[] {
  return Object.entries(BY_EXTENSION)
    .filter(([, type]) => types.includes(type))
    .map(([ext]) => `.${ext}`);
}

/**
 * A download's Content-Disposition: an ASCII fallback name and the UTF-8 name (RFC 6266 /
 * RFC 8187), always as an attachment so no file is rendered in the console's origin.
 */
export function downloadDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

function startsWith(head: Buffer, bytes: number[], at = 0): boolean {
  return bytes.every((b, i) => head[at + i] === b);
}
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** Whether the first bytes fit the type (formats without a signature: text has no NUL byte). */
function looksLike(type: string, head: Buffer): boolean {
  switch (type) {
    case 'image/jpeg':
      return startsWith(head, [0xff, 0xd8, 0xff]);
    case 'image/png':
      return startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case 'image/gif':
      return startsWith(head, ascii('GIF8'));
    case 'image/webp':
      return startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8);
    case 'application/pdf':
      return startsWith(head, ascii('%PDF'));
    case 'image/heic':
    case 'video/mp4':
    case 'audio/mp4':
      return startsWith(head, ascii('ftyp'), 4);
    case 'audio/mpeg':
      return startsWith(head, ascii('ID3')) || (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0);
    case 'audio/amr':
      return startsWith(head, ascii('#!AMR'));
    case 'application/msword':
    case 'application/vnd.ms-excel':
      return startsWith(head, [0xd0, 0xcf, 0x11, 0xe0]);
    case 'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
    case 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet':
      return startsWith(head, [0x50, 0x4b, 0x03, 0x04]);
    case 'text/plain':
      return !head.includes(0);
    default:
      return false;
  }
}

/** The type to store the file as, or null when it is not allowed or its bytes do not match. */
export function acceptedType(name: string, declared: string | undefined, head: Buffer, allowed: string[]): string | null {
  const claimed = (declared ?? '').split(';')[0]!.trim().toLowerCase();
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  const candidates = [claimed, ext ? BY_EXTENSION[ext] : undefined].filter((t): t is string => !!t && allowed.includes(t));
  return candidates.find((t) => looksLike(t, head)) ?? null;
}

/** A safe display name: no path, no control characters, at most 200 characters. */
export function cleanName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f"<>]/g, '').trim();
  return (clean || 'file').slice(-200);
}

/** Where the local file store keeps a file (storage/local-store.ts). */
export function attachmentPath(dataDir: string, sha256: string): string {
  return join(dataDir, 'attachments', sha256.slice(0, 2), sha256);
}

export interface StoredFile {
  sha256: string;
  size: number;
  /** The accepted type, or null when the file was refused (nothing is kept then). */
  contentType: string | null;
  /** The stream was cut at the size limit (nothing is kept). */
  tooLarge: boolean;
}

/** A file read and checked but not yet in the store (`tmp` is null once refused or stored). */
export interface StagedFile extends StoredFile {
  tmp: string | null;
}

/** An accepted staged file with its display name (what an upload form yields). */
export interface StagedUpload extends StagedFile {
  name: string;
  contentType: string;
}

/**
 * Streams a file to a temporary name while hashing it and checks its first bytes with `accept`.
 * A refused file (too large, wrong type) is removed at once; an accepted one waits in
 * `attachments/tmp` for `storeStaged` (or `discardStaged`), so a caller can refuse a whole
 * upload without a byte reaching the store.
 */
export async function stageStream(dataDir: string, input: Readable, maxBytes: number, accept: (head: Buffer) => string | null): Promise<StagedFile> {
  const tmpDir = join(dataDir, 'attachments', 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  const tmp = join(tmpDir, randomUUID());
  const hash = createHash('sha256');
  let size = 0;
  let head = Buffer.alloc(0);
  let tooLarge = false;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes) {
        tooLarge = true;
        return done();
      }
      if (head.length < 32) head = Buffer.concat([head, chunk.subarray(0, 32 - head.length)]);
      hash.update(chunk);
      done(null, chunk);
    },
  });
  let keep = false;
  try {
    await pipeline(input, meter, createWriteStream(tmp));
    if ((input as Readable & { truncated?: boolean }).truncated) tooLarge = true;
    if (tooLarge) return { sha256: '', size, contentType: null, tooLarge, tmp: null };
    const contentType = accept(head);
    if (!contentType) return { sha256: '', size, contentType: null, tooLarge: false, tmp: null };
    keep = true;
    return { sha256: hash.digest('hex'), size, contentType, tooLarge: false, tmp };
  } finally {
    if (!keep) rmSync(tmp, { force: true });
  }
}

/**
 * Stores an accepted staged file in the app's file store (local folder or S3, storage/stores.ts)
 * and removes the staged copy. Call it BEFORE the transaction that records the file, never inside
 * it; the file is held (storage/staging.ts) until `releaseStored`, or else until the staging sweep
 * finds the hold old, so a commit that fails leaves no file behind that no row names.
 */
export async function storeStaged(app: App, f: StagedFile): Promise<void> {
  if (!f.tmp || !f.contentType) return;
  try {
    await holdFile(app, f.sha256);
    const store = await fileStoreOf(app);
    try {
      await store.putFile(f.tmp, f.sha256, f.size, { disposable: true });
    } catch (e) {
      await releaseFile(app, store, f.sha256).catch(() => {});
      throw e;
    }
  } finally {
    discardStaged(f);
  }
}

/** Ends the holds of stored files once the transaction naming them committed or failed: a file no row names goes. */
export async function releaseStored(app: App, files: { sha256: string }[]): Promise<void> {
  const store = await fileStoreOf(app);
  for (const sha of new Set(files.map((f) => f.sha256).filter(Boolean))) await releaseFile(app, store, sha);
}

/** Removes a staged file's temporary copy (nothing happens once it was stored). */
export function discardStaged(f: StagedFile): void {
  if (f.tmp) rmSync(f.tmp, { force: true });
  f.tmp = null;
}

/**
 * Stages a file and, when it is accepted and within `maxBytes`, stores it (`storeStaged`: before
 * the transaction that records it; its hold is left to the staging sweep or `releaseStored`).
 */
export async function storeStream(app: App, dataDir: string, input: Readable, maxBytes: number, accept: (head: Buffer) => string | null): Promise<StoredFile> {
  const f = await stageStream(dataDir, input, maxBytes, accept);
  try {
    await storeStaged(app, f);
  } finally {
    discardStaged(f);
  }
  return { sha256: f.sha256, size: f.size, contentType: f.contentType, tooLarge: f.tooLarge };
}

export function storeBuffer(app: App, dataDir: string, data: Buffer, maxBytes: number, accept: (head: Buffer) => string | null): Promise<StoredFile> {
  return storeStream(app, dataDir, Readable.from([data]), maxBytes, accept);
}

/** A size for people: `10 MB`, `256 KB`, `12 B`. */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round(bytes / 1024 / 1024)} MB`;
  return bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} B`;
}
