/**
 * Kesu's SQLite driver for Kysely: one writer connection and one read-only connection on the
 * same WAL database, with prepared statements kept per connection.
 *
 * Why not Kysely's own SqliteDriver: it has one connection behind a mutex, so every query —
 * a queue page too — waits while any transaction is open, and it prepares each statement again
 * on every call. Here:
 * - a transaction takes the writer and holds the mutex from BEGIN to COMMIT/ROLLBACK;
 * - a write outside a transaction takes the mutex for that one statement (it must not slip into
 *   another caller's open transaction on the shared writer);
 * - a SELECT outside a transaction runs on the reader at once, without the mutex: WAL gives
 *   it the last committed state, so it never waits for a transaction (issue 9: reads that do not
 *   queue behind writes). Raw `sql` text counts as a SELECT when it starts with SELECT or WITH
 *   and SQLite says the statement writes nothing (the text search's probe, say).
 * Statements are cached by SQL text (better-sqlite3 statements are reusable; SQLite re-prepares
 * them itself after a schema change).
 */
import type Database from 'better-sqlite3';
import { recordSqlTiming, sqlTimingsOn } from './sql-timings.js';
import { CompiledQuery, RawNode, SelectQueryNode, type DatabaseConnection, type Driver, type QueryResult, type TransactionSettings } from 'kysely';

const STATEMENT_CACHE = 500;

class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();
  constructor(private readonly db: Database.Database) {}
  get(text: string): Database.Statement {
    let s = this.statements.get(text);
    if (!s) {
      // Dynamic SQL (IN-lists of many lengths) could grow the cache without bound: start afresh.
      if (this.statements.size >= STATEMENT_CACHE) this.statements.clear();
      s = this.db.prepare(text);
      this.statements.set(text, s);
    }
    return s;
  }
}

function run<R>(cache: StatementCache, q: CompiledQuery): QueryResult<R> {
  if (!sqlTimingsOn) return execute<R>(cache, q);
  const start = performance.now();
  try {
    return execute<R>(cache, q);
  } finally {
    recordSqlTiming(q.sql, performance.now() - start);
  }
}

function execute<R>(cache: StatementCache, q: CompiledQuery): QueryResult<R> {
  const stmt = cache.get(q.sql);
  const params = q.parameters as unknown[];
  if (stmt.reader) return { rows: stmt.all(params) as R[] };
  const { changes, lastInsertRowid } = stmt.run(params);
  return {
    numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
    insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
    rows: [],
  };
}

/** Raw SQL that only reads: SELECT/WITH text whose statement SQLite reports as read-only. */
function rawRead(cache: StatementCache, q: CompiledQuery): boolean {
  return RawNode.is(q.query) && /^\s*(select|with)\b/i.test(q.sql) && cache.get(q.sql).readonly;
}

class Mutex {
  private tail: Promise<void> = Promise.resolve();
  /** Resolves with the release function once every earlier holder has released. */
  lock(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const before = this.tail;
    this.tail = before.then(() => held);
    return before.then(() => release);
  }
}

/**
 * Bookkeeping writes made outside any transaction that need not be synced on their own: the
 * Idempotency-Key's claim before a request's change, its stored answer and its release after.
 * They run with `synchronous = NORMAL` (in WAL mode: in the WAL at once, so they survive kill -9,
 * synced by the next FULL commit — the change's own transaction, which follows the claim). So a
 * keyed request makes one durable commit, its change, not three (issue 9). A power loss can lose
 * only a stored answer not yet followed by any commit: the retry then gets the resource as it is
 * now (`recover`) or 409, never a second change.
 */
const RELAXED_SYNC = /^\s*(?:insert\s+into|update|delete\s+from)\s+"idempotency_keys"/i;

export function relaxedSync(sqlText: string): boolean {
  return RELAXED_SYNC.test(sqlText);
}

/** One caller's use of the database: reads go to the reader, writes and transactions to the writer. */
class Session implements DatabaseConnection {
  private release: (() => void) | null = null;
  inTransaction = false;
  constructor(private readonly driver: KesuSqliteDriver) {}

  async lock(): Promise<void> {
    if (!this.release) this.release = await this.driver.mutex.lock();
  }
  unlock(): void {
    const r = this.release;
    this.release = null;
    r?.();
  }

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    if (this.inTransaction) return run<R>(this.driver.writer, q);
    if (SelectQueryNode.is(q.query) || rawRead(this.driver.reader, q)) return run<R>(this.driver.reader, q);
    await this.lock();
    try {
      return relaxedSync(q.sql) ? this.driver.runRelaxed<R>(q) : run<R>(this.driver.writer, q);
    } finally {
      this.unlock();
    }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not used by Kesu on SQLite');
  }
}

export class KesuSqliteDriver implements Driver {
  readonly mutex = new Mutex();
  readonly writer: StatementCache;
  readonly reader: StatementCache;

  constructor(
    private readonly writerDb: Database.Database,
    private readonly readerDb: Database.Database,
  ) {
    this.writer = new StatementCache(writerDb);
    this.reader = new StatementCache(readerDb);
  }

  async init(): Promise<void> {}

  /** Runs one autocommit statement with `synchronous = NORMAL` (see relaxedSync); the caller holds the mutex. */
  runRelaxed<R>(q: CompiledQuery): QueryResult<R> {
    this.writerDb.pragma('synchronous = NORMAL');
    try {
      return run<R>(this.writer, q);
    } finally {
      this.writerDb.pragma('synchronous = FULL');
    }
  }

  /** The writer's `synchronous` level now (2 = FULL), for tests. */
  writerSynchronous(): number {
    return Number(this.writerDb.pragma('synchronous', { simple: true }));
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new Session(this);
  }

  async beginTransaction(connection: DatabaseConnection, _settings: TransactionSettings): Promise<void> {
    const s = connection as Session;
    await s.lock();
    try {
      run(this.writer, CompiledQuery.raw('begin'));
    } catch (e) {
      s.unlock();
      throw e;
    }
    s.inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    run(this.writer, CompiledQuery.raw('commit'));
    (connection as Session).inTransaction = false;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    (connection as Session).inTransaction = false;
    // SQLite may have ended the transaction itself (SQLITE_FULL, SQLITE_IOERR): then a ROLLBACK
    // would fail with "no transaction is active" and hide the real error.
    if (this.writerDb.inTransaction) run(this.writer, CompiledQuery.raw('rollback'));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const s = connection as Session;
    if (s.inTransaction) {
      // A transaction left open (should not happen: Kysely commits or rolls back first).
      if (this.writerDb.inTransaction) this.writerDb.exec('rollback');
      s.inTransaction = false;
    }
    s.unlock();
  }

  async destroy(): Promise<void> {
    this.readerDb.close();
    this.writerDb.close();
  }
}
