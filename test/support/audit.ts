/** Test helpers for the audit trail: what an attacker with database access does first. */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../../src/store/db.js';

/** Removes the append-only triggers of migration 0009 (SQLite: drops them; PostgreSQL: disables them). */
export async function disableAppendOnly(db: Kysely<any>, dialect: Dialect): Promise<void> {
  for (const t of ['complaint_events', 'pii_access_log']) {
    if (dialect === 'postgres') await sql.raw(`alter table ${t} disable trigger user`).execute(db);
    else for (const op of ['update', 'delete']) await sql.raw(`drop trigger if exists ${t}_no_${op}`).execute(db);
  }
}
