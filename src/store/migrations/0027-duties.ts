/**
 * Duties (issue 10 §2): tasks a transition or the calendar creates that are not state changes —
 * case duties (complaint_id set, created in the transition's transaction) and organisation duties
 * (period set, created once per period: UNIQUE (code, period) holds with several instances).
 * duty_history audits each step of a duty (created, reminded, breached, completed). New tables
 * only: nothing existing changes. Frozen once released.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('duties')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('complaint_id', 'text')
    .addColumn('period', 'text')
    .addColumn('policy_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('owner_role', 'text')
    .addColumn('owner_user_id', 'text')
    .addColumn('owner_department', 'text')
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('remind_at', 'text', (c) => c.notNull()) // JSON array of instants still to send
    .addColumn('next_check_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // open | done
    .addColumn('breached_at', 'text')
    .addColumn('completed_at', 'text')
    .addColumn('completed_by', 'text')
    .addColumn('record', 'text') // JSON
    .addUniqueConstraint('duties_code_period', ['code', 'period'])
    .execute();
  await db.schema.createIndex('duties_next_check').on('duties').column('next_check_at').execute();
  await db.schema.createIndex('duties_complaint').on('duties').column('complaint_id').execute();
  await db.schema
    .createTable('duty_history')
    .addColumn('duty_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('step', 'text', (c) => c.notNull()) // created | reminded | breached | completed
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('duty_history_pk', ['duty_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('duty_history').ifExists().execute();
  await db.schema.dropTable('duties').ifExists().execute();
}
