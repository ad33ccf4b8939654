/**
 * Whether the database can be written. A full disk, a read-only file or database, or an I/O
 * error is not a bug of the request that met it: the request is answered 507/503 with
 * Retry-After (http/error-handler.ts), readiness reports the fault (http/health.routes.ts), and
 * the log names the cause once when the fault starts and once when it ends — not once per request.
 *
 * The fault is set by the first write that meets it and cleared by the next committed
 * transaction: every intake, action, sweep and delivery is a retry.
 */
export type StorageFaultKind = 'disk_full' | 'read_only' | 'io_error';

export interface StorageFault {
  kind: StorageFaultKind;
  /** The engine's own code, e.g. SQLITE_FULL or 53100. */
  engineCode: string;
  since: string;
}

/** Classifies an engine error; null when it is not about storage. */
export function storageFaultKind(e: unknown): { kind: StorageFaultKind; engineCode: string } | null {
  const code = String((e as { code?: unknown } | null)?.code ?? '');
  if (!code) return null;
  // better-sqlite3 (SQLite result codes, extended codes start with the primary one)
  if (code === 'SQLITE_FULL') return { kind: 'disk_full', engineCode: code };
  if (code.startsWith('SQLITE_READONLY')) return { kind: 'read_only', engineCode: code };
  if (code.startsWith('SQLITE_IOERR')) return { kind: 'io_error', engineCode: code };
  // PostgreSQL SQLSTATEs: 53100 disk_full, 25006 read_only_sql_transaction, 58030 io_error
  if (code === '53100') return { kind: 'disk_full', engineCode: code };
  if (code === '25006') return { kind: 'read_only', engineCode: code };
  if (code === '58030') return { kind: 'io_error', engineCode: code };
  return null;
}

/**
 * A lock wait that timed out: another connection (a second instance, `kesu` commands, a backup
 * tool) held the SQLite write lock past the busy time-out, or a PostgreSQL `lock_timeout` passed.
 * Not a fault of the storage — the next attempt usually succeeds — so readiness is not affected:
 * the request is answered 503 with a short Retry-After (http/error-handler.ts).
 */
export function lockTimedOut(e: unknown): { engineCode: string } | null {
  const code = String((e as { code?: unknown } | null)?.code ?? '');
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return { engineCode: code };
  // PostgreSQL: 55P03 lock_not_available (lock_timeout, NOWAIT)
  if (code === '55P03') return { engineCode: code };
  return null;
}

export interface StorageLog {
  error(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
}

export class StorageHealth {
  fault: StorageFault | null = null;
  /** Where the one-line notices go; `kesu serve` points it at the server log. */
  // eslint-disable-next-line no-console -- the default sink until a server log is attached (tests, the CLI)
  log: StorageLog = { error: (o, m) => console.error(m, o), info: () => {} };

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Records `e` when it is a storage fault; returns its kind (null: not a storage fault). */
  failed(e: unknown): StorageFaultKind | null {
    const f = storageFaultKind(e);
    if (!f) return null;
    if (!this.fault || this.fault.kind !== f.kind) {
      this.fault = { ...f, since: this.now().toISOString() };
      this.log.error({ storage: f.kind, engineCode: f.engineCode }, STORAGE_NOTICE[f.kind]);
    }
    return f.kind;
  }

  /** A transaction committed: the database can be written again. */
  succeeded(): void {
    if (!this.fault) return;
    this.log.info({ storage: 'ok', faultSince: this.fault.since }, 'database writable again');
    this.fault = null;
  }
}

const STORAGE_NOTICE: Record<StorageFaultKind, string> = {
  disk_full: 'database storage is full: writes are refused until space is freed (requests answer 507)',
  read_only: 'database is read-only: writes are refused (requests answer 503)',
  io_error: 'database I/O error: writes are refused (requests answer 503); check the disk',
};
