/**
 * Personal data (phone, ID number, email, address) is masked for people who do not need it to
 * do their part (003 规范3, 004 §四(二)): only the first-responder, the primary and backup
 * handlers, specialists and follow-up callers — the people who contact the customer — see it.
 */
import type { Actor, Complainant, Complaint } from '../complaint/types.js';
import { grants, relations, relationsGranting } from './relations.js';

/** System actors always; people when one of their relations to the case grants `pii` (relations.ts). */
export function seesPii(c: Complaint, actor: Actor): boolean {
  return actor.kind === 'system' || grants(relations(c, actor), 'pii');
}

/** Keeps the first 3 and last 4 characters of a phone, e.g. 138****5678. */
export function maskPhone(v: string): string {
  const d = v.replace(/\s/g, '');
  return d.length <= 7 ? '*'.repeat(d.length) : `${d.slice(0, 3)}${'*'.repeat(d.length - 7)}${d.slice(-4)}`;
}

export function maskIdNumber(v: string): string {
  return v.length <= 8 ? '*'.repeat(v.length) : `${v.slice(0, 4)}${'*'.repeat(v.length - 8)}${v.slice(-4)}`;
}

export function maskEmail(v: string): string {
  const [user, domain] = v.split('@');
  return `${(user ?? '').slice(0, 1)}***@${domain ?? ''}`;
}

/** Keeps the first 6 characters (province/city) of an address. */
export function maskAddress(v: string): string {
  return v.length <= 6 ? '***' : `${v.slice(0, 6)}***`;
}

export function maskComplainant(p: Complainant): Complainant {
  return {
    ...p,
    phone: p.phone && maskPhone(p.phone),
    idNumber: p.idNumber && maskIdNumber(p.idNumber),
    email: p.email && maskEmail(p.email),
    address: p.address && maskAddress(p.address),
  };
}

/** The personal-data fields masking hides; showing any of them unmasked is logged (pii_access_log). */
export const PII_FIELDS = ['phone', 'idNumber', 'email', 'address'] as const;
export type PiiField = (typeof PII_FIELDS)[number];

/** The personal-data fields of a complainant that have a value: what an unmasked view reveals. */
export function piiFieldsOf(p: Complainant): PiiField[] {
  return PII_FIELDS.filter((f) => !!p[f]);
}

export function complainantFor(c: Complaint, actor: Actor): { complainant: Complainant; masked: boolean } {
  return seesPii(c, actor) ? { complainant: c.complainant, masked: false } : { complainant: maskComplainant(c.complainant), masked: true };
}

/** Who may reveal (the policy's `personalData.reveal`, src/domain/policy/personal-data.ts). */
export interface RevealRule {
  relations: readonly string[];
  roles: readonly string[];
}

/** Today's rule, when no policy names one: the relations the rule table grants `reveal`. */
export const DEFAULT_REVEAL_RULE: RevealRule = { relations: relationsGranting('reveal'), roles: [] };

/**
 * Whether a reader who sees the case masked may reveal one field of it with a stated reason
 * (issue 12 §6): one of their relations to the case, or one of their roles, is named by the
 * rule (default: the relations granting `reveal` in relations.ts — the people who work the case
 * and may have to contact the customer), and no relation bars them. Readers who see it unmasked
 * need no reveal.
 */
export function mayRevealPii(c: Complaint, actor: Actor, rule: RevealRule = DEFAULT_REVEAL_RULE): boolean {
  if (actor.kind === 'system') return false;
  const rel = relations(c, actor);
  if (grants(rel, 'bars')) return false;
  return [...rel].some((r) => rule.relations.includes(r)) || actor.roles.some((r) => rule.roles.includes(r));
}
