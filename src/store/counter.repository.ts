/** Gap-tolerant sequences (case numbers). One upsert: portable to SQLite and PostgreSQL. */
import type { Executor } from './db.js';

export async function nextValue(db: Executor, name: string): Promise<number> {
  const row = await db
    .insertInto('counters')
    .values({ name, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}
