/**
 * Contact keys (migration 0011): keyed hashes of each case's normalised contact terms, so a case
 * is found by the customer's phone (any format), its last four digits with the name or a date,
 * the e-mail, ID, order or plate number, without a second plaintext copy. Lookups join the cases
 * through the need-to-know filter (`visibleTo`), so a key never reveals a case the person may not
 * see — the complained-about employee included.
 */
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Actor, Complaint } from '../domain/complaint/types.js';
import { visibleTo } from './complaint.repository.js';
import type { Executor } from './db.js';
import type { DB } from './schema.js';

/** Writes a new case's keys (inside the intake transaction; the hashes were computed before it). */
export async function insertContactKeys(db: Executor, complaintId: string, keys: readonly { key: string; kind: string }[]): Promise<void> {
  if (!keys.length) return;
  await db
    .insertInto('contact_keys')
    .values(keys.map((k) => ({ key: k.key, complaint_id: complaintId, kind: k.kind })))
    .execute();
}

/** `complaints.id IN (cases holding one of these keys)`, for the list's search. */
export function matchesContactKeys(eb: ExpressionBuilder<DB, 'complaints'>, keys: readonly string[]): Expression<SqlBool> {
  return eb('complaints.id', 'in', eb.selectFrom('contact_keys').select('contact_keys.complaint_id').where('contact_keys.key', 'in', [...keys]));
}

/**
 * The cases holding one of the keys, visible or not (at most `limit`): the list's search then
 * filters them by visibility like any other. One probe of the primary key per key.
 */
export async function caseIdsByContactKeys(db: Executor, keys: readonly string[], limit = 1000): Promise<string[]> {
  if (!keys.length) return [];
  const rows = await db.selectFrom('contact_keys').select('complaint_id').distinct().where('key', 'in', [...keys]).limit(limit).execute();
  return rows.map((r) => r.complaint_id);
}

/**
 * The visible cases holding one of the keys, newest first (at most `limit`), and how many there
 * are in all (counted up to `countUpTo`). `receivedFrom` / `receivedBefore` bound the intake
 * time ("last four + date").
 */
export async function findCasesByContact(
  db: Executor,
  actor: Actor,
  keys: readonly string[],
  opts: { limit: number; countUpTo?: number; receivedFrom?: string; receivedBefore?: string },
): Promise<{ cases: Complaint[]; total: number; open: number }> {
  if (!keys.length) return { cases: [], total: 0, open: 0 };
  let q = db.selectFrom('complaints').where(visibleTo(actor)).where((eb) => matchesContactKeys(eb, keys));
  if (opts.receivedFrom) q = q.where('received_at', '>=', opts.receivedFrom);
  if (opts.receivedBefore) q = q.where('received_at', '<', opts.receivedBefore);
  const rows = await q.select('body').orderBy('received_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
  const counted = await q
    .select('state')
    .limit(opts.countUpTo ?? 1000)
    .execute();
  const open = counted.filter((r) => !CLOSED_STATES.includes(r.state)).length;
  return { cases: rows.map((r) => JSON.parse(r.body) as Complaint), total: counted.length, open };
}

/** States in which a case is over: its history, not an open case to add the call to. */
export const CLOSED_STATES: readonly string[] = ['invalid', 'closed', 'archived'];
