/**
 * `accountability_entries (policy_key, created_at)`: the scorecards first ask which policies the
 * period's entries were made under (each decides what the reader may see). Without this index
 * that question read every entry of the period — a parallel sequential scan of all 100 000
 * entries of a month on PostgreSQL, ~55–77 ms of a department manager's 120–230 ms page
 * (bench/reports.ts --scorecards, docs/performance.md). With it each policy is one index probe
 * (store/accountability.repository.ts `entryPolicyKeys`). Index only: every row stays as it is.
 * Frozen once released.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('accountability_entries_policy').on('accountability_entries').columns(['policy_key', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('accountability_entries_policy').ifExists().execute();
}
