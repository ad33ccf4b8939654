/**
 * Migrated template databases for the tests: the migrations run once into a template (a SQLite
 * file, a PostgreSQL template database), and every test database is a copy of it. A template is
 * named by a hash of the migration code, so changing a migration makes (and migrates) a new
 * one. Safe across parallel test processes: the SQLite file is built aside and renamed into
 * place (atomic; two builders produce the same schema); the PostgreSQL template is built under
 * an advisory lock and counts as ready only once it is marked a template that accepts no
 * connections, which is the last step.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrate.js';

const STORE = fileURLToPath(new URL('../../src/store/', import.meta.url));

/** A hash of the migration list and every migration file (and of the versions that run them). */
export function schemaHash(): string {
  const h = createHash('sha256');
  const feed = (label: string, text: string) => h.update(`${label}\0${text}\0`);
  feed('migrate.ts', readFileSync(join(STORE, 'migrate.ts'), 'utf8'));
  for (const name of readdirSync(join(STORE, 'migrations')).sort()) feed(name, readFileSync(join(STORE, 'migrations', name), 'utf8'));
  for (const pkg of ['kysely', 'better-sqlite3']) feed(pkg, (JSON.parse(readFileSync(fileURLToPath(new URL(`../../node_modules/${pkg}/package.json`, import.meta.url)), 'utf8')) as { version: string }).version);
  return h.digest('hex').slice(0, 16);
}

let hash: string | null = null;
const currentHash = () => (hash ??= schemaHash());

// ---------------------------------------------------------------------------------------------
// SQLite

let sqliteTemplate: Promise<string> | null = null;

/** The path of the migrated SQLite template file, built on first use. */
export function sqliteTemplateFile(): Promise<string> {
  sqliteTemplate ??= (async () => {
    const dir = join(tmpdir(), 'kesu-test-templates');
    const file = join(dir, `sqlite-${currentHash()}.sqlite`);
    if (existsSync(file)) return file;
    mkdirSync(dir, { recursive: true });
    const build = mkdtempSync(join(dir, 'build-'));
    try {
      const database = openDatabase({ dataDir: build });
      await migrateToLatest(database.db);
      await database.close(); // the last connection closing checkpoints the WAL into the file
      const built = join(build, 'kesu.sqlite');
      if (existsSync(`${built}-wal`)) throw new Error(`SQLite template: ${built}-wal left after close`);
      renameSync(built, file);
    } finally {
      rmSync(build, { recursive: true, force: true });
    }
    return file;
  })();
  sqliteTemplate.catch(() => (sqliteTemplate = null));
  return sqliteTemplate;
}

/** Puts a copy of the migrated template at `dataDir/kesu.sqlite`. */
export async function copySqliteTemplate(dataDir: string): Promise<void> {
  copyFileSync(await sqliteTemplateFile(), join(dataDir, 'kesu.sqlite'));
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

let pgTemplate: Promise<string> | null = null;

function withDatabase(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function isReady(admin: pg.Client, name: string): Promise<boolean> {
  const r = await admin.query<{ ready: boolean }>('select datistemplate and not datallowconn as ready from pg_database where datname = $1', [name]);
  return r.rows[0]?.ready === true;
}

/** The name of the migrated PostgreSQL template database on the server at `adminUrl`, built on first use. */
export function postgresTemplate(adminUrl: string): Promise<string> {
  pgTemplate ??= (async () => {
    const name = `kesu_tpl_${currentHash()}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      if (await isReady(admin, name)) return name;
      // One builder at a time per template; the lock goes with this session if the process dies.
      await admin.query('select pg_advisory_lock(hashtextextended($1, 0))', [name]);
      try {
        if (await isReady(admin, name)) return name;
        // Left over half-built by a process that died: start again.
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.query(`create database ${name}`);
        const database = openDatabase({ databaseUrl: withDatabase(adminUrl, name), dataDir: '' });
        try {
          await migrateToLatest(database.db);
        } finally {
          await database.close();
        }
        // Last: from here on it is ready, and nobody can connect to it (a connection would make
        // `create database … template` fail).
        await admin.query(`alter database ${name} with is_template true allow_connections false`);
        return name;
      } finally {
        await admin.query('select pg_advisory_unlock(hashtextextended($1, 0))', [name]);
      }
    } finally {
      await admin.end();
    }
  })();
  pgTemplate.catch(() => (pgTemplate = null));
  return pgTemplate;
}
