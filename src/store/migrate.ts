/** Runs the migrations in src/store/migrations (listed here so bundling cannot miss one). */
import { Migrator, type Kysely, type Migration } from 'kysely';
import * as m0001 from './migrations/0001-initial.js';
import * as m0002 from './migrations/0002-full-text-search.js';
import * as m0003 from './migrations/0003-customer-channels.js';
import * as m0004 from './migrations/0004-next-due.js';
import * as m0005 from './migrations/0005-pii-access-log.js';
import * as m0006 from './migrations/0006-search-rowid.js';
import * as m0007 from './migrations/0007-shared-caches.js';
import * as m0008 from './migrations/0008-login-throttle.js';
import * as m0009 from './migrations/0009-audit-anchors.js';
import * as m0010 from './migrations/0010-case-number-sequences.js';
import * as m0011 from './migrations/0011-contact-keys.js';
import * as m0012 from './migrations/0012-idempotency-everywhere.js';
import * as m0013 from './migrations/0013-report-facts.js';
import * as m0014 from './migrations/0014-accounts.js';
import * as m0015 from './migrations/0015-retention-holds.js';
import * as m0016 from './migrations/0016-accountability.js';
import * as m0017 from './migrations/0017-report-runs.js';
import * as m0018 from './migrations/0018-absences.js';
import * as m0019 from './migrations/0019-ledger-import.js';
import * as m0020 from './migrations/0020-file-store.js';
import * as m0023 from './migrations/0023-customer-flags.js';
import * as m0025 from './migrations/0025-knowledge.js';
import * as m0026 from './migrations/0026-repeats-problems.js';
import * as m0027 from './migrations/0027-duties.js';
import * as m0029 from './migrations/0029-records-console.js';
import * as m0030 from './migrations/0030-purge-listing.js';
import * as m0031 from './migrations/0031-report-indexes.js';
import * as m0032 from './migrations/0032-report-rollups.js';
import * as m0035 from './migrations/0035-approval-queue-index.js';
import * as m0036 from './migrations/0036-rollup-open-cases.js';
import * as m0037 from './migrations/0037-accountability-policy-index.js';
import * as m0039 from './migrations/0039-outbox-finished-index.js';
import * as m0040 from './migrations/0040-case-match-terms.js';
import * as m0041 from './migrations/0041-outbox-pending-channel-index.js';

/** What some migrations need from the configuration (never stored in the database). */
export interface MigrationOptions {
  /** The contact key (services/contact-keys.ts) that 0011 keys existing cases under; default the development key. */
  contactKey?: Buffer;
}

function migrationsFor(opts: MigrationOptions): Record<string, Migration> {
  return {
    '0001-initial': m0001,
    '0002-full-text-search': m0002,
    '0003-customer-channels': m0003,
    '0004-next-due': m0004,
    '0005-pii-access-log': m0005,
    '0006-search-rowid': m0006,
    '0007-shared-caches': m0007,
    '0008-login-throttle': m0008,
    '0009-audit-anchors': m0009,
    '0010-case-number-sequences': m0010,
    '0011-contact-keys': { up: (db) => m0011.up(db, opts.contactKey), down: m0011.down },
    '0012-idempotency-everywhere': m0012,
    '0013-report-facts': m0013,
    '0014-accounts': m0014,
    '0015-retention-holds': m0015,
    '0016-accountability': m0016,
    '0017-report-runs': m0017,
    '0018-absences': m0018,
    '0019-ledger-import': m0019,
    '0020-file-store': m0020,
    '0023-customer-flags': m0023,
    '0025-knowledge': m0025,
    '0026-repeats-problems': m0026,
    '0027-duties': m0027,
    '0029-records-console': m0029,
    '0030-purge-listing': m0030,
    '0031-report-indexes': m0031,
    '0032-report-rollups': m0032,
    '0035-approval-queue-index': m0035,
    '0036-rollup-open-cases': m0036,
    '0037-accountability-policy-index': m0037,
    '0039-outbox-finished-index': m0039,
    '0040-case-match-terms': m0040,
    '0041-outbox-pending-channel-index': m0041,
  };
}

/** The migrations' names in order. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(migrationsFor({}));

export async function migrateToLatest(db: Kysely<any>, opts: MigrationOptions = {}): Promise<string[]> {
  const migrations = migrationsFor(opts);
  // Numbers were reserved in parallel work (0008…0012): a database that already ran a later one
  // still gets an earlier one that landed after it, instead of refusing to start.
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Runs the migrations up to and including `name` (tests of a migration on an older database). */
export async function migrateTo(db: Kysely<any>, name: string, opts: MigrationOptions = {}): Promise<void> {
  const migrations = migrationsFor(opts);
  const { error } = await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateTo(name);
  if (error) throw error;
}

/** Names of the migrations this build knows that the database has not run (readiness). */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const migrations = migrationsFor({});
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  return (await migrator.getMigrations()).filter((m) => !m.executedAt).map((m) => m.name);
}
