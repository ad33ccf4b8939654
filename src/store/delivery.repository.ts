/**
 * Outbox delivery (issue 4): claiming rows with a lease, fan-out of a logical row into delivery
 * rows, marking results, and the admin's view of it. The enqueue side is outbox.repository.ts.
 *
 * Claiming is one UPDATE … WHERE id IN (SELECT … LIMIT n) RETURNING: on PostgreSQL the inner
 * SELECT is `FOR UPDATE SKIP LOCKED`, so concurrent dispatchers take disjoint rows; SQLite runs
 * the statement under its single writer lock. A claimed row is `sending` with `next_attempt_at`
 * = lease expiry; if its dispatcher dies, the row becomes claimable again when the lease runs
 * out — and is delivered again with the same idempotency key (its id).
 */
import { randomUUID } from 'node:crypto';
import { sql, type SqlBool } from 'kysely';
import type { Dialect, Executor } from './db.js';
import type { OutboxTable } from './schema.js';

export interface OutboxRow {
  id: string;
  complaintId: string | null;
  channel: string;
  template: string;
  recipient: Record<string, unknown>;
  payload: Record<string, unknown>;
  status: string;
  attempts: number;
  nextAttemptAt: string;
  createdAt: string;
  deliveredAt: string | null;
  lastError: string | null;
  parentId: string | null;
  leaseOwner: string | null;
  lastAttemptAt: string | null;
}

export function toOutboxRow(r: OutboxTable): OutboxRow {
  return {
    id: r.id,
    complaintId: r.complaint_id,
    channel: r.channel,
    template: r.template,
    recipient: JSON.parse(r.recipient) as Record<string, unknown>,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    status: r.status,
    attempts: Number(r.attempts),
    nextAttemptAt: r.next_attempt_at,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
    lastError: r.last_error,
    parentId: r.parent_id ?? null,
    leaseOwner: r.lease_owner ?? null,
    lastAttemptAt: r.last_attempt_at ?? null,
  };
}

/** Claims up to `limit` due rows (pending and due, or sending with an expired lease). */
export async function claimDue(db: Executor, dialect: Dialect, o: { now: string; leaseUntil: string; owner: string; limit: number }): Promise<OutboxRow[]> {
  let due = db.selectFrom('outbox').select('id').where('status', 'in', ['pending', 'sending']).where('next_attempt_at', '<=', o.now).orderBy('next_attempt_at').limit(o.limit);
  if (dialect === 'postgres') due = due.forUpdate().skipLocked();
  // PostgreSQL may plan `id in (select … limit n)` as a join that re-runs the LIMIT subquery and
  // claims thousands of rows per pass (seen under the HTTP bench); `= any(array(…))` runs it once,
  // as an init plan.
  const claim = db.updateTable('outbox').set((eb) => ({ status: 'sending', lease_owner: o.owner, next_attempt_at: o.leaseUntil, last_attempt_at: o.now, attempts: eb('attempts', '+', 1) }));
  const rows = await (dialect === 'postgres' ? claim.where(sql<SqlBool>`id = any(array(${due}))`) : claim.where('id', 'in', due)).where('status', 'in', ['pending', 'sending']).where('next_attempt_at', '<=', o.now).returningAll().execute();
  return rows.map(toOutboxRow).sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}

/** Re-reads a claimed row under a row lock; null when another dispatcher took it over. */
export async function lockClaimed(db: Executor, dialect: Dialect, id: string, owner: string): Promise<OutboxRow | null> {
  let q = db.selectFrom('outbox').selectAll().where('id', '=', id).where('status', '=', 'sending').where('lease_owner', '=', owner);
  if (dialect === 'postgres') q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r ? toOutboxRow(r) : null;
}

export interface Delivery {
  channel: string;
  recipient: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/** Inserts the delivery rows of a logical row (in the transaction that marks it expanded). */
export async function insertDeliveries(db: Executor, parent: OutboxRow, deliveries: Delivery[], now: string): Promise<string[]> {
  if (!deliveries.length) return [];
  const rows = deliveries.map((d) => ({
    id: randomUUID(),
    complaint_id: parent.complaintId,
    channel: d.channel,
    template: parent.template,
    recipient: JSON.stringify(d.recipient),
    payload: JSON.stringify(d.payload),
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    created_at: now,
    delivered_at: null,
    last_error: null,
    parent_id: parent.id,
    lease_owner: null,
    last_attempt_at: null,
  }));
  await db.insertInto('outbox').values(rows).execute();
  return rows.map((r) => r.id);
}

/**
 * Ends a claimed row: sent / expanded / skipped / dead, or back to pending for a retry. Guarded
 * by the lease: returns false (and changes nothing) when the lease was lost meanwhile.
 */
export async function finishClaimed(
  db: Executor,
  id: string,
  owner: string,
  r: { status: 'sent' | 'expanded' | 'skipped' | 'dead' | 'pending'; now: string; nextAttemptAt?: string; error?: string | null; payload?: Record<string, unknown> },
): Promise<boolean> {
  const res = await db
    .updateTable('outbox')
    .set({
      status: r.status,
      lease_owner: null,
      next_attempt_at: r.nextAttemptAt ?? r.now,
      delivered_at: r.status === 'sent' || r.status === 'expanded' ? r.now : null,
      last_error: r.error ?? null,
      ...(r.payload ? { payload: JSON.stringify(r.payload) } : {}),
    })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * Hands claimed rows back untouched (the dispatcher is stopping): due again at once, and the
 * attempt the claim counted is not counted. Rows whose lease was lost meanwhile are left alone.
 */
export async function releaseClaimed(db: Executor, ids: string[], owner: string, now: string): Promise<number> {
  if (!ids.length) return 0;
  const r = await db
    .updateTable('outbox')
    .set((eb) => ({ status: 'pending', lease_owner: null, next_attempt_at: now, attempts: eb('attempts', '-', 1) }))
    .where('id', 'in', ids)
    .where('status', '=', 'sending')
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * Webhook rows when no webhook is configured: skipped in one statement, on every dispatcher pass.
 * It runs on `outbox_pending_channel` (migration 0041, the pending rows by channel), so a pass
 * with nothing to skip reads one index entry instead of every pending row — before it, 33–35 ms a
 * pass at a 600-row backlog on a loaded SQLite, holding the only writer (bench:http --profile,
 * docs/performance.md 2026-12-06 22:05). `status = 'pending'` is a literal so the partial index
 * matches on the statement's text alone: the SQLite here also matches a bound 'pending' (it
 * re-plans with bound values), but not when built with SQLITE_ENABLE_QPSG, nor would a
 * PostgreSQL generic plan.
 */
export async function skipPending(db: Executor, channel: string, now: string, reason: string): Promise<number> {
  const r = await skipPendingStatement(db, channel, now, reason).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The one statement of `skipPending` (exported so a test can read the engines' plans of it). */
export function skipPendingStatement(db: Executor, channel: string, now: string, reason: string) {
  return db
    .updateTable('outbox')
    .set({ status: 'skipped', last_error: reason, delivered_at: null, next_attempt_at: now })
    .where(sql<SqlBool>`status = 'pending'`)
    .where('channel', '=', channel);
}

export interface OutboxQuery {
  status?: string[];
  channel?: string[];
  complaintId?: string;
  limit: number;
  /** Keyset: rows created before this (created_at|id). */
  before?: { createdAt: string; id: string };
}

export async function queryOutbox(db: Executor, q: OutboxQuery): Promise<OutboxRow[]> {
  let s = db.selectFrom('outbox').selectAll();
  if (q.status?.length) s = s.where('status', 'in', q.status);
  if (q.channel?.length) s = s.where('channel', 'in', q.channel);
  if (q.complaintId) s = s.where('complaint_id', '=', q.complaintId);
  if (q.before) {
    const b = q.before;
    s = s.where((eb) => eb.or([eb('created_at', '<', b.createdAt), eb.and([eb('created_at', '=', b.createdAt), eb('id', '<', b.id)])]));
  }
  const rows = await s.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
  return rows.map(toOutboxRow);
}

export async function getOutboxRow(db: Executor, id: string): Promise<OutboxRow | null> {
  const r = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toOutboxRow(r) : null;
}

export async function outboxCounts(db: Executor): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('outbox')
    .select(['status', (eb) => eb.fn.countAll().as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** An admin sends a dead-lettered row again: pending now, with a fresh attempt budget. */
export async function retryDead(db: Executor, id: string, now: string): Promise<boolean> {
  const r = await db.updateTable('outbox').set({ status: 'pending', attempts: 0, next_attempt_at: now, lease_owner: null }).where('id', '=', id).where('status', '=', 'dead').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
