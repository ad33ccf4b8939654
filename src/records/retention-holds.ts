/**
 * Legal holds (issue 15 §2): set and lifted, with a reason, by whom the policy's
 * `retention.holdRoles` names (default managers and administrators); listed for them and for
 * auditors. A hold on a customer is kept as the keyed contact hash of the phone, e-mail or ID
 * number given (services/contact-keys.ts), so no plaintext is stored and it covers every case
 * recognised by that contact — now and later.
 */
import type { App } from '../services/app.js';
import type { Actor } from '../domain/complaint/types.js';
import { AppError, fieldProblem } from '../domain/errors.js';
import { DEFAULT_HOLD_ROLES, type HoldRole } from '../domain/policy/retention.js';
import { normalizeCode, normalizeEmail, normalizePhone, type ContactKind } from '../domain/complaint/contact.js';
import { contactKeyFor } from '../services/contact-keys.js';
import { uuidv7 } from '../services/ids.js';
import { findIdByNumber } from '../store/complaint.repository.js';
import { findHold, insertHold, liftHoldRow, listHoldRows, type HoldRow, type ListedHoldRow } from '../store/legal-hold.repository.js';

export type HoldInput = { scope: 'case'; complaint: string; reason: string } | { scope: 'customer'; phone?: string; email?: string; idNumber?: string; reason: string } | { scope: 'received'; from: string; to: string; reason: string };

export interface HoldView {
  id: string;
  scope: 'case' | 'customer' | 'received';
  complaintId: string | null;
  /** case holds: the case's KS number (what people read; the id is for links). */
  complaintNumber: string | null;
  /** customer holds: which contact (never its value). */
  contactKind: string | null;
  receivedFrom: string | null;
  receivedTo: string | null;
  reason: string;
  setBy: string;
  setAt: string;
  liftedBy: string | null;
  liftedAt: string | null;
  liftReason: string | null;
  active: boolean;
}

/** Whether the actor may set and lift holds under the active policy. */
export function mayHold(actor: Actor, roles: readonly HoldRole[]): boolean {
  return roles.some((r) => (r === 'manager' ? actor.managerOf.length > 0 : actor.roles.includes(r as never)));
}

async function assertMayHold(app: App, actor: Actor): Promise<void> {
  const policy = await app.activePolicy();
  if (!mayHold(actor, policy.retention?.holdRoles ?? DEFAULT_HOLD_ROLES)) throw new AppError('forbidden', 'legal holds: not among retention.holdRoles');
}

/** Holders, and auditors, may read the list. */
export async function assertMayListHolds(app: App, actor: Actor): Promise<void> {
  if (actor.roles.includes('auditor')) return;
  await assertMayHold(app, actor);
}

export function holdView(r: ListedHoldRow): HoldView {
  return {
    id: r.id,
    scope: r.scope as HoldView['scope'],
    complaintId: r.complaint_id,
    complaintNumber: r.complaint_number,
    contactKind: r.contact_kind,
    receivedFrom: r.received_from,
    receivedTo: r.received_to,
    reason: r.reason,
    setBy: r.set_by,
    setAt: r.set_at,
    liftedBy: r.lifted_by,
    liftedAt: r.lifted_at,
    liftReason: r.lift_reason,
    active: r.lifted_at === null,
  };
}

export async function setHold(app: App, actor: Actor, input: HoldInput): Promise<HoldView> {
  await assertMayHold(app, actor);
  const at = app.now().toISOString();
  const row: HoldRow = {
    id: uuidv7(),
    scope: input.scope,
    complaint_id: null,
    contact_key: null,
    contact_kind: null,
    received_from: null,
    received_to: null,
    reason: input.reason,
    set_by: actor.id,
    set_at: at,
    lifted_by: null,
    lifted_at: null,
    lift_reason: null,
  };
  if (input.scope === 'case') {
    const ref = input.complaint;
    const byId = await app.database.db.selectFrom('complaints').select('id').where('id', '=', ref).executeTakeFirst();
    const id = byId?.id ?? (await findIdByNumber(app.database.db, ref.toUpperCase()));
    if (!id) throw new AppError('invalid_input', 'legal hold: unknown case', [fieldProblem('complaint', '没有这个案件', 'No such case', '沒有這個案件')]);
    row.complaint_id = id;
  } else if (input.scope === 'customer') {
    const given = (['phone', 'email', 'idNumber'] as const).filter((f) => input[f] !== undefined);
    if (given.length !== 1)
      throw new AppError('invalid_input', 'legal hold: one contact', [
        fieldProblem(given[1] ?? 'phone', '请只填写电话、电子邮件或证件号码中的一项', 'Give exactly one of phone, email or idNumber', '請只填寫電話、電子郵件或證件號碼中的一項'),
      ]);
    const field = given[0]!;
    const raw = input[field]!;
    const [kind, value]: [ContactKind, string | null] = field === 'phone' ? ['phone', normalizePhone(raw)] : field === 'email' ? ['email', normalizeEmail(raw)] : ['id_number', normalizeCode(raw)];
    if (!value) throw new AppError('invalid_input', `legal hold: bad ${field}`, [fieldProblem(field, '格式不正确', 'Not a valid value', '格式不正確')]);
    row.contact_key = contactKeyFor(app, { kind, value });
    row.contact_kind = kind;
  } else {
    const from = new Date(input.from).toISOString();
    const to = new Date(input.to).toISOString();
    if (from >= to) throw new AppError('invalid_input', 'legal hold: empty range', [fieldProblem('to', '结束时间须晚于开始时间', 'to must be after from', '結束時間須晚於開始時間')]);
    row.received_from = from;
    row.received_to = to;
  }
  await insertHold(app.database.db, row);
  app.log.info({ hold: row.id, scope: row.scope, by: actor.id }, 'legal hold set');
  return holdView((await findHold(app.database.db, row.id))!);
}

export async function liftHold(app: App, actor: Actor, id: string, reason: string): Promise<HoldView> {
  await assertMayHold(app, actor);
  const found = await findHold(app.database.db, id);
  if (!found) throw new AppError('not_found', `legal hold ${id}`);
  if (!(await liftHoldRow(app.database.db, id, actor.id, app.now().toISOString(), reason))) throw new AppError('conflict', `legal hold ${id} was lifted already`);
  app.log.info({ hold: id, by: actor.id }, 'legal hold lifted');
  return holdView((await findHold(app.database.db, id))!);
}

export async function listHolds(app: App, actor: Actor, opts: { active?: boolean } = {}): Promise<HoldView[]> {
  await assertMayListHolds(app, actor);
  return (await listHoldRows(app.database.db, opts)).map(holdView);
}
