/**
 * Accountability (考核, issue 11 §4):
 * - `accountability_entries`: one row per penalty or reward a transition created (the decision
 *   writer, store/decisions.ts, in the transition's transaction), with its current status
 *   (proposed → confirmed | appealed → upheld | overturned) and amount. Unique per case, rule and
 *   target (`dedupe_key`), so a re-investigation or a retried sweep makes no second entry.
 * - `accountability_history`: every step of every entry (proposed, confirmed, appealed, upheld,
 *   overturned) with who, when, the amount set and the reason given — append-only like the
 *   timeline (the same triggers as migration 0009: no UPDATE or DELETE).
 * Entries are not tied to the complaints table by a foreign key: a staff member's record
 * outlives the archived case. No existing data: entries start with the first transition after it.
 * Frozen once released: imports no application code.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

const isPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('accountability_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('complaint_id', 'text', (c) => c.notNull())
    .addColumn('complaint_number', 'text', (c) => c.notNull())
    .addColumn('policy_key', 'text', (c) => c.notNull())
    .addColumn('source_version', 'integer', (c) => c.notNull())
    .addColumn('source_action', 'text', (c) => c.notNull())
    .addColumn('rule_code', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('effect', 'text', (c) => c.notNull())
    .addColumn('points', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('amount', 'double precision')
    .addColumn('amount_min', 'double precision')
    .addColumn('amount_max', 'double precision')
    .addColumn('person_id', 'text')
    .addColumn('department_code', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('accountability_entries_once', ['complaint_id', 'rule_code', 'dedupe_key'])
    .execute();
  await db.schema.createIndex('accountability_entries_person').on('accountability_entries').columns(['person_id', 'created_at']).execute();
  await db.schema.createIndex('accountability_entries_department').on('accountability_entries').columns(['department_code', 'created_at']).execute();
  await db.schema.createIndex('accountability_entries_created').on('accountability_entries').columns(['created_at']).execute();

  await db.schema
    .createTable('accountability_history')
    .addColumn('entry_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('amount', 'double precision')
    .addColumn('reason', 'text')
    .addPrimaryKeyConstraint('accountability_history_pk', ['entry_id', 'seq'])
    .execute();

  // Append-only, as the timeline (0009's function on PostgreSQL; the same guard on SQLite).
  if (isPostgres(db)) {
    await sql`create trigger accountability_history_append_only before update or delete on accountability_history for each row execute function kesu_append_only()`.execute(db);
    await sql`create trigger accountability_history_no_truncate before truncate on accountability_history for each statement execute function kesu_append_only()`.execute(db);
  } else {
    for (const op of ['update', 'delete'])
      await sql
        .raw(
          `create trigger accountability_history_no_${op} before ${op} on accountability_history when not exists (select 1 from audit_purge_permits) begin select raise(abort, 'accountability_history is append-only (docs/audit.md)'); end`,
        )
        .execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop trigger if exists accountability_history_append_only on accountability_history`.execute(db);
    await sql`drop trigger if exists accountability_history_no_truncate on accountability_history`.execute(db);
  } else {
    for (const op of ['update', 'delete']) await sql.raw(`drop trigger if exists accountability_history_no_${op}`).execute(db);
  }
  await db.schema.dropTable('accountability_history').ifExists().execute();
  await db.schema.dropTable('accountability_entries').ifExists().execute();
}
