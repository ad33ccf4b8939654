/**
 * The customer's own use cases (issue 4), behind the public portal and the e-mail channel:
 * submit a complaint and get its number and access code, open a case with number + code, see
 * the customer's view of it, add information, answer the follow-up survey. Every state change
 * goes through the lifecycle machine (`receiveComplaint` / `actOnComplaint`) — the customer acts
 * as CUSTOMER_ACTOR only after the access code or survey token was checked here.
 */
import type { Transaction } from 'kysely';
import { CUSTOMER_ACTOR, type Actor, type Complaint, type Satisfaction } from '../domain/complaint/types.js';
import { AppError, type Locale } from '../domain/errors.js';
import { ACTIONS } from '../domain/lifecycle/machine.js';
import { canSee } from '../domain/permissions/visibility.js';
import type { DB } from '../store/schema.js';
import { findIdByNumber, getComplaint } from '../store/complaint.repository.js';
import { listEvents } from '../store/event.repository.js';
import { listClocks } from '../store/clock.repository.js';
import {
  closeCycleTokens,
  findSurveyToken,
  getAccess,
  insertAttachments,
  listAttachments,
  saveAccess,
  useSurveyToken,
  type AttachmentRecord,
} from '../store/customer.repository.js';
import { derivedAccessCode, hashAccessCode, randomAccessCode, seal, tokenHash, verifyAccessCode } from '../channels/secrets.js';
import type { ChannelSettings } from '../channels/settings.js';
import { receiveComplaint } from './receive-complaint.js';
import { actOnComplaint } from './act-on-complaint.js';
import { uuidv7 } from './ids.js';
import type { App } from './app.js';

/** Intake through the public portal (no staff member received it). */
export const PORTAL_INTAKE: Actor = { id: 'portal', kind: 'system', name: '网上投诉', roles: [], managerOf: [], approvalLevels: [] };
/** Intake through the inbound e-mail channel. */
export const EMAIL_INTAKE: Actor = { id: 'email', kind: 'system', name: '电子邮件', roles: [], managerOf: [], approvalLevels: [] };

/** A file already stored content-addressed (channels/attachments.ts). */
export interface StoredUpload {
  name: string;
  contentType: string;
  size: number;
  sha256: string;
}

export function attachmentRows(complaintId: string, files: StoredUpload[], source: string, at: string): AttachmentRecord[] {
  // Ids made in one millisecond are not ordered among themselves: sorted, they list the files in the order sent.
  const ids = files.map(() => uuidv7()).sort();
  return files.map((f, i) => ({ id: ids[i]!, complaintId, sha256: f.sha256, name: f.name, contentType: f.contentType, size: f.size, source, createdAt: at }));
}

/** An access code with its (deliberately slow) hash, computed before the transaction that stores it. */
export interface AccessCode {
  code: string;
  hash: string;
}

export async function prepareAccessCode(code: string): Promise<AccessCode> {
  return { code, hash: await hashAccessCode(code) };
}

/** Stores the access code's hash and seals the code into the case's queued acknowledgement. */
export async function issueAccess(trx: Transaction<DB>, s: ChannelSettings, complaintId: string, access: AccessCode, locale: Locale, at: string): Promise<void> {
  const { code } = access;
  await saveAccess(trx, complaintId, access.hash, locale, at);
  const ack = await trx.selectFrom('outbox').select(['id', 'payload']).where('complaint_id', '=', complaintId).where('template', '=', 'acknowledgement').where('status', '=', 'pending').execute();
  for (const row of ack) {
    const payload = { ...(JSON.parse(row.payload) as Record<string, unknown>), sealed: seal(s.sealKey, { accessCode: code }) };
    await trx.updateTable('outbox').set({ payload: JSON.stringify(payload) }).where('id', '=', row.id).execute();
  }
}

export interface PortalSubmission {
  kind: 'complaint' | 'inquiry' | 'suggestion';
  title?: string;
  description: string;
  anonymous: boolean;
  name?: string;
  phone?: string;
  email?: string;
  order?: string;
  demands: string[];
  files: StoredUpload[];
  locale: Locale;
  /** One-time nonce of the form: the Idempotency-Key, and the seed of the access code. */
  nonce: string;
}

export interface Submitted {
  complaint: Complaint;
  promisedAt: string | null;
  /** Shown once; null when a replayed submission's code cannot be re-derived. */
  accessCode: string | null;
  created: boolean;
}

export async function submitFromPortal(app: App, s: ChannelSettings, sub: PortalSubmission): Promise<Submitted> {
  const blank = (v: string | undefined) => (v && v.trim() ? v.trim() : undefined);
  const input = {
    kind: sub.kind,
    channel: 'web',
    title: blank(sub.title),
    description: sub.description,
    complainant: { anonymous: sub.anonymous, name: sub.anonymous ? undefined : blank(sub.name), phone: blank(sub.phone), email: blank(sub.email) },
    references: blank(sub.order) ? { order: blank(sub.order) } : {},
    demands: { types: sub.demands },
  };
  const code = derivedAccessCode(s.sealKey, sub.nonce);
  const access = await prepareAccessCode(code);
  const r = await receiveComplaint(app, PORTAL_INTAKE, input, `portal:${sub.nonce}`, {
    inTransaction: async (trx, c) => {
      const at = app.now().toISOString();
      await issueAccess(trx, s, c.id, access, sub.locale, at);
      await insertAttachments(trx, attachmentRows(c.id, sub.files, 'portal', at));
    },
  });
  // A double-submitted form (same nonce) shows the same case; its code re-derives from the nonce.
  let accessCode: string | null = code;
  if (!r.created) accessCode = (await verifyAccessCode(code, (await getAccess(app.database.db, r.complaint.id))?.codeHash ?? null)) ? code : null;
  return { complaint: r.complaint, promisedAt: r.promisedAt, accessCode, created: r.created };
}

/**
 * Opens a case with its number and access code. A wrong number and a wrong code take the same
 * time and give the same answer (null), so the portal cannot be used to find case numbers.
 */
export async function openCase(app: App, number: string, code: string): Promise<Complaint | null> {
  const db = app.database.db;
  const normalized = number.trim().toUpperCase();
  const id = /^KS-\d{4}-\d{1,10}$/.test(normalized) ? await findIdByNumber(db, normalized) : null;
  // The same queries and the same scrypt work whether or not the number exists.
  const access = await getAccess(db, id ?? '00000000-0000-7000-8000-000000000000');
  const ok = await verifyAccessCode(code, access?.codeHash ?? null);
  if (!ok || !id) return null;
  return getComplaint(db, id);
}

/** One line of the customer's own timeline: no internal notes, staff only by role, no complained-about party. */
export interface CustomerEvent {
  at: string;
  code:
    | 'received'
    | 'validated'
    | 'invalid'
    | 'routed'
    | 'accepted'
    | 'investigated'
    | 'solution_approved'
    | 'answered'
    | 'paused'
    | 'resumed'
    | 'delayed'
    | 'followup_unreachable'
    | 'followed_up'
    | 'reopened'
    | 'closed'
    | 'message'
    | 'supplemented';
  by: 'you' | 'service' | 'department';
  text?: string;
  dueAt?: string | null;
  satisfaction?: Satisfaction;
  cycle?: number;
  attachments?: string[];
}

export interface CustomerView {
  number: string;
  kind: Complaint['kind'];
  state: Complaint['state'];
  cycle: number;
  receivedAt: string;
  /** The promised time while the case is being handled (the resolve clock). */
  promisedAt: string | null;
  timeline: CustomerEvent[];
  attachments: { name: string; size: number; at: string }[];
  canSupplement: boolean;
  /** The follow-up survey can be answered now (answered, and the policy follows up by survey). */
  surveyOpen: boolean;
}

function customerTimeline(events: Awaited<ReturnType<typeof listEvents>>): CustomerEvent[] {
  const out: CustomerEvent[] = [];
  for (const e of events) {
    const input = (e.data.input ?? {}) as Record<string, unknown>;
    const by = e.actorId === CUSTOMER_ACTOR.id ? 'you' : 'service';
    const add = (ev: Omit<CustomerEvent, 'at'>) => out.push({ at: e.at, ...ev });
    switch (e.action) {
      case 'receive':
        add({ code: 'received', by: 'service' });
        break;
      case 'judge':
        if (input.valid) add({ code: 'validated', by: 'service' });
        else add({ code: 'invalid', by: 'service', text: typeof input.explanation === 'string' ? input.explanation : undefined });
        break;
      case 'route':
      case 'reroute':
        add({ code: 'routed', by: 'service' });
        break;
      case 'accept':
        add({ code: 'accepted', by: 'department' });
        break;
      case 'investigate':
        add({ code: 'investigated', by: 'department' });
        break;
      case 'approve':
        add({ code: 'solution_approved', by: 'service' });
        break;
      case 'answer':
        add({ code: 'answered', by: 'service', text: typeof input.text === 'string' ? input.text : undefined });
        break;
      case 'pend':
        add({ code: 'paused', by: 'service' });
        break;
      case 'resume':
        add({ code: 'resumed', by: 'service' });
        break;
      case 'grant_extension':
        add({ code: 'delayed', by: 'service', dueAt: ((e.data.extension ?? {}) as { newDueAt?: string | null }).newDueAt ?? null });
        break;
      case 'follow_up':
        if (input.reached === false) add({ code: 'followup_unreachable', by: 'service' });
        else if (e.toState === 'investigating') add({ code: 'reopened', by, satisfaction: input.satisfaction as Satisfaction, cycle: Number(e.data.cycle) || undefined });
        else add({ code: 'followed_up', by, satisfaction: input.satisfaction as Satisfaction });
        break;
      case 'close':
        add({ code: 'closed', by: 'service' });
        break;
      case 'note':
        if (e.data.internal === false && typeof e.data.text === 'string') add({ code: 'message', by: 'service', text: e.data.text });
        break;
      case 'supplement':
        add({
          code: 'supplemented',
          by: 'you',
          text: typeof e.data.text === 'string' && e.data.text ? e.data.text : undefined,
          attachments: Array.isArray(e.data.attachments) ? (e.data.attachments as { name: string }[]).map((a) => a.name) : [],
        });
        break;
      default:
        // classify, propose, reject, extension requests, system deadline events: internal.
        break;
    }
  }
  return out;
}

export function canSupplement(c: Complaint): boolean {
  return !!ACTIONS.supplement.from[c.kind]?.includes(c.state);
}

export async function customerView(app: App, c: Complaint): Promise<CustomerView> {
  const db = app.database.db;
  const [events, clocks, files, policy] = await Promise.all([listEvents(db, c.id), listClocks(db, c.id), listAttachments(db, c.id), app.policyByKey(c.policyKey)]);
  const resolve = clocks.find((k) => k.kind === 'resolve' && k.status !== 'stopped');
  return {
    number: c.number,
    kind: c.kind,
    state: c.state,
    cycle: c.cycle,
    receivedAt: c.receivedAt,
    promisedAt: resolve?.dueAt ?? null,
    timeline: customerTimeline(events),
    attachments: files.map((f) => ({ name: f.name, size: f.size, at: f.createdAt })),
    canSupplement: canSupplement(c),
    surveyOpen: c.kind === 'complaint' && c.state === 'answered' && policy.followUp.methods.includes('survey'),
  };
}

export async function supplementCase(
  app: App,
  c: Complaint,
  text: string,
  files: StoredUpload[],
  via: 'portal' | 'email',
  more?: (trx: Transaction<DB>) => Promise<void>,
): Promise<Complaint> {
  const at = app.now().toISOString();
  const rows = attachmentRows(c.id, files, via, at);
  return actOnComplaint(
    app,
    CUSTOMER_ACTOR,
    c.id,
    'supplement',
    { text, via, attachments: rows.map((r) => ({ id: r.id, name: r.name, size: r.size, contentType: r.contentType })) },
    {
      inTransaction: async (trx) => {
        await insertAttachments(trx, rows);
        await more?.(trx);
      },
    },
  );
}

export interface SurveyAnswer {
  satisfaction: Satisfaction;
  scores?: { attitude?: number; efficiency?: number; result?: number };
  comment?: string;
}

/** Why a survey link cannot be answered: unknown, expired, already answered, or the case moved on. */
export type SurveyRefusal = 'invalid' | 'expired' | 'used' | 'closed';

export class SurveyRefused extends Error {
  constructor(readonly reason: SurveyRefusal) {
    super(`survey ${reason}`);
  }
}

/** The case behind a survey link, or why it cannot be answered. */
export async function surveyCase(app: App, token: string): Promise<{ complaint: Complaint; expiresAt: string; cycle: number }> {
  const t = await findSurveyToken(app.database.db, tokenHash(token));
  if (!t) throw new SurveyRefused('invalid');
  if (t.usedAt) throw new SurveyRefused('used');
  if (t.expiresAt <= app.now().toISOString()) throw new SurveyRefused('expired');
  const c = await getComplaint(app.database.db, t.complaintId);
  if (!c) throw new SurveyRefused('invalid');
  if (c.state !== 'answered' || c.cycle !== t.cycle) throw new SurveyRefused(c.cycle === t.cycle && c.state !== 'answered' ? 'used' : 'closed');
  return { complaint: c, expiresAt: t.expiresAt, cycle: t.cycle };
}

function followUpInput(a: SurveyAnswer) {
  return { reached: true, method: 'survey', satisfaction: a.satisfaction, scores: a.scores, comment: a.comment || undefined };
}

/**
 * Records the survey answer as the follow-up result: the `follow_up` transition (unsatisfied →
 * handled again one tier up) and the link used up, in one transaction. A second submit — or a
 * concurrent one — is refused with `used`.
 */
export async function answerSurvey(app: App, token: string, a: SurveyAnswer, more?: (trx: Transaction<DB>, saved: Complaint) => Promise<void>): Promise<Complaint> {
  const { complaint, cycle } = await surveyCase(app, token);
  const h = tokenHash(token);
  try {
    return await actOnComplaint(app, CUSTOMER_ACTOR, complaint.id, 'follow_up', followUpInput(a), {
      inTransaction: async (trx, saved) => {
        if (!(await useSurveyToken(trx, h, app.now().toISOString()))) throw new SurveyRefused('used');
        await closeCycleTokens(trx, complaint.id, cycle, app.now().toISOString());
        await more?.(trx, saved);
      },
    });
  } catch (e) {
    // Someone answered first (the transition is no longer legal, or the link was used meanwhile).
    if (e instanceof AppError && (e.code === 'illegal_transition' || e.code === 'conflict')) throw new SurveyRefused('used');
    throw e;
  }
}

/** The survey answered on the tracking page (number + code checked): closes the cycle's links too. */
export async function answerSurveyOnCase(app: App, c: Complaint, a: SurveyAnswer, more?: (trx: Transaction<DB>, saved: Complaint) => Promise<void>): Promise<Complaint> {
  const policy = await app.policyByKey(c.policyKey);
  if (!policy.followUp.methods.includes('survey')) throw new SurveyRefused('closed');
  if (c.state !== 'answered') throw new SurveyRefused('used');
  try {
    return await actOnComplaint(app, CUSTOMER_ACTOR, c.id, 'follow_up', followUpInput(a), {
      inTransaction: async (trx, saved) => {
        await closeCycleTokens(trx, c.id, c.cycle, app.now().toISOString());
        await more?.(trx, saved);
      },
    });
  } catch (e) {
    if (e instanceof AppError && (e.code === 'illegal_transition' || e.code === 'conflict')) throw new SurveyRefused('used');
    throw e;
  }
}

/**
 * A new access code for a case, read to a customer who called in (staff who may see the case).
 * Replaces the previous code. Returned once; only its hash is kept.
 */
export async function resetAccessCode(app: App, actor: Actor, id: string, locale: Locale): Promise<{ number: string; accessCode: string }> {
  const c = await getComplaint(app.database.db, id);
  if (!c || !canSee(c, actor)) throw new AppError('not_found', `complaint ${id}`);
  if (!actor.roles.some((r) => r === 'agent' || r === 'specialist' || r === 'followup') && actor.id !== c.firstResponderId) throw new AppError('forbidden', 'only customer service staff issue access codes');
  const code = randomAccessCode();
  const existing = await getAccess(app.database.db, c.id);
  await saveAccess(app.database.db, c.id, await hashAccessCode(code), existing?.locale ?? locale, app.now().toISOString());
  return { number: c.number, accessCode: code };
}

/** Re-reads a case (after an action) for the customer's view. */
export async function reloadCase(app: App, id: string): Promise<Complaint> {
  const c = await getComplaint(app.database.db, id);
  if (!c) throw new AppError('not_found', id);
  return c;
}
