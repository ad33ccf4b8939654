/**
 * State that several instances on one database share (issue 8):
 * - `cache_stamps`: one counter per cache, bumped in the transaction that changes what the cache
 *   holds (the holiday years); every instance compares it with the stamp its copy was built at.
 * - `rate_limits`: the portal's request counters per client address and route, one fixed window
 *   per row, counted with one atomic upsert (used on PostgreSQL; SQLite counts in memory).
 * Both start empty but for the calendars stamp: nothing to carry forward. Frozen once released.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('cache_stamps')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('stamp', 'integer', (c) => c.notNull())
    .execute();
  await db.insertInto('cache_stamps').values({ name: 'calendars', stamp: 0 }).execute();
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('resets_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_limits_resets_at').on('rate_limits').column('resets_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limits').ifExists().execute();
  await db.schema.dropTable('cache_stamps').ifExists().execute();
}
