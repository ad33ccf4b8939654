/**
 * The outbox dispatcher: delivers the messages transitions queued (in the transition's own
 * transaction), at least once and idempotently.
 *
 * 1. Claim due rows with a lease (store/delivery.repository.ts `claimDue`: `FOR UPDATE SKIP
 *    LOCKED` on PostgreSQL). A claimed row is `sending` until its lease expires.
 * 2. A logical row (channel staff / customer / webhook) is expanded into one
 *    delivery row per concrete recipient (staff e-mail, group bot, the customer's e-mail and
 *    phone, each webhook). Customer secrets are minted here: the access code of an
 *    acknowledgement queued without one (staff intake), the survey link of an invitation — their
 *    hashes are stored, the plain values travel sealed in the delivery rows. All the logical
 *    rows of a pass are expanded in one transaction (row by row only when one of them fails).
 * 3. A delivery row is sent through its provider with the row id as idempotency key, then
 *    marked sent (secrets removed from the row) — the outcomes of a pass's deliveries in one
 *    transaction, after they were sent; no transaction is open while a message is sent. A crash between send and mark leaves the row
 *    `sending`; when the lease expires another dispatcher sends it again with the same key —
 *    never lost, and a provider that honours the key does not deliver it twice.
 * 4. Failures back off exponentially (30 s, 1 min, 2 min … capped at 1 h, ±20 %); a permanent
 *    refusal or the last attempt makes the row `dead`, listed for admins
 *    (GET /api/v1/admin/outbox?status=dead) who can send it again.
 */
import { hostname } from 'node:os';
import { AsyncResource } from 'node:async_hooks';
import type { Transaction } from 'kysely';
import type { DB } from '../store/schema.js';
import { randomUUID } from 'node:crypto';
import type { App } from '../services/app.js';
import type { Complaint } from '../domain/complaint/types.js';
import type { Locale } from '../domain/errors.js';
import type { Policy } from '../domain/policy/index.js';
import { addDuration } from '../domain/calendar/index.js';
import { getComplaint } from '../store/complaint.repository.js';
import { claimDue, finishClaimed, insertDeliveries, lockClaimed, releaseClaimed, skipPending, type OutboxRow } from '../store/delivery.repository.js';
import { activeStaff, customerLocale, insertSurveyToken, saveAccess } from '../store/customer.repository.js';
import type { ChannelSettings } from '../channels/settings.js';
import { resolveCustomer, resolveStaff, resolveWebhooks, type Resolution, type Selector } from '../channels/recipients.js';
import { formatAccessCode, hashAccessCode, randomAccessCode, randomSurveyToken, seal, tokenHash, unseal } from '../channels/secrets.js';
import { formatInstant, isCustomerMessage, renderCustomerMessage, staffMessage, staffText } from '../channels/templates.js';
import { DeliveryError, type SendResult } from '../channels/provider.js';
import { smtpProvider, type EmailProvider } from '../channels/email-smtp.js';
import { httpSmsProvider, logSmsProvider, type SmsProvider } from '../channels/sms.js';
import { sendToBot } from '../channels/staff-alerts.js';
import { caseEventBody, sendWebhook } from '../channels/webhook.js';
import { listAbsences } from '../store/absence.repository.js';
import { fileStoreOf } from '../storage/stores.js';
import { isContentKey } from '../storage/file-store.js';

export interface Providers {
  email: EmailProvider | null;
  sms: SmsProvider | null;
}

export function createProviders(s: ChannelSettings, app: App): Providers {
  return {
    email: s.smtpUrl ? smtpProvider(s.smtpUrl, s.mailFrom, s.outbox.timeoutMs) : null,
    sms: s.sms.provider === 'log' ? logSmsProvider(app.log) : s.sms.provider === 'http' ? httpSmsProvider(s.sms, s.outbox.timeoutMs) : null,
  };
}

export interface DispatchOptions {
  /** Lease holder name; one per dispatcher (default host:pid:random). */
  owner?: string;
  settings?: ChannelSettings;
  providers?: Providers;
  limit?: number;
  /**
   * True once the dispatcher is being stopped: the pass hands back what it has not started on
   * (expansions, sends) instead of finishing the whole batch, so a stop takes seconds.
   */
  stopping?: () => boolean;
}

export interface DispatchResult {
  claimed: number;
  expanded: number;
  skipped: number;
  sent: number;
  retrying: number;
  dead: number;
  /** Rows whose lease another dispatcher took over meanwhile. */
  lost: number;
}

const defaultOwner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
const providerCache = new WeakMap<App, Providers>();

async function providersFor(app: App, s: ChannelSettings): Promise<Providers> {
  let p = providerCache.get(app);
  if (!p) {
    p = createProviders(s, app);
    providerCache.set(app, p);
  }
  return p;
}

class LeaseLost extends Error {}

function withoutSecrets(payload: Record<string, unknown>): Record<string, unknown> {
  const { sealed: _sealed, ...rest } = payload;
  return rest;
}

/** Deliveries sent at once within a pass: one slow provider does not hold up the rest. */
const SEND_CONCURRENCY = 8;
/** Access-code hashes computed at once (scrypt, 16 MiB each, on the libuv pool). */
const HASH_CONCURRENCY = 2;

/** Runs `fn` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * One pass: claims up to `limit` due rows, expands the logical ones in one transaction and sends
 * the delivery rows outside any transaction, then marks their outcomes in one transaction — a
 * handful of commits per pass, not several per row (issue 9). Nothing slow runs while a
 * transaction is open: the access codes are hashed before the expansion, messages are sent
 * between the two transactions.
 */
export async function dispatchOutbox(app: App, opts: DispatchOptions = {}): Promise<DispatchResult> {
  const s = opts.settings ?? app.settings.channels;
  const providers = opts.providers ?? (await providersFor(app, s));
  const owner = opts.owner ?? defaultOwner;
  const { db, dialect } = app.database;
  const now = app.now();
  const result: DispatchResult = { claimed: 0, expanded: 0, skipped: 0, sent: 0, retrying: 0, dead: 0, lost: 0 };
  if (!s.webhooks.length) result.skipped += await skipPending(db, 'webhook', now.toISOString(), 'no webhook configured (KESU_WEBHOOKS)');
  const limit = opts.limit ?? s.outbox.batch;
  const rows = await claimDue(db, dialect, { now: now.toISOString(), leaseUntil: new Date(now.getTime() + s.outbox.leaseMs).toISOString(), owner, limit });
  if (rows.length > limit) {
    // Should the claim ever take more than asked (a plan that rescans its LIMIT subquery), the
    // pass stays its size: the excess goes back at once.
    const excess = rows.splice(limit);
    await releaseClaimed(
      db,
      excess.map((r) => r.id),
      owner,
      now.toISOString(),
    );
    app.log.warn({ claimed: rows.length + excess.length, limit }, 'outbox: claimed more rows than asked; handed the excess back');
  }
  result.claimed = rows.length;
  const logical = rows.filter((r) => r.channel === 'staff' || r.channel === 'customer' || r.channel === 'webhook');
  const physical = rows.filter((r) => !logical.includes(r));
  const stopping = opts.stopping ?? (() => false);
  const handBack = async (left: OutboxRow[]) => {
    if (left.length)
      await releaseClaimed(
        db,
        left.map((r) => r.id),
        owner,
        app.now().toISOString(),
      );
  };
  if (logical.length) {
    if (stopping()) await handBack(logical);
    else await expandAll(app, s, owner, logical, result, stopping);
  }
  if (physical.length) {
    const outcomes: Outcome[] = [];
    const unsent: OutboxRow[] = [];
    await eachLimited(physical, SEND_CONCURRENCY, async (row) => {
      if (stopping()) {
        unsent.push(row);
        return;
      }
      try {
        await send(app, s, providers, row);
        outcomes.push({ row, error: null });
      } catch (e) {
        outcomes.push({ row, error: e });
      }
    });
    await markAll(app, s, owner, outcomes, result);
    await handBack(unsent);
  }
  return result;
}

/** A delivery row once its provider answered: error null when sent. */
interface Outcome {
  row: OutboxRow;
  error: unknown;
}

/** The row's end state after a failed attempt: retried later with backoff, or dead. */
function failure(s: ChannelSettings, row: OutboxRow, e: unknown, now: Date) {
  const permanent = e instanceof DeliveryError && e.permanent;
  const dead = permanent || row.attempts >= s.outbox.maxAttempts;
  const message = (e instanceof Error ? e.message : String(e)).slice(0, 1000);
  return { dead, message, finish: { status: dead ? ('dead' as const) : ('pending' as const), now: now.toISOString(), nextAttemptAt: new Date(now.getTime() + (dead ? 0 : backoff(s, row.attempts))).toISOString(), error: message } };
}

function logFailure(app: App, row: OutboxRow, dead: boolean, message: string): void {
  app.log.warn({ outbox: row.id, channel: row.channel, template: row.template, attempts: row.attempts, dead, err: message }, dead ? 'message dead-lettered' : 'message delivery failed; will retry');
}

/** Marks the outcomes of a pass's deliveries in one transaction (each guarded by its lease). */
async function markAll(app: App, s: ChannelSettings, owner: string, outcomes: Outcome[], result: DispatchResult): Promise<void> {
  const now = app.now();
  const counted = await app.database.db.transaction().execute(async (trx) => {
    const out: { row: OutboxRow; kind: 'sent' | 'retrying' | 'dead' | 'lost'; message?: string }[] = [];
    for (const { row, error } of outcomes) {
      if (error === null) {
        const ok = await finishClaimed(trx, row.id, owner, { status: 'sent', now: now.toISOString(), payload: withoutSecrets(row.payload) });
        out.push({ row, kind: ok ? 'sent' : 'lost' });
      } else {
        const f = failure(s, row, error, now);
        const ok = await finishClaimed(trx, row.id, owner, f.finish);
        out.push({ row, kind: !ok ? 'lost' : f.dead ? 'dead' : 'retrying', message: f.message });
      }
    }
    return out;
  });
  for (const o of counted) {
    result[o.kind] += 1;
    if (o.kind === 'dead' || o.kind === 'retrying') logFailure(app, o.row, o.kind === 'dead', o.message!);
  }
}

function needsAccessCode(row: OutboxRow): boolean {
  return row.channel === 'customer' && row.template === 'acknowledgement' && typeof row.payload.sealed !== 'string';
}

/**
 * Expands a pass's logical rows in one transaction. Should one of them fail, the transaction
 * rolls back and the rows are expanded one by one, each in its own transaction, so only the
 * failing row is retried later.
 */
async function expandAll(app: App, s: ChannelSettings, owner: string, rows: OutboxRow[], result: DispatchResult, stopping: () => boolean): Promise<void> {
  const { db } = app.database;
  // The access code's hash is deliberately slow (~100 ms): computed before the transaction,
  // which would otherwise hold the only SQLite connection while it runs (issue 9).
  const minted = new Map<string, MintedCode>();
  await eachLimited(rows.filter(needsAccessCode), HASH_CONCURRENCY, async (row) => {
    if (!stopping()) minted.set(row.id, await mintAccessCode());
  });
  if (stopping()) {
    await releaseClaimed(
      db,
      rows.map((r) => r.id),
      owner,
      app.now().toISOString(),
    );
    return;
  }
  if (rows.length > 1) {
    try {
      const outcomes = await db.transaction().execute(async (trx) => {
        const out: ExpandOutcome[] = [];
        for (const row of rows) out.push(await expand(app, s, owner, row, trx, minted.get(row.id) ?? null));
        return out;
      });
      for (const o of outcomes) result[o] += 1;
      return;
    } catch (e) {
      app.log.warn({ err: e instanceof Error ? e.message : String(e), rows: rows.length }, 'outbox: batch expansion failed; expanding row by row');
    }
  }
  for (const row of rows) {
    try {
      result[await db.transaction().execute((trx) => expand(app, s, owner, row, trx, minted.get(row.id) ?? null))] += 1;
    } catch (e) {
      if (e instanceof LeaseLost) result.lost += 1;
      else await failed(app, s, owner, row, e, result);
    }
  }
}

/** Repeats passes until nothing is due (bounded), e.g. after a transition. */
export async function dispatchUntilIdle(app: App, opts: DispatchOptions = {}, maxPasses = 20, stopping: () => boolean = () => false): Promise<DispatchResult> {
  const total: DispatchResult = { claimed: 0, expanded: 0, skipped: 0, sent: 0, retrying: 0, dead: 0, lost: 0 };
  // A stop lets the pass in progress finish; the rest of the backlog waits for the next start.
  for (let i = 0; i < maxPasses && !stopping(); i++) {
    const r = await dispatchOutbox(app, { ...opts, stopping: () => stopping() || (opts.stopping?.() ?? false) });
    for (const k of Object.keys(total) as (keyof DispatchResult)[]) total[k] += r[k];
    if (r.claimed === 0) break;
  }
  return total;
}

type ExpandOutcome = 'expanded' | 'skipped' | 'lost';

/** Expands one logical row into its delivery rows, inside the caller's transaction. */
async function expand(app: App, s: ChannelSettings, owner: string, row: OutboxRow, trx: Transaction<DB>, minted: MintedCode | null): Promise<ExpandOutcome> {
  const { dialect } = app.database;
  // Another dispatcher took the row over (its lease expired): leave it to that one.
  if (!(await lockClaimed(trx, dialect, row.id, owner))) return 'lost';
  const now = app.now();
  const c = row.complaintId ? await getComplaint(trx, row.complaintId) : null;
  const policy = c ? await app.policyByKey(c.policyKey, trx) : null;
  const to = row.recipient as Selector;
  let payload = row.payload;
  let res: Resolution;
  if (row.channel === 'staff') res = resolveStaff(to, row.template, payload, c, policy, await activeStaff(trx), s, to.role ? new Set((await listAbsences(trx, { activeAt: now.toISOString() })).map((a) => a.userId)) : undefined);
  else if (row.channel === 'webhook') res = resolveWebhooks(row.template, payload, s);
  else {
    const locale = (c && (await customerLocale(trx, c.id))) ?? s.defaultLocale;
    res = resolveCustomer(payload, c, locale, s);
    if (res.deliveries.length && c && policy) {
      const prepared = await customerSecrets(app, s, trx, row, c, policy, locale, now, minted);
      if (!prepared) res = { deliveries: [], notes: ['the case has moved on: no survey for this cycle any more'] };
      else {
        payload = prepared;
        res.deliveries = res.deliveries.map((d) => ({ ...d, payload: prepared }));
      }
    }
  }
  await insertDeliveries(trx, row, res.deliveries, now.toISOString());
  const status = res.deliveries.length ? 'expanded' : 'skipped';
  const note = res.notes.join('; ') || null;
  // The row is locked (PostgreSQL) or the writer held (SQLite) since lockClaimed: this cannot fail
  // unless something is badly wrong, and then the whole transaction must roll back.
  if (!(await finishClaimed(trx, row.id, owner, { status, now: now.toISOString(), error: note, payload: withoutSecrets(payload) }))) throw new LeaseLost();
  return status;
}

interface MintedCode {
  code: string;
  hash: string;
}

async function mintAccessCode(): Promise<MintedCode> {
  const code = randomAccessCode();
  return { code, hash: await hashAccessCode(code) };
}

/**
 * Mints what a customer message needs and cannot be stored in clear: an access code for an
 * acknowledgement queued without one (staff intake), a survey link for an invitation. Returns
 * the payload with the secrets sealed, or null when an invitation no longer applies.
 */
async function customerSecrets(app: App, s: ChannelSettings, trx: Transaction<DB>, row: OutboxRow, c: Complaint, policy: Policy, locale: Locale, now: Date, minted: MintedCode | null): Promise<Record<string, unknown> | null> {
  const payload = { ...row.payload };
  if (row.template === 'acknowledgement' && typeof payload.sealed !== 'string' && minted) {
    await saveAccess(trx, c.id, minted.hash, locale, now.toISOString());
    payload.sealed = seal(s.sealKey, { accessCode: minted.code });
  }
  if (row.template === 'survey_invitation' && typeof payload.sealed !== 'string') {
    if (c.state !== 'answered' || c.cycle !== Number(payload.cycle ?? c.cycle)) return null;
    const calendar = await app.calendarFor(policy, trx);
    // The link stays valid through the follow-up window and every retry of it (counted on the calendar).
    let expires = typeof payload.dueAt === 'string' ? new Date(payload.dueAt) : (addDuration(now, policy.followUp.window, calendar).due ?? new Date(now.getTime() + 7 * 86_400_000));
    for (const r of policy.followUp.retries) expires = addDuration(expires, r, calendar).due ?? expires;
    const token = randomSurveyToken();
    await insertSurveyToken(trx, { tokenHash: tokenHash(token), complaintId: c.id, cycle: c.cycle, createdAt: now.toISOString(), expiresAt: expires.toISOString() });
    payload.sealed = seal(s.sealKey, { surveyToken: token });
    payload.expiresAt = expires.toISOString();
  }
  return payload;
}

function backoff(s: ChannelSettings, attempts: number): number {
  const base = Math.min(s.outbox.baseDelayMs * 2 ** Math.max(0, attempts - 1), s.outbox.maxDelayMs);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

async function failed(app: App, s: ChannelSettings, owner: string, row: OutboxRow, e: unknown, result: DispatchResult): Promise<void> {
  const f = failure(s, row, e, app.now());
  const ok = await finishClaimed(app.database.db, row.id, owner, f.finish);
  if (!ok) result.lost += 1;
  else if (f.dead) result.dead += 1;
  else result.retrying += 1;
  logFailure(app, row, f.dead, f.message);
}

/** Renders and sends one delivery row; throws DeliveryError on failure. */
async function send(app: App, s: ChannelSettings, providers: Providers, row: OutboxRow): Promise<SendResult> {
  const now = app.now();
  const r = row.recipient as { audience?: string; address?: string; name?: string; phone?: string; locale?: Locale; bot?: string; hook?: string };
  const locale: Locale = r.locale ?? s.defaultLocale;
  const c = row.complaintId ? await getComplaint(app.database.db, row.complaintId) : null;
  const policy = c ? await app.policyByKey(c.policyKey) : null;
  const timeZone = policy?.calendar.timeZone ?? 'Asia/Shanghai';
  const consoleUrl = c ? `${s.publicUrl}/cases/${encodeURIComponent(c.number)}` : null;

  if (row.channel === 'hook') {
    const hook = s.webhooks.find((h) => h.name === r.hook);
    if (!hook) throw new DeliveryError(`webhook ${r.hook} is no longer configured`, true);
    return sendWebhook(hook, caseEventBody(row.parentId ?? row.id, row.template, row.complaintId, row.createdAt, row.payload), row.id, now, s.outbox.timeoutMs);
  }
  if (row.channel === 'bot') {
    const bot = s.bots.find((b) => b.name === r.bot);
    if (!bot) throw new DeliveryError(`bot ${r.bot} is no longer configured`, true);
    const m = staffMessage(row.template, bot.locale, row.payload, { timeZone, consoleUrl, department: c?.departmentCode });
    return sendToBot(bot, m, row.id, now, s.outbox.timeoutMs);
  }

  let subject: string;
  let text: string;
  let sms: string;
  if (r.audience === 'customer') {
    if (!isCustomerMessage(row.template) || !c || !policy) throw new DeliveryError(`no customer wording for ${row.template}`, true);
    let secrets: Record<string, string> = {};
    if (typeof row.payload.sealed === 'string') {
      try {
        secrets = unseal(s.sealKey, row.payload.sealed);
      } catch {
        throw new DeliveryError('sealed with another key: set the same KESU_SECRET on every instance', true);
      }
    }
    const p = row.payload;
    const track = `${s.publicUrl}/portal/track?number=${encodeURIComponent(c.number)}&lang=${locale}`;
    const m = renderCustomerMessage(
      row.template,
      locale,
      {
        number: c.number,
        promisedAt: formatInstant(p.promisedAt as string | undefined, locale, timeZone),
        dueAt: formatInstant(p.dueAt as string | undefined, locale, timeZone),
        trackUrl: track,
        accessCode: secrets.accessCode ? formatAccessCode(secrets.accessCode) : '',
        answer: typeof p.text === 'string' ? p.text : '',
        explanation: typeof p.explanation === 'string' ? p.explanation : '',
        surveyUrl: secrets.surveyToken ? `${s.publicUrl}/portal/survey/${secrets.surveyToken}?lang=${locale}` : '',
        expiresAt: formatInstant(p.expiresAt as string | undefined, locale, timeZone),
      },
      policy,
    );
    ({ subject, text, sms } = m);
  } else {
    const m = staffMessage(row.template, locale, row.payload, { timeZone, consoleUrl, department: c?.departmentCode });
    subject = `[Kesu] ${m.title}${c ? ` ${c.number}` : ''}`;
    text = staffText(m);
    sms = text;
  }

  if (row.channel === 'email') {
    if (!providers.email) throw new DeliveryError('e-mail is not configured (KESU_SMTP_URL)', true);
    if (!r.address) throw new DeliveryError('no address', true);
    const attachments = await emailAttachments(app, row.payload);
    return providers.email.send({ to: r.address, toName: r.name, subject, text, idempotencyKey: row.id, ...(attachments.length ? { attachments } : {}) });
  }
  if (row.channel === 'sms') {
    if (!providers.sms) throw new DeliveryError('SMS is not configured (KESU_SMS_PROVIDER)', true);
    if (!r.phone) throw new DeliveryError('no phone', true);
    return providers.sms.send({ to: r.phone, text: sms, idempotencyKey: row.id }, now);
  }
  throw new DeliveryError(`unknown delivery channel ${row.channel}`, true);
}

/**
 * The files an e-mail row names (`payload.attachments`: `{key, name, contentType}`, stored in
 * the app's file store before the row was queued — a stored report's workbook), read back to
 * attach. A file the store does not have is a permanent failure.
 */
async function emailAttachments(app: App, payload: Record<string, unknown>): Promise<{ filename: string; contentType: string; content: Buffer }[]> {
  const list = Array.isArray(payload.attachments) ? (payload.attachments as { key?: unknown; name?: unknown; contentType?: unknown }[]) : [];
  if (!list.length) return [];
  const store = await fileStoreOf(app);
  const out: { filename: string; contentType: string; content: Buffer }[] = [];
  for (const a of list) {
    if (typeof a.key !== 'string' || !isContentKey(a.key)) throw new DeliveryError('attachment: not a stored file', true);
    const stream = await store.get(a.key);
    if (!stream) throw new DeliveryError(`attachment ${a.key.slice(0, 12)}… is not in the file store`, true);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    out.push({ filename: typeof a.name === 'string' ? a.name : `${a.key.slice(0, 12)}.bin`, contentType: typeof a.contentType === 'string' ? a.contentType : 'application/octet-stream', content: Buffer.concat(chunks) });
  }
  return out;
}

/** How long after a committed change the dispatcher wakes up (a batching window). */
const WAKE_DELAY_MS = 200;

/**
 * Runs the dispatcher every `intervalMs`, and soon after each committed transition (the
 * `case_changed` event) or an admin's retry (`outbox_changed`), until stopped. Errors are
 * logged, never fatal.
 */
export function startDispatcher(app: App, intervalMs: number, opts: DispatchOptions = {}): () => Promise<void> {
  let running: Promise<unknown> | null = null;
  let again = false;
  let stopped = false;
  const run = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = dispatchUntilIdle(app, opts, 20, () => stopped)
      .then((r) => (r.sent || r.dead) && app.log.info({ outbox: r }, 'outbox dispatch'))
      .catch((e) => app.log.error({ err: e }, 'outbox dispatch failed'))
      .finally(() => {
        running = null;
        app.heartbeats.beat('dispatcher');
        if (again) {
          again = false;
          setImmediate(run);
        }
      });
  };
  app.heartbeats.register('dispatcher', Math.max(intervalMs, 100));
  const timer = setInterval(run, Math.max(intervalMs, 100));
  timer.unref();
  let wake: NodeJS.Timeout | null = null;
  // Bound to the context the dispatcher started in: a pass woken by a request's commit must not
  // run (and log) as part of that request.
  const wakeUp = AsyncResource.bind(() => {
    wake = null;
    run();
  });
  // The first change arms one timer and later ones ride on it: under a stream of intakes a pass
  // finds the messages of every case received meanwhile, so its few commits serve many cases
  // (on SQLite each commit is an fsync on the one writer, which intake waits for too).
  const onChange = () => {
    if (wake) return;
    wake = setTimeout(wakeUp, WAKE_DELAY_MS);
    wake.unref();
  };
  app.events.on('case_changed', onChange);
  // An admin sent a dead message again (http/customer/customer.routes.ts).
  app.events.on('outbox_changed', onChange);
  setImmediate(run);
  return async () => {
    stopped = true;
    clearInterval(timer);
    if (wake) clearTimeout(wake);
    app.events.off('case_changed', onChange);
    app.events.off('outbox_changed', onChange);
    app.heartbeats.unregister('dispatcher');
    await running;
    // Providers the caller passed in are theirs to close; the ones made here are closed here.
    if (!opts.providers) {
      providerCache.get(app)?.email?.close();
      providerCache.delete(app);
    }
  };
}
