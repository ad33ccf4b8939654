/**
 * Which earlier cases a case being received is linked to (issue 13 §2), computed BEFORE the intake
 * transaction (key probes, a bounded scan and jieba cutting are kept out of it); the intake writes
 * the links inside it (receive-complaint.ts).
 *
 * - customer: an earlier complaint sharing a phone or e-mail key within `customerWindowDays`
 *   (the statistics' repeat-complaint definition, definition.ts);
 * - reference: an earlier case sharing an order or plate key, or naming the same product, within
 *   `subjectWindowDays`;
 * - text: an earlier case within `subjectWindowDays` whose title and description have a token-set
 *   Jaccard ≥ `textSimilarity` with the new one. Only the newest TEXT_SCAN cases of the window are
 *   compared, so intake cost stays bounded however busy the window is; their token sets are
 *   kept per case version (recent-texts.ts), so an intake cuts only the cases it has not seen.
 */
import type { Policy } from '../domain/policy/index.js';
import { IntakeInput } from '../domain/lifecycle/intake.js';
import type { ContactKey } from '../services/contact-keys.js';
import { casesSharingKeys } from '../store/repeat.repository.js';
import { recentTexts } from './recent-texts.js';
import type { Executor } from '../store/db.js';
import type { CaseLinksTable } from '../store/schema.js';
import { CUSTOMER_KEY_KINDS, DAY_MS, REFERENCE_KEY_KINDS, repeatRulesOf, type LinkReason } from './definition.js';
import { comparedText, jaccard, tokenSet } from './similarity.js';

export interface LinkCandidate {
  linkedId: string;
  reason: LinkReason;
  detail: string | null;
}

/** Cases compared by text per intake (the newest of the subject window). */
export const TEXT_SCAN = 200;

import { normProduct } from './recent-texts.js';

export async function linkCandidates(db: Executor, policy: Policy, input: unknown, keys: readonly ContactKey[], now: Date): Promise<LinkCandidate[]> {
  const parsed = IntakeInput.safeParse(input);
  if (!parsed.success) return []; // intake will refuse it
  return linkCandidatesOf(db, policy, parsed.data, keys, now);
}

/** `linkCandidates` of an input already parsed with IntakeInput (intake parses once). */
export async function linkCandidatesOf(db: Executor, policy: Policy, input: IntakeInput, keys: readonly ContactKey[], now: Date): Promise<LinkCandidate[]> {
  const rules = repeatRulesOf(policy);
  const before = now.toISOString();
  const out = new Map<string, LinkCandidate>();
  const add = (c: LinkCandidate) => {
    const k = `${c.linkedId}|${c.reason}`;
    if (!out.has(k)) out.set(k, c);
  };

  const customerKeys = keys.filter((k) => (CUSTOMER_KEY_KINDS as readonly string[]).includes(k.kind)).map((k) => k.key);
  if (input.kind === 'complaint')
    for (const h of await casesSharingKeys(db, customerKeys, new Date(now.getTime() - rules.customerWindowDays * DAY_MS).toISOString(), before))
      if (h.caseKind === 'complaint') add({ linkedId: h.complaintId, reason: 'customer', detail: null });

  const subjectFrom = new Date(now.getTime() - rules.subjectWindowDays * DAY_MS).toISOString();
  const referenceKeys = keys.filter((k) => (REFERENCE_KEY_KINDS as readonly string[]).includes(k.kind)).map((k) => k.key);
  for (const h of await casesSharingKeys(db, referenceKeys, subjectFrom, before)) add({ linkedId: h.complaintId, reason: 'reference', detail: h.keyKind });

  const product = normProduct(input.references.product);
  const mine = tokenSet(comparedText(input));
  for (const c of await recentTexts(db, subjectFrom, before, TEXT_SCAN)) {
    if (product && c.product === product) add({ linkedId: c.id, reason: 'reference', detail: 'product' });
    const s = jaccard(mine, c.tokens);
    if (s >= rules.textSimilarity) add({ linkedId: c.id, reason: 'text', detail: s.toFixed(2) });
  }
  return [...out.values()];
}

export function linkRows(complaintId: string, candidates: readonly LinkCandidate[], at: string): CaseLinksTable[] {
  return candidates.map((c) => ({ complaint_id: complaintId, linked_id: c.linkedId, reason: c.reason, detail: c.detail, created_at: at }));
}
