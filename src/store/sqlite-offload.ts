/**
 * Long reads off the event loop on the embedded engine (issue 9 §2: reads that do not queue behind
 * anything): a Kysely whose queries run in a worker thread on a read-only connection of its own.
 *
 * Why: better-sqlite3 runs a statement synchronously on the thread that calls it. The reports'
 * grouped passes take 0.2–2 s at 20,000 cases (bench:pages: the 报表 page's requests replayed in
 * 2.3 s), and while one ran on the main thread no other request — a queue page, an intake — was
 * served at all. In the worker the report takes the second core and the main thread goes on.
 *
 * Only reads: the connection is opened read-only, and a statement that would write is refused
 * before it runs. WAL gives the worker the last committed state, as the main thread's reader.
 * The worker is plain JavaScript given as text (no file to find under tsx or in dist), started on
 * first use and unref'd so it never keeps the process alive.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { CompiledQuery, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, type DatabaseConnection, type Dialect, type Driver, type QueryResult } from 'kysely';
import type { DB } from './schema.js';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true });
db.pragma('busy_timeout = 5000');
const cache = new Map();
parentPort.on('message', ({ id, sql, params }) => {
  try {
    let s = cache.get(sql);
    if (!s) {
      if (cache.size >= 200) cache.clear();
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    if (!s.reader || !s.readonly) throw new Error('the offloaded connection only reads');
    // Structured cloning turns a Buffer into a Uint8Array; SQLite binds a Buffer as a blob.
    const rows = s.all(params.map((p) => (p instanceof Uint8Array ? Buffer.from(p) : p)));
    parentPort.postMessage({ id, rows });
  } catch (e) {
    parentPort.postMessage({ id, error: { message: String(e && e.message), code: e && e.code } });
  }
});
`;

interface Pending {
  resolve: (rows: unknown[]) => void;
  reject: (e: Error) => void;
}

class OffloadWorker {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private next = 1;
  constructor(private readonly file: string) {}

  query(sql: string, params: readonly unknown[]): Promise<unknown[]> {
    const w = this.start();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Only the worker's answers keep the process waiting: a pending read holds it, an idle worker does not.
      if (this.pending.size === 1) w.ref();
      w.postMessage({ id, sql, params });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const w = new Worker(WORKER, { eval: true, workerData: { file: this.file, driver } });
    w.unref();
    w.on('message', (m: { id: number; rows?: unknown[]; error?: { message: string; code?: string } }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (!this.pending.size) w.unref();
      if (m.error) p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
      else p.resolve(m.rows ?? []);
    });
    // A worker that dies fails what it was asked, and the next read starts a new one.
    const fail = (e: Error) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      if (this.worker === w) this.worker = null;
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`the read worker stopped (exit ${code})`)));
    this.worker = w;
    return w;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}

class OffloadConnection implements DatabaseConnection {
  constructor(private readonly worker: OffloadWorker) {}
  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    return { rows: (await this.worker.query(q.sql, q.parameters)) as R[] };
  }
  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not used by Kesu on SQLite');
  }
}

class OffloadDriver implements Driver {
  private readonly connection: OffloadConnection;
  constructor(private readonly worker: OffloadWorker) {
    this.connection = new OffloadConnection(worker);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }
  async beginTransaction(): Promise<void> {
    throw new Error('the offloaded connection only reads: no transactions');
  }
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {
    await this.worker.close();
  }
}

/** A read-only Kysely on `file` whose queries run in a worker thread (see the file header). */
export function offloadedReads(file: string): Kysely<DB> {
  const worker = new OffloadWorker(file);
  const dialect: Dialect = {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new OffloadDriver(worker),
    createIntrospector: (k) => new SqliteIntrospector(k),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
  return new Kysely<DB>({ dialect });
}
