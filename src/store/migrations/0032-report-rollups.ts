/**
 * Per-day roll-ups of the report statistics (issue 11 scale, docs/reports.md "Roll-ups"):
 * - `report_rollup_cases`, `_clocks`, `_closures`, `_wms`, `_repeat`: the statistics' sums over
 *   the settled cases (closed or archived) received on one local day, grouped by the filter
 *   columns, written by the roll-up job (reports/rollups.ts) outside any transition;
 * - `report_rollup_days`: the days rolled up (a day with a case that has no facts row is not);
 * - `report_rollup_meta`: the time zone the days are local to (a policy with another zone makes
 *   the job start over);
 * - `report_rollup_marks`: spans of receipt instants whose rolled-up days are stale (a rolled-up
 *   case changed, a case was purged or imported): the statistics read those days from the facts
 *   until the job has rebuilt them;
 * - `case_facts.rolled_day`: the day a case is rolled up under (null: read from the facts), with
 *   partial indexes over the rows not rolled up, so the live tail is found without reading the
 *   rolled-up cases.
 * Existing data: nothing is rolled up until the job's first pass; until then every case is read
 * from the facts, as before. Frozen once released: imports no application code.
 */
import { sql, type Kysely } from 'kysely';

const DIMS = ['policy_key', 'kind', 'channel', 'category', 'department_code', 'grade', 'customer_class'] as const;
/** The counters of `report_rollup_cases` (reports/statistics.ts `COUNTERS`). */
const COUNTERS = [
  'total',
  'judged',
  'unjudged',
  'valid',
  'invalid',
  'malicious',
  'v0',
  'v0_malicious',
  'closed',
  'moded',
  'mode_immediate',
  'mode_within_limit',
  'mode_overdue',
  'mode_repeated',
  'answered',
  'first_contact',
  'timed',
  'sum_wms',
  'sat_cases',
  'satisfied',
  'sat_very_satisfied',
  'sat_satisfied',
  'sat_neutral',
  'sat_unsatisfied',
  'score_attitude_sum',
  'score_attitude_n',
  'score_efficiency_sum',
  'score_efficiency_n',
  'score_result_sum',
  'score_result_n',
  'reopened',
  'reopens',
  'extended',
  'extensions',
  'special_extensions',
  'escalated',
  'escalations',
  'rep_keyed',
] as const;

// A table builder's type changes with each column; these tables are built from lists.
type Builder = ReturnType<Kysely<any>['schema']['createTable']>;

function withDims(t: Builder): Builder {
  let r = t.addColumn('day', 'text', (c) => c.notNull());
  for (const d of DIMS) r = r.addColumn(d, 'text');
  return r;
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('report_rollup_days')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('cases', 'integer', (c) => c.notNull())
    .addColumn('rolled_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('report_rollup_meta')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('zone', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  let cases = withDims(db.schema.createTable('report_rollup_cases')).addColumn('tier', 'integer').addColumn('reason', 'text');
  for (const n of COUNTERS) cases = cases.addColumn(n, 'double precision', (c) => c.notNull().defaultTo(0));
  await cases.execute();

  await withDims(db.schema.createTable('report_rollup_clocks'))
    .addColumn('clock_kind', 'text', (c) => c.notNull())
    .addColumn('deadline', 'integer', (c) => c.notNull())
    .addColumn('duty', 'integer', (c) => c.notNull())
    .addColumn('met', 'double precision', (c) => c.notNull())
    .addColumn('breached', 'double precision', (c) => c.notNull())
    .execute();
  await withDims(db.schema.createTable('report_rollup_closures'))
    .addColumn('closed_day', 'text', (c) => c.notNull())
    .addColumn('n', 'double precision', (c) => c.notNull())
    .execute();
  await withDims(db.schema.createTable('report_rollup_wms'))
    .addColumn('r', 'double precision', (c) => c.notNull())
    .addColumn('n', 'double precision', (c) => c.notNull())
    .execute();
  await withDims(db.schema.createTable('report_rollup_repeat'))
    .addColumn('gap_days', 'integer', (c) => c.notNull())
    .addColumn('n', 'double precision', (c) => c.notNull())
    .execute();
  for (const t of ['cases', 'clocks', 'closures', 'wms', 'repeat']) await db.schema.createIndex(`report_rollup_${t}_day`).on(`report_rollup_${t}`).column('day').execute();
  await db.schema.createIndex('report_rollup_closures_closed').on('report_rollup_closures').column('closed_day').execute();

  await db.schema
    .createTable('report_rollup_marks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('from_at', 'text', (c) => c.notNull())
    .addColumn('to_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.alterTable('case_facts').addColumn('rolled_day', 'text').execute();
  await sql`create index case_facts_unrolled_received on case_facts (received_at) where rolled_day is null`.execute(db);
  await sql`create index case_facts_unrolled_closed on case_facts (closed_at) where rolled_day is null`.execute(db);
  await db.schema.createIndex('case_facts_rolled_day').on('case_facts').columns(['rolled_day', 'received_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['case_facts_rolled_day', 'case_facts_unrolled_closed', 'case_facts_unrolled_received']) await db.schema.dropIndex(name).ifExists().execute();
  await db.schema.alterTable('case_facts').dropColumn('rolled_day').execute();
  for (const t of ['marks', 'repeat', 'wms', 'closures', 'clocks', 'cases', 'meta', 'days']) await db.schema.dropTable(`report_rollup_${t}`).ifExists().execute();
}
