/**
 * Rendering messages. Customer messages (acknowledgement, delay notice, earlier promise, answer, survey invitation,
 * closure, invalid explanation, overdue notice) in zh-CN / zh-TW / en, each overridable per language by the
 * policy's `messages` section; staff notifications (e-mail and group bots) with a fixed wording. The default
 * wording is in the server's message catalogue (domain/messages/templates.ts).
 *
 * Placeholders are `{name}`. A line holding a placeholder with no value is left out, so an
 * acknowledgement without a promised time simply has no such line.
 */
import { DateTime } from 'luxon';
import type { Locale } from '../domain/errors.js';
import { CUSTOMER_MESSAGES, type CustomerMessage, type Policy } from '../domain/policy/index.js';
import { isMessageKey, message } from '../domain/messages/index.js';

export function isCustomerMessage(template: string): template is CustomerMessage {
  return (CUSTOMER_MESSAGES as string[]).includes(template);
}

/** Replaces `{name}`; drops every line holding a placeholder without a value. */
export function fill(text: string, vars: Record<string, string | null | undefined>): string {
  return text
    .split('\n')
    .filter((line) => [...line.matchAll(/\{([A-Za-z]+)\}/g)].every((m) => (vars[m[1]!] ?? '') !== ''))
    .map((line) => line.replace(/\{([A-Za-z]+)\}/g, (_, k: string) => vars[k] ?? ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An instant for a customer: `2026年9月30日 09:00` / `30 Sep 2026, 09:00`, in the policy's zone. */
export function formatInstant(iso: string | null | undefined, locale: Locale, timeZone: string): string {
  if (!iso) return '';
  const t = DateTime.fromISO(iso, { zone: timeZone });
  if (!t.isValid) return '';
  // Month names spelt out here: ICU versions disagree on English abbreviations (Sep / Sept).
  return locale === 'en' ? `${t.day} ${MONTHS[t.month - 1]} ${t.year}, ${t.toFormat('HH:mm')}` : t.toFormat("yyyy'年'M'月'd'日' HH:mm");
}

/** The sender's name: `messages.organisation` of the policy, or a plain 客户服务中心. */
export function organisationName(policy: Policy, locale: Locale): string {
  const o = policy.messages?.organisation;
  return o ? (o[locale] ?? o['zh-CN']) : message('template.organisation', locale);
}

export interface RenderedMessage {
  subject: string;
  text: string;
  sms: string;
}

export function renderCustomerMessage(template: CustomerMessage, locale: Locale, vars: Record<string, string | null | undefined>, policy: Policy): RenderedMessage {
  const own = policy.messages?.templates?.[template];
  const pick = (part: 'subject' | 'body' | 'sms') => own?.[part]?.[locale] ?? message(`template.${template}.${part}`, locale);
  const all = { organisation: organisationName(policy, locale), ...vars };
  return { subject: fill(pick('subject'), all), text: fill(pick('body'), all), sms: fill(pick('sms'), all) };
}

// ---------------------------------------------------------------------------------------------
// Staff notifications
// ---------------------------------------------------------------------------------------------

export function staffLabel(template: string, locale: Locale): string {
  const key = `template.staff.${template}`;
  return isMessageKey(key) ? message(key, locale) : template;
}

export interface StaffMessage {
  title: string;
  /** Label: value lines (no personal data: group chats may be wide). */
  lines: [string, string][];
  link: string | null;
}

export function staffMessage(template: string, locale: Locale, payload: Record<string, unknown>, ctx: { timeZone: string; consoleUrl: string | null; department?: string | null }): StaffMessage {
  const lines: [string, string][] = [];
  const add = (key: string, value: unknown) => {
    if (value === undefined || value === null || value === '') return;
    const label = `template.field.${key}`;
    lines.push([isMessageKey(label) ? message(label, locale) : key, String(value)]);
  };
  add('number', payload.number);
  const clock = `template.clock.${String(payload.clock)}`;
  if (typeof payload.clock === 'string') add('clock', isMessageKey(clock) ? message(clock, locale) : payload.clock);
  if (typeof payload.dueAt === 'string') add('dueAt', formatInstant(payload.dueAt, locale, ctx.timeZone));
  add('grade', payload.grade);
  add('level', payload.level);
  add('tier', payload.tier);
  add('cycle', payload.cycle);
  add('attachments', payload.attachments || undefined);
  add('department', ctx.department);
  add('by', payload.by);
  add('comment', payload.comment);
  // A message about no case (a stored report, reports/runs.ts) brings its own title, lines and link per language.
  const own = <T>(v: unknown): T | undefined => (v && typeof v === 'object' ? ((v as Record<string, T>)[locale] ?? (v as Record<string, T>)['zh-CN']) : undefined);
  for (const [k, v] of own<[string, string][]>(payload.lines) ?? []) lines.push([k, v]);
  const title = own<string>(payload.title) ?? staffLabel(template, locale);
  return { title, lines, link: ctx.consoleUrl ?? (typeof payload.link === 'string' ? payload.link : null) };
}

export function staffText(m: StaffMessage): string {
  return [m.title, ...m.lines.map(([k, v]) => `${k}：${v}`), ...(m.link ? [m.link] : [])].join('\n');
}
