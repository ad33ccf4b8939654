/**
 * Reveal one field (issue 12 §6, docs/security.md "Revealing one field"): a reader who sees a
 * case's personal data masked, and whose relation to the case allows it (`mayRevealPii`), may
 * see one field — phone, e-mail, address or ID number — unmasked, with a stated reason. The
 * reveal is written to the personal-data access log (the field, the reason, the route) before
 * the value is returned: if the row cannot be written, nothing is revealed. Readers without the
 * right get 403 and nothing is written; a reader who already sees the case unmasked gets the
 * value too, logged the same way (they may ask for one field on a page that masked it).
 */
import { z } from 'zod';
import type { Actor } from '../domain/complaint/types.js';
import { AppError, fieldProblem } from '../domain/errors.js';
import { canSee } from '../domain/permissions/visibility.js';
import { PII_FIELDS, mayRevealPii, seesPii, type PiiField } from '../domain/permissions/pii.js';
import { personalDataOf } from '../domain/policy/personal-data.js';
import { getComplaint, findIdByNumber } from '../store/complaint.repository.js';
import { recordPiiAccess } from '../store/pii-access.repository.js';
import type { App } from './app.js';
import { uuidv7 } from './ids.js';
import { requestContext } from './request-context.js';

export const RevealRequest = z.strictObject({
  field: z.enum(PII_FIELDS, { error: '字段须为 phone、email、address 或 idNumber 之一|field must be one of phone, email, address, idNumber|欄位須為 phone、email、address 或 idNumber 之一' }),
  reason: z
    .string({ error: '请填写查看原因|a reason is required|請填寫查看原因' })
    .trim()
    .min(2, { error: '原因至少 2 个字|the reason needs at least 2 characters|原因至少 2 個字' })
    .max(500, { error: '原因最多 500 个字|the reason is at most 500 characters|原因最多 500 個字' }),
});
export type RevealRequest = z.output<typeof RevealRequest>;

export interface Revealed {
  field: PiiField;
  value: string;
}

export async function revealField(app: App, actor: Actor, idOrNumber: string, req: RevealRequest): Promise<Revealed> {
  const db = app.database.db;
  const id = /^KS-\d{4}-\d+$/.test(idOrNumber) ? await findIdByNumber(db, idOrNumber) : idOrNumber;
  const c = id ? await getComplaint(db, id) : null;
  if (!c || !canSee(c, actor)) throw new AppError('not_found', `complaint ${idOrNumber}`);
  // The active policy's rule, not the case's version: a right withdrawn applies to every case at once.
  if (!seesPii(c, actor) && !mayRevealPii(c, actor, personalDataOf(await app.activePolicy()).reveal)) throw new AppError('forbidden', 'no relation to this case allows revealing personal data');
  const value = c.complainant[req.field];
  if (!value) throw new AppError('not_found', `field ${req.field}`, [fieldProblem('field', '该案件没有此项个人信息', 'the case has no value for this field', '該案件沒有此項個人資料')]);
  const at = app.now();
  await recordPiiAccess(db, {
    id: uuidv7(at.getTime()),
    at: at.toISOString(),
    userId: actor.id,
    userName: actor.name,
    complaintId: c.id,
    complaintNumber: c.number,
    fields: [req.field],
    route: requestContext()?.route ?? null,
    reason: req.reason,
  });
  return { field: req.field, value };
}
