/**
 * Runs a test body against every database engine: a fresh SQLite file, and a fresh PostgreSQL
 * database (both copies of a migrated template, see templates.ts) when one answers at KESU_TEST_PG (default postgres://postgres@127.0.0.1:5432/postgres).
 * Without PostgreSQL the PostgreSQL variants are skipped with a printed notice, unless
 * KESU_REQUIRE_PG=1 (set by .ci/run), in which case they fail.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database, type Dialect } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { copySqliteTemplate, postgresTemplate } from './templates.js';
import { PG_ADMIN_URL, postgresAnswers, scratchDatabase } from '../../scripts/lib/pg-scratch.js';

export { PG_ADMIN_URL };
const requirePg = process.env.KESU_REQUIRE_PG === '1';

let pgAvailable: Promise<boolean> | null = null;
export function postgresAvailable(): Promise<boolean> {
  // A short time-out when PostgreSQL is optional (a missing server usually refuses at once);
  // a patient one when it is required, so a loaded machine (parallel test files) does not turn
  // a slow connect into "PostgreSQL is not available".
  pgAvailable ??= postgresAnswers(PG_ADMIN_URL, requirePg ? 15_000 : 2000);
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
  const scratch = await scratchDatabase('kesu_test', await postgresTemplate(PG_ADMIN_URL));
  const database = openDatabase({ databaseUrl: scratch.url, dataDir: '' });
  await migratedAlready(database);
  return {
    database,
    url: scratch.url,
    drop: async () => {
      await database.close();
      await scratch.drop();
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
  const scratch = await scratchDatabase('kesu_migrate');
  const database = openDatabase({ databaseUrl: scratch.url, dataDir: '' });
  return {
    database,
    drop: async () => {
      await database.close();
      await scratch.drop();
    },
  };
}
