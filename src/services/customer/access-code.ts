/**
 * The customer's access code: hashed (slowly) before the transaction that stores it, sealed into
 * the queued acknowledgement, and replaced by staff for a customer who called in.
 */
import type { Transaction } from 'kysely';
import type { Actor } from '../../domain/complaint/types.js';
import { AppError, type Locale } from '../../domain/errors.js';
import { canSee } from '../../domain/permissions/visibility.js';
import type { DB } from '../../store/schema.js';
import { getComplaint } from '../../store/complaint.repository.js';
import { getAccess, saveAccess } from '../../store/customer.repository.js';
import { hashAccessCode, randomAccessCode, seal } from '../../channels/secrets.js';
import type { ChannelSettings } from '../../channels/settings.js';
import type { App } from '../app.js';

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
    await trx
      .updateTable('outbox')
      .set({ payload: JSON.stringify(payload) })
      .where('id', '=', row.id)
      .execute();
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
