/**
 * `kesu restore --from DIR`: puts a backup (backup.ts) into an empty data folder (SQLite) or an
 * empty PostgreSQL database — after checking every hash of the backup (verifyBackup), and then
 * checks that every table has the rows the manifest counted.
 *
 * A target that holds anything (the SQLite file, any table, any attachment in the file store, a
 * different secret.key) is refused unless `force`: then the SQLite file and its WAL are removed,
 * or the PostgreSQL schema is dropped and created again, and the file store is emptied (the
 * attachments folder, or every attachment object under the S3 prefix). Stop every server on the
 * target first. Attachments go back into the configured store (storage/), each read back and
 * hashed. Restoring into the other engine is not supported (a SQLite
 * backup restores into SQLite, a PostgreSQL one into PostgreSQL).
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Dialect } from '../store/db.js';
import { createHash } from 'node:crypto';
import { KEY_FILES, sha256File, verifyBackup, type Manifest } from './manifest.js';
import type { FileStore } from '../storage/file-store.js';
import { LocalFileStore } from '../storage/local-store.js';
import { SQLITE_FILE } from './backup.js';
import { connectPg, pgSource, sqliteSource, tableCounts, type RowSource } from './sources.js';
import { runPgTool } from './pg-tools.js';

export interface RestoreOptions {
  from: string;
  /** The target: a PostgreSQL URL (the database must exist), else SQLite in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  /** Where the attachments go (KESU_S3_*: storage/stores.ts); default the data folder's `attachments/`. */
  files?: FileStore;
  /** Replace whatever the target holds. */
  force?: boolean;
  pgBin?: string | null;
}

export class RestoreError extends Error {
  constructor(
    message: string,
    /** Each problem on its own line (the backup's hash problems, the target's contents, count mismatches). */
    readonly problems: string[] = [],
  ) {
    super(problems.length ? `${message}:\n  ${problems.join('\n  ')}` : message);
  }
}

export interface RestoreResult {
  manifest: Manifest;
  tables: number;
  rows: number;
  files: number;
}

/** What the target holds already; empty when it is empty. */
async function targetContents(opts: RestoreOptions, engine: Dialect, manifest: Manifest): Promise<string[]> {
  const found: string[] = [];
  if (engine === 'sqlite') {
    for (const f of [SQLITE_FILE, `${SQLITE_FILE}-wal`]) if (existsSync(join(opts.dataDir, f))) found.push(`${join(opts.dataDir, f)} exists`);
  } else {
    const client = await connectPg(opts.databaseUrl!);
    try {
      const r = await client.query<{ n: string }>('select count(*) as n from information_schema.tables where table_schema = current_schema()');
      if (Number(r.rows[0]?.n) > 0) found.push(`database ${new URL(opts.databaseUrl!).pathname.slice(1)} has ${r.rows[0]!.n} table(s)`);
    } finally {
      await client.end();
    }
  }
  const files = await storedCount(storeOf(opts));
  if (files) found.push(`${storeOf(opts).where} holds ${files} file(s)`);
  for (const name of KEY_FILES) {
    const key = join(opts.dataDir, name);
    const backupKey = manifest.files.find((f) => f.path === `files/${name}`);
    if (existsSync(key) && backupKey && (await sha256File(key)).sha256 !== backupKey.sha256) found.push(`${key} differs from the backup's`);
  }
  return found;
}

async function clearTarget(opts: RestoreOptions, engine: Dialect): Promise<void> {
  if (engine === 'sqlite') for (const f of [SQLITE_FILE, `${SQLITE_FILE}-wal`, `${SQLITE_FILE}-shm`]) rmSync(join(opts.dataDir, f), { force: true });
  else {
    const client = await connectPg(opts.databaseUrl!);
    try {
      await client.query('drop schema if exists public cascade');
      await client.query('create schema public');
    } finally {
      await client.end();
    }
  }
  const store = storeOf(opts);
  if (store.kind === 'local') rmSync(join(opts.dataDir, 'attachments'), { recursive: true, force: true });
  else for await (const key of store.list()) await store.delete(key);
}

function storeOf(opts: RestoreOptions): FileStore {
  return opts.files ?? new LocalFileStore(opts.dataDir);
}

async function storedCount(store: FileStore): Promise<number> {
  let n = 0;
  for await (const _ of store.list()) n++;
  return n;
}

/** SHA-256 of a stored file as the store returns it (null: absent). */
async function storedHash(store: FileStore, key: string): Promise<string | null> {
  const body = await store.get(key);
  if (!body) return null;
  const h = createHash('sha256');
  for await (const chunk of body) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Copies a file by way of a temporary name, so a crash never leaves half a file at the final name. */
function placeFile(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  const tmp = `${to}.restoring`;
  copyFileSync(from, tmp);
  renameSync(tmp, to);
}

export async function restoreBackup(opts: RestoreOptions): Promise<RestoreResult> {
  const from = resolve(opts.from);
  const v = await verifyBackup(from);
  if (!v.ok || !v.manifest) throw new RestoreError(`${from}: the backup does not match its manifest; nothing restored`, v.problems);
  const m = v.manifest;
  const engine: Dialect = opts.databaseUrl ? 'postgres' : 'sqlite';
  if (m.engine !== engine) throw new RestoreError(`${from} is a ${m.engine} backup and the target is ${engine}: restoring into the other engine is not supported`);

  mkdirSync(opts.dataDir, { recursive: true });
  const found = await targetContents(opts, engine, m);
  if (found.length && !opts.force) throw new RestoreError('the target is not empty (restore --force replaces it)', found);
  if (found.length) await clearTarget(opts, engine);

  const dbCopy = join(from, ...m.database.path.split('/'));
  if (engine === 'sqlite') placeFile(dbCopy, join(opts.dataDir, SQLITE_FILE));
  else await runPgTool('pg_restore', ['--exit-on-error', '--single-transaction', '--no-owner', '--no-privileges', dbCopy], { pgBin: opts.pgBin ?? null, url: opts.databaseUrl! });

  let files = 0;
  const store = storeOf(opts);
  for (const f of m.files) {
    const src = join(from, ...f.path.split('/'));
    const address = /^files\/attachments\/[0-9a-f]{2}\/([0-9a-f]{64})$/.exec(f.path)?.[1];
    if (address) {
      // Into the configured store (never replacing a stored key), then read back and hashed.
      await store.putFile(src, address, f.size);
      if ((await storedHash(store, address)) !== f.sha256) throw new RestoreError(`${store.where}: the restored copy of ${address} does not match the backup`);
      files++;
      continue;
    }
    const rel = f.path.replace(/^files\//, '');
    const to = join(opts.dataDir, ...rel.split('/'));
    const isKey = (KEY_FILES as readonly string[]).includes(rel);
    if (isKey && existsSync(to) && readFileSync(to).equals(readFileSync(src))) continue;
    placeFile(src, to);
    if (isKey) chmodSync(to, 0o600);
    if ((await sha256File(to)).sha256 !== f.sha256) throw new RestoreError(`${to}: the restored copy does not match the backup`);
    files++;
  }

  const src: RowSource = engine === 'sqlite' ? sqliteSource(join(opts.dataDir, SQLITE_FILE)) : pgSource(await connectPg(opts.databaseUrl!));
  try {
    const counts = await tableCounts(src, Object.keys(m.tables));
    const wrong = Object.entries(m.tables)
      .filter(([t, n]) => counts[t] !== n)
      .map(([t, n]) => `${t}: ${counts[t]} row(s) restored, the manifest counted ${n}`);
    if (wrong.length) throw new RestoreError('the restored database does not have the rows the backup counted', wrong);
    return { manifest: m, tables: Object.keys(m.tables).length, rows: Object.values(counts).reduce((a, b) => a + b, 0), files };
  } finally {
    await src.close();
  }
}
