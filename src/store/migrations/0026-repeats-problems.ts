/**
 * Repeat complaints and problem records (issue 13 §2, 003 规范5): links between a new case and
 * earlier cases of the same customer or about the same subject (with the reason), and problem
 * records (问题单) grouping cases around a corrective action, each step kept in an append-only
 * history. New tables only: nothing existing changes. Cases received before this migration get no
 * links (they are linked only at intake; back-filling would invent links the intake never showed
 * and the windows of a later policy would not be those in force then). Frozen once released.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_links')
    .addColumn('complaint_id', 'text', (c) => c.notNull()) // the newer case
    .addColumn('linked_id', 'text', (c) => c.notNull()) // the earlier case
    .addColumn('reason', 'text', (c) => c.notNull()) // customer | reference | text
    .addColumn('detail', 'text') // reference: order | plate; text: the similarity
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_links_pk', ['complaint_id', 'linked_id', 'reason'])
    .execute();
  await db.schema.createIndex('case_links_linked').on('case_links').column('linked_id').execute();
  await db.schema
    .createTable('problems')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull()) // the corrective action
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('owner_name', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull()) // YYYY-MM-DD
    .addColumn('state', 'text', (c) => c.notNull()) // open | action_done | verified
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('problems_state').on('problems').columns(['state', 'updated_at']).execute();
  await db.schema
    .createTable('problem_cases')
    .addColumn('problem_id', 'text', (c) => c.notNull())
    .addColumn('complaint_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('problem_cases_pk', ['problem_id', 'complaint_id'])
    .execute();
  await db.schema.createIndex('problem_cases_complaint').on('problem_cases').column('complaint_id').execute();
  await db.schema
    .createTable('problem_history')
    .addColumn('id', 'text', (c) => c.primaryKey()) // uuidv7: time-ordered
    .addColumn('problem_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull()) // 1, 2, … per record: the order of the steps
    .addColumn('step', 'text', (c) => c.notNull()) // open | action_done | verify | reopen
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('problem_history_seq').on('problem_history').columns(['problem_id', 'seq']).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['problem_history', 'problem_cases', 'problems', 'case_links']) await db.schema.dropTable(t).ifExists().execute();
}
