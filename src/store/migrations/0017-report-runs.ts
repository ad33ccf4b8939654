/**
 * Scheduled and requested report runs (issue 11 §3): `report_runs`, one row per report — the
 * policy (organisation) it was made for, its kind and period — stored once and never changed
 * after it is done. UNIQUE (scope, kind, period) is what keeps two instances from generating
 * the same report twice: a run is claimed by inserting its row (or by taking over a lapsed
 * lease) before anything is generated (store/report-run.repository.ts).
 *
 * Nothing exists to carry forward: the table is new, and no existing table changes.
 * Frozen once released.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('report_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** The policy id (not version): the organisation the report is for. */
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('period_from', 'text', (c) => c.notNull())
    .addColumn('period_to', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    /** The policy version whose schedule and sections applied. */
    .addColumn('policy_key', 'text', (c) => c.notNull())
    /** schedule | manual */
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text')
    .addColumn('scheduled_at', 'text')
    /** running | failed | done */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('step', 'text')
    .addColumn('sections', 'text', (c) => c.notNull())
    /** The statistics of the period as JSON, once done; its SHA-256 beside it. */
    .addColumn('content', 'text')
    .addColumn('content_hash', 'text')
    .addColumn('headline', 'text')
    .addColumn('deliveries', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('delivery_note', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addUniqueConstraint('report_runs_scope_kind_period', ['scope', 'kind', 'period'])
    .execute();
  await db.schema.createIndex('report_runs_created').on('report_runs').columns(['scope', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_runs').ifExists().execute();
}
