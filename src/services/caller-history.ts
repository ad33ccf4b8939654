/**
 * Caller history (issue 13, caller recognition): a customer's earlier and open cases, found by
 * a contact — the phone in any format, the e-mail, the ID number, or the last four digits of the
 * phone with the name or the date of a call — as the intake screen shows them beside the form.
 *
 * Only cases the person may see (need to know and avoidance, `visibleTo`): the complained-about
 * employee finds nothing. The answer never shows personal data unmasked — the phone is masked
 * for everyone (the agent typed it; the case page is where unmasked data is shown, and logged).
 */
import { DateTime } from 'luxon';
import type { Actor, Complaint, Satisfaction } from '../domain/complaint/types.js';
import { AppError, fieldProblem } from '../domain/errors.js';
import { lastFour, normalizeCode, normalizeEmail, normalizeName, normalizePhone, type ContactTerm } from '../domain/complaint/contact.js';
import { maskEmail, maskIdNumber, maskPhone } from '../domain/permissions/pii.js';
import { CLOSED_STATES, findCasesByContact } from '../store/contact-key.repository.js';
import { contactKeyFor } from './contact-keys.js';
import type { App } from './app.js';
import { flagsForCustomer, type CustomerFlag } from './customer-flags.js';

/** How the caller is looked up: one contact, or the phone's last four digits with a name or a date. */
export interface CallerQuery {
  phone?: string;
  email?: string;
  idNumber?: string;
  last4?: string;
  name?: string;
  /** A calendar date (YYYY-MM-DD) in the policy's time zone: a case received that day. */
  date?: string;
}

/** One case of the history, as anyone who may see the case may see it. */
export interface CallerCase {
  id: string;
  number: string;
  kind: string;
  state: string;
  title: string;
  grade: string | null;
  category: string | null;
  channel: string;
  receivedAt: string;
  closedAt: string | null;
  complainantName: string | null;
  /** Normalised and masked (`138****5678`). */
  phone: string | null;
  satisfaction: Satisfaction | null;
  followUpOutcome: 'satisfied' | 'unreachable' | null;
}

export interface CallerHistory {
  /** What was looked up, masked: `138****5678`, `5678 + 张三`. */
  lookup: { by: 'phone' | 'email' | 'id_number' | 'last4_name' | 'last4_date'; shown: string };
  counts: { total: number; open: number; earlier: number };
  /** The latest follow-up result among the cases shown, or null when none was followed up. */
  lastSatisfaction: { caseId: string; number: string; satisfaction: Satisfaction; at: string } | null;
  /** Cases still running, newest first. */
  open: CallerCase[];
  /** Closed (or invalid) cases, newest first. */
  earlier: CallerCase[];
  /** Flags in force for this customer (恶意投诉, issue 13 §3): shown, never blocking intake. */
  flags: CustomerFlag[];
}

/** Cases read per lookup (newest first); counts go up to COUNT_UP_TO. */
const SHOWN = 50;
const COUNT_UP_TO = 1000;

function lookupOf(q: CallerQuery, timeZone: string): { term: ContactTerm; by: CallerHistory['lookup']['by']; shown: string; from?: string; before?: string } {
  const given = (['phone', 'email', 'idNumber', 'last4'] as const).filter((k) => q[k]?.trim());
  if (given.length !== 1)
    throw new AppError('invalid_input', 'one lookup', [
      fieldProblem('phone', '请给出电话、邮箱、证件号之一，或电话后四位加姓名或日期', 'Give one of phone, email or idNumber, or last4 with name or date', '請給出電話、郵箱、證件號之一，或電話後四位加姓名或日期'),
    ]);
  if (q.phone?.trim()) {
    const phone = normalizePhone(q.phone);
    if (!phone || phone.replace(/\D/g, '').length < 7) throw new AppError('invalid_input', 'bad phone', [fieldProblem('phone', '电话号码格式不正确', 'Invalid phone number', '電話號碼格式不正確')]);
    return { term: { kind: 'phone', value: phone }, by: 'phone', shown: maskPhone(phone) };
  }
  if (q.email?.trim()) {
    const email = normalizeEmail(q.email);
    if (!email) throw new AppError('invalid_input', 'bad email', [fieldProblem('email', '邮箱格式不正确', 'Invalid e-mail address', '郵箱格式不正確')]);
    return { term: { kind: 'email', value: email }, by: 'email', shown: maskEmail(email) };
  }
  if (q.idNumber?.trim()) {
    const id = normalizeCode(q.idNumber);
    if (!id || !/^[0-9A-Z]{6,32}$/.test(id)) throw new AppError('invalid_input', 'bad id number', [fieldProblem('idNumber', '证件号码格式不正确', 'Invalid ID number', '證件號碼格式不正確')]);
    return { term: { kind: 'id_number', value: id }, by: 'id_number', shown: maskIdNumber(id) };
  }
  const four = /^\d{4}$/.test(q.last4!.trim()) ? lastFour(q.last4!) : null;
  if (!four) throw new AppError('invalid_input', 'bad last4', [fieldProblem('last4', '请输入电话号码后四位数字', 'Give the last four digits of the phone', '請輸入電話號碼後四位數字')]);
  if (q.name?.trim()) return { term: { kind: 'phone_last4_name', value: `${four}|${normalizeName(q.name)}` }, by: 'last4_name', shown: `${four} + ${q.name.trim()}` };
  const day = q.date ? DateTime.fromISO(q.date, { zone: timeZone }) : null;
  if (!day?.isValid || !/^\d{4}-\d{2}-\d{2}$/.test(q.date ?? ''))
    throw new AppError('invalid_input', 'last4 needs name or date', [
      fieldProblem(q.date ? 'date' : 'name', '后四位须与姓名或日期（YYYY-MM-DD）一起查询', 'The last four digits need a name or a date (YYYY-MM-DD)', '後四位須與姓名或日期（YYYY-MM-DD）一起查詢'),
    ]);
  const from = day.startOf('day');
  return { term: { kind: 'phone_last4', value: four }, by: 'last4_date', shown: `${four} + ${q.date}`, from: from.toUTC().toISO()!, before: from.plus({ days: 1 }).toUTC().toISO()! };
}

function summary(c: Complaint): CallerCase {
  return {
    id: c.id,
    number: c.number,
    kind: c.kind,
    state: c.state,
    title: c.title,
    grade: c.grade,
    category: c.category,
    channel: c.channel,
    receivedAt: c.receivedAt,
    closedAt: c.closedAt,
    complainantName: c.complainant.anonymous ? null : (c.complainant.name ?? null),
    phone: c.complainant.phone ? maskPhone(normalizePhone(c.complainant.phone) ?? c.complainant.phone) : null,
    satisfaction: c.followUp.satisfaction,
    followUpOutcome: c.followUp.outcome,
  };
}

export async function callerHistory(app: App, actor: Actor, q: CallerQuery): Promise<CallerHistory> {
  const policy = await app.activePolicy();
  const l = lookupOf(q, policy.calendar.timeZone);
  const key = contactKeyFor(app, l.term);
  const found = await findCasesByContact(app.database.db, actor, [key], { limit: SHOWN, countUpTo: COUNT_UP_TO, receivedFrom: l.from, receivedBefore: l.before });
  const cases = found.cases.map(summary);
  const rated = found.cases.find((c) => c.followUp.satisfaction);
  return {
    lookup: { by: l.by, shown: l.shown },
    counts: { total: found.total, open: found.open, earlier: found.total - found.open },
    lastSatisfaction: rated ? { caseId: rated.id, number: rated.number, satisfaction: rated.followUp.satisfaction!, at: rated.closedAt ?? rated.updatedAt } : null,
    open: cases.filter((c) => !CLOSED_STATES.includes(c.state)),
    earlier: cases.filter((c) => CLOSED_STATES.includes(c.state)),
    // By the looked-up contact and by the contacts of the cases found (a last-four lookup finds the customer through them).
    flags: await flagsForCustomer(
      app,
      found.cases.map((c) => c.id),
      [key],
    ),
  };
}
