/**
 * Cache stamps (migration 0007): a counter per cache that every instance of one database shares.
 * The transaction that changes a cache's data bumps its stamp; an instance whose copy was built at
 * another stamp throws its copy away (services/app.ts). Reading a stamp is one primary-key row.
 */
import { sql } from 'kysely';
import type { Executor } from './db.js';

/** `calendars`: holiday years (services/app.ts); `policies`: which policy version is active (services/policies.ts). */
export type CacheName = 'calendars' | 'policies';

/** Bumps the stamp; call in the transaction that changes the cache's data. */
export async function bumpCacheStamp(db: Executor, name: CacheName): Promise<void> {
  await db
    .insertInto('cache_stamps')
    .values({ name, stamp: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ stamp: sql<number>`cache_stamps.stamp + 1` }))
    .execute();
}

export async function readCacheStamp(db: Executor, name: CacheName): Promise<number> {
  const row = await db.selectFrom('cache_stamps').select('stamp').where('name', '=', name).executeTakeFirst();
  return row ? Number(row.stamp) : 0;
}
