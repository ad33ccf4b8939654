/**
 * The records the audit trail MACs, as plain objects; their RFC 8785 form (canonical.ts) is what
 * HMAC-SHA256 runs over. docs/audit.md lists every field, so an auditor can rebuild them.
 *
 * - `event`  (scheme 2): one case timeline event, linked to the previous one by `prev_hash`.
 * - `access` (scheme 1 and 2): one personal-data access row, chained per case the same way.
 * - `head`: the last position and MAC of one chain, and for the timeline the digest of the case row.
 * - `case`: the case row itself (every column but `search_rowid`, an SQLite index detail), hashed
 *   with SHA-256 into the head's `case_digest`.
 * Scheme 1 events are the chain from before migration 0009, verified by `legacyEventHash`.
 */
import { canonicalize } from './canonical.js';
import { sha256Hex } from './keys.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface EventRow {
  complaint_id: string;
  seq: number;
  type: string;
  action: string | null;
  actor_id: string;
  actor_name: string;
  at: string;
  from_state: string | null;
  to_state: string | null;
  data: string;
  prev_hash: string;
}

export function eventRecord(r: EventRow): object {
  return {
    record: 'event',
    v: 2,
    complaint_id: r.complaint_id,
    seq: Number(r.seq),
    type: r.type,
    action: r.action,
    actor_id: r.actor_id,
    actor_name: r.actor_name,
    at: r.at,
    from_state: r.from_state,
    to_state: r.to_state,
    data: r.data,
    prev_hash: r.prev_hash,
  };
}

/** The scheme-1 hash (before migration 0009): SHA-256 of sorted-key JSON; kept so old rows verify. */
export function legacyCanonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(legacyCanonicalJson).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${legacyCanonicalJson(x)}`).join(',')}}`;
}

export function legacyEventHash(r: EventRow): string {
  return sha256Hex(
    legacyCanonicalJson({
      complaint_id: r.complaint_id,
      seq: Number(r.seq),
      type: r.type,
      action: r.action,
      actor_id: r.actor_id,
      actor_name: r.actor_name,
      at: r.at,
      from_state: r.from_state,
      to_state: r.to_state,
      data: r.data,
      prev_hash: r.prev_hash,
    }),
  );
}

export interface AccessRow {
  id: string;
  at: string;
  user_id: string;
  user_name: string;
  complaint_id: string;
  complaint_number: string;
  fields: string;
  route: string | null;
  /** A one-field reveal's reason (migration 0029); absent or null for views. */
  reason?: string | null;
  seq: number;
  prev_hash: string;
}

export function accessRecord(r: AccessRow, scheme: number): object {
  return {
    record: 'access',
    v: scheme,
    complaint_id: r.complaint_id,
    seq: Number(r.seq),
    id: r.id,
    at: r.at,
    user_id: r.user_id,
    user_name: r.user_name,
    complaint_number: r.complaint_number,
    fields: r.fields,
    route: r.route,
    // Only when set: rows written before migration 0029 (and views) keep the record they were hashed with.
    ...(r.reason != null ? { reason: r.reason } : {}),
    prev_hash: r.prev_hash,
  };
}

/** Scheme 1 access rows (carried forward by migration 0009): SHA-256 of the RFC 8785 record. */
export function legacyAccessHash(r: AccessRow): string {
  return sha256Hex(canonicalize(accessRecord(r, 1)));
}

export type LogName = 'events' | 'access';

export interface HeadFields {
  complaint_id: string;
  log: LogName;
  seq: number;
  hash: string;
  case_digest: string | null;
}

export function headRecord(h: HeadFields): object {
  return { record: 'head', v: 2, complaint_id: h.complaint_id, log: h.log, seq: Number(h.seq), hash: h.hash, case_digest: h.case_digest };
}

/**
 * SHA-256 of the RFC 8785 form of the case row (every column but search_rowid). With `defaults`,
 * of the row completed by the columns it lacks from them (the history import: the columns the
 * table fills itself), as if `{ ...defaults, ...row }` — written out member by member rather
 * than through two copies of a 30-column object, the largest part of the digest's cost.
 */
export function caseDigest(row: Record<string, unknown>, defaults?: Record<string, unknown>): string {
  const names = new Set<string>(['record']);
  if (defaults) for (const k of Object.keys(defaults)) names.add(k);
  for (const k of Object.keys(row)) names.add(k);
  names.delete('search_rowid');
  const members: string[] = [];
  for (const k of [...names].sort()) {
    let v = Object.hasOwn(row, k) ? row[k] : defaults && Object.hasOwn(defaults, k) ? defaults[k] : 'case';
    if (v === undefined) continue;
    if (typeof v === 'bigint') v = Number(v);
    members.push(`${canonicalize(k)}:${canonicalize(v)}`);
  }
  return sha256Hex(`{${members.join(',')}}`);
}
