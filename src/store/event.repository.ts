/**
 * The timeline: append-only and hash-chained per case. Each event stores the hash of the
 * previous event of its case and its own hash over (prev_hash, seq, and every field), so an
 * edited, deleted or reordered event breaks the chain (`kesu audit verify`).
 */
import { createHash } from 'node:crypto';
import type { ComplaintEvent } from '../domain/complaint/types.js';
import type { Executor } from './db.js';
import type { EventsTable } from './schema.js';

export const GENESIS_HASH = '0'.repeat(64);

/** Stable JSON: object keys sorted, so the hash does not depend on key order. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
}

export function eventHash(row: Omit<EventsTable, 'hash'>): string {
  const material = canonicalJson({
    complaint_id: row.complaint_id,
    seq: Number(row.seq),
    type: row.type,
    action: row.action,
    actor_id: row.actor_id,
    actor_name: row.actor_name,
    at: row.at,
    from_state: row.from_state,
    to_state: row.to_state,
    data: row.data,
    prev_hash: row.prev_hash,
  });
  return createHash('sha256').update(material).digest('hex');
}

/** Appends events to one case's chain. Call inside the transaction that holds the case's lock. */
export async function appendEvents(db: Executor, complaintId: string, events: ComplaintEvent[]): Promise<void> {
  if (!events.length) return;
  const last = await db
    .selectFrom('complaint_events')
    .select(['seq', 'hash'])
    .where('complaint_id', '=', complaintId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  let seq = last ? Number(last.seq) : 0;
  let prev = last?.hash ?? GENESIS_HASH;
  const rows: EventsTable[] = [];
  for (const e of events) {
    seq += 1;
    const row: Omit<EventsTable, 'hash'> = {
      complaint_id: complaintId,
      seq,
      type: e.type,
      action: e.action,
      actor_id: e.actorId,
      actor_name: e.actorName,
      at: e.at,
      from_state: e.fromState,
      to_state: e.toState,
      data: canonicalJson(e.data),
      prev_hash: prev,
    };
    prev = eventHash(row);
    rows.push({ ...row, hash: prev });
  }
  await db.insertInto('complaint_events').values(rows).execute();
}

export interface TimelineEvent extends ComplaintEvent {
  seq: number;
  hash: string;
}

export async function listEvents(db: Executor, complaintId: string): Promise<TimelineEvent[]> {
  const rows = await db.selectFrom('complaint_events').selectAll().where('complaint_id', '=', complaintId).orderBy('seq').execute();
  return rows.map((r) => ({
    complaintId: r.complaint_id,
    seq: Number(r.seq),
    type: r.type,
    action: r.action,
    actorId: r.actor_id,
    actorName: r.actor_name,
    at: r.at,
    fromState: r.from_state as ComplaintEvent['fromState'],
    toState: r.to_state as ComplaintEvent['toState'],
    data: JSON.parse(r.data) as Record<string, unknown>,
    hash: r.hash,
  }));
}

export interface ChainProblem {
  complaintId: string;
  seq: number;
  problem: 'hash_mismatch' | 'broken_link' | 'gap';
}

/**
 * Verifies every chain, streaming case by case in id order so memory stays flat on millions of
 * events. Returns the problems found and how many events were checked.
 */
export async function verifyChains(db: Executor, opts: { complaintId?: string; batch?: number } = {}): Promise<{ checked: number; cases: number; problems: ChainProblem[] }> {
  const problems: ChainProblem[] = [];
  let checked = 0;
  let cases = 0;
  let after = '';
  const batch = opts.batch ?? 500;
  for (;;) {
    let idsQ = db.selectFrom('complaints').select('id').where('id', '>', after).orderBy('id').limit(batch);
    if (opts.complaintId) idsQ = idsQ.where('id', '=', opts.complaintId);
    const ids = (await idsQ.execute()).map((r) => r.id);
    if (!ids.length) break;
    const rows = await db.selectFrom('complaint_events').selectAll().where('complaint_id', 'in', ids).orderBy('complaint_id').orderBy('seq').execute();
    let current = '';
    let prev = GENESIS_HASH;
    let expectedSeq = 1;
    for (const r of rows) {
      if (r.complaint_id !== current) {
        current = r.complaint_id;
        prev = GENESIS_HASH;
        expectedSeq = 1;
        cases += 1;
      }
      checked += 1;
      if (Number(r.seq) !== expectedSeq) problems.push({ complaintId: r.complaint_id, seq: Number(r.seq), problem: 'gap' });
      if (r.prev_hash !== prev) problems.push({ complaintId: r.complaint_id, seq: Number(r.seq), problem: 'broken_link' });
      const { hash, ...rest } = r;
      if (eventHash({ ...rest, seq: Number(r.seq) }) !== hash) problems.push({ complaintId: r.complaint_id, seq: Number(r.seq), problem: 'hash_mismatch' });
      prev = hash;
      expectedSeq = Number(r.seq) + 1;
    }
    after = ids[ids.length - 1]!;
    if (opts.complaintId) break;
  }
  return { checked, cases, problems };
}
