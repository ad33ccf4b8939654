/**
 * Absences and stand-ins (issue 10 §3):
 * - `absences`: one row per recorded absence of a person — its period [starts_at, ends_at), the
 *   reason, the stand-in it names (nullable), who recorded it, a cancellation, and when the
 *   absence job processed its start (`handed_over_at`) and its end (`finished_at`).
 * - `absence_handovers`: one row per duty a stand-in took over on a case (`primary_handler` or
 *   `approval`), unique per absence, case and duty, so the job never hands a case over twice; the
 *   handlers before (`previous`, JSON) for the return; `ended_at` / `outcome` when the absence ended.
 * Existing data is untouched: no absence was recorded before. Frozen once released.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('absences')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('stand_in_id', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('cancelled_at', 'text')
    .addColumn('cancelled_by', 'text')
    .addColumn('handed_over_at', 'text')
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('absences_user').on('absences').columns(['user_id', 'starts_at']).execute();
  // The job's work list: absences not finished yet, by start.
  await db.schema.createIndex('absences_open').on('absences').columns(['finished_at', 'starts_at']).execute();
  await db.schema
    .createTable('absence_handovers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('absence_id', 'text', (c) => c.notNull())
    .addColumn('complaint_id', 'text', (c) => c.notNull())
    .addColumn('duty', 'text', (c) => c.notNull())
    .addColumn('absent_id', 'text', (c) => c.notNull())
    .addColumn('stand_in_id', 'text')
    .addColumn('previous', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('outcome', 'text')
    .addUniqueConstraint('absence_handovers_once', ['absence_id', 'complaint_id', 'duty'])
    .execute();
  await db.schema.createIndex('absence_handovers_complaint').on('absence_handovers').column('complaint_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('absence_handovers').ifExists().execute();
  await db.schema.dropTable('absences').ifExists().execute();
}
