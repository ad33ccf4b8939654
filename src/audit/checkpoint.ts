/**
 * Signed checkpoints of all chain heads: a JSON file per checkpoint under the checkpoint folder
 * (default KESU_DATA_DIR/audit-checkpoints), MACed with the audit key. `kesu audit verify` checks
 * the database against the latest one: a chain it lists that is shorter now, or has other records,
 * or is gone (a deleted case, a database restored from an older copy or rewritten) is reported.
 * Copy the files somewhere the database's administrators cannot write (docs/audit.md).
 *
 * The first checkpoint of a database also anchors the chains from before migration 0009 (scheme 1,
 * no head yet) — only then, so a head deleted later is never silently re-created.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database, Executor } from '../store/db.js';
import { canonicalize } from './canonical.js';
import { checkMac, macOf, type AuditKeyring } from './keys.js';
import { caseDigest, headRecord, legacyAccessHash, legacyEventHash, GENESIS_HASH, type LogName } from './records.js';
import { writeHead } from './heads.js';

export interface Checkpoint {
  file: string;
  at: string;
  keyId: string;
  /** `${complaintId}\0${log}` → the head it saw. */
  heads: Map<string, { seq: number; hash: string }>;
  /** The case ids it lists, sorted. */
  ids: string[];
  valid: 'ok' | 'bad' | 'unknown_key';
}

interface CheckpointFile {
  record: 'checkpoint';
  v: 2;
  at: string;
  key_id: string;
  /** [complaint_id, log, seq, hash], sorted by complaint id then log. */
  heads: [string, LogName, number, string][];
  mac: string;
}

const KEEP = 48;
const NAME = /^checkpoint-\d{8}T\d{9}Z\.json$/;

export function readCheckpoint(file: string, ring: AuditKeyring): Checkpoint {
  const f = JSON.parse(readFileSync(file, 'utf8')) as CheckpointFile;
  const { mac, ...signed } = f;
  const heads = new Map<string, { seq: number; hash: string }>();
  const ids = new Set<string>();
  for (const [id, log, seq, hash] of f.heads ?? []) {
    heads.set(`${id}\0${log}`, { seq, hash });
    ids.add(id);
  }
  return { file, at: f.at, keyId: f.key_id, heads, ids: [...ids].sort(), valid: checkMac(ring, f.key_id, signed, mac ?? '') };
}

/** The newest checkpoint in `dir`, or null when there is none. */
export function latestCheckpoint(dir: string, ring: AuditKeyring): Checkpoint | null {
  const name = checkpointFiles(dir).at(-1);
  return name ? readCheckpoint(join(dir, name), ring) : null;
}

function checkpointFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => NAME.test(n))
      .sort();
  } catch {
    return [];
  }
}

/** Gives every pre-0009 chain (scheme 1 throughout, no head) its head. Returns how many. */
export async function anchorLegacyChains(db: Executor, ring: AuditKeyring, now: string): Promise<number> {
  let n = 0;
  for (const log of ['events', 'access'] as const) {
    const table = log === 'events' ? 'complaint_events' : 'pii_access_log';
    const ids = await db
      .selectFrom(`${table} as t` as 'complaint_events as t')
      .select('t.complaint_id')
      .distinct()
      .where((eb) => eb.not(eb.exists(eb.selectFrom('audit_heads as h').select('h.seq').whereRef('h.complaint_id', '=', 't.complaint_id').where('h.log', '=', log))))
      .execute();
    for (const { complaint_id: id } of ids) {
      await db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom(table as 'complaint_events')
          .selectAll()
          .where('complaint_id', '=', id)
          .orderBy('seq')
          .execute();
        // Only a chain that is wholly scheme 1 and intact is anchored; anything else is left for verify to report.
        let prev = GENESIS_HASH;
        for (const [i, r] of rows.entries()) {
          const row = { ...r, seq: Number(r.seq) } as never;
          const want = log === 'events' ? legacyEventHash(row) : legacyAccessHash(row);
          if (Number(r.scheme) !== 1 || Number(r.seq) !== i + 1 || r.prev_hash !== prev || r.hash !== want) return;
          prev = r.hash;
        }
        const c = log === 'events' ? await trx.selectFrom('complaints').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
        await writeHead(trx, ring, { complaint_id: id, log, seq: rows.length, hash: prev, case_digest: c ? caseDigest(c) : null }, now);
        n += 1;
      });
    }
  }
  return n;
}

/**
 * Writes a checkpoint of every head whose MAC verifies (a head that does not is left out, and
 * counted: `kesu audit verify` names it). The first checkpoint anchors the pre-0009 chains.
 */
export async function writeCheckpoint(database: Database, now: Date, dir = database.audit.checkpointDir): Promise<{ file: string; heads: number; anchored: number; skipped: number }> {
  if (!dir) throw new Error('audit checkpoints: no checkpoint folder (set KESU_DATA_DIR or KESU_AUDIT_CHECKPOINT_DIR)');
  const ring = database.audit.keys();
  const at = now.toISOString();
  const anchored = checkpointFiles(dir).length ? 0 : await anchorLegacyChains(database.db, ring, at);
  const heads: CheckpointFile['heads'] = [];
  let skipped = 0;
  let after = { id: '', log: '' };
  for (;;) {
    const a = after;
    const rows = await database.db
      .selectFrom('audit_heads')
      .selectAll()
      .where((eb) => eb.or([eb('complaint_id', '>', a.id), eb.and([eb('complaint_id', '=', a.id), eb('log', '>', a.log)])]))
      .orderBy('complaint_id')
      .orderBy('log')
      .limit(2000)
      .execute();
    if (!rows.length) break;
    for (const h of rows) {
      const log = h.log as LogName;
      const ok = checkMac(ring, h.key_id, headRecord({ complaint_id: h.complaint_id, log, seq: Number(h.seq), hash: h.hash, case_digest: h.case_digest }), h.mac) === 'ok';
      if (ok) heads.push([h.complaint_id, log, Number(h.seq), h.hash]);
      else skipped += 1;
    }
    const last = rows[rows.length - 1]!;
    after = { id: last.complaint_id, log: last.log };
  }
  const signed = { record: 'checkpoint' as const, v: 2 as const, at, key_id: ring.current.id, heads };
  const body: CheckpointFile = { ...signed, mac: macOf(ring.current, signed) };
  mkdirSync(dir, { recursive: true });
  const name = `checkpoint-${at.replace(/[-:.]/g, '')}.json`;
  const tmp = join(dir, `.${name}.tmp`);
  writeFileSync(tmp, `${canonicalize(body)}\n`, { mode: 0o600 });
  renameSync(tmp, join(dir, name));
  const files = checkpointFiles(dir);
  for (const old of files.slice(0, Math.max(0, files.length - KEEP))) rmSync(join(dir, old), { force: true });
  return { file: join(dir, name), heads: heads.length, anchored, skipped };
}
