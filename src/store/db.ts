/**
 * Opens the database: PostgreSQL through `pg` when a URL is given, otherwise an embedded SQLite
 * file (WAL, synchronous=FULL so an acknowledged write survives kill -9 and power loss).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, type Dialect as KyselyDialect, type Driver, type Transaction } from 'kysely';
import { offloadedReads } from './sqlite-offload.js';
import { KesuSqliteDriver } from './sqlite-driver.js';
import pg from 'pg';
import type { DB } from './schema.js';
import { GuardedDriver, guardTransactions, type TransactionOutcomes } from './transaction-guard.js';
import { StorageHealth } from './storage-health.js';
import { transactionOwner } from './transaction-guard.js';
import { loadAuditKeyring, type AuditKeyring, type AuditKeySettings } from '../audit/keys.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  /**
   * For long reads outside any transaction (reports, statistics, exports): on SQLite they run in a
   * worker thread on a read-only connection (store/sqlite-offload.ts), so a report never holds the
   * event loop; on PostgreSQL this is `db` (the server runs the query, the loop is free anyway).
   */
  reads: Kysely<DB>;
  dialect: Dialect;
  /** Human description for logs (file path or host/db, never a password). */
  where: string;
  /** Whether writes succeed (a full disk, a read-only database): set and cleared by transactions. */
  storage: StorageHealth;
  /** The audit trail's keys (outside the database) and where its checkpoints go (docs/audit.md). */
  audit: AuditPlace;
  close(): Promise<void>;
}

export interface AuditPlace {
  /** The key ring, loaded on first use. */
  keys(): AuditKeyring;
  /** Folder of the signed checkpoints of all chain heads; null: none kept. */
  checkpointDir: string | null;
}

export interface AuditOptions extends AuditKeySettings {
  checkpointDir?: string | null;
}

function auditPlace(dataDir: string, o: AuditOptions = {}): AuditPlace {
  let ring: AuditKeyring | null = null;
  const keyFile = o.keyFile ?? (dataDir ? join(dataDir, 'audit.key') : null);
  return {
    keys: () => (ring ??= loadAuditKeyring({ key: o.key, retiredKeys: o.retiredKeys, keyFile })),
    checkpointDir: o.checkpointDir ?? (dataDir ? join(dataDir, 'audit-checkpoints') : null),
  };
}

const roots = new WeakMap<object, Database>();

/** The database an executor belongs to: the root handle's, or the open transaction's. */
export function databaseOf(db: Executor): Database | undefined {
  return roots.get(db) ?? (transactionOwner() as Database | undefined);
}

export type Executor = Kysely<DB> | Transaction<DB>;

/** PostgreSQL's lock wait before a statement gives up with 55P03 (answered 503 + Retry-After). */
export const DEFAULT_PG_LOCK_TIMEOUT_MS = 10_000;

export function openDatabase(opts: { databaseUrl?: string; dataDir: string; file?: string; audit?: AuditOptions; pgLockTimeoutMs?: number }): Database {
  if (opts.databaseUrl) {
    // Without a lock_timeout a request queued behind a stuck transaction's row lock would wait
    // for ever; with it, it fails with 55P03, which the API answers 503 with Retry-After (the
    // counterpart of SQLite's busy_timeout). Kysely's migrator raises it to an hour for itself.
    const lockTimeout = opts.pgLockTimeoutMs ?? DEFAULT_PG_LOCK_TIMEOUT_MS;
    // jit=off: the reports' one-pass aggregates (dozens of CASE sums, bench/reports.ts --profile)
    // cross PostgreSQL's JIT cost threshold, and compiling them took 2.9 s of a 3.2 s query at
    // 20,000 cases; no Kesu query runs long enough for JIT to pay back (docs/performance.md).
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10, options: `-c lock_timeout=${lockTimeout} -c jit=off` });
    // An idle pooled connection can be cut by the server (restart, failover, admin command);
    // pg emits that on the pool, and unhandled it would crash the process. The pool replaces
    // the connection on next use, so a warning is enough.
    // eslint-disable-next-line no-console -- the pool has no logger; the message holds no personal data
    pool.on('error', (e) => console.warn(`postgres: idle connection lost: ${e.message}`));
    const database = {} as Database;
    const storage = new StorageHealth();
    const db = guardTransactions(new Kysely<DB>({ dialect: guarded(new PostgresDialect({ pool }), database) }), database, outcomesOf(storage));
    const u = new URL(opts.databaseUrl);
    roots.set(db, database);
    return Object.assign(database, { db, reads: db, dialect: 'postgres', where: `postgres://${u.host}${u.pathname}`, storage, audit: auditPlace(opts.dataDir, opts.audit), close: () => db.destroy() } satisfies Database);
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const file = join(opts.dataDir, opts.file ?? 'kesu.sqlite');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const database = {} as Database;
  const storage = new StorageHealth();
  // A read-only second connection: SELECTs outside transactions never wait for a writer (sqlite-driver.ts).
  const reader = new SQLite(file, { readonly: true });
  reader.pragma('busy_timeout = 5000');
  const dialect: KyselyDialect = {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new GuardedDriver(new KesuSqliteDriver(sqlite, reader), database),
    createIntrospector: (k) => new SqliteIntrospector(k),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
  const db = guardTransactions(new Kysely<DB>({ dialect }), database, outcomesOf(storage));
  roots.set(db, database);
  const reads = offloadedReads(file);
  const close = async () => {
    await reads.destroy();
    await db.destroy();
  };
  return Object.assign(database, { db, reads, dialect: 'sqlite', where: file, storage, audit: auditPlace(opts.dataDir, opts.audit), close } satisfies Database);
}

/** The dialect with its driver wrapped by the transaction guard (store/transaction-guard.ts). */
function guarded(dialect: PostgresDialect, database: object): PostgresDialect {
  const createDriver = dialect.createDriver.bind(dialect);
  dialect.createDriver = (): Driver => new GuardedDriver(createDriver(), database);
  return dialect;
}

function outcomesOf(storage: StorageHealth): TransactionOutcomes {
  return { committed: () => storage.succeeded(), failed: (e) => void storage.failed(e) };
}
