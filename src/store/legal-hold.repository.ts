/**
 * Legal holds (migration 0015): rows, and the one SQL rule "is this case held" that both the
 * purge's listing and its per-case transaction use. A hold covers a case when it is not lifted
 * and it names the case, or one of the case's contact keys (a customer), or the case was received
 * in its range [from, to).
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Executor } from './db.js';
import type { DB, LegalHoldsTable } from './schema.js';

export type HoldRow = LegalHoldsTable;
/** A hold as listed: with the case's KS number for a case hold, so no reader shows the internal id. */
export type ListedHoldRow = HoldRow & { complaint_number: string | null };

export async function insertHold(db: Executor, row: HoldRow): Promise<void> {
  await db.insertInto('legal_holds').values(row).execute();
}

function listedHolds(db: Executor) {
  return db.selectFrom('legal_holds').leftJoin('complaints', 'complaints.id', 'legal_holds.complaint_id').selectAll('legal_holds').select('complaints.number as complaint_number');
}

export async function findHold(db: Executor, id: string): Promise<ListedHoldRow | undefined> {
  return listedHolds(db).where('legal_holds.id', '=', id).executeTakeFirst();
}

/** Lifts a hold that is still in force; false when it was lifted already (or is unknown). */
export async function liftHoldRow(db: Executor, id: string, by: string, at: string, reason: string): Promise<boolean> {
  const r = await db.updateTable('legal_holds').set({ lifted_by: by, lifted_at: at, lift_reason: reason }).where('id', '=', id).where('lifted_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Holds, newest first; `active`: only those in force. */
export async function listHoldRows(db: Executor, opts: { active?: boolean; limit?: number } = {}): Promise<ListedHoldRow[]> {
  let q = listedHolds(db)
    .orderBy('legal_holds.set_at', 'desc')
    .orderBy('legal_holds.id', 'desc')
    .limit(opts.limit ?? 500);
  if (opts.active) q = q.where('legal_holds.lifted_at', 'is', null);
  return q.execute();
}

/** SQL: a hold in force covers the case `complaints.<id column>` (received at `complaints.received_at`). */
export function heldCase(eb: ExpressionBuilder<DB, 'complaints'>): Expression<SqlBool> {
  return eb.exists(
    eb
      .selectFrom('legal_holds as h')
      .select(sql`1`.as('one'))
      .where('h.lifted_at', 'is', null)
      .where((w) =>
        w.or([
          w.and([w('h.scope', '=', 'case'), w('h.complaint_id', '=', w.ref('complaints.id'))]),
          w.and([w('h.scope', '=', 'received'), w('h.received_from', '<=', w.ref('complaints.received_at')), w('h.received_to', '>', w.ref('complaints.received_at'))]),
          w.and([
            w('h.scope', '=', 'customer'),
            w.exists(
              w
                .selectFrom('contact_keys as k')
                .select(sql`1`.as('one'))
                .whereRef('k.complaint_id', '=', 'complaints.id')
                .whereRef('k.key', '=', 'h.contact_key'),
            ),
          ]),
        ]),
      ),
  );
}

/** The ids among `ids` that a hold in force covers. */
export async function heldIds(db: Executor, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db
    .selectFrom('complaints')
    .select('id')
    .where('id', 'in', ids)
    .where((eb) => heldCase(eb))
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** The holds in force that cover case `id` (for the dry run's "why kept"). */
export async function holdsCovering(db: Executor, id: string): Promise<string[]> {
  const c = await db.selectFrom('complaints').select(['id', 'received_at']).where('id', '=', id).executeTakeFirst();
  if (!c) return [];
  const rows = await db
    .selectFrom('legal_holds as h')
    .select('h.id')
    .where('h.lifted_at', 'is', null)
    .where((w) =>
      w.or([
        w.and([w('h.scope', '=', 'case'), w('h.complaint_id', '=', id)]),
        w.and([w('h.scope', '=', 'received'), w('h.received_from', '<=', c.received_at), w('h.received_to', '>', c.received_at)]),
        w.and([
          w('h.scope', '=', 'customer'),
          w.exists(
            w
              .selectFrom('contact_keys as k')
              .select(sql`1`.as('one'))
              .where('k.complaint_id', '=', id)
              .whereRef('k.key', '=', 'h.contact_key'),
          ),
        ]),
      ]),
    )
    .orderBy('h.id')
    .execute();
  return rows.map((r) => r.id);
}
