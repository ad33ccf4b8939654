/**
 * A backup's manifest (`manifest.json`): what was copied, from which Kesu and schema, how many
 * rows each table had in the snapshot, the SHA-256 of every file — and a hash of the manifest
 * itself, so an edited count or file list is caught as surely as a corrupted file.
 *
 * Layout of a backup folder:
 *   manifest.json
 *   database/kesu.sqlite     (SQLite: the online-backup copy, journal mode DELETE)
 *   database/kesu.pgdump     (PostgreSQL: pg_dump --format=custom of one snapshot)
 *   files/attachments/<aa>/<sha256>
 *   files/<key file>         (KEY_FILES below, when the data folder has them)
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { readFile } from 'node:fs/promises';
import type { Dialect } from '../store/db.js';
import type { SchemaVersion } from './sources.js';

export const MANIFEST = 'manifest.json';
export const FORMAT = 'kesu-backup/1';
/**
 * Key files of the data folder that a restored copy cannot work without: `secret.key` seals access
 * codes in the outbox, `audit.key` MACs the audit trail (docs/audit.md), `contact.key` keys the
 * contact hashes that find a caller's cases. They make a backup as sensitive as the data folder.
 */
export const KEY_FILES = ['secret.key', 'audit.key', 'contact.key'] as const;

export interface FileEntry {
  /** Path inside the backup folder, with forward slashes. */
  path: string;
  sha256: string;
  size: number;
}

export interface Manifest {
  format: typeof FORMAT;
  kesuVersion: string;
  createdAt: string;
  engine: Dialect;
  /** Where the snapshot was taken (a file path, or postgres://host/db without credentials). */
  source: string;
  schema: SchemaVersion;
  /** Rows per table in the snapshot. */
  tables: Record<string, number>;
  /** The database copy. */
  database: FileEntry;
  /** Attachments (content-addressed) and the data folder's key file. */
  files: FileEntry[];
  /** Attachments the snapshot names whose file was missing or damaged in the data folder (a fault of the source, copied as found). */
  missingFiles: string[];
  /** SHA-256 of this document without this field (canonical JSON). */
  hash: string;
}

/** JSON with object keys sorted, so the hash does not depend on key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

export function manifestHash(m: Omit<Manifest, 'hash'> & { hash?: string }): string {
  const { hash: _ignored, ...rest } = m;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

export function seal(m: Omit<Manifest, 'hash'>): Manifest {
  return { ...m, hash: manifestHash(m) };
}

export async function sha256File(path: string): Promise<{ sha256: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    size += (chunk as Buffer).length;
    h.update(chunk as Buffer);
  }
  return { sha256: h.digest('hex'), size };
}

export async function fileEntry(root: string, path: string): Promise<FileEntry> {
  return { path: relative(root, path).split(sep).join('/'), ...(await sha256File(path)) };
}

/** Every file under a folder, recursively. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

export interface Verification {
  ok: boolean;
  manifest: Manifest | null;
  /** One line per problem: the file or field and what is wrong. */
  problems: string[];
  /** Files checked (the database copy included). */
  checked: number;
}

/**
 * Checks a backup folder without restoring it: the manifest's own hash, then every file's size
 * and SHA-256 (attachments must also match their content address), and that the folder holds
 * no file the manifest does not name.
 */
export async function verifyBackup(dir: string): Promise<Verification> {
  const problems: string[] = [];
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) return { ok: false, manifest: null, problems: [`${MANIFEST}: missing (not a Kesu backup folder?)`], checked: 0 };
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch (e) {
    return { ok: false, manifest: null, problems: [`${MANIFEST}: not JSON: ${(e as Error).message}`], checked: 0 };
  }
  if (manifest.format !== FORMAT) problems.push(`${MANIFEST}: format ${JSON.stringify(manifest.format)}, expected ${FORMAT}`);
  if (manifest.hash !== manifestHash(manifest)) problems.push(`${MANIFEST}: its hash does not match its content (edited or damaged)`);
  if (problems.length) return { ok: false, manifest, problems, checked: 0 };

  let checked = 0;
  const named = new Set<string>([MANIFEST]);
  for (const f of [manifest.database, ...manifest.files]) {
    named.add(f.path);
    const p = join(dir, ...f.path.split('/'));
    if (!existsSync(p)) {
      problems.push(`${f.path}: missing`);
      continue;
    }
    const actual = await sha256File(p);
    checked++;
    if (actual.size !== f.size) problems.push(`${f.path}: ${actual.size} bytes, the manifest says ${f.size}`);
    if (actual.sha256 !== f.sha256) problems.push(`${f.path}: SHA-256 ${actual.sha256}, the manifest says ${f.sha256}`);
    const address = /^files\/attachments\/[0-9a-f]{2}\/([0-9a-f]{64})$/.exec(f.path)?.[1];
    if (address && address !== f.sha256) problems.push(`${f.path}: the manifest's SHA-256 is not the file's content address`);
  }
  for (const p of filesUnder(dir)) {
    const rel = relative(dir, p).split(sep).join('/');
    if (!named.has(rel)) problems.push(`${rel}: not in the manifest`);
  }
  return { ok: problems.length === 0, manifest, problems, checked };
}

/** This Kesu's version (package.json next to src/ or dist/). */
export async function kesuVersion(): Promise<string> {
  try {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
