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
    return {
      database,
      dataDir,
      drop: async () => {
        await database.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
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
    return {
      database,
      drop: async () => {
        await database.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
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

/** What a migration-forward test's `seed` gets: the database before the migration, an app on it at a fixed time with the default policy active. */
export interface OldDatabase {
  database: Database;
  app: import('../../src/services/app.js').App;
  now: Date;
  policy: import('../../src/domain/policy/index.js').Policy;
  calendar: Awaited<ReturnType<import('../../src/services/app.js').App['calendarFor']>>;
  /** Writes a case as intake made it (complaint, events, clocks), as the code of the time did. */
  insertReceived(r: Pick<ReturnType<typeof import('../../src/domain/lifecycle/intake.js').receive>, 'complaint' | 'events' | 'clocks'>): Promise<void>;
}

/**
 * "A database made by an older build", the scaffold of the migration-forward tests: an empty
 * database, migrated to the step before `migrationName`, the default policy activated at
 * 2026-03-02 09:00 (+08:00), `seed` writing the old rows; then migrated to the latest. Returns
 * what `seed` returned, the migrations the last step ran, and the database to check (drop it).
 */
export async function migratedFrom<T>(dialect: Dialect, migrationName: string, seed: (old: OldDatabase) => Promise<T>): Promise<OldDatabase & { seeded: T; ran: string[]; drop(): Promise<void> }> {
  const { MIGRATION_NAMES, migrateTo } = await import('../../src/store/migrate.js');
  const { createApp } = await import('../../src/services/app.js');
  const { activatePolicy, readPolicyFile } = await import('../../src/services/policies.js');
  const { insertComplaint } = await import('../../src/store/complaint.repository.js');
  const { appendEvents } = await import('../../src/store/event.repository.js');
  const { upsertClocks } = await import('../../src/store/clock.repository.js');
  const at = MIGRATION_NAMES.indexOf(migrationName);
  if (at < 1) throw new Error(`no migration before ${migrationName}`);
  const { database, drop } = await emptyDatabase(dialect);
  try {
    await migrateTo(database.db, MIGRATION_NAMES[at - 1]!);
    const now = new Date('2026-03-02T09:00:00+08:00');
    const app = createApp(database, { now: () => now });
    const f = readPolicyFile('kesu-default');
    await activatePolicy(app, f.text, f.format);
    const policy = await app.activePolicy();
    const calendar = await app.calendarFor(policy);
    const old: OldDatabase = {
      database,
      app,
      now,
      policy,
      calendar,
      async insertReceived(r) {
        await insertComplaint(database.db, r.complaint, r.clocks);
        await appendEvents(database.db, r.complaint.id, r.events);
        await upsertClocks(database.db, r.clocks);
      },
    };
    const seeded = await seed(old);
    const ran = await migrateToLatest(database.db);
    return { ...old, seeded, ran, drop };
  } catch (e) {
    await drop();
    throw e;
  }
}

/**
 * Runs today's intake or import on a database made before migration 0040, for tests of older
 * migrations: it writes the cases' match tokens (`complaint_terms`), a table such a database
 * lacks. The table is made for `fn` and dropped after it, so the database is again as an old build
 * left it — its cases without stored tokens, as real cases made before 0040 are.
 */
export async function withCaseTermsTable<T>(db: import('kysely').Kysely<any>, fn: () => Promise<T>): Promise<T> {
  const m = await import('../../src/store/migrations/0040-case-match-terms.js');
  await m.up(db);
  try {
    return await fn();
  } finally {
    await m.down(db);
  }
}
