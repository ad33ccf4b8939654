/**
 * E-mail over SMTP with nodemailer. SMTP has no idempotency key, so each message carries a
 * Message-ID derived from the outbox row id (and `X-Kesu-Delivery`): a redelivery after a crash
 * is the same message to mail clients and archives that de-duplicate on Message-ID.
 * `Auto-Submitted: auto-generated` (RFC 3834) keeps auto-responders from answering, and lets our
 * own inbound channel recognise loops.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { DeliveryError, type SendResult } from './provider.js';

export interface EmailMessage {
  to: string;
  toName?: string;
  subject: string;
  text: string;
  idempotencyKey: string;
  /** Files to attach (a stored report's workbook), read before sending. */
  attachments?: { filename: string; contentType: string; content: Buffer }[];
}

export interface EmailProvider {
  send(m: EmailMessage): Promise<SendResult>;
  close(): void;
}

/** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465` (TLS); `?rejectUnauthorized=false` for self-signed test servers. */
export function smtpProvider(url: string, from: string, timeoutMs = 15_000): EmailProvider {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  const transport: Transporter = nodemailer.createTransport({
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs * 2,
    tls: { rejectUnauthorized: u.searchParams.get('rejectUnauthorized') !== 'false' },
    ignoreTLS: u.searchParams.get('ignoreTLS') === 'true',
  });
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'kesu.local';
  return {
    async send(m) {
      try {
        const info = await transport.sendMail({
          from,
          to: m.toName ? { name: m.toName, address: m.to } : m.to,
          subject: m.subject,
          text: m.text,
          ...(m.attachments?.length ? { attachments: m.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })) } : {}),
          messageId: `<${m.idempotencyKey}@${domain}>`,
          headers: { 'X-Kesu-Delivery': m.idempotencyKey, 'Auto-Submitted': 'auto-generated' },
        });
        return { providerId: info.messageId };
      } catch (e) {
        const err = e as { responseCode?: number; code?: string; message: string };
        // 5xx is a permanent refusal (unknown mailbox, policy); 4xx and connection failures pass.
        const permanent = typeof err.responseCode === 'number' && err.responseCode >= 500;
        throw new DeliveryError(`SMTP ${err.responseCode ?? err.code ?? ''} ${err.message}`.trim(), permanent);
      }
    },
    close() {
      transport.close();
    },
  };
}
