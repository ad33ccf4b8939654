/**
 * What makes two cases "the same customer" and "the same subject" (issue 13 §2, 003 规范5).
 *
 * The customer rule is the statistics' repeat-complaint definition (src/reports/statistics.ts,
 * "repeat complaints"): an earlier complaint (kind `complaint`) sharing a phone or e-mail key,
 * received within the window before the new case. The subject rule shares an order or plate key
 * (contact_keys), the same catalogue product, or a near-identical text.
 */
import type { Policy } from '../domain/policy/index.js';
import { repeatsPolicy, type RepeatsPolicy } from '../domain/policy/repeats.js';

/** Contact kinds naming the customer — the statistics' repeat-complaint rate counts these. */
export const CUSTOMER_KEY_KINDS = ['phone', 'email'] as const;
/** Contact kinds naming the subject of a case (the references kept as keyed hashes). */
export const REFERENCE_KEY_KINDS = ['order', 'plate'] as const;

export const LINK_REASONS = ['customer', 'reference', 'text'] as const;
export type LinkReason = (typeof LINK_REASONS)[number];

/** The section, or its defaults for a policy stored before it existed. */
export const repeatRulesOf = (p: Policy): RepeatsPolicy => (p as Partial<Policy>).repeats ?? repeatsPolicy.parse({});

export const DAY_MS = 86_400_000;
