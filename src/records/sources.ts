/**
 * Raw read access to one database for backup and restore: its tables, their row counts, the
 * migrations it has run and the attachments it names. Not Kysely: a backup needs its own
 * connection (a read-only SQLite handle; a PostgreSQL session holding one snapshot), outside the
 * application's pool and transaction guard, and it must read tables the schema types do not
 * know (the migrator's, the SQLite full-text index's).
 */
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Dialect } from '../store/db.js';

export interface RowSource {
  engine: Dialect;
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export function sqliteSource(file: string, opts: { readonly?: boolean } = {}): RowSource & { handle: SQLite.Database } {
  const handle = new SQLite(file, { readonly: opts.readonly ?? true, fileMustExist: true });
  handle.pragma('busy_timeout = 5000');
  return {
    engine: 'sqlite',
    handle,
    query: async <T>(text: string, params: unknown[] = []) => handle.prepare(text).all(params) as T[],
    close: async () => void handle.close(),
  };
}

export function pgSource(client: pg.Client): RowSource {
  return {
    engine: 'postgres',
    query: async <T>(text: string, params: unknown[] = []) => (await client.query(text, params)).rows as T[],
    close: () => client.end(),
  };
}

export async function connectPg(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Every table of the database, sorted: on SQLite the full-text index and its shadow tables too
 * (they are part of the file), never SQLite's own `sqlite_*` tables.
 */
export async function tableNames(src: RowSource): Promise<string[]> {
  const rows =
    src.engine === 'sqlite'
      ? await src.query<{ name: string }>("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
      : await src.query<{ name: string }>("select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name");
  return rows.map((r) => r.name).sort();
}

export async function countRows(src: RowSource, table: string): Promise<number> {
  const [r] = await src.query<{ n: number | string }>(`select count(*) as n from ${quote(table)}`);
  return Number(r?.n ?? 0);
}

export async function tableCounts(src: RowSource, tables?: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables ?? (await tableNames(src))) out[t] = await countRows(src, t);
  return out;
}

/** Every row of a table, each as JSON text (binary values as hex), sorted: a table's logical content. */
export async function tableContent(src: RowSource, table: string): Promise<string[]> {
  const rows = await src.query(`select * from ${quote(table)}`);
  return rows
    .map((r) =>
      JSON.stringify(
        Object.fromEntries(
          Object.entries(r)
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([k, v]) => [k, Buffer.isBuffer(v) ? `hex:${v.toString('hex')}` : v]),
        ),
      ),
    )
    .sort();
}

export interface SchemaVersion {
  /** How many migrations the database has run. */
  migrations: number;
  /** The name of the last one, e.g. 0007-shared-caches; null for a database never migrated. */
  latest: string | null;
}

export async function schemaVersion(src: RowSource, tables: string[]): Promise<SchemaVersion> {
  if (!tables.includes('kysely_migration')) return { migrations: 0, latest: null };
  const rows = await src.query<{ name: string }>('select name from kysely_migration order by name');
  return { migrations: rows.length, latest: rows.at(-1)?.name ?? null };
}

/** The content addresses (SHA-256) of every attachment the database names. */
export async function attachmentHashes(src: RowSource, tables: string[]): Promise<string[]> {
  if (!tables.includes('attachments')) return [];
  const rows = await src.query<{ sha256: string }>('select distinct sha256 from attachments order by sha256');
  return rows.map((r) => r.sha256);
}
