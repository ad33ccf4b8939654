/**
 * Telephony screen-pop (issue 13 §1): the PBX / CTI tells Kesu that a call rings (or was
 * answered) at an agent; Kesu looks up the caller's history as that agent may see it
 * (caller-history.ts: visible cases only, masked, never the cases the agent is complained
 * about) and pushes a `screen_pop` event on that agent's live streams (http/live.ts), so the
 * console opens the intake pre-filled. The call id and the recording URL travel with the pop;
 * the intake created from it sends them back as `call` and they are kept on the case.
 *
 * The request is signed like Kesu's outgoing webhooks (channels/webhook.ts):
 *   X-Kesu-Timestamp: <unix seconds>
 *   X-Kesu-Signature: sha256=<hex HMAC-SHA256(KESU_TELEPHONY_SECRET, "<timestamp>.<raw body>")>
 * A missing or wrong signature, a timestamp more than 5 minutes from now, or a signature seen
 * before within those 5 minutes (a replay; remembered by this instance) is refused.
 */
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { signBody } from '../channels/webhook.js';
import { AppError, fieldProblem } from '../domain/errors.js';
import { normalizePhone } from '../domain/complaint/contact.js';
import { maskPhone } from '../domain/permissions/pii.js';
import { parseInput } from '../domain/validation.js';
import { actorOf, toUser, type UserRecord } from '../store/user.repository.js';
import { callerHistory, type CallerHistory } from './caller-history.js';
import type { App } from './app.js';

/** How far the signed timestamp may be from now (either way), and how long a signature is remembered. */
export const SIGNATURE_TOLERANCE_MS = 5 * 60_000;

/** Roles that take calls and register intake: they see the caller's number as the phone shows it. */
const TAKES_CALLS = ['agent', 'specialist'];

const seen = new WeakMap<App, Map<string, number>>();

/** The shared secret of the telephony webhook (KESU_TELEPHONY_SECRET); null: the endpoint refuses every call. */
export function telephonySecretOf(app: App): string | null {
  return app.settings.telephonySecret;
}

const unauthenticated = (why: string) => new AppError('unauthenticated', `telephony webhook: ${why}`);

/** Checks the signature headers over the raw body; throws `unauthenticated` (401) when they do not hold. */
export function verifyTelephonySignature(app: App, headers: { timestamp?: string; signature?: string }, raw: string): void {
  const secret = telephonySecretOf(app);
  if (!secret) throw unauthenticated('KESU_TELEPHONY_SECRET is not set');
  const { timestamp, signature } = headers;
  if (!timestamp || !signature) throw unauthenticated('missing X-Kesu-Timestamp or X-Kesu-Signature');
  if (!/^\d{1,12}$/.test(timestamp)) throw unauthenticated('bad timestamp');
  const now = app.now().getTime();
  if (Math.abs(now - Number(timestamp) * 1000) > SIGNATURE_TOLERANCE_MS) throw unauthenticated('stale timestamp');
  const expected = Buffer.from(signBody(secret, timestamp, raw));
  const given = Buffer.from(signature.trim());
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw unauthenticated('bad signature');
  let m = seen.get(app);
  if (!m) seen.set(app, (m = new Map()));
  for (const [s, at] of m) if (now - at > SIGNATURE_TOLERANCE_MS * 2) m.delete(s);
  if (m.has(signature)) throw unauthenticated('replayed signature');
  m.set(signature, now);
}

export const TelephonyCall = z
  .object({
    /** The PBX's id of the call (kept on the case created from the pop). */
    callId: z.string().trim().min(1).max(128),
    /** The caller's number as the PBX gives it, in any common format. */
    caller: z.string().trim().min(1).max(40),
    /** The agent the call rings at: a Kesu username, or an extension matched to a user's phone. */
    agent: z
      .object({ username: z.string().trim().min(1).max(64).optional(), extension: z.string().trim().min(1).max(32).optional() })
      .strict()
      .refine((a) => (a.username ? 1 : 0) + (a.extension ? 1 : 0) === 1, { message: '请给出坐席用户名或分机号之一|Give the agent username or extension|請給出坐席用戶名或分機號之一', path: ['username'] }),
    /** Where the PBX keeps the recording, if it records. */
    recordingUrl: z.url().max(2000).optional(),
  })
  .strict();
export type TelephonyCall = z.output<typeof TelephonyCall>;

/** What the agent's console receives as the `screen_pop` event's data. */
export interface ScreenPopEvent {
  callId: string;
  recordingUrl: string | null;
  at: string;
  /** The caller's number: normalised for the roles that take calls, masked for others. */
  caller: { phone: string; masked: boolean };
  history: CallerHistory;
}

/** Emitted on `app.events` as 'screen_pop'; the live streams of `userId` add how many received it. */
export interface ScreenPop {
  userId: string;
  event: ScreenPopEvent;
  delivered: number;
}

async function agentOf(app: App, a: TelephonyCall['agent']): Promise<UserRecord> {
  const db = app.database.db;
  const rows = a.username ? await db.selectFrom('users').selectAll().where('username', '=', a.username).execute() : await db.selectFrom('users').selectAll().where('phone', '=', a.extension!).execute();
  const users = rows.map(toUser).filter((u) => u.active);
  if (users.length !== 1) throw new AppError('not_found', 'no such agent', [fieldProblem(a.username ? 'agent.username' : 'agent.extension', '找不到此坐席', 'No active user for this agent', '找不到此坐席')]);
  return users[0]!;
}

/** Validates the (already verified) call, looks up the history as the agent sees it and pushes the pop. */
export async function screenPop(app: App, raw: unknown): Promise<{ callId: string; agent: string; delivered: number }> {
  const call = parseInput(TelephonyCall, raw);
  const phone = normalizePhone(call.caller);
  if (!phone || phone.replace(/\D/g, '').length < 7) throw new AppError('invalid_input', 'bad caller number', [fieldProblem('caller', '来电号码格式不正确', 'Invalid caller number', '來電號碼格式不正確')]);
  const user = await agentOf(app, call.agent);
  const actor = actorOf(user);
  const history = await callerHistory(app, actor, { phone });
  const plain = user.roles.some((r) => TAKES_CALLS.includes(r));
  const pop: ScreenPop = {
    userId: user.id,
    delivered: 0,
    event: { callId: call.callId, recordingUrl: call.recordingUrl ?? null, at: app.now().toISOString(), caller: { phone: plain ? phone : maskPhone(phone), masked: !plain }, history },
  };
  app.events.emit('screen_pop', pop);
  return { callId: call.callId, agent: user.username, delivered: pop.delivered };
}
