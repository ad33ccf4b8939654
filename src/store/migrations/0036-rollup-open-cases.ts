/**
 * The roll-ups count open cases too (issue 11 scale: a monthly report's cost independent of the
 * cases still open; docs/reports.md "Roll-ups"):
 * - `report_rollup_cases.pending`: the pending-ledger count (settled cases never had one);
 * - `report_rollup_ages`: the open cases (`basis` open: by the local day they were received) and
 *   the pending ones (`basis` pend: by the local day they were pended), counted per `at_day`, so a
 *   report derives the backlog ages at its own time from the days wholly inside an age bucket;
 * - `report_rollup_parts`: for each case rolled up while open, what it added to the day's rows
 *   (JSON), with its filter columns, so a report takes a changed case off again;
 * - `report_rollup_case_marks`: the rolled-up open cases changed since (one row per case, written
 *   by the transition that changes it): read from the facts until the job rebuilds their day;
 * - `case_facts.rolled_part`: 1 when the case has a part (rolled up while open), 0 otherwise.
 * Existing data: every row stays; days rolled up before hold settled cases only and their open
 * cases unrolled (rolled_part 0), which the job's next pass rolls up. Frozen once released:
 * imports no application code.
 */
import { type Kysely } from 'kysely';

const DIMS = ['policy_key', 'kind', 'channel', 'category', 'department_code', 'grade', 'customer_class'] as const;

type Builder = ReturnType<Kysely<any>['schema']['createTable']>;

function withDims(t: Builder): Builder {
  let r = t.addColumn('day', 'text', (c) => c.notNull());
  for (const d of DIMS) r = r.addColumn(d, 'text');
  return r;
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('report_rollup_cases')
    .addColumn('pending', 'double precision', (c) => c.notNull().defaultTo(0))
    .execute();
  await withDims(db.schema.createTable('report_rollup_ages'))
    .addColumn('basis', 'text', (c) => c.notNull())
    .addColumn('at_day', 'text', (c) => c.notNull())
    .addColumn('n', 'double precision', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_rollup_ages_day').on('report_rollup_ages').column('day').execute();
  await withDims(db.schema.createTable('report_rollup_parts').addColumn('complaint_id', 'text', (c) => c.primaryKey()))
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_rollup_parts_day').on('report_rollup_parts').column('day').execute();
  await db.schema
    .createTable('report_rollup_case_marks')
    .addColumn('complaint_id', 'text', (c) => c.primaryKey())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_rollup_case_marks_received').on('report_rollup_case_marks').column('received_at').execute();
  await db.schema
    .alterTable('case_facts')
    .addColumn('rolled_part', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('case_facts').dropColumn('rolled_part').execute();
  for (const t of ['case_marks', 'parts', 'ages']) await db.schema.dropTable(`report_rollup_${t}`).ifExists().execute();
  await db.schema.alterTable('report_rollup_cases').dropColumn('pending').execute();
}
