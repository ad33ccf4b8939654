/**
 * `kesu backup --out DIR`: a consistent snapshot of a running Kesu — the database and the
 * attachment files the snapshot names — with a manifest (manifest.ts).
 *
 * Consistency:
 * - SQLite: better-sqlite3's online backup API from a separate read-only connection. The copy is
 *   made in one backup step (one read transaction on the WAL file, which never blocks the
 *   server's writer): copied page by page in small steps, SQLite restarts the copy whenever
 *   another connection writes, which under steady intake may never finish. The counts and the
 *   file list are then read from the copy itself, so they describe exactly what was copied.
 * - PostgreSQL: one REPEATABLE READ READ ONLY transaction exports its snapshot
 *   (`pg_export_snapshot()`); the row counts and the file list are read in it, and
 *   `pg_dump --format=custom --snapshot=…` dumps that same snapshot while it stays open.
 * Attachments reach the file store before the transaction that names them commits
 * (channels/attachments.ts) and a stored file never changes, so every file the snapshot names
 * is in the store — the data folder's `attachments/`, or the S3 bucket (storage/) — when it is
 * copied afterwards, streamed from whichever store is configured. Files no row names (a failed
 * upload's leftover) are not copied.
 *
 * The backup is written to a temporary folder beside DIR and renamed into place at the end:
 * a folder named DIR is always a complete backup.
 */
import { copyFileSync, createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FileStore } from '../storage/file-store.js';
import { LocalFileStore } from '../storage/local-store.js';
import type { Dialect } from '../store/db.js';
import { MANIFEST, FORMAT, KEY_FILES, fileEntry, kesuVersion, seal, type FileEntry, type Manifest } from './manifest.js';
import { attachmentHashes, connectPg, pgSource, schemaVersion, sqliteSource, tableCounts, tableNames, type RowSource } from './sources.js';
import { runPgTool } from './pg-tools.js';

export interface BackupOptions {
  /** PostgreSQL URL; without it the SQLite file in `dataDir`. */
  databaseUrl?: string;
  /** The data folder: the SQLite file, `attachments/`, `secret.key`. */
  dataDir: string;
  /** Where the attachments are (KESU_S3_*: storage/stores.ts); default the data folder's `attachments/`. */
  files?: FileStore;
  /** The backup folder to create (must not exist, or be empty). */
  out: string;
  /** Folder of pg_dump (KESU_PG_BIN); PATH when null. */
  pgBin?: string | null;
  now?: () => Date;
}

export class BackupError extends Error {}

export const SQLITE_FILE = 'kesu.sqlite';
export const DB_COPY: Record<Dialect, string> = { sqlite: 'database/kesu.sqlite', postgres: 'database/kesu.pgdump' };

interface Snapshot {
  tables: Record<string, number>;
  schema: Manifest['schema'];
  attachments: string[];
}

async function readSnapshot(src: RowSource): Promise<Snapshot> {
  const names = await tableNames(src);
  return { tables: await tableCounts(src, names), schema: await schemaVersion(src, names), attachments: await attachmentHashes(src, names) };
}

async function sqliteSnapshot(dataDir: string, dest: string): Promise<Snapshot> {
  const file = join(dataDir, SQLITE_FILE);
  if (!existsSync(file)) throw new BackupError(`no SQLite database at ${file}`);
  const src = sqliteSource(file);
  try {
    // The first step only starts the backup; the handler's answer sizes the next one: all pages.
    await src.handle.backup(dest, { progress: () => 0x7fffffff });
  } finally {
    await src.close();
  }
  // A self-contained single file (no -wal beside it), checked, then read for the manifest.
  const copy = sqliteSource(dest, { readonly: false });
  try {
    copy.handle.pragma('journal_mode = DELETE');
    const check = copy.handle.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new BackupError(`the copy failed SQLite's quick_check: ${String(check)}`);
    return await readSnapshot(copy);
  } finally {
    await copy.close();
  }
}

async function postgresSnapshot(url: string, dest: string, pgBin: string | null): Promise<Snapshot> {
  const client = await connectPg(url);
  const src = pgSource(client);
  try {
    await client.query('begin isolation level repeatable read read only');
    const [{ id }] = (await client.query<{ id: string }>('select pg_export_snapshot() as id')).rows as [{ id: string }];
    const snap = await readSnapshot(src);
    await runPgTool('pg_dump', ['--format=custom', `--snapshot=${id}`, `--file=${dest}`], { pgBin, url });
    await client.query('commit');
    return snap;
  } finally {
    await src.close();
  }
}

/** Prepares the output folder's parent and refuses an existing non-empty folder. */
function claimOut(out: string): string {
  if (existsSync(out) && readdirSync(out).length) throw new BackupError(`${out}: exists and is not empty`);
  mkdirSync(dirname(out), { recursive: true });
  const work = join(dirname(out), `.${basename(out)}.partial-${randomBytes(4).toString('hex')}`);
  mkdirSync(join(work, 'database'), { recursive: true });
  return work;
}

export interface BackupResult {
  dir: string;
  manifest: Manifest;
}

export async function createBackup(opts: BackupOptions): Promise<BackupResult> {
  const out = resolve(opts.out);
  const engine: Dialect = opts.databaseUrl ? 'postgres' : 'sqlite';
  const work = claimOut(out);
  try {
    const createdAt = (opts.now ?? (() => new Date()))().toISOString();
    const dbCopy = join(work, ...DB_COPY[engine].split('/'));
    const snap = engine === 'sqlite' ? await sqliteSnapshot(opts.dataDir, dbCopy) : await postgresSnapshot(opts.databaseUrl!, dbCopy, opts.pgBin ?? null);

    const files: FileEntry[] = [];
    const missingFiles: string[] = [];
    const store = opts.files ?? new LocalFileStore(opts.dataDir);
    for (const sha of snap.attachments) {
      const from = await store.get(sha);
      if (!from) {
        missingFiles.push(sha);
        continue;
      }
      const to = join(work, 'files', 'attachments', sha.slice(0, 2), sha);
      mkdirSync(dirname(to), { recursive: true });
      await pipeline(from, createWriteStream(to));
      const entry = await fileEntry(work, to);
      // A file whose bytes are not its address was damaged in the data folder: keep the copy, say so.
      if (entry.sha256 !== sha) missingFiles.push(sha);
      files.push(entry);
    }
    for (const name of KEY_FILES) {
      const key = join(opts.dataDir, name);
      if (!existsSync(key)) continue;
      const to = join(work, 'files', name);
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(key, to);
      files.push(await fileEntry(work, to));
    }
    const u = opts.databaseUrl ? new URL(opts.databaseUrl) : null;
    const manifest = seal({
      format: FORMAT,
      kesuVersion: await kesuVersion(),
      createdAt,
      engine,
      source: u ? `postgres://${u.host}${u.pathname}` : join(resolve(opts.dataDir), SQLITE_FILE),
      schema: snap.schema,
      tables: snap.tables,
      database: await fileEntry(work, dbCopy),
      files,
      missingFiles,
    });
    writeFileSync(join(work, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    if (existsSync(out)) rmdirSync(out);
    renameSync(work, out);
    return { dir: out, manifest };
  } catch (e) {
    rmSync(work, { recursive: true, force: true });
    throw e;
  }
}
