/**
 * Case numbers on PostgreSQL from one sequence per year (issue 9): the `counters` row of a year
 * is locked by every intake until its commit, so concurrent intakes queued on it. Each existing
 * `complaint:<year>` counter becomes a sequence `case_number_<year>` that starts after the
 * counter's value, so no number is given twice. Years without a counter get their sequence on
 * demand (store/counter.repository.ts). SQLite (one writer) keeps its counter: nothing to do.
 * Frozen once released.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  const rows = await db.selectFrom('counters').select(['name', 'value']).where('name', 'like', 'complaint:%').execute();
  for (const r of rows) {
    const year = Number(String(r.name).slice('complaint:'.length));
    if (!Number.isInteger(year) || year < 1000 || year > 9999) continue;
    await sql.raw(`create sequence if not exists case_number_${year} start with ${Number(r.value) + 1}`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  const seqs = await sql<{ name: string }>`select sequencename as name from pg_sequences where sequencename like 'case_number_%'`.execute(db);
  for (const s of seqs.rows) await sql.raw(`drop sequence if exists ${s.name}`).execute(db);
}
