/**
 * The customer's side of a case (issue 4): portal access, survey links, attachments, inbound
 * e-mail already handled, and staff contact details for notifications.
 */
import type { Locale } from '../domain/errors.js';
import type { Role } from '../domain/complaint/types.js';
import type { Executor } from './db.js';
import { toUser } from './user.repository.js';

// --- portal access ------------------------------------------------------------------------------

export async function getAccess(db: Executor, complaintId: string): Promise<{ codeHash: string; locale: Locale } | null> {
  const r = await db.selectFrom('customer_access').select(['code_hash', 'locale']).where('complaint_id', '=', complaintId).executeTakeFirst();
  return r ? { codeHash: r.code_hash, locale: r.locale as Locale } : null;
}

/** Sets (or replaces) the access code hash of a case. */
export async function saveAccess(db: Executor, complaintId: string, codeHash: string, locale: Locale, now: string): Promise<void> {
  await db
    .insertInto('customer_access')
    .values({ complaint_id: complaintId, code_hash: codeHash, locale, created_at: now })
    .onConflict((oc) => oc.column('complaint_id').doUpdateSet({ code_hash: codeHash, created_at: now }))
    .execute();
}

export async function customerLocale(db: Executor, complaintId: string): Promise<Locale | null> {
  const r = await db.selectFrom('customer_access').select('locale').where('complaint_id', '=', complaintId).executeTakeFirst();
  return (r?.locale as Locale | undefined) ?? null;
}

// --- survey links -------------------------------------------------------------------------------

export interface SurveyToken {
  tokenHash: string;
  complaintId: string;
  cycle: number;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export async function insertSurveyToken(db: Executor, t: Omit<SurveyToken, 'usedAt'>): Promise<void> {
  await db.insertInto('survey_tokens').values({ token_hash: t.tokenHash, complaint_id: t.complaintId, cycle: t.cycle, created_at: t.createdAt, expires_at: t.expiresAt, used_at: null }).execute();
}

export async function findSurveyToken(db: Executor, tokenHash: string): Promise<SurveyToken | null> {
  const r = await db.selectFrom('survey_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  return r ? { tokenHash: r.token_hash, complaintId: r.complaint_id, cycle: Number(r.cycle), createdAt: r.created_at, expiresAt: r.expires_at, usedAt: r.used_at } : null;
}

/** Uses up one link; false when it was already used (the caller rolls back). */
export async function useSurveyToken(db: Executor, tokenHash: string, now: string): Promise<boolean> {
  const r = await db.updateTable('survey_tokens').set({ used_at: now }).where('token_hash', '=', tokenHash).where('used_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Uses up every link of a handling cycle (the survey was answered another way). */
export async function closeCycleTokens(db: Executor, complaintId: string, cycle: number, now: string): Promise<void> {
  await db.updateTable('survey_tokens').set({ used_at: now }).where('complaint_id', '=', complaintId).where('cycle', '=', cycle).where('used_at', 'is', null).execute();
}

// --- attachments --------------------------------------------------------------------------------

export interface AttachmentRecord {
  id: string;
  complaintId: string;
  sha256: string;
  name: string;
  contentType: string;
  size: number;
  source: string;
  createdAt: string;
}

export async function insertAttachments(db: Executor, rows: AttachmentRecord[]): Promise<void> {
  if (!rows.length) return;
  await db
    .insertInto('attachments')
    .values(rows.map((a) => ({ id: a.id, complaint_id: a.complaintId, sha256: a.sha256, name: a.name, content_type: a.contentType, size: a.size, source: a.source, created_at: a.createdAt })))
    .execute();
}

export async function listAttachments(db: Executor, complaintId: string): Promise<AttachmentRecord[]> {
  const rows = await db.selectFrom('attachments').selectAll().where('complaint_id', '=', complaintId).orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, complaintId: r.complaint_id, sha256: r.sha256, name: r.name, contentType: r.content_type, size: Number(r.size), source: r.source, createdAt: r.created_at }));
}

// --- inbound e-mail -----------------------------------------------------------------------------

export async function findInbound(db: Executor, key: string): Promise<{ complaintId: string | null; outcome: string } | null> {
  const r = await db.selectFrom('inbound_emails').select(['complaint_id', 'outcome']).where('message_key', '=', key).executeTakeFirst();
  return r ? { complaintId: r.complaint_id, outcome: r.outcome } : null;
}

export async function recordInbound(db: Executor, r: { key: string; complaintId: string | null; outcome: string; detail?: string; at: string }): Promise<void> {
  await db
    .insertInto('inbound_emails')
    .values({ message_key: r.key, complaint_id: r.complaintId, outcome: r.outcome, detail: r.detail ?? null, received_at: r.at })
    .onConflict((oc) => oc.column('message_key').doNothing())
    .execute();
}

// --- staff contacts -----------------------------------------------------------------------------

export interface StaffContact {
  id: string;
  name: string;
  roles: Role[];
  departmentCode: string | null;
  managerOf: string[];
  approvalLevels: string[];
  locale: Locale;
  email: string | null;
  phone: string | null;
}

export async function activeStaff(db: Executor): Promise<StaffContact[]> {
  const rows = await db.selectFrom('users').selectAll().where('active', '=', 1).execute();
  return rows.map((r) => {
    const { id, name, roles, departmentCode, managerOf, approvalLevels, locale } = toUser(r);
    return { id, name, roles, departmentCode, managerOf, approvalLevels, locale, email: r.email ?? null, phone: r.phone ?? null };
  });
}

export async function setStaffContact(db: Executor, userId: string, c: { email?: string | null; phone?: string | null }): Promise<boolean> {
  const set: { email?: string | null; phone?: string | null } = {};
  if (c.email !== undefined) set.email = c.email;
  if (c.phone !== undefined) set.phone = c.phone;
  if (!Object.keys(set).length) return true;
  const r = await db.updateTable('users').set(set).where('id', '=', userId).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
