/**
 * The personal-data access log (migration 0005): append-only — this module only inserts and
 * reads. Listed newest first with keyset pagination on (at, id).
 */
import type { Executor } from './db.js';

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
}

export async function recordPiiAccess(db: Executor, a: PiiAccess): Promise<void> {
  await db
    .insertInto('pii_access_log')
    .values({
      id: a.id,
      at: a.at,
      user_id: a.userId,
      user_name: a.userName,
      complaint_id: a.complaintId,
      complaint_number: a.complaintNumber,
      fields: JSON.stringify(a.fields),
      route: a.route,
    })
    .execute();
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
  }));
}
