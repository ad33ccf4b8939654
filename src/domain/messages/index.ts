/**
 * The server's one message catalogue: every text the server shows a person — domain errors,
 * portal pages, customer messages and staff notifications, policy-check problems — under one
 * typed key, in zh-CN, zh-TW and en, looked up with `message`. The console has its own (web/,
 * i18next); i18next is only a development dependency here, so the server keeps this small typed
 * table instead of adding a runtime dependency. test/domain/messages.test.ts checks that every
 * key has all three languages and the same placeholders in each.
 *
 * Pure data and one function: the domain (errors.ts) reads it as well as http/ and channels/.
 */
import type { Locale, Messages } from '../errors.js';
import { ERROR_MESSAGES } from './errors.js';
import { PORTAL_EN, PORTAL_EVENTS, PORTAL_SATISFACTION, PORTAL_STATES, PORTAL_ZH_CN, PORTAL_ZH_TW, type PortalKey } from './portal.js';
import { CLOCK_LABELS, CUSTOMER_DEFAULTS, DEFAULT_ORGANISATION, FIELD_LABELS, STAFF_TITLES, type CustomerWording } from './templates.js';
import { POLICY_MESSAGES } from './policy.js';

type Section<P extends string, T> = { [K in keyof T & string as `${P}.${K}`]: Messages };

function section<P extends string, T extends Record<string, Messages>>(prefix: P, entries: T): Section<P, T> {
  return Object.fromEntries(Object.entries(entries).map(([k, v]) => [`${prefix}.${k}`, v])) as Section<P, T>;
}

/** The portal's page words are kept as one table per language (easier to translate as a whole). */
function byKey<K extends string>(zhCN: Record<K, string>, zhTW: Record<K, string>, en: Record<K, string>): Record<K, Messages> {
  return Object.fromEntries((Object.keys(zhCN) as K[]).map((k) => [k, { 'zh-CN': zhCN[k], 'zh-TW': zhTW[k], en: en[k] }])) as Record<K, Messages>;
}

type CustomerKey = `template.${keyof typeof CUSTOMER_DEFAULTS}.${keyof CustomerWording}`;

function customerTemplates(): Record<CustomerKey, Messages> {
  const out: Record<string, Messages> = {};
  for (const [name, parts] of Object.entries(CUSTOMER_DEFAULTS)) for (const [part, text] of Object.entries(parts)) out[`template.${name}.${part}`] = text;
  return out as Record<CustomerKey, Messages>;
}

export const MESSAGES = {
  ...section('error', ERROR_MESSAGES),
  ...section('portal', byKey<PortalKey>(PORTAL_ZH_CN, PORTAL_ZH_TW, PORTAL_EN)),
  ...section('portal.state', PORTAL_STATES),
  ...section('portal.satisfaction', PORTAL_SATISFACTION),
  ...section('portal.event', PORTAL_EVENTS),
  ...customerTemplates(),
  'template.organisation': DEFAULT_ORGANISATION,
  ...section('template.staff', STAFF_TITLES),
  ...section('template.clock', CLOCK_LABELS),
  ...section('template.field', FIELD_LABELS),
  ...section('policy', POLICY_MESSAGES),
};

export type MessageKey = keyof typeof MESSAGES;

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(MESSAGES, key);
}

/**
 * The text of `key` in `locale`. With `vars`, every `{name}` is replaced (a name without a value
 * by nothing); without, the text comes as written, placeholders and all, for a renderer that
 * fills it line by line (channels/templates.ts `fill` drops a line whose value is missing).
 */
export function message(key: MessageKey, locale: Locale, vars?: Record<string, string | number>): string {
  const text = MESSAGES[key][locale];
  return vars ? text.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? '')) : text;
}

/** The `{name}` placeholders of a text, sorted and each once. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();
}
