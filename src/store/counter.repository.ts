/**
 * Gap-tolerant sequences (case numbers).
 *
 * SQLite (one writer): one upsert of a `counters` row. PostgreSQL: one sequence per year,
 * `case_number_<year>` (issue 9) — `nextval` takes no row lock, so concurrent intakes do not
 * queue behind each other's commits the way they did on the year's `counters` row. A number
 * drawn by a transaction that rolls back is lost (numbers are documented as gap-tolerant).
 * Migration 0010 turned the existing counters into sequences; a year's first intake creates its
 * sequence (`ensureCaseNumbers`), seeded from a counter row of that year should one exist.
 */
import { sql } from 'kysely';
import type { Database, Dialect, Executor } from './db.js';

export async function nextValue(db: Executor, name: string): Promise<number> {
  const row = await db
    .insertInto('counters')
    .values({ name, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

function checkedYear(year: number): number {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new Error(`case number year out of range: ${year}`);
  return year;
}

const ensured = new WeakMap<Database, Set<number>>();

/**
 * Makes sure the year's case numbers can be drawn inside a transaction (PostgreSQL: its sequence
 * exists). Call before the intake's transaction: creating a sequence is DDL, and two instances
 * creating the same one at once would make one of them fail. Remembered per process.
 */
export async function ensureCaseNumbers(database: Database, year: number): Promise<void> {
  if (database.dialect !== 'postgres') return;
  let years = ensured.get(database);
  if (!years) ensured.set(database, (years = new Set()));
  if (years.has(year)) return;
  const name = `case_number_${checkedYear(year)}`;
  await database.db.transaction().execute(async (trx) => {
    // One creator at a time (every instance may see the new year at once).
    await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
    const exists = await sql<{ r: string | null }>`select to_regclass(${name})::text as r`.execute(trx);
    if (exists.rows[0]?.r) return;
    // A counter row of this year (a database from before the sequences): carry on after it.
    const counter = await trx.selectFrom('counters').select('value').where('name', '=', `complaint:${year}`).executeTakeFirst();
    await sql.raw(`create sequence if not exists ${name} start with ${Number(counter?.value ?? 0) + 1}`).execute(trx);
  });
  years.add(year);
}

/** The next case number of `year` (ensureCaseNumbers first on PostgreSQL). */
export async function nextCaseNumber(db: Executor, dialect: Dialect, year: number): Promise<number> {
  if (dialect !== 'postgres') return nextValue(db, `complaint:${year}`);
  const r = await sql<{ n: string }>`select nextval(${`case_number_${checkedYear(year)}`}) as n`.execute(db);
  return Number(r.rows[0]!.n);
}

/** The human case number of a year's sequence value: KS-2026-000123. */
export function formatCaseNumber(year: number, seq: number): string {
  return `KS-${year}-${String(seq).padStart(6, '0')}`;
}

/**
 * `count` case numbers of `year` at once (the history import draws a batch's numbers in a short
 * transaction of their own before the batch): one counter update on SQLite, one `nextval` per
 * number in one statement on PostgreSQL (ensureCaseNumbers first). Gap-tolerant like every draw.
 */
export async function nextCaseNumbers(db: Executor, dialect: Dialect, year: number, count: number): Promise<number[]> {
  if (count <= 0) return [];
  if (dialect !== 'postgres') {
    const row = await db
      .insertInto('counters')
      .values({ name: `complaint:${year}`, value: count })
      .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', count) })))
      .returning('value')
      .executeTakeFirstOrThrow();
    const last = Number(row.value);
    return Array.from({ length: count }, (_, i) => last - count + 1 + i);
  }
  const r = await sql<{ n: string }>`select nextval(${`case_number_${checkedYear(year)}`}) as n from generate_series(1, cast(${count} as integer))`.execute(db);
  return r.rows.map((x) => Number(x.n)).sort((a, b) => a - b);
}
