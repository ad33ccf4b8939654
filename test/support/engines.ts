/**
 * Runs a test body against every database engine: a fresh SQLite file, and a fresh PostgreSQL
 * database (both copies of a migrated template, see templates.ts) when one answers at KESU_TEST_PG (default postgres://postgres@127.0.0.1:5432/postgres).
 * Without PostgreSQL the PostgreSQL variants are skipped with a printed notice, unless
 * KESU_REQUIRE_PG=1 (set by .ci/run), in which case they fail.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database, type Dialect } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { copySqliteTemplate, postgresTemplate } from './templates.js';

export const PG_ADMIN_URL = process.env.KESU_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const requirePg = process.env.KESU_REQUIRE_PG === '1';

let pgAvailable: Promise<boolean> | null = null;
export function postgresAvailable(): Promise<boolean> {
  pgAvailable ??= (async () => {
    // A short time-out when PostgreSQL is optional (a missing server usually refuses at once);
    // a patient one when it is required, so a loaded machine (parallel test files) does not turn
    // a slow connect into "PostgreSQL is not available".
    const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: requirePg ? 15_000 : 2000 });
    try {
      await c.connect();
      await c.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await c.end().catch(() => {});
    }
  })();
  return pgAvailable;
}

export interface TestDb {
  database: Database;
  /** Connection string (PostgreSQL) or data dir (SQLite), to open a second connection. */
  url?: string;
  dataDir?: string;
  drop(): Promise<void>;
}

async function migratedAlready(database: Database): Promise<void> {
  const ran = await migrateToLatest(database.db);
  if (ran.length > 0) throw new Error(`test database template (${database.dialect}) lacked migrations ${ran.join(', ')}: its name should change with every migration (test/support/templates.ts)`);
}

/**
 * A fresh, migrated database: a copy of the migrated template (see templates.ts), then the
 * migrator once more, as `kesu serve` does on every start; it must find nothing to do, else the
 * template is not what its name says.
 */
export async function createTestDb(dialect: Dialect): Promise<TestDb> {
  if (dialect === 'sqlite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'kesu-test-'));
    await copySqliteTemplate(dataDir);
    const database = openDatabase({ dataDir });
    await migratedAlready(database);
    return { database, dataDir, drop: async () => { await database.close(); rmSync(dataDir, { recursive: true, force: true }); } };
  }
  const template = await postgresTemplate(PG_ADMIN_URL);
  const name = `kesu_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${template}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const database = openDatabase({ databaseUrl: url.toString(), dataDir: '' });
  await migratedAlready(database);
  return {
    database,
    url: url.toString(),
    drop: async () => {
      await database.close();
      const a = new pg.Client({ connectionString: PG_ADMIN_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/** The engines to run on, with a reason when PostgreSQL is skipped. */
export async function engines(): Promise<{ dialect: Dialect; skip: string | false }[]> {
  const ok = await postgresAvailable();
  if (!ok && requirePg) throw new Error(`KESU_REQUIRE_PG=1 but PostgreSQL does not answer at ${PG_ADMIN_URL}`);
  if (!ok) console.log(`# SKIPPED PostgreSQL variants: no PostgreSQL at ${PG_ADMIN_URL} (set KESU_REQUIRE_PG=1 to make this an error)`);
  return [
    { dialect: 'sqlite', skip: false },
    { dialect: 'postgres', skip: ok ? false : 'PostgreSQL not available' },
  ];
}

/**
 * An empty, unmigrated database of the engine (not the migrated test template), for tests of a
 * migration on "a database made by an older build": migrate it to the step before, write the old
 * shape, then migrate to the latest.
 */
export async function emptyDatabase(dialect: Dialect): Promise<{ database: Database; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'kesu-migrate-'));
    const database = openDatabase({ dataDir });
    return { database, drop: async () => { await database.close(); rmSync(dataDir, { recursive: true, force: true }); } };
  }
  const name = `kesu_migrate_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const database = openDatabase({ databaseUrl: url.toString(), dataDir: '' });
  return {
    database,
    drop: async () => {
      await database.close();
      const a = new pg.Client({ connectionString: PG_ADMIN_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
