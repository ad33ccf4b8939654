/**
 * Submitting a complaint as a customer (portal form or customer API): the case, its number and
 * an access code derived from the submission's one-time nonce, with the files, in one transaction.
 */
import type { Complaint } from '../../domain/complaint/types.js';
import type { Locale } from '../../domain/errors.js';
import { getAccess, insertAttachments } from '../../store/customer.repository.js';
import { derivedAccessCode, verifyAccessCode } from '../../channels/secrets.js';
import type { ChannelSettings } from '../../channels/settings.js';
import { receiveComplaint } from '../receive-complaint.js';
import type { App } from '../app.js';
import { attachmentRows, type StoredUpload } from './attachments.js';
import { issueAccess, prepareAccessCode } from './access-code.js';
import { PORTAL_INTAKE } from './intake-actors.js';

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
