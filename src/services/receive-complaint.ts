/**
 * Intake (受理登记) in one short transaction: the case, its first event, its clocks, the
 * customer's acknowledgement in the outbox and, when given, a channel's key (a portal form's nonce,
 * an e-mail's Message-ID) — so a retried submission returns the case the first one created. Staff
 * requests use the HTTP mechanism instead (http/idempotency.ts), marking their key through
 * `hooks.inTransaction`.
 */
import { createHash } from 'node:crypto';
import type { Actor, Complaint } from '../domain/complaint/types.js';
import { IntakeInput, receive } from '../domain/lifecycle/intake.js';
import { parseInput } from '../domain/validation.js';
import { AppError } from '../domain/errors.js';
import { canonicalJson } from '../store/event.repository.js';
import { getComplaint } from '../store/complaint.repository.js';
import { listClocks } from '../store/clock.repository.js';
import { ensureCaseNumbers, formatCaseNumber, nextCaseNumber } from '../store/counter.repository.js';
import { findIdempotent, saveIdempotent } from '../store/idempotency.repository.js';
import { idempotencyTtlMs } from './idempotent-requests.js';
import type { App } from './app.js';
import type { Transaction } from 'kysely';
import type { DB } from '../store/schema.js';
import { uuidv7 } from './ids.js';
import { piiAccessFor } from './view-complaint.js';
import { recordPiiAccess } from '../store/pii-access.repository.js';
import { requestContext } from './request-context.js';
import { contactKeysOfIntake } from './contact-keys.js';
import { insertContactKeys } from '../store/contact-key.repository.js';
import { persistReceipt } from '../store/decisions.js';
import { linkCandidatesOf, linkRows } from '../repeats/link-candidates.js';
import { insertCaseLinks } from '../store/repeat.repository.js';

export interface Received {
  complaint: Complaint;
  promisedAt: string | null;
  /** false when an earlier request with the same Idempotency-Key created it. */
  created: boolean;
}

const yearFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar year of an instant in a time zone (the year of the case number). */
function yearIn(at: Date, timeZone: string): number {
  let f = yearFormats.get(timeZone);
  if (!f) yearFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' })));
  return Number(f.format(at));
}

function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: string })?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Extra work of a channel that commits with the intake (issue 4: access code, attachments). */
export interface ReceiveHooks {
  inTransaction?: (trx: Transaction<DB>, received: Complaint) => Promise<void>;
  /**
   * The new case will be shown to this user at once (the intake answer): its personal-data
   * access is recorded in the intake's transaction, so the request makes one durable commit.
   */
  viewedBy?: Actor;
}

export async function receiveComplaint(app: App, actor: Actor, input: unknown, idempotencyKey?: string, hooks: ReceiveHooks = {}): Promise<Received> {
  const scopeKey = idempotencyKey ? `${actor.id}:${idempotencyKey}` : null;
  // Only a channel key is compared by the request's hash (staff requests' keys are http/idempotency.ts's).
  const requestHash = scopeKey ? createHash('sha256').update(canonicalJson(input)).digest('hex') : '';
  const replay = async (): Promise<Received | null> => {
    if (!scopeKey) return null;
    const prior = await findIdempotent(app.database.db, scopeKey, app.now().toISOString());
    if (!prior) return null;
    if (prior.requestHash !== requestHash) throw new AppError('idempotency_mismatch', 'Idempotency-Key reused with a different body');
    const c = (await getComplaint(app.database.db, prior.complaintId))!;
    const resolve = (await listClocks(app.database.db, c.id)).find((k) => k.kind === 'resolve');
    return { complaint: c, promisedAt: resolve?.dueAt ?? null, created: false };
  };
  const earlier = await replay();
  if (earlier) return earlier;

  // Parsed once (a bad input is refused here, naming its fields, as receive() would): the contact
  // keys, the repeat links and receive() read the same parsed value.
  const parsed = parseInput(IntakeInput, input);
  const policy = await app.activePolicy();
  const calendar = await app.calendarFor(policy);
  const contactKeys = contactKeysOfIntake(app, parsed); // hashed before the transaction
  // The time of receipt is taken before the transaction: the year's case numbers must be ready
  // before it begins (a new year's PostgreSQL sequence is created outside it).
  const now = app.now();
  const year = yearIn(now, policy.calendar.timeZone);
  await ensureCaseNumbers(app.database, year);
  // Repeat links (issue 13 §2): earlier cases of the same customer or subject, found before the transaction.
  const links = await linkCandidatesOf(app.database.db, policy, parsed, contactKeys, now);
  try {
    const received = await app.database.db.transaction().execute(async (trx) => {
      const id = uuidv7(now.getTime());
      // Claim the key first: a concurrent retry blocks on it, then sees the first case.
      if (scopeKey) await saveIdempotent(trx, scopeKey, requestHash, id, now.toISOString(), new Date(now.getTime() + idempotencyTtlMs(app)).toISOString());
      const seq = await nextCaseNumber(trx, app.database.dialect, year);
      const number = formatCaseNumber(year, seq);
      const r = receive(input, { id, number }, { actor, now, policy, calendar }, parsed);
      await persistReceipt(trx, app.database.dialect, r, calendar);
      await insertContactKeys(trx, id, contactKeys);
      await insertCaseLinks(trx, linkRows(id, links, now.toISOString()));
      await hooks.inTransaction?.(trx, r.complaint);
      const access = hooks.viewedBy ? piiAccessFor(r.complaint, hooks.viewedBy, now, requestContext()?.route ?? null) : null;
      if (access) await recordPiiAccess(trx, access);
      for (const k of r.clocks) if (k.missingHolidayYears.length) app.log.warn({ complaint: number, clock: k.kind, years: k.missingHolidayYears }, 'deadline computed without holiday data for these years');
      return { complaint: r.complaint, promisedAt: r.promisedAt, created: true };
    });
    const c = received.complaint;
    app.events.emit('case_changed', { id: c.id, number: c.number, state: c.state, action: 'receive', at: c.updatedAt });
    return received;
  } catch (e) {
    if (scopeKey && isUniqueViolation(e)) {
      const again = await replay();
      if (again) return again;
    }
    throw e;
  }
}
