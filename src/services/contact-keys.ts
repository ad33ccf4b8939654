/**
 * Contact keys (issue 13): the keyed hashes a case is found by — HMAC-SHA256 of each normalised
 * contact term (domain/complaint/contact.ts) under the server's contact key. The key lives in the
 * configuration (KESU_CONTACT_KEY) or in `<dataDir>/contact.key`, never in the database, so a
 * copy of the database cannot be searched by phone number (nor the numbers recovered from it by
 * hashing every number). Tests and an app nobody configured use a fixed development key.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntakeInput } from '../domain/lifecycle/intake.js';
import { contactTermsOf, contactTermsOfQuery, type ContactKind, type ContactTerm } from '../domain/complaint/contact.js';
import type { App } from './app.js';

/** The development key: for tests and an unconfigured app only (the composition root always resolves one). */
export const DEV_CONTACT_KEY: Buffer = createHash('sha256').update('kesu-contact:development key, not secret').digest();

/** One stored key: the hash and what it identifies (the kind is kept for re-keying and counts). */
export interface ContactKey {
  key: string;
  kind: ContactKind;
}

/**
 * The contact key: from KESU_CONTACT_KEY, else a random key kept in `<dataDir>/contact.key`
 * (created on first use, mode 0600). Several instances on one PostgreSQL must share
 * KESU_CONTACT_KEY; changing it makes earlier cases unfindable by contact until re-keyed.
 */
export function resolveContactKey(secret: string | null, dataDir: string): Buffer {
  let material = secret;
  if (!material) {
    const file = join(dataDir, 'contact.key');
    if (existsSync(file)) material = readFileSync(file, 'utf8').trim();
    else {
      mkdirSync(dataDir, { recursive: true });
      material = randomBytes(32).toString('base64url');
      writeFileSync(file, `${material}\n`, { mode: 0o600 });
    }
  }
  return createHash('sha256').update(`kesu-contact:${material}`).digest();
}

/** The app's contact key (`app.settings`: from the configuration, else the development key). */
export function contactKeyOf(app: App): Buffer {
  return app.settings.contactKey;
}

/** `kind:value` hashed under the key, hex. Migration 0011 computes the same. */
export function hashTerm(key: Buffer, t: ContactTerm): ContactKey {
  return { key: createHmac('sha256', key).update(`${t.kind}:${t.value}`).digest('hex'), kind: t.kind };
}

/**
 * The keys of a case about to be received, from the intake body (computed before the intake
 * transaction: hashing is kept out of transactions). A body intake will refuse gives none.
 */
export function contactKeysForIntake(app: App, input: unknown): ContactKey[] {
  const parsed = IntakeInput.safeParse(input);
  if (!parsed.success) return [];
  return contactKeysOfIntake(app, parsed.data);
}

/** `contactKeysForIntake` of an input already parsed with IntakeInput. */
export function contactKeysOfIntake(app: App, input: IntakeInput): ContactKey[] {
  const key = contactKeyOf(app);
  return unique(contactTermsOf(input).map((t) => hashTerm(key, t)));
}

/** The keys a search text may match (a phone in any format, an e-mail, last four + name …). */
export function contactKeysForQuery(app: App, text: string): string[] {
  const key = contactKeyOf(app);
  return unique(contactTermsOfQuery(text).map((t) => hashTerm(key, t))).map((k) => k.key);
}

/** The key of one term. */
export function contactKeyFor(app: App, term: ContactTerm): string {
  return hashTerm(contactKeyOf(app), term).key;
}

function unique(keys: ContactKey[]): ContactKey[] {
  const seen = new Map<string, ContactKey>();
  for (const k of keys) seen.set(k.key, k);
  return [...seen.values()];
}
