/** Runs the migrations in src/store/migrations (listed here so bundling cannot miss one). */
import { Migrator, type Kysely, type Migration } from 'kysely';
import * as m0001 from './migrations/0001-initial.js';
import * as m0002 from './migrations/0002-full-text-search.js';
import * as m0003 from './migrations/0003-customer-channels.js';
import * as m0004 from './migrations/0004-next-due.js';
import * as m0005 from './migrations/0005-pii-access-log.js';
import * as m0006 from './migrations/0006-search-rowid.js';
import * as m0007 from './migrations/0007-shared-caches.js';
import * as m0010 from './migrations/0010-case-number-sequences.js';

const migrations: Record<string, Migration> = { '0001-initial': m0001, '0002-full-text-search': m0002, '0003-customer-channels': m0003, '0004-next-due': m0004, '0005-pii-access-log': m0005, '0006-search-rowid': m0006, '0007-shared-caches': m0007, '0010-case-number-sequences': m0010 };

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Runs the migrations up to and including `name` (tests: a database made by an older build). */
export async function migrateUpTo(db: Kysely<any>, name: string): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error } = await migrator.migrateTo(name);
  if (error) throw error;
}

/** Names of the migrations this build knows that the database has not run (readiness). */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  return (await migrator.getMigrations()).filter((m) => !m.executedAt).map((m) => m.name);
}
