/**
 * Contact keys (migration 0011): keyed hashes of each case's normalised contact terms, so a case
 * is found by the customer's phone (any format), its last four digits with the name or a date,
 * the e-mail, ID, order or plate number, without a second plaintext copy. Lookups join the cases
 * through the need-to-know filter (`visibleTo`), so a key never reveals a case the person may not
 * see — the complained-about employee included.
 */
import type { Actor, Complaint } from '../domain/complaint/types.js';
import { visibleTo } from './complaint.repository.js';
import type { Executor } from './db.js';

/** Writes a new case's keys (inside the intake transaction; the hashes were computed before it). */
export async function insertContactKeys(db: Executor, complaintId: string, keys: readonly { key: string; kind: string }[]): Promise<void> {
  if (!keys.length) return;
  await db
    .insertInto('contact_keys')
    .values(keys.map((k) => ({ key: k.key, complaint_id: complaintId, kind: k.kind })))
    .execute();
}

/**
 * The cases holding one of the keys, visible or not (at most `limit`): the list's search then
 * filters them by visibility like any other. One probe of the primary key per key.
 */
export async function caseIdsByContactKeys(db: Executor, keys: readonly string[], limit = 1000): Promise<string[]> {
  if (!keys.length) return [];
  const rows = await db
    .selectFrom('contact_keys')
    .select('complaint_id')
    .distinct()
    .where('key', 'in', [...keys])
    .limit(limit)
    .execute();
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
  const q = casesByContactQuery(db, actor, keys, opts);
  const rows = await q.select('body').orderBy('received_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
  const counted = await q
    .select('state')
    .limit(opts.countUpTo ?? 1000)
    .execute();
  const open = counted.filter((r) => !CLOSED_STATES.includes(r.state)).length;
  return { cases: rows.map((r) => JSON.parse(r.body) as Complaint), total: counted.length, open };
}

/**
 * The visible cases holding one of the (non-empty) keys, before the columns are chosen. Driven by
 * the key: its cases (the key's primary-key range), then those rows by id, then the need-to-know
 * filter probed per case. `cross join` keeps that order on SQLite, which plans without statistics
 * and would otherwise start from every case the person takes part in (an agent's thousands of
 * intakes, listed per lookup); PostgreSQL reorders it freely.
 */
export function casesByContactQuery(db: Executor, actor: Actor, keys: readonly string[], opts: { receivedFrom?: string; receivedBefore?: string } = {}) {
  let q = db
    .selectFrom((eb) =>
      eb
        .selectFrom('contact_keys')
        .select('contact_keys.complaint_id')
        .distinct()
        .where('contact_keys.key', 'in', [...new Set(keys)])
        .as('k'),
    )
    .crossJoin('complaints')
    .whereRef('complaints.id', '=', 'k.complaint_id')
    .where(visibleTo(actor, { probe: true }));
  if (opts.receivedFrom) q = q.where('received_at', '>=', opts.receivedFrom);
  if (opts.receivedBefore) q = q.where('received_at', '<', opts.receivedBefore);
  return q;
}

/** States in which a case is over: its history, not an open case to add the call to. */
export const CLOSED_STATES: readonly string[] = ['invalid', 'closed', 'archived'];
