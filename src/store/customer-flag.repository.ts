/** Customer flags (migration 0023): set, lift, and the active flags of a set of contact keys. */
import type { Executor } from './db.js';
import type { CustomerFlagsTable } from './schema.js';

export type CustomerFlagRow = CustomerFlagsTable;

export async function insertCustomerFlag(db: Executor, row: CustomerFlagRow, keys: string[]): Promise<void> {
  await db.insertInto('customer_flags').values(row).execute();
  if (keys.length)
    await db
      .insertInto('customer_flag_keys')
      .values(keys.map((key) => ({ key, flag_id: row.id })))
      .execute();
}

export async function getCustomerFlag(db: Executor, id: string): Promise<CustomerFlagRow | null> {
  return (await db.selectFrom('customer_flags').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** Lifts a flag that is still in force; false when it was lifted already. */
export async function liftCustomerFlag(db: Executor, id: string, by: { id: string; name: string }, at: string, reason: string): Promise<boolean> {
  const r = await db.updateTable('customer_flags').set({ lifted_by: by.id, lifted_by_name: by.name, lifted_at: at, lift_reason: reason }).where('id', '=', id).where('lifted_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Flags in force at `now` naming any of `keys`, newest first. */
export async function activeFlagsFor(db: Executor, keys: readonly string[], now: string): Promise<CustomerFlagRow[]> {
  if (!keys.length) return [];
  return db
    .selectFrom('customer_flags')
    .selectAll()
    .where(
      'id',
      'in',
      db
        .selectFrom('customer_flag_keys')
        .select('flag_id')
        .where('key', 'in', [...keys]),
    )
    .where('lifted_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .orderBy('set_at', 'desc')
    .execute();
}

/** The contact keys a case's customer is known by (contact_keys, migration 0011). */
export async function contactKeysOfCases(db: Executor, complaintIds: readonly string[]): Promise<string[]> {
  if (!complaintIds.length) return [];
  const rows = await db
    .selectFrom('contact_keys')
    .select('key')
    .distinct()
    .where('complaint_id', 'in', [...complaintIds])
    .execute();
  return rows.map((r) => r.key);
}
