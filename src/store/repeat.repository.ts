/**
 * Repeat links (migration 0026): the earlier cases a new one shares a customer or subject key
 * with, recent cases for the text comparison, writing a case's links (in the intake
 * transaction) and reading a case's related cases through the need-to-know filter.
 */
import type { Actor, Complaint } from '../domain/complaint/types.js';
import { visibleTo } from './complaint.repository.js';
import { sql } from 'kysely';
import type { Dialect, Executor } from './db.js';
import type { CaseLinksTable } from './schema.js';

export interface KeyHit {
  complaintId: string;
  /** The contact kind matched (phone, email, order, plate). */
  keyKind: string;
  caseKind: string;
}

/** Cases received in [from, before) holding one of the keys (one probe of the key index each). */
export async function casesSharingKeys(db: Executor, keys: readonly string[], from: string, before: string, limit = 500): Promise<KeyHit[]> {
  if (!keys.length) return [];
  const rows = await db
    .selectFrom('contact_keys')
    .innerJoin('complaints', 'complaints.id', 'contact_keys.complaint_id')
    .select(['contact_keys.complaint_id', 'contact_keys.kind', 'complaints.kind as case_kind'])
    .where('contact_keys.key', 'in', [...keys])
    .where('complaints.received_at', '>=', from)
    .where('complaints.received_at', '<', before)
    .orderBy('complaints.received_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ complaintId: r.complaint_id, keyKind: r.kind, caseKind: r.case_kind }));
}

/** The newest cases received in [from, before) (at most `limit`), id and version only: the text comparison reads bodies it has not cut yet. */
export async function recentCaseVersions(db: Executor, from: string, before: string, limit: number): Promise<{ id: string; version: number }[]> {
  return db.selectFrom('complaints').select(['id', 'version']).where('received_at', '>=', from).where('received_at', '<', before).orderBy('received_at', 'desc').limit(limit).execute();
}

/** The bodies of the given cases, with their versions. */
export async function caseBodies(db: Executor, ids: readonly string[]): Promise<{ id: string; version: number; body: Complaint }[]> {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom('complaints')
    .select(['id', 'version', 'body'])
    .where('id', 'in', [...ids])
    .execute();
  return rows.map((r) => ({ id: r.id, version: r.version, body: JSON.parse(r.body) as Complaint }));
}

export async function insertCaseLinks(db: Executor, rows: readonly CaseLinksTable[]): Promise<void> {
  if (rows.length)
    await db
      .insertInto('case_links')
      .values([...rows])
      .execute();
}

export interface RelatedRow {
  /** The other case. */
  id: string;
  /** earlier: the other case came first; later: it was linked to this one afterwards. */
  direction: 'earlier' | 'later';
  reason: CaseLinksTable['reason'];
  detail: string | null;
  linkedAt: string;
  body: Complaint;
}

/** Cases linked to `id` either way that the actor may see (avoidance included), newest first. */
export async function relatedVisible(db: Executor, actor: Actor, id: string, limit = 200): Promise<RelatedRow[]> {
  const earlier = await db
    .selectFrom('case_links')
    .innerJoin('complaints', 'complaints.id', 'case_links.linked_id')
    .select(['case_links.linked_id as other', 'case_links.reason', 'case_links.detail', 'case_links.created_at', 'complaints.body'])
    .where('case_links.complaint_id', '=', id)
    .where(visibleTo(actor) as never)
    .limit(limit)
    .execute();
  const later = await db
    .selectFrom('case_links')
    .innerJoin('complaints', 'complaints.id', 'case_links.complaint_id')
    .select(['case_links.complaint_id as other', 'case_links.reason', 'case_links.detail', 'case_links.created_at', 'complaints.body'])
    .where('case_links.linked_id', '=', id)
    .where(visibleTo(actor) as never)
    .limit(limit)
    .execute();
  const rows: RelatedRow[] = [
    ...earlier.map((r) => ({ id: r.other, direction: 'earlier' as const, reason: r.reason, detail: r.detail, linkedAt: r.created_at, body: JSON.parse(r.body) as Complaint })),
    ...later.map((r) => ({ id: r.other, direction: 'later' as const, reason: r.reason, detail: r.detail, linkedAt: r.created_at, body: JSON.parse(r.body) as Complaint })),
  ];
  return rows.sort((a, b) => (a.body.receivedAt < b.body.receivedAt ? 1 : a.body.receivedAt > b.body.receivedAt ? -1 : 0));
}

/** The product a case names (references.product), trimmed; '' when none. */
function productOf(dialect: Dialect) {
  return dialect === 'postgres' ? sql<string>`coalesce(trim((complaints.body::jsonb)->'references'->>'product'), '')` : sql<string>`coalesce(trim(json_extract(complaints.body, '$.references.product')), '')`;
}

export interface SubjectCount {
  category: string;
  product: string;
  cases: number;
  /** Of them, cases linked at intake to an earlier case (any reason). */
  linked: number;
}

/**
 * Visible cases received in [from, before) by subject (category + product, '' for none), the
 * count of each and how many were linked at intake to an earlier case.
 */
export async function casesBySubject(db: Executor, dialect: Dialect, actor: Actor, from: string, before: string, limit = 1000): Promise<SubjectCount[]> {
  const product = productOf(dialect);
  const linked = sql<number>`sum(case when exists (select 1 from case_links l where l.complaint_id = complaints.id) then 1 else 0 end)`;
  const rows = await db
    .selectFrom('complaints')
    .select([sql<string>`coalesce(complaints.category, '')`.as('category'), product.as('product'), sql<number>`count(*)`.as('cases'), linked.as('linked')])
    .where('complaints.received_at', '>=', from)
    .where('complaints.received_at', '<', before)
    .where(visibleTo(actor) as never)
    .groupBy([sql`coalesce(complaints.category, '')`, product])
    .orderBy(sql`count(*)`, 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ category: r.category, product: r.product, cases: Number(r.cases), linked: Number(r.linked) }));
}

/** The visible cases of one subject received in [from, before), newest first. */
export async function casesOfSubject(db: Executor, dialect: Dialect, actor: Actor, s: { category: string; product: string }, from: string, before: string, limit: number): Promise<Complaint[]> {
  const rows = await db
    .selectFrom('complaints')
    .select('body')
    .where('complaints.received_at', '>=', from)
    .where('complaints.received_at', '<', before)
    .where(sql<boolean>`coalesce(complaints.category, '') = ${s.category}`)
    .where(sql<boolean>`${productOf(dialect)} = ${s.product}`)
    .where(visibleTo(actor) as never)
    .orderBy('received_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => JSON.parse(r.body) as Complaint);
}
