/**
 * Flagged customers (issue 13 §3, 001 篇3 §11): the customer of a case judged malicious can be
 * flagged with a reason, by the roles the policy's `customerFlags.setBy` names, for
 * `customerFlags.days`; the flag shows at intake (caller history) and on every case of that
 * customer, and is lifted, with a reason, by `customerFlags.liftBy`. A flag never blocks intake.
 *
 * The customer is the case's keyed contact hashes (contact_keys): the flag holds no phone or
 * e-mail. The flag row keeps who set and lifted it, when and why (never deleted), and each step
 * is logged without personal data.
 */
import type { Actor, Complaint } from '../domain/complaint/types.js';
import { AppError, fieldProblem } from '../domain/errors.js';
import { canSee } from '../domain/permissions/visibility.js';
import { getComplaint } from '../store/complaint.repository.js';
import { activeFlagsFor, contactKeysOfCases, getCustomerFlag, insertCustomerFlag, liftCustomerFlag, type CustomerFlagRow } from '../store/customer-flag.repository.js';
import { uuidv7 } from './ids.js';
import type { App } from './app.js';
import { customerFlags as customerFlagsSchema, type CustomerFlagsPolicy } from '../domain/policy/customer-flags.js';
import type { Policy } from '../domain/policy/index.js';

/** The section, or its defaults for a policy stored before it existed. */
const rulesOf = (p: Policy): CustomerFlagsPolicy => (p as Partial<Policy>).customerFlags ?? customerFlagsSchema.parse({});

/** A flag as staff see it (no personal data: the reason is the staff's own words). */
export interface CustomerFlag {
  id: string;
  kind: 'malicious';
  reason: string;
  sourceComplaintId: string;
  setBy: string;
  setAt: string;
  expiresAt: string | null;
}

export function flagView(r: CustomerFlagRow): CustomerFlag {
  return { id: r.id, kind: r.kind, reason: r.reason, sourceComplaintId: r.source_complaint_id, setBy: r.set_by_name, setAt: r.set_at, expiresAt: r.expires_at };
}

const mayAny = (actor: Actor, roles: readonly string[]) => actor.roles.some((r) => roles.includes(r));

async function visibleCase(app: App, actor: Actor, id: string): Promise<Complaint> {
  const c = await getComplaint(app.database.db, id);
  // Avoidance: a case the actor may not see looks exactly like a missing one.
  if (!c || !canSee(c, actor)) throw new AppError('not_found', 'no such case');
  return c;
}

/** Flags the customer of case `id`; the case must have been judged malicious. */
export async function flagCustomerOfCase(app: App, actor: Actor, id: string, input: { reason: string }): Promise<CustomerFlag> {
  const c = await visibleCase(app, actor, id);
  const policy = await app.policyByKey(c.policyKey);
  if (!mayAny(actor, rulesOf(policy).setBy)) throw new AppError('forbidden', 'may not flag customers');
  if (!c.validity?.malicious)
    throw new AppError('conflict', 'not judged malicious', [fieldProblem('id', '只能标记已判定为恶意投诉的案件的客户', 'Only the customer of a case judged malicious can be flagged', '只能標記已判定為惡意投訴的案件的客戶')]);
  const keys = await contactKeysOfCases(app.database.db, [c.id]);
  if (!keys.length) throw new AppError('conflict', 'no contact', [fieldProblem('id', '该案件没有客户联系方式，无法标记客户', 'The case has no customer contact to flag', '該案件沒有客戶聯絡方式，無法標記客戶')]);
  const now = app.now();
  const existing = await activeFlagsFor(app.database.db, keys, now.toISOString());
  if (existing.some((f) => f.source_complaint_id === c.id)) return flagView(existing.find((f) => f.source_complaint_id === c.id)!);
  const row: CustomerFlagRow = {
    id: uuidv7(now.getTime()),
    kind: 'malicious',
    reason: input.reason,
    source_complaint_id: c.id,
    set_by: actor.id,
    set_by_name: actor.name,
    set_at: now.toISOString(),
    expires_at: rulesOf(policy).days > 0 ? new Date(now.getTime() + rulesOf(policy).days * 86_400_000).toISOString() : null,
    lifted_by: null,
    lifted_by_name: null,
    lifted_at: null,
    lift_reason: null,
  };
  await app.database.db.transaction().execute((trx) => insertCustomerFlag(trx, row, keys));
  app.log.info({ audit: 'customer_flag.set', flagId: row.id, complaintId: c.id, actorId: actor.id }, 'customer flagged');
  return flagView(row);
}

/** Lifts flag `flagId` before it expires. */
export async function liftCustomerFlagById(app: App, actor: Actor, flagId: string, reason: string): Promise<void> {
  const flag = await getCustomerFlag(app.database.db, flagId);
  if (!flag) throw new AppError('not_found', 'no such flag');
  const source = await getComplaint(app.database.db, flag.source_complaint_id);
  const policy = source ? await app.policyByKey(source.policyKey) : await app.activePolicy();
  if (!mayAny(actor, rulesOf(policy).liftBy)) throw new AppError('forbidden', 'may not lift customer flags');
  const lifted = await liftCustomerFlag(app.database.db, flagId, actor, app.now().toISOString(), reason);
  if (!lifted) throw new AppError('conflict', 'already lifted', [fieldProblem('flagId', '该标记已解除', 'This flag was lifted already', '該標記已解除')]);
  app.log.info({ audit: 'customer_flag.lifted', flagId, actorId: actor.id }, 'customer flag lifted');
}

/** The flags in force for the customer of the given cases (their contact keys) and of `extraKeys`. */
export async function flagsForCustomer(app: App, complaintIds: readonly string[], extraKeys: readonly string[] = []): Promise<CustomerFlag[]> {
  const keys = [...new Set([...extraKeys, ...(await contactKeysOfCases(app.database.db, complaintIds))])];
  return (await activeFlagsFor(app.database.db, keys, app.now().toISOString())).map(flagView);
}

/** The flags of the customer of case `id`, for someone who may see the case. */
export async function flagsOfCase(app: App, actor: Actor, id: string): Promise<CustomerFlag[]> {
  const c = await visibleCase(app, actor, id);
  return flagsForCustomer(app, [c.id]);
}
