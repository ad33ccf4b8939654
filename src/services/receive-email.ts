/**
 * Inbound e-mail (issue 4): a message to the complaints address becomes a complaint on the
 * `email` channel, with its attachments; a reply whose subject carries a case number
 * (KS-YYYY-NNNNNN) from the complainant's own address is added to that case's timeline
 * (`supplement`). Bounces and auto-replies are recorded and dropped.
 *
 * Idempotent by Message-ID: a sending server that retries after a timeout creates nothing twice.
 */
import { createHash } from 'node:crypto';
import type { ParsedMail, HeaderValue } from 'mailparser';
import { z } from 'zod';
import type { Locale } from '../domain/errors.js';
import { findIdByNumber, getComplaint } from '../store/complaint.repository.js';
import { findInbound, insertAttachments, recordInbound } from '../store/customer.repository.js';
import { acceptedType, cleanName, storeBuffer } from '../channels/attachments.js';
import { randomAccessCode } from '../channels/secrets.js';
import type { ChannelSettings } from '../channels/settings.js';
import { receiveComplaint } from './receive-complaint.js';
import { EMAIL_INTAKE, attachmentRows, canSupplement, issueAccess, prepareAccessCode, supplementCase, type StoredUpload } from './customer-portal.js';
import type { App } from './app.js';

export interface InboundResult {
  outcome: 'complaint' | 'reply' | 'ignored' | 'duplicate';
  complaintId?: string | null;
  number?: string;
  reason?: string;
}

function headerText(v: HeaderValue | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : ((x as { value?: string }).value ?? ''))).join(',');
  if (v instanceof Date) return v.toISOString();
  return (v as { value?: unknown }).value !== undefined ? String((v as { value: unknown }).value) : '';
}

/**
 * Bounces (null sender, MAILER-DAEMON, DSN reports) and automatic replies (RFC 3834
 * Auto-Submitted, X-Autoreply, X-Autorespond, Precedence bulk/junk/auto_reply) are not complaints.
 */
export function automatedReason(mail: ParsedMail, envelopeFrom: string | false | undefined): string | null {
  if (envelopeFrom === false || envelopeFrom === '') return 'null sender (bounce)';
  const h = mail.headers;
  const auto = headerText(h.get('auto-submitted')).trim().toLowerCase();
  if (auto && auto !== 'no') return `Auto-Submitted: ${auto}`;
  if (h.has('x-autoreply') || h.has('x-autorespond') || h.has('x-autoreply-from')) return 'auto-reply header';
  const precedence = headerText(h.get('precedence')).trim().toLowerCase();
  if (['bulk', 'junk', 'auto_reply'].includes(precedence)) return `Precedence: ${precedence}`;
  const from = mail.from?.value[0]?.address ?? '';
  const local = from.split('@')[0]?.toLowerCase() ?? '';
  if (local === 'mailer-daemon' || local === 'postmaster' || (typeof envelopeFrom === 'string' && /^(mailer-daemon|postmaster)@/i.test(envelopeFrom))) return 'mailer daemon';
  const type = headerText(h.get('content-type')).toLowerCase();
  if (type.startsWith('multipart/report') || type.startsWith('message/delivery-status')) return 'delivery status notification';
  if (mail.attachments.some((a) => /^message\/(delivery-status|disposition-notification)/i.test(a.contentType))) return 'delivery status notification';
  return null;
}

const TRADITIONAL = new Set('們這個來對說時會為與請問題處務發現經開關過還費號單貨買賣員點錢話電樣機車體變讓應該沒謝業質產償給額');
const SIMPLIFIED = new Set('们这个来对说时会为与请问题处务发现经开关过还费号单货买卖员点钱话电样机车体变让应该没谢业质产偿给额');

/** The customer's language from Content-Language, else from the text (traditional vs simplified characters). */
export function detectLocale(text: string, contentLanguage = ''): Locale {
  const cl = contentLanguage.toLowerCase();
  if (/zh-(tw|hk|hant)/.test(cl)) return 'zh-TW';
  if (cl.startsWith('zh')) return 'zh-CN';
  if (cl.startsWith('en')) return 'en';
  if (!/[\u3400-\u9fff]/.test(text)) return 'en';
  let t = 0;
  let s = 0;
  for (const ch of text) {
    if (TRADITIONAL.has(ch)) t += 1;
    else if (SIMPLIFIED.has(ch)) s += 1;
  }
  return t > s ? 'zh-TW' : 'zh-CN';
}

/** The new part of a reply: drops the quoted original (">" lines and what follows a reply header). */
export function replyText(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const out: string[] = [];
  for (const line of lines) {
    if (/^\s*(-{2,}\s*(Original Message|原始邮件|原始郵件)|On .+ wrote:|在.+写道[:：]|於.+寫道[:：]|From: .+@|发件人[:：]|寄件者[:：])/i.test(line)) break;
    if (/^\s*>/.test(line)) continue;
    out.push(line);
  }
  return out.join('\n').trim();
}

function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/p>|<\/div>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

async function storeAttachments(app: App, s: ChannelSettings, mail: ParsedMail): Promise<{ files: StoredUpload[]; refused: string[] }> {
  const files: StoredUpload[] = [];
  const refused: string[] = [];
  for (const a of mail.attachments) {
    const name = cleanName(a.filename ?? (a.contentType.startsWith('image/') ? 'image' : 'attachment'));
    if (files.length >= s.attachments.maxFiles) {
      refused.push(name);
      continue;
    }
    const stored = await storeBuffer(app, s.dataDir, a.content, s.attachments.maxBytes, (head) => acceptedType(name, a.contentType, head, s.attachments.types));
    if (!stored.contentType) refused.push(name);
    else files.push({ name, contentType: stored.contentType, size: stored.size, sha256: stored.sha256 });
  }
  return { files, refused };
}

const emailAddress = z.email();

export async function receiveEmail(app: App, s: ChannelSettings, mail: ParsedMail, envelopeFrom?: string | false): Promise<InboundResult> {
  const db = app.database.db;
  const at = app.now().toISOString();
  const body = mail.text?.trim() || (mail.html ? htmlToText(mail.html) : '');
  const subject = (mail.subject ?? '').trim();
  const key =
    mail.messageId?.trim() ||
    `sha256:${createHash('sha256')
      .update(`${mail.from?.text ?? ''}\n${subject}\n${mail.date?.toISOString() ?? ''}\n${body}`)
      .digest('hex')}`;

  const seen = await findInbound(db, key);
  if (seen) return { outcome: 'duplicate', complaintId: seen.complaintId, reason: seen.outcome };

  const automated = automatedReason(mail, envelopeFrom);
  if (automated) {
    await recordInbound(db, { key, complaintId: null, outcome: 'ignored', detail: automated, at });
    app.log.info({ messageId: key, reason: automated }, 'inbound e-mail ignored');
    return { outcome: 'ignored', reason: automated };
  }

  const sender = mail.from?.value[0];
  const address = sender?.address && emailAddress.safeParse(sender.address).success ? sender.address.toLowerCase() : undefined;
  const { files, refused } = await storeAttachments(app, s, mail);
  const refusedNote = refused.length ? `\n\n（未收下的附件 / attachments not accepted：${refused.join('、')}）` : '';

  // A reply about a case: onto its timeline when it comes from the complainant and the case is open.
  const number = /KS-\d{4}-\d{6}/i.exec(subject)?.[0]?.toUpperCase();
  if (number) {
    const id = await findIdByNumber(db, number);
    const c = id ? await getComplaint(db, id) : null;
    if (c && address && c.complainant.email?.toLowerCase() === address && canSupplement(c)) {
      const text = (replyText(body) || subject).slice(0, 7900) + refusedNote;
      await supplementCase(app, c, text.trim(), files, 'email', (trx) => recordInbound(trx, { key, complaintId: c.id, outcome: 'reply', at }));
      return { outcome: 'reply', complaintId: c.id, number: c.number };
    }
  }

  // Otherwise a new complaint (a reply about a closed case, or from another address, starts a new one that names it).
  const locale = detectLocale(`${subject}\n${body}`, headerText(mail.headers.get('content-language')));
  const description = `${number ? `（关于 ${number}）\n` : ''}${body || subject || '（无正文 / no text）'}`.slice(0, 19_500) + refusedNote;
  const input = {
    kind: 'complaint',
    channel: s.inbound.channel,
    title: subject ? subject.slice(0, 200) : undefined,
    description,
    complainant: address ? { anonymous: false, name: sender?.name?.trim().slice(0, 100) || undefined, email: address } : { anonymous: true },
  };
  const access = await prepareAccessCode(randomAccessCode());
  const r = await receiveComplaint(app, EMAIL_INTAKE, input, key, {
    inTransaction: async (trx, c) => {
      await issueAccess(trx, s, c.id, access, locale, at);
      await insertAttachments(trx, attachmentRows(c.id, files, 'email', at));
      await recordInbound(trx, { key, complaintId: c.id, outcome: 'complaint', at });
    },
  });
  return { outcome: r.created ? 'complaint' : 'duplicate', complaintId: r.complaint.id, number: r.complaint.number };
}
