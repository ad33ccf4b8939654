/**
 * Purges in the audit trail (docs/audit.md "Purges").
 *
 * `withPurgePermit` runs `fn` in the transaction `trx` with a permit that lets the append-only
 * triggers of migration 0009 accept UPDATE/DELETE on `complaint_events` and `pii_access_log`,
 * removing the permit before `trx` commits.
 *
 * How a purge stays verifiable: an anonymised case keeps every timeline record in place with its
 * `seq`, `prev_hash` and `hash` unchanged — only `data` is replaced by a redaction — so the chain's
 * links, its head and every checkpoint still match. The record's MAC no longer covers its content;
 * instead the case's **purge record** lists, per redacted event, `[seq, hash, digest]`: the MAC
 * the event kept and the SHA-256 of the RFC 8785 form of the redacted event record. Verify accepts
 * a record whose MAC fails only when a purge record with a valid MAC lists exactly that hash and
 * the digest of what is stored now — so a redacted event edited afterwards, or a record of
 * another case, is still caught. The purge then appends a `purged` event (MACed as usual) and
 * re-anchors the head on the anonymised case row.
 *
 * A removed case leaves only its purge record (and its statistics in case_facts / clock_facts):
 * verify does not report its chain missing from a checkpoint taken before the purge.
 *
 * Purge records form one chain over the whole table (`seq` 1, 2, …, `prev_hash`), each MACed
 * with the audit key; `purge_chain` holds its last seq and hash and is locked last by a purge, so
 * purges of several instances append in turn.
 */
import type { Transaction } from 'kysely';
import { randomUUID } from 'node:crypto';
import type { DB } from '../store/schema.js';
import type { Executor } from '../store/db.js';
import { canonicalize } from './canonical.js';
import { checkMac, macOf, sha256Hex, type AuditKeyring } from './keys.js';
import { GENESIS_HASH, eventRecord, type EventRow } from './records.js';

export async function withPurgePermit<T>(trx: Transaction<DB>, reason: string, fn: () => Promise<T>): Promise<T> {
  const id = randomUUID();
  await trx.insertInto('audit_purge_permits').values({ id, reason }).execute();
  try {
    return await fn();
  } finally {
    await trx.deleteFrom('audit_purge_permits').where('id', '=', id).execute();
  }
}

/** One redacted event: its seq, the MAC it keeps, the SHA-256 of its redacted record. */
export type Redaction = [seq: number, hash: string, digest: string];

export interface PurgeFields {
  id: string;
  complaint_id: string;
  complaint_number: string;
  mode: string;
  reason: string;
  policy_key: string;
  at: string;
  /** JSON object of counts (events redacted, attachments, files, contact keys, …). */
  counts: string;
  /** JSON Redaction[]. */
  redactions: string;
}

export interface PurgeRow extends PurgeFields {
  seq: number;
  prev_hash: string;
  hash: string;
  key_id: string;
}

/** The record a purge record's MAC covers (RFC 8785 form, docs/audit.md). */
export function purgeRecord(r: PurgeFields & { seq: number; prev_hash: string }): object {
  return {
    record: 'purge',
    v: 1,
    seq: Number(r.seq),
    id: r.id,
    complaint_id: r.complaint_id,
    complaint_number: r.complaint_number,
    mode: r.mode,
    reason: r.reason,
    policy_key: r.policy_key,
    at: r.at,
    counts: r.counts,
    redactions: r.redactions,
    prev_hash: r.prev_hash,
  };
}

/** The `data` a redacted event keeps: which purge removed what was there. */
export function redactedData(purgeId: string): string {
  return canonicalize({ redacted: true, purge: purgeId });
}

/** SHA-256 of the RFC 8785 form of an event record as stored now (after redaction). */
export function redactedDigest(row: EventRow): string {
  return sha256Hex(canonicalize(eventRecord({ ...row, seq: Number(row.seq) })));
}

/**
 * Appends a purge record to the chain inside the purge's transaction: locks the chain row (on
 * PostgreSQL; SQLite has one writer), MACs the record with the current key, moves the chain row.
 */
export async function appendPurgeRecord(trx: Transaction<DB>, pg: boolean, ring: AuditKeyring, f: PurgeFields): Promise<PurgeRow> {
  return (await appendPurgeRecords(trx, pg, ring, [f]))[0]!;
}

/**
 * Appends several purge records in their order, each linked to the one before: the chain row is
 * read (locked) once, the records are chained in memory, inserted in one statement per chunk, and
 * the chain row moved once onto the last.
 */
export async function appendPurgeRecords(trx: Transaction<DB>, pg: boolean, ring: AuditKeyring, fields: readonly PurgeFields[]): Promise<PurgeRow[]> {
  if (!fields.length) return [];
  let q = trx.selectFrom('purge_chain').select(['seq', 'hash']).where('id', '=', 1);
  if (pg) q = q.forUpdate();
  const head = (await q.executeTakeFirst()) ?? { seq: 0, hash: GENESIS_HASH };
  let seq = Number(head.seq);
  let prev = head.hash;
  const rows: PurgeRow[] = fields.map((f) => {
    seq += 1;
    const signed = { ...f, seq, prev_hash: prev };
    prev = macOf(ring.current, purgeRecord(signed));
    return { ...signed, hash: prev, key_id: ring.current.id };
  });
  for (let i = 0; i < rows.length; i += 200)
    await trx
      .insertInto('purge_records')
      .values(rows.slice(i, i + 200))
      .execute();
  await trx.updateTable('purge_chain').set({ seq, hash: prev }).where('id', '=', 1).execute();
  return rows;
}

/** Whether a purge record's MAC verifies. */
export function purgeRecordValid(ring: AuditKeyring, r: PurgeRow): 'ok' | 'bad' | 'unknown_key' {
  return checkMac(ring, r.key_id, purgeRecord({ ...r, seq: Number(r.seq) }), r.hash);
}

/** Purge records by case, for verify: only those whose MAC verifies. */
export async function validPurgeRecords(db: Executor, ring: AuditKeyring, ids: string[]): Promise<Map<string, PurgeRow>> {
  const m = new Map<string, PurgeRow>();
  if (!ids.length) return m;
  const rows = await db.selectFrom('purge_records').selectAll().where('complaint_id', 'in', ids).execute();
  for (const r of rows) if (purgeRecordValid(ring, r as PurgeRow) === 'ok') m.set(r.complaint_id, r as PurgeRow);
  return m;
}

/** Whether event `row` is a redaction its case's purge record vouches for. */
export function vouchedRedaction(p: PurgeRow | undefined, row: EventRow & { hash: string }): boolean {
  if (!p) return false;
  const list = JSON.parse(p.redactions) as Redaction[];
  const seq = Number(row.seq);
  const entry = list.find((x) => x[0] === seq);
  return !!entry && entry[1] === row.hash && entry[2] === redactedDigest(row);
}

export interface PurgeChainProblem {
  seq: number;
  complaintId: string;
  problem: 'hash_mismatch' | 'broken_link' | 'gap' | 'unknown_key' | 'head_mismatch';
}

/** Walks the whole purge chain in seq order: links, MACs, and the chain row at its end. */
export async function verifyPurgeChain(db: Executor, ring: AuditKeyring, batch = 1000): Promise<{ checked: number; problems: PurgeChainProblem[] }> {
  const problems: PurgeChainProblem[] = [];
  let prev = GENESIS_HASH;
  let expected = 1;
  let after = 0;
  let checked = 0;
  for (;;) {
    const rows = await db.selectFrom('purge_records').selectAll().where('seq', '>', after).orderBy('seq').limit(batch).execute();
    if (!rows.length) break;
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expected) problems.push({ seq, complaintId: r.complaint_id, problem: 'gap' });
      if (r.prev_hash !== prev) problems.push({ seq, complaintId: r.complaint_id, problem: 'broken_link' });
      const m = purgeRecordValid(ring, r as PurgeRow);
      if (m !== 'ok') problems.push({ seq, complaintId: r.complaint_id, problem: m === 'unknown_key' ? 'unknown_key' : 'hash_mismatch' });
      prev = r.hash;
      expected = seq + 1;
      checked += 1;
    }
    after = Number(rows[rows.length - 1]!.seq);
  }
  const head = await db.selectFrom('purge_chain').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  if (head && (Number(head.seq) !== expected - 1 || head.hash !== prev)) problems.push({ seq: Number(head.seq), complaintId: '', problem: 'head_mismatch' });
  return { checked, problems };
}
