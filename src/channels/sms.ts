/**
 * SMS through a provider interface: `log` for development (the server log notes each SMS with
 * the recipient masked, 138****5678, and its length — never its text, which carries case numbers
 * and portal access codes: docs/security.md),
 * and a generic HTTP provider configured without code — a URL template and a body template with
 * `{to}`, `{text}`, `{id}` (the idempotency key), optional extra headers and HMAC signing
 * (`X-Kesu-Timestamp`, `X-Kesu-Signature: sha256=<hex HMAC(secret, "<ts>.<body>")>`), so most
 * gateways (阿里云/腾讯云 through a small relay, or any HTTP API) can be used as configured.
 */
import type { Logger } from '../services/app.js';
import type { SmsSettings } from './settings.js';
import { maskPhone } from '../domain/permissions/pii.js';
import { DeliveryError, httpRequest, type SendResult } from './provider.js';
import { signBody } from './webhook.js';

export interface SmsMessage {
  to: string;
  text: string;
  idempotencyKey: string;
}

export interface SmsProvider {
  readonly name: string;
  send(m: SmsMessage, now: Date): Promise<SendResult>;
}

export function logSmsProvider(log: Logger): SmsProvider {
  return {
    name: 'log',
    async send(m) {
      log.info({ sms: { recipient: maskPhone(m.to), chars: m.text.length, id: m.idempotencyKey } }, 'SMS (log provider: not sent; text withheld)');
      return { providerId: `log:${m.idempotencyKey}` };
    },
  };
}

function jsonEscape(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

export function httpSmsProvider(s: SmsSettings, timeoutMs: number): SmsProvider {
  if (!s.url) throw new Error('KESU_SMS_PROVIDER=http needs KESU_SMS_URL');
  const url = s.url;
  return {
    name: 'http',
    async send(m, now) {
      const vars: Record<string, string> = { to: m.to, text: m.text, id: m.idempotencyKey };
      const target = url.replace(/\{(to|text|id)\}/g, (_, k: string) => encodeURIComponent(vars[k]!));
      const jsonBody = s.body.trimStart().startsWith('{');
      const body = s.method === 'POST' ? s.body.replace(/\{(to|text|id)\}/g, (_, k: string) => (jsonBody ? jsonEscape(vars[k]!) : encodeURIComponent(vars[k]!))) : '';
      const ts = String(Math.floor(now.getTime() / 1000));
      const headers: Record<string, string> = {
        'content-type': jsonBody ? 'application/json' : 'application/x-www-form-urlencoded',
        'idempotency-key': m.idempotencyKey,
        'x-kesu-timestamp': ts,
        ...s.headers,
      };
      if (s.secret) headers['x-kesu-signature'] = signBody(s.secret, ts, s.method === 'POST' ? body : target);
      const r = await httpRequest(target, { method: s.method, headers, body, timeoutMs });
      // Gateways often answer 200 with an error inside; a JSON `ok:false` or `success:false` counts as a failure.
      try {
        const j = JSON.parse(r.text) as { ok?: unknown; success?: unknown; id?: unknown; messageId?: unknown };
        if (j.ok === false || j.success === false) throw new DeliveryError(`gateway refused: ${r.text.slice(0, 300)}`, false);
        const id = j.messageId ?? j.id;
        return { providerId: typeof id === 'string' ? id : undefined };
      } catch (e) {
        if (e instanceof DeliveryError) throw e;
        return {};
      }
    },
  };
}
