/**
 * What never reaches a log line (issue 12, docs/security.md "What is logged"):
 * - fields by name, at any of the first four levels of a logged object (pino `redact`):
 *   phone numbers, ID numbers, e-mail addresses, postal addresses, access codes, survey and
 *   session tokens, passwords and their hashes, secrets, message texts and bodies;
 * - the `Authorization`, `Cookie` and `Set-Cookie` headers wherever headers are logged;
 * - in request URLs: the survey token of `/portal/survey/<token>` and sensitive query parameters
 *   (`code`, `token`, `password`, …);
 * - in error messages and stacks: anything that looks like a mobile number or an e-mail address
 *   (an SMTP or gateway error may quote the recipient).
 * The server's logger (http/server.ts) and so every service's `app.log` that `kesu serve` points
 * at it use these options.
 */
import pino from 'pino';
import { maskPhone } from '../../domain/permissions/pii.js';

export const REDACTED = '[REDACTED]';

/** Field names whose values are never logged (matched exactly, case as written). */
export const SENSITIVE_KEYS = [
  'phone',
  'mobile',
  'to',
  'idNumber',
  'id_number',
  'email',
  'address',
  'accessCode',
  'access_code',
  'code_hash',
  'token',
  'sessionToken',
  'surveyToken',
  'survey_token',
  'password',
  'passwordHash',
  'password_hash',
  'newPassword',
  'secret',
  'sealKey',
  'text',
  'body',
  'html',
  'description',
  'comment',
  'complainant',
  'authorization',
  'cookie',
  'set-cookie',
  'x-kesu-signature',
] as const;

/** Query parameters masked in logged URLs. */
const SENSITIVE_QUERY = /^(code|token|password|secret|access_code|accessCode|phone|email|sig|signature)$/i;

function keyPath(prefix: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${prefix}${prefix ? '.' : ''}${key}` : `${prefix}["${key}"]`;
}

/** pino `redact.paths`: every sensitive key at depth 0 to 3 (`phone`, `*.phone`, `*.*.phone`, `*.*.*.phone`). */
export function redactPaths(): string[] {
  const out: string[] = [];
  for (const key of SENSITIVE_KEYS) for (const prefix of ['', '*', '*.*', '*.*.*']) out.push(keyPath(prefix, key));
  return out;
}

/** A URL as logged: the survey token and sensitive query parameters replaced. */
export function maskUrl(url: string | undefined): string | undefined {
  if (!url) return url;
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).replace(/^(\/portal\/survey\/)[^/?#]+/i, `$1${REDACTED}`);
  if (q < 0) return path;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = decodeSafe(eq < 0 ? pair : pair.slice(0, eq));
      return eq >= 0 && SENSITIVE_QUERY.test(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    })
    .join('&');
  return `${path}?${query}`;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const MOBILE = /(?<![\d])(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)/g;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

/** Free text as logged: mobile numbers masked (138****5678), e-mail addresses replaced. */
export function scrubText(s: string): string {
  return s.replace(MOBILE, (m) => maskPhone(m.replace(/[- ]/g, ''))).replace(EMAIL, '[email]');
}

type LoggedRequest = { method?: string; url?: string; host?: string; ip?: string; headers?: Record<string, unknown>; socket?: { remotePort?: number } };

/** Serializers for the server's logger: requests with masked URLs, errors with scrubbed texts. */
export const logSerializers = {
  req(req: LoggedRequest) {
    return { method: req.method, url: maskUrl(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
  },
  err(e: unknown) {
    const out = pino.stdSerializers.err(e as Error) as unknown as Record<string, unknown>;
    if (!out || typeof out !== 'object') return out;
    for (const k of ['message', 'stack', 'raw', 'response'] as const) if (typeof out[k] === 'string') out[k] = scrubText(out[k] as string);
    return out;
  },
};

/** The pino options every Kesu server logger gets: redaction and the serializers above. */
export function redactingLogOptions(base: object): object {
  const given = base as { redact?: unknown; serializers?: Record<string, unknown> };
  return {
    ...base,
    redact: given.redact ?? { paths: redactPaths(), censor: REDACTED },
    serializers: { ...logSerializers, ...given.serializers },
  };
}
