/**
 * Contact terms (issue 13, caller recognition): the ways a customer is recognised — phone,
 * e-mail, ID number, order and plate number — normalised so that every common way of writing
 * one value gives the same term. The store keeps only keyed hashes of these terms
 * (services/contact-keys.ts), never a second plaintext copy. Pure: no I/O, no crypto.
 *
 * The term texts are persisted through their hashes: changing a normalisation is a migration
 * that recomputes the keys (migration 0011 carries its own frozen copy of these rules).
 */
import type { Complainant, Complaint } from './types.js';

/** What a term identifies. Persisted (in the hashed text and the `kind` column): never rename one. */
export type ContactKind = 'phone' | 'phone_last4' | 'phone_last4_name' | 'email' | 'id_number' | 'order' | 'plate';

export interface ContactTerm {
  kind: ContactKind;
  /** The normalised value; hashed with the kind as `kind:value`. */
  value: string;
}

/**
 * A phone number as its national number: separators (spaces, dashes, dots, parentheses) dropped,
 * the Chinese country code (+86, 0086, 86 before an 11-digit mobile) removed, and a landline's
 * area code written with its trunk 0 (`+86 10 1234 5678` → `01012345678`). Other countries keep
 * `+` and their code. Null when it is not a phone number (fewer than 5 or more than 15 digits,
 * or letters).
 */
export function normalizePhone(raw: string): string | null {
  const s = raw.trim().replace(/[\s\-.()（）\u00a0]/g, '');
  if (!/^(\+|00)?[0-9]+$/.test(s)) return null;
  let international = s.startsWith('+') ? s.slice(1) : s.startsWith('00') ? s.slice(2) : null;
  let national: string;
  if (international !== null) {
    if (!international.startsWith('86')) return international.length >= 7 && international.length <= 15 ? `+${international}` : null;
    international = international.slice(2);
    national = /^1\d{10}$/.test(international) || international.startsWith('0') ? international : `0${international}`;
  } else if (/^861\d{10}$/.test(s)) {
    national = s.slice(2);
  } else {
    national = s;
  }
  return national.length >= 5 && national.length <= 15 ? national : null;
}

/** The last four digits of a phone number (any format), or null when it has fewer. */
export function lastFour(raw: string): string | null {
  const d = raw.replace(/\D/g, '');
  return d.length >= 4 ? d.slice(-4) : null;
}

/** A name as compared for "last four + name": trimmed, inner blanks dropped, lower-cased. */
export function normalizeName(raw: string): string {
  return raw.replace(/\s+/g, '').toLowerCase();
}

export function normalizeEmail(raw: string): string | null {
  const v = raw.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+$/.test(v) ? v : null;
}

/** ID, order and plate numbers: upper case, without blanks, dashes, dots and the plate's middle dot. */
export function normalizeCode(raw: string): string | null {
  const v = raw
    .trim()
    .replace(/[\s\-.·・_/]/g, '')
    .toUpperCase();
  return v.length >= 3 ? v : null;
}

/** The terms a case is found by: its complainant's contacts and its order and plate numbers. */
export function contactTermsOf(c: { complainant: Complainant; references?: Complaint['references'] }): ContactTerm[] {
  const out: ContactTerm[] = [];
  const p = c.complainant;
  if (!p.anonymous) {
    const phone = p.phone ? normalizePhone(p.phone) : null;
    if (phone) {
      out.push({ kind: 'phone', value: phone });
      const four = lastFour(phone)!;
      out.push({ kind: 'phone_last4', value: four });
      if (p.name?.trim()) out.push({ kind: 'phone_last4_name', value: `${four}|${normalizeName(p.name)}` });
    }
    const email = p.email ? normalizeEmail(p.email) : null;
    if (email) out.push({ kind: 'email', value: email });
    const id = p.idNumber ? normalizeCode(p.idNumber) : null;
    if (id) out.push({ kind: 'id_number', value: id });
  }
  const order = c.references?.order ? normalizeCode(c.references.order) : null;
  if (order) out.push({ kind: 'order', value: order });
  const plate = c.references?.plate ? normalizeCode(c.references.plate) : null;
  if (plate) out.push({ kind: 'plate', value: plate });
  return out;
}

/**
 * The terms a search text may be: a phone number, an e-mail, an ID / order / plate number, or
 * "last four + name" (`5678 张三`, `张三5678`). Several readings are tried at once (a string of
 * digits may be a phone or an order number); each is a distinct hashed key, so they never mix.
 */
export function contactTermsOfQuery(text: string): ContactTerm[] {
  const q = text.trim();
  if (!q) return [];
  const out: ContactTerm[] = [];
  const phone = normalizePhone(q);
  if (phone && phone.replace(/\D/g, '').length >= 7) out.push({ kind: 'phone', value: phone });
  const email = normalizeEmail(q);
  if (email) out.push({ kind: 'email', value: email });
  const code = normalizeCode(q);
  if (code && /\d/.test(code) && !email) out.push({ kind: 'id_number', value: code }, { kind: 'order', value: code }, { kind: 'plate', value: code });
  const four = /^(?:(\d{4})\s*([^\d\s].*?)|(.*?[^\d\s])\s*(\d{4}))$/u.exec(q);
  if (four) {
    const digits = four[1] ?? four[4]!;
    const name = normalizeName(four[2] ?? four[3]!);
    if (name && !/\d/.test(name)) out.push({ kind: 'phone_last4_name', value: `${digits}|${name}` });
  }
  return out;
}
