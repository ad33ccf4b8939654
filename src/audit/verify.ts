/**
 * `kesu audit verify`: checks every chain (case timelines and personal-data access logs), their
 * MACed heads, every case row against its head, and the latest signed checkpoint, streaming case by
 * case in id order so memory stays flat (but for the checkpoint's list of heads).
 *
 * A chain from before migration 0009 (scheme 1 only) may lack a head only while no checkpoint has
 * been taken: the first checkpoint anchors every such chain, and from then on a missing head is
 * tampering.
 */
import { sql } from 'kysely';
import { databaseOf, type Executor } from '../store/db.js';
import { checkMac, type AuditKeyring } from './keys.js';
import { auditKeysOf } from './heads.js';
import { GENESIS_HASH, accessRecord, caseDigest, eventRecord, headRecord, legacyAccessHash, legacyEventHash, type AccessRow, type EventRow, type LogName } from './records.js';
import { latestCheckpoint, type Checkpoint } from './checkpoint.js';
import { validPurgeRecords, verifyPurgeChain, vouchedRedaction } from './purge.js';

export type ProblemKind =
  | 'hash_mismatch' // a record's hash/MAC does not match its content
  | 'broken_link' // prev_hash is not the previous record's hash (deleted, inserted, reordered)
  | 'gap' // the sequence skips or repeats
  | 'unknown_key' // MACed with a key id the key ring does not hold
  | 'head_missing' // a chain without its head (or a case row without events)
  | 'head_mismatch' // the head's seq/hash is not the chain's last record (newest deleted, or appended behind its back)
  | 'head_forged' // the head's MAC is wrong
  | 'case_mismatch' // the case row differs from what its last transition saved
  | 'case_missing' // the chain exists, the case row does not
  | 'behind_checkpoint' // the checkpoint saw this chain further, or with other records
  | 'checkpoint_forged'; // the checkpoint file's MAC is wrong or its key unknown

export interface ChainProblem {
  complaintId: string;
  seq: number;
  problem: ProblemKind;
  /** 'purge': the chain of purge records (src/audit/purge.ts), `seq` its position. */
  log: LogName | 'checkpoint' | 'purge';
}

export interface VerifyResult {
  /** Timeline events checked. */
  checked: number;
  /** Cases with a timeline. */
  cases: number;
  /** Personal-data access rows checked. */
  accessChecked: number;
  /** The checkpoint verified against (its time), or null. */
  checkpoint: string | null;
  problems: ChainProblem[];
}

export interface VerifyOptions {
  complaintId?: string;
  batch?: number;
  keys?: AuditKeyring;
  /** The checkpoint to verify against; default the latest in the database's checkpoint folder. */
  checkpoint?: Checkpoint | null;
}

interface HeadRow {
  complaint_id: string;
  log: string;
  seq: number;
  hash: string;
  case_digest: string | null;
  key_id: string;
  mac: string;
}

/** The next `n` chain ids after `after`, from every table that can hold part of a case's trail. */
async function nextIds(db: Executor, after: string, n: number): Promise<string[]> {
  const r = await sql<{ id: string }>`
    select id from (
      select * from (select id from complaints where id > ${after} order by id limit ${n}) c
      union select * from (select distinct complaint_id as id from complaint_events where complaint_id > ${after} order by complaint_id limit ${n}) e
      union select * from (select distinct complaint_id as id from pii_access_log where complaint_id > ${after} order by complaint_id limit ${n}) a
      union select * from (select distinct complaint_id as id from audit_heads where complaint_id > ${after} order by complaint_id limit ${n}) h
    ) ids order by id limit ${n}`.execute(db);
  return r.rows.map((x) => x.id);
}

export async function verifyChains(db: Executor, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const ring = opts.keys ?? auditKeysOf(db);
  const dir = databaseOf(db)?.audit.checkpointDir ?? null;
  const cp = opts.checkpoint !== undefined ? opts.checkpoint : dir ? latestCheckpoint(dir, ring) : null;
  const problems: ChainProblem[] = [];
  const add = (complaintId: string, seq: number, problem: ProblemKind, log: ChainProblem['log']) => problems.push({ complaintId, seq, problem, log });
  if (cp && cp.valid !== 'ok') add('', 0, 'checkpoint_forged', 'checkpoint');
  const checkpointed = cp && cp.valid === 'ok' ? cp : null;
  const anchored = !!checkpointed; // after a checkpoint every chain must have its head
  let checked = 0;
  let cases = 0;
  let accessChecked = 0;
  let after = '';
  let cpIndex = 0;
  const batch = opts.batch ?? 500;
  for (;;) {
    let ids: string[];
    if (opts.complaintId) ids = [opts.complaintId];
    else {
      ids = await nextIds(db, after, batch);
      // Chains the checkpoint lists that are gone from every table (a deleted case) come in too.
      const upper = ids.length === batch ? ids[ids.length - 1]! : null;
      const extra: string[] = [];
      while (checkpointed && cpIndex < checkpointed.ids.length && (upper === null || checkpointed.ids[cpIndex]! <= upper)) {
        const id = checkpointed.ids[cpIndex++]!;
        if (id > after) extra.push(id);
      }
      if (extra.length) ids = [...new Set([...ids, ...extra])].sort();
    }
    if (!ids.length) break;
    const [caseRows, events, access, heads, purges] = await Promise.all([
      db.selectFrom('complaints').selectAll().where('id', 'in', ids).execute(),
      db.selectFrom('complaint_events').selectAll().where('complaint_id', 'in', ids).orderBy('complaint_id').orderBy('seq').execute(),
      db.selectFrom('pii_access_log').selectAll().where('complaint_id', 'in', ids).orderBy('complaint_id').orderBy('seq').execute(),
      db.selectFrom('audit_heads').selectAll().where('complaint_id', 'in', ids).execute(),
      validPurgeRecords(db, ring, ids),
    ]);
    const byId = <T extends { complaint_id: string }>(rows: T[]) => {
      const m = new Map<string, T[]>();
      for (const r of rows) (m.get(r.complaint_id) ?? m.set(r.complaint_id, []).get(r.complaint_id)!).push(r);
      return m;
    };
    const caseById = new Map(caseRows.map((c) => [c.id, c]));
    const eventsById = byId(events);
    const accessById = byId(access);
    const headOf = new Map(heads.map((h) => [`${h.complaint_id}\0${h.log}`, h as HeadRow]));

    for (const id of ids) {
      const evs = eventsById.get(id) ?? [];
      const acc = accessById.get(id) ?? [];
      const c = caseById.get(id);
      if (evs.length) cases += 1;
      checked += evs.length;
      accessChecked += acc.length;

      // The timeline.
      // A purged case: redacted events its signed purge record vouches for keep their place (src/audit/purge.ts).
      const purge = purges.get(id);
      const ev = checkChain(id, 'events', evs, ring, add, (r) => {
        const row = { ...r, seq: Number(r.seq) } as EventRow;
        return { scheme: Number(r.scheme), keyId: r.key_id, hash: r.hash, legacy: () => legacyEventHash(row), record: () => eventRecord(row), vouched: () => vouchedRedaction(purge, { ...row, hash: r.hash }) };
      });
      const eh = headOf.get(`${id}\0events`);
      checkHead(id, 'events', eh, ev, anchored, ring, add);
      if (evs.length || eh) {
        if (!c) add(id, 0, 'case_missing', 'events');
        else {
          if (eh && eh.case_digest !== null && eh.case_digest !== caseDigest(c)) add(id, 0, 'case_mismatch', 'events');
          // The row's state is the state its last transition reached.
          const lastState = [...evs].reverse().find((e) => e.to_state !== null)?.to_state;
          if (lastState && lastState !== c.state) add(id, 0, 'case_mismatch', 'events');
        }
      } else if (c) add(id, 0, 'head_missing', 'events');

      // The personal-data access log.
      const ac = checkChain(id, 'access', acc, ring, add, (r) => {
        const row = { ...r, seq: Number(r.seq) } as AccessRow;
        return { scheme: Number(r.scheme), keyId: r.key_id, hash: r.hash, legacy: () => legacyAccessHash(row), record: () => accessRecord(row, 2) };
      });
      checkHead(id, 'access', headOf.get(`${id}\0access`), ac, anchored, ring, add);

      // The checkpoint: what it saw must still be there.
      // (A case the purge removed is gone by design: its purge record stands for it.)
      if (checkpointed && !(purge?.mode === 'remove' && !c && !evs.length))
        for (const log of ['events', 'access'] as const) {
          const seen = checkpointed.heads.get(`${id}\0${log}`);
          if (!seen) continue;
          const rows = log === 'events' ? evs : acc;
          const at = rows.find((r) => Number(r.seq) === seen.seq);
          if (!at || at.hash !== seen.hash) add(id, seen.seq, 'behind_checkpoint', log);
        }
    }
    if (opts.complaintId) break;
    after = ids[ids.length - 1]!;
  }
  if (!opts.complaintId) for (const p of (await verifyPurgeChain(db, ring)).problems) add(p.complaintId, p.seq, p.problem, 'purge');
  return { checked, cases, accessChecked, checkpoint: checkpointed?.at ?? null, problems };
}

interface ChainEnd {
  seq: number;
  hash: string;
  /** Any record MACed (scheme 2): such a chain must have a head. */
  keyed: boolean;
  count: number;
}

function checkChain<R extends { complaint_id: string; seq: number; prev_hash: string }>(
  id: string,
  log: LogName,
  rows: R[],
  ring: AuditKeyring,
  add: (id: string, seq: number, p: ProblemKind, log: LogName) => void,
  view: (r: R) => { scheme: number; keyId: string | null; hash: string; legacy: () => string; record: () => object; vouched?: () => boolean },
): ChainEnd {
  let prev = GENESIS_HASH;
  let expected = 1;
  let keyed = false;
  for (const r of rows) {
    const seq = Number(r.seq);
    const v = view(r);
    if (seq !== expected) add(id, seq, 'gap', log);
    if (r.prev_hash !== prev) add(id, seq, 'broken_link', log);
    if (v.scheme === 2) {
      keyed = true;
      const m = checkMac(ring, v.keyId, v.record(), v.hash);
      if (m !== 'ok' && !v.vouched?.()) add(id, seq, m === 'unknown_key' ? 'unknown_key' : 'hash_mismatch', log);
      // Scheme 1 (unkeyed, before migration 0009) only ever precedes scheme 2: after a MACed record it is a downgrade.
    } else if (v.scheme !== 1 || keyed || (v.legacy() !== v.hash && !v.vouched?.())) add(id, seq, 'hash_mismatch', log);
    prev = v.hash;
    expected = seq + 1;
  }
  return { seq: expected - 1, hash: prev, keyed, count: rows.length };
}

function checkHead(id: string, log: LogName, head: HeadRow | undefined, end: ChainEnd, anchored: boolean, ring: AuditKeyring, add: (id: string, seq: number, p: ProblemKind, log: LogName) => void): void {
  if (!head) {
    if (end.count && (end.keyed || anchored)) add(id, end.seq, 'head_missing', log);
    return;
  }
  const m = checkMac(ring, head.key_id, headRecord({ complaint_id: head.complaint_id, log, seq: Number(head.seq), hash: head.hash, case_digest: head.case_digest }), head.mac);
  if (m !== 'ok') add(id, Number(head.seq), m === 'unknown_key' ? 'unknown_key' : 'head_forged', log);
  if (Number(head.seq) !== end.seq || head.hash !== end.hash) add(id, Number(head.seq), 'head_mismatch', log);
}
