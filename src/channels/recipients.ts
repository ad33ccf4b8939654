/**
 * Recipient resolution: turns an outbox row's selector (user ids, a role — possibly a tier role
 * with a department —, the customer, or the case-event stream) into concrete deliveries: staff
 * e-mail addresses and group bots, the complainant's e-mail and phone, webhook endpoints.
 *
 * The complained-about employees (回避) never receive anything about the case, whatever the
 * selector says.
 */
import type { Complaint } from '../domain/complaint/types.js';
import type { Locale } from '../domain/errors.js';
import { levelRank, type Policy } from '../domain/policy/index.js';
import { levelAtLeast } from '../domain/lifecycle/machine.js';
import { avoidingUserIds } from '../domain/permissions/relations.js';
import type { StaffContact } from '../store/customer.repository.js';
import type { Delivery } from '../store/delivery.repository.js';
import { DEFAULT_BOT_TEMPLATES, type ChannelSettings } from './settings.js';
import { subscribes } from './webhook.js';

export interface Selector {
  userIds?: string[];
  role?: string;
  departmentCode?: string;
  customer?: boolean;
}

function holdsAtLeast(policy: Policy, u: StaffContact, level: string): boolean {
  return u.roles.includes('approver') && levelAtLeast(policy, u.approvalLevels, level);
}

/**
 * Staff for a role. Plain roles are users with that role (handlers of the department when one is
 * named). Tier roles (policy.escalation): `department_manager` → managers of the department;
 * `manager` / `general_manager` / `board` → approvers holding the approval level of that code
 * (or a higher one) when the policy has one, the top level for general_manager and board
 * otherwise, every approver for manager. An approval request (`level` in the payload) goes to
 * approvers who can decide it.
 */
export function staffForRole(staff: StaffContact[], role: string, departmentCode: string | undefined, policy: Policy, level?: unknown): StaffContact[] {
  switch (role) {
    case 'department_manager':
      return staff.filter((u) => (departmentCode ? u.managerOf.includes(departmentCode) : u.managerOf.length > 0));
    case 'manager':
    case 'general_manager':
    case 'board': {
      const levels = policy.approval.levels.map((l) => l.code);
      const named = levels.includes(role) ? role : role === 'manager' ? null : levels[levels.length - 1];
      return staff.filter((u) => u.roles.includes('approver') && (!named || levelRank(policy, named) < 0 || holdsAtLeast(policy, u, named)));
    }
    case 'approver':
      return staff.filter((u) => u.roles.includes('approver') && (typeof level !== 'string' || holdsAtLeast(policy, u, level)));
    case 'handler':
      return staff.filter((u) => u.roles.includes('handler') && (!departmentCode || u.departmentCode === departmentCode));
    default:
      return staff.filter((u) => (u.roles as string[]).includes(role));
  }
}

export interface Resolution {
  deliveries: Delivery[];
  /** Why nothing (or less than asked) was delivered, for the row's note. */
  notes: string[];
}

export function resolveStaff(to: Selector, template: string, payload: Record<string, unknown>, c: Complaint | null, policy: Policy | null, staff: StaffContact[], s: ChannelSettings, away: ReadonlySet<string> = new Set()): Resolution {
  const notes: string[] = [];
  const avoid = new Set(c ? avoidingUserIds(c) : []);
  let people: StaffContact[] = [];
  if (to.userIds?.length) people = staff.filter((u) => to.userIds!.includes(u.id));
  else if (to.role && policy) {
    people = staffForRole(staff, to.role, to.departmentCode ?? c?.departmentCode ?? undefined, policy, payload.level);
    // A role-wide message goes to those present (absences, issue 10 §3); to everyone when all are away, so it is never lost.
    const present = people.filter((u) => !away.has(u.id));
    if (present.length && present.length < people.length) notes.push(`${people.length - present.length} away left out`);
    if (present.length) people = present;
  }
  people = people.filter((u) => !avoid.has(u.id));
  const deliveries: Delivery[] = [];
  if (s.smtpUrl) {
    for (const u of people) {
      if (u.email) deliveries.push({ channel: 'email', recipient: { audience: 'staff', userId: u.id, address: u.email, name: u.name, locale: u.locale }, payload });
    }
    if (people.length && !deliveries.length) notes.push('no e-mail address for these staff');
  } else if (people.length) notes.push('e-mail not configured (KESU_SMTP_URL)');
  const department = to.departmentCode ?? c?.departmentCode ?? null;
  for (const bot of s.bots) {
    if (!(bot.templates ?? DEFAULT_BOT_TEMPLATES).includes(template)) continue;
    if (bot.departments?.length && (!department || !bot.departments.includes(department))) continue;
    deliveries.push({ channel: 'bot', recipient: { audience: 'staff', bot: bot.name, locale: bot.locale }, payload });
  }
  if (!people.length && !deliveries.length) notes.push('no staff recipient');
  return { deliveries, notes };
}

export function resolveCustomer(payload: Record<string, unknown>, c: Complaint | null, locale: Locale, s: ChannelSettings): Resolution {
  const notes: string[] = [];
  const deliveries: Delivery[] = [];
  if (!c) return { deliveries, notes: ['no case'] };
  const p = c.complainant;
  if (p.email && s.customerChannels.includes('email')) {
    if (s.smtpUrl) deliveries.push({ channel: 'email', recipient: { audience: 'customer', address: p.email, name: p.anonymous ? undefined : p.name, locale }, payload });
    else notes.push('e-mail not configured (KESU_SMTP_URL)');
  }
  if (p.phone && s.customerChannels.includes('sms')) {
    if (s.sms.provider !== 'none') deliveries.push({ channel: 'sms', recipient: { audience: 'customer', phone: p.phone, locale }, payload });
    else notes.push('SMS not configured (KESU_SMS_PROVIDER)');
  }
  if (!p.email && !p.phone) notes.push('the customer left no e-mail or phone');
  return { deliveries, notes };
}

export function resolveWebhooks(template: string, payload: Record<string, unknown>, s: ChannelSettings): Resolution {
  const deliveries = s.webhooks.filter((h) => subscribes(h, template)).map((h) => ({ channel: 'hook', recipient: { hook: h.name }, payload }));
  return { deliveries, notes: deliveries.length ? [] : ['no webhook subscribes to this event'] };
}
