/**
 * Inside a transaction, code reaches the database only through the transaction.
 *
 * Why: on SQLite there is one connection behind a mutex. A query sent through the root handle
 * while a transaction holds that connection waits for the transaction, which waits for the
 * query — the server hangs for ever (issue 7: a cold calendar cache loaded holiday years through
 * the root handle from inside the sweeper's transaction). On PostgreSQL the same mistake reads
 * outside the transaction's snapshot and can wait on the transaction's own row locks.
 *
 * How: `guardTransactions` marks the async context of every transaction callback; the driver
 * wrapper refuses to hand out a root connection in a marked context, throwing
 * `RootHandleInTransaction` at once instead of hanging. The mark is switched off when the
 * callback ends, so work started from a transaction and finished after it (an event listener's
 * timer) is not mistaken for misuse. The check is one AsyncLocalStorage read per connection
 * acquisition, so it is always on, not only in tests.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DatabaseConnection, Driver, Kysely, TransactionSettings } from 'kysely';

interface Mark {
  database: object;
  open: boolean;
}

const marks = new AsyncLocalStorage<Mark>();

export class RootHandleInTransaction extends Error {
  constructor() {
    super('database misuse: a query was sent through the root handle while this code runs inside a transaction; pass the transaction (trx) to the repository instead');
    this.name = 'RootHandleInTransaction';
  }
}

/** True while the calling code runs inside a transaction callback of `database`. */
export function insideTransaction(database: object): boolean {
  const m = marks.getStore();
  return !!m && m.open && m.database === database;
}

/** The database whose transaction callback the calling code runs in, if any (audit keys: store/db.ts `databaseOf`). */
export function transactionOwner(): object | undefined {
  const m = marks.getStore();
  return m?.open ? m.database : undefined;
}

/** What the owner of the database learns of each transaction's end (store/storage-health.ts). */
export interface TransactionOutcomes {
  committed(): void;
  failed(e: unknown): void;
}

/** Wraps `db.transaction()` so that each callback runs marked as inside a transaction of `database`. */
export function guardTransactions<DB>(db: Kysely<DB>, database: object, outcomes?: TransactionOutcomes): Kysely<DB> {
  const original = db.transaction.bind(db);
  const wrap = (builder: object): object =>
    new Proxy(builder, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        if (prop === 'execute') {
          return async (fn: (trx: unknown) => Promise<unknown>) => {
            try {
              const result = await (value as (f: (trx: unknown) => Promise<unknown>) => Promise<unknown>).call(target, (trx) => {
                const mark: Mark = { database, open: true };
                return marks.run(mark, async () => {
                  try {
                    return await fn(trx);
                  } finally {
                    mark.open = false;
                  }
                });
              });
              outcomes?.committed();
              return result;
            } catch (e) {
              outcomes?.failed(e);
              throw e;
            }
          };
        }
        // setIsolationLevel / setAccessMode return a new builder: keep it wrapped.
        return (...args: unknown[]) => {
          const r = (value as (...a: unknown[]) => unknown).apply(target, args);
          return r && typeof r === 'object' && 'execute' in r ? wrap(r) : r;
        };
      },
    });
  (db as { transaction: () => unknown }).transaction = () => wrap(original() as object);
  return db;
}

/** A driver that refuses root connections inside a transaction of `database`. */
export class GuardedDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly database: object,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }
  acquireConnection(): Promise<DatabaseConnection> {
    if (insideTransaction(this.database)) return Promise.reject(new RootHandleInTransaction());
    return this.inner.acquireConnection();
  }
  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }
  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }
  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }
  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(connection);
  }
  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}
