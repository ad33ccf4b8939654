/**
 * The personal-data access log (migration 0005): append-only — this module only inserts and
 * reads, and since migration 0009 the database refuses UPDATE and DELETE. Chained per case like
 * the timeline (src/audit/records.ts `access` records: HMAC-SHA256 over RFC 8785, a head per
 * case in `audit_heads`), so a deleted or edited row is detected by `kesu audit verify`.
 * Listed newest first with keyset pagination on (at, id).
 */
import { databaseOf, type Executor } from './db.js';
import { wellFormed } from '../audit/canonical.js';
import { macOf, type AuditKeyring } from '../audit/keys.js';
import { GENESIS_HASH, accessRecord } from '../audit/records.js';
import { auditKeysOf, writeHead } from '../audit/heads.js';

export interface PiiAccess {
  id: string;
  at: string;
  userId: string;
  userName: string;
  complaintId: string;
  complaintNumber: string;
  /** The unmasked fields that had a value: phone, idNumber, email, address. */
  fields: string[];
  /** The API route that showed them, e.g. "GET /api/v1/complaints/:id"; null outside HTTP. */
  route: string | null;
  /** Why a masked reader revealed a field (one-field reveal, services/reveal-field.ts); absent for views. */
  reason?: string | null;
}

function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: string })?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Appends one row to the case's access chain. Given the root handle it opens a short transaction
 * of its own (the head is locked on PostgreSQL; two first accesses racing retry once).
 */
export async function recordPiiAccess(db: Executor, a: PiiAccess, keys?: AuditKeyring): Promise<void> {
  const ring = keys ?? auditKeysOf(db);
  if (!db.isTransaction) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await db.transaction().execute((trx) => recordPiiAccess(trx, a, ring));
      } catch (e) {
        if (attempt >= 2 || !isUniqueViolation(e)) throw e;
      }
    }
  }
  // Lock the head on PostgreSQL; SQLite runs one writer at a time.
  if (databaseOf(db)?.dialect === 'postgres') await db.selectFrom('audit_heads').select('seq').where('complaint_id', '=', a.complaintId).where('log', '=', 'access').forUpdate().execute();
  const last = await db.selectFrom('pii_access_log').select(['seq', 'hash']).where('complaint_id', '=', a.complaintId).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const row = {
    id: a.id,
    at: a.at,
    user_id: a.userId,
    user_name: wellFormed(a.userName),
    complaint_id: a.complaintId,
    complaint_number: a.complaintNumber,
    fields: JSON.stringify(a.fields),
    route: a.route === null ? null : wellFormed(a.route),
    // Only a reveal carries a reason (migration 0029); a view's row is the row it always was.
    ...(a.reason != null ? { reason: wellFormed(a.reason) } : {}),
    seq: (last ? Number(last.seq) : 0) + 1,
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  const hash = macOf(ring.current, accessRecord(row, 2));
  await db
    .insertInto('pii_access_log')
    .values({ ...row, hash, scheme: 2, key_id: ring.current.id })
    .execute();
  await writeHead(db, ring, { complaint_id: a.complaintId, log: 'access', seq: row.seq, hash, case_digest: null }, a.at);
}

export interface PiiAccessQuery {
  complaintId?: string;
  userId?: string;
  limit: number;
  /** Rows strictly older than this (at, id): the previous page's last row. */
  before?: { at: string; id: string };
}

export async function listPiiAccess(db: Executor, q: PiiAccessQuery): Promise<PiiAccess[]> {
  let s = db.selectFrom('pii_access_log').selectAll();
  if (q.complaintId) s = s.where('complaint_id', '=', q.complaintId);
  if (q.userId) s = s.where('user_id', '=', q.userId);
  if (q.before) {
    const b = q.before;
    s = s.where((eb) => eb.or([eb('at', '<', b.at), eb.and([eb('at', '=', b.at), eb('id', '<', b.id)])]));
  }
  const rows = await s.orderBy('at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    userId: r.user_id,
    userName: r.user_name,
    complaintId: r.complaint_id,
    complaintNumber: r.complaint_number,
    fields: JSON.parse(r.fields) as string[],
    route: r.route,
    reason: r.reason ?? null,
  }));
}
