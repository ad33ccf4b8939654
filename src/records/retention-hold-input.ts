/**
 * The input of a legal hold and of its lifting, for the API (http/admin/legal-hold.routes.ts) and
 * `kesu hold` alike: one schema, its messages in the three UI languages ("zh-CN|en|zh-TW").
 */
import { z } from 'zod';

const reason = z.string().trim().min(1, '请填写理由|Give a reason|請填寫理由').max(2000);
const instant = z.iso.datetime({ offset: true, error: '时间应写成 ISO 8601（如 2026-01-01T00:00:00+08:00）|An ISO 8601 time, e.g. 2026-01-01T00:00:00+08:00|時間應寫成 ISO 8601（如 2026-01-01T00:00:00+08:00）' });
const contact = z.string().trim().min(1).max(200);

export const NewHold = z.discriminatedUnion('scope', [
  z.strictObject({ scope: z.literal('case'), complaint: z.string().trim().min(1).max(64).meta({ description: 'A case id or number (KS-…)' }), reason }),
  z.strictObject({ scope: z.literal('customer'), phone: contact.optional(), email: contact.optional(), idNumber: contact.optional(), reason }).meta({ description: 'Exactly one of phone, email, idNumber; only its keyed hash is stored' }),
  z.strictObject({ scope: z.literal('received'), from: instant, to: instant, reason }).meta({ description: 'Every case received in [from, to)' }),
]);
export const Lift = z.strictObject({ reason });
