/**
 * The running clock that falls due next, denormalised onto the case for queues (countdown
 * colours, follow-up lists ordered by due time). Backfilled from the clocks. Frozen once released.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('complaints').addColumn('next_due_kind', 'text').execute();
  await db.schema.alterTable('complaints').addColumn('next_due_at', 'text').execute();
  await db.schema.alterTable('complaints').addColumn('next_warn_at', 'text').execute();
  await db.schema.createIndex('complaints_next_due').on('complaints').columns(['next_due_at', 'id']).execute();
  const next = sql`(select k.kind from clocks k where k.complaint_id = complaints.id and k.status = 'running' and k.due_at is not null and k.kind not like 'grade_rise%' order by k.due_at limit 1)`;
  await sql`update complaints set next_due_kind = ${next}`.execute(db);
  const warn = db.getExecutor().adapter instanceof PostgresAdapter ? sql`(k.body::json ->> 'warnAt')` : sql`json_extract(k.body, '$.warnAt')`;
  await sql`update complaints set
      next_due_at = (select k.due_at from clocks k where k.complaint_id = complaints.id and k.kind = complaints.next_due_kind),
      next_warn_at = (select ${warn} from clocks k where k.complaint_id = complaints.id and k.kind = complaints.next_due_kind)
    where next_due_kind is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('complaints_next_due').execute();
  for (const c of ['next_warn_at', 'next_due_at', 'next_due_kind']) await db.schema.alterTable('complaints').dropColumn(c).execute();
}
