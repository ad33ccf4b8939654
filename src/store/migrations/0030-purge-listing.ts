/**
 * The retention purge's listing (records/retention.ts) walks the archived cases in id order, a
 * batch at a time (`state = 'archived' and id > ? order by id limit 100`). With only
 * `complaints_state (state, received_at, id)` each batch read every archived case and sorted
 * them — a pass over N archived cases cost N²/100 row visits. `(state, id)` lets each batch read
 * its next rows in order and stop. An index only: every row stays as it is.
 * Frozen once released.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('complaints_state_id').on('complaints').columns(['state', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('complaints_state_id').ifExists().execute();
}
