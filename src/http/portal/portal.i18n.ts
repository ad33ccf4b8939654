/**
 * The public portal's words in simplified Chinese (default), traditional Chinese and English:
 * the texts live in the server's message catalogue (domain/messages/portal.ts); these are the
 * portal's names for its look-ups.
 */
import type { Locale, Messages } from '../../domain/errors.js';
import type { Complaint, Satisfaction } from '../../domain/complaint/types.js';
import type { CustomerEvent } from '../../services/customer/customer-view.js';
import { message } from '../../domain/messages/index.js';
import { ACTIVE_STATES } from '../../domain/lifecycle/state-groups.js';
import { PORTAL_SATISFACTION, type PortalKey } from '../../domain/messages/portal.js';

export type { PortalKey };

export function t(locale: Locale, key: PortalKey, vars: Record<string, string | number> = {}): string {
  return message(`portal.${key}`, locale, vars);
}

/** States as the customer sees them (fewer and plainer than staff states); reopened cases (cycle > 1, handled again) say so. */
export function stateLabel(state: Complaint['state'], locale: Locale, cycle = 1): string {
  // The active states (domain/lifecycle/state-groups.ts): someone works the case again.
  if (cycle > 1 && ACTIVE_STATES.includes(state)) return message('portal.state.again', locale, { cycle });
  return message(`portal.state.${state}`, locale);
}

export const SATISFACTION: Record<Satisfaction, Messages> = PORTAL_SATISFACTION;

export function eventLabel(code: CustomerEvent['code'], locale: Locale): string {
  return message(`portal.event.${code}`, locale);
}

export const DEMANDS = ['return_exchange', 'compensation', 'apology', 'improve_service', 'other'] as const;
