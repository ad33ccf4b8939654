/**
 * The timeline: append-only (database triggers, migration 0009) and chained per case. Each event
 * stores the MAC of the previous event of its case and its own HMAC-SHA256 over the RFC 8785 form
 * of every field (src/audit/records.ts), with the id of the key; the case's head in `audit_heads`
 * holds the last seq and MAC and a digest of the case row. `kesu audit verify` (src/audit/verify.ts)
 * checks all of it; docs/audit.md explains how an auditor re-verifies.
 */
import type { ComplaintEvent } from '../domain/complaint/types.js';
import type { Executor } from './db.js';
import type { EventsTable } from './schema.js';
import { canonicalize, jsonValue, wellFormed } from '../audit/canonical.js';
import { macOf, type AuditKeyring } from '../audit/keys.js';
import { GENESIS_HASH, caseDigest, eventRecord, legacyCanonicalJson, legacyEventHash } from '../audit/records.js';
import { auditKeysOf, writeHead } from '../audit/heads.js';

export { GENESIS_HASH };

/** Stable JSON: object keys sorted (the pre-0009 form; request hashes of idempotency keys use it). */
export const canonicalJson = legacyCanonicalJson;

/** The scheme-1 hash of an event row (rows written before migration 0009). */
export function eventHash(row: Omit<EventsTable, 'hash' | 'scheme' | 'key_id'>): string {
  return legacyEventHash(row);
}

/**
 * Appends events to one case's chain and moves the case's head (last seq, MAC, digest of the case
 * row as saved in this transaction). Call inside the transaction that holds the case's lock,
 * after the case row is written. With no events it still re-anchors the head on the case row.
 */
export async function appendEvents(db: Executor, complaintId: string, events: ComplaintEvent[], keys?: AuditKeyring): Promise<void> {
  const ring = keys ?? auditKeysOf(db);
  const last = await db.selectFrom('complaint_events').select(['seq', 'hash']).where('complaint_id', '=', complaintId).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const rows = chainedRows(complaintId, events, ring, last ? { seq: Number(last.seq), hash: last.hash } : null);
  const seq = rows.length ? rows[rows.length - 1]!.seq : last ? Number(last.seq) : 0;
  const prev = rows.length ? rows[rows.length - 1]!.hash : (last?.hash ?? GENESIS_HASH);
  if (rows.length) await db.insertInto('complaint_events').values(rows).execute();
  const c = await db.selectFrom('complaints').selectAll().where('id', '=', complaintId).executeTakeFirst();
  const now = events.length ? events[events.length - 1]!.at : new Date().toISOString();
  await writeHead(db, ring, { complaint_id: complaintId, log: 'events', seq, hash: prev, case_digest: c ? caseDigest(c) : null }, now);
}

/**
 * The timeline rows of `events` appended after `last` (null: a new chain), MACed with the ring's
 * current key. Pure: the history import builds a batch's rows before its transaction.
 */
export function chainedRows(complaintId: string, events: ComplaintEvent[], ring: AuditKeyring, last: { seq: number; hash: string } | null): EventsTable[] {
  let seq = last ? last.seq : 0;
  let prev = last?.hash ?? GENESIS_HASH;
  const rows: EventsTable[] = [];
  for (const e of events) {
    seq += 1;
    const row = {
      complaint_id: complaintId,
      seq,
      type: e.type,
      action: e.action,
      actor_id: e.actorId,
      actor_name: wellFormed(e.actorName),
      at: e.at,
      from_state: e.fromState,
      to_state: e.toState,
      data: canonicalize(jsonValue(e.data)),
      prev_hash: prev,
    };
    prev = macOf(ring.current, eventRecord(row));
    rows.push({ ...row, hash: prev, scheme: 2, key_id: ring.current.id });
  }
  return rows;
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

export type { ChainProblem } from '../audit/verify.js';
export { verifyChains } from '../audit/verify.js';
