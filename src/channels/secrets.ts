/**
 * Customer secrets: the portal access code (访问码) and the survey link token.
 *
 * - The database keeps only a salted scrypt hash of an access code and the SHA-256 of a survey
 *   token, so a copy of the database does not open anyone's case.
 * - While a message carrying one waits in the outbox, the secret travels sealed (AES-256-GCM
 *   under the instance key); the dispatcher unseals it to render the message and removes it from
 *   the row once delivered.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomInt, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;
const SCRYPT = { N: 1 << 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** No 0/O, 1/I/L: read over the phone without confusion. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const ACCESS_CODE_LENGTH = 8;

export function randomAccessCode(): string {
  let out = '';
  for (let i = 0; i < ACCESS_CODE_LENGTH; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/**
 * An access code derived from a one-time form nonce: a double-submitted portal form (retried with
 * the same nonce as its Idempotency-Key) shows the same code again without storing it.
 */
export function derivedAccessCode(key: Buffer, nonce: string): string {
  const mac = createHmac('sha256', key).update(`portal-access:${nonce}`).digest();
  let out = '';
  for (let i = 0; i < ACCESS_CODE_LENGTH; i++) out += ALPHABET[mac[i]! % ALPHABET.length];
  return out;
}

/** Upper case, without blanks and dashes: `abcd-efgh` → `ABCDEFGH`. */
export function normalizeAccessCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

/** `ABCDEFGH` → `ABCD-EFGH` for reading. */
export function formatAccessCode(code: string): string {
  return code.length === 8 ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
}

export async function hashAccessCode(code: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(normalizeAccessCode(code), salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

const DUMMY_HASH = `scrypt$${SCRYPT.N}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(32).toString('base64url')}`;

/**
 * Checks a code against a stored hash in constant time. With no stored hash (no such case) it
 * does the same work against a dummy, so timing does not tell a wrong number from a wrong code.
 */
export async function verifyAccessCode(code: string, stored: string | null): Promise<boolean> {
  const [, n, saltText, hashText] = (stored ?? DUMMY_HASH).split('$');
  const expected = Buffer.from(hashText ?? '', 'base64url');
  const actual = await scrypt(normalizeAccessCode(code).slice(0, 64), Buffer.from(saltText ?? '', 'base64url'), 32, { ...SCRYPT, N: Number(n) || SCRYPT.N });
  return expected.length === actual.length && timingSafeEqual(expected, actual) && stored !== null;
}

export function randomSurveyToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Seals a small JSON object: base64url(iv ‖ tag ‖ ciphertext). */
export function seal(key: Buffer, value: Record<string, string>): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(JSON.stringify(value), 'utf8'), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64url');
}

/** Opens a sealed value; throws when it was sealed under another key or altered. */
export function unseal(key: Buffer, sealed: string): Record<string, string> {
  const raw = Buffer.from(sealed, 'base64url');
  const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  d.setAuthTag(raw.subarray(12, 28));
  const text = Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
  return JSON.parse(text) as Record<string, string>;
}
