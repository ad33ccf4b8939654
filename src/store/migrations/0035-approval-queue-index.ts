/**
 * `complaints (needs_approval, received_at, id)`: an approver's visibility includes the cases
 * waiting for approval (relations: `approval_queue`, `needs_approval = 1`). Without an index that
 * branch walked every case in date order looking for the few waiting ones — the department
 * manager's first queue page took ~28 ms at 20,000 cases on SQLite (bench:http), growing with the
 * table; with it the branch reads only the waiting cases, newest first. Index only: every row
 * stays as it is. Frozen once released.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('complaints_needs_approval').on('complaints').columns(['needs_approval', 'received_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('complaints_needs_approval').ifExists().execute();
}
