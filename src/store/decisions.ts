/**
 * The decision writer: the one place where the result of `apply` (domain/lifecycle/apply.ts)
 * — and of `receive` (domain/lifecycle/intake.ts), a case's first transition — reaches the database — the case row with its optimistic version check, the timeline events,
 * the clocks, the outbox rows, the analysis facts (store/facts.repository.ts) and the
 * accountability entries the transitions create (domain/accountability/entries.ts). Staff actions (services/act-on-complaint.ts) persist one
 * decision; the deadline sweeper (jobs/deadline-sweeper.ts) persists every clock it fired on a
 * case, in order, in the same transaction.
 *
 * The version rule: each transition bumps the case's version by one (`apply` sets it), and the
 * stored version is the version of the last transition. So the `case.<action>` outbox rows (what
 * webhooks receive) of one case carry consecutive versions, each equal to the version the
 * database held after that transition, and the next transition continues from the stored one.
 */
import type { Transaction } from 'kysely';
import type { Clock, Complaint } from '../domain/complaint/types.js';
import type { Decision } from '../domain/lifecycle/apply.js';
import type { IntakeResult } from '../domain/lifecycle/intake.js';
import type { Dialect } from './db.js';
import type { DB } from './schema.js';
import { uuidv7 } from './ids.js';
import { insertComplaint, saveComplaint, searchText } from './complaint.repository.js';
import { indexNewComplaintText } from './search.repository.js';
import { caseTermsRow, insertCaseTerms } from './case-terms.repository.js';
import { appendEvents } from './event.repository.js';
import { upsertClocks } from './clock.repository.js';
import { enqueueMessages } from './outbox.repository.js';
import { recordFacts } from './facts.repository.js';
import type { WorkingCalendar } from '../domain/calendar/index.js';
import type { Policy } from '../domain/policy/index.js';
import { entriesForDecision } from '../domain/accountability/entries.js';
import { recordEntries } from './accountability.repository.js';
import { dutiesForDecision } from '../domain/duties/duties.js';
import { completeCaseDuty, createCaseDuties } from './duty-steps.repository.js';

/** A case as read under its lock, with all its clocks; or as it stands after decisions. */
export interface CaseState {
  complaint: Complaint;
  clocks: Clock[];
  /** The case's working calendar (a locked case carries it): the facts' working-time durations. */
  calendar?: WorkingCalendar;
  /** The case's policy (a locked case carries it): the accountability entries its transitions create. */
  policy?: Policy;
}

/** The case and its clocks after one more decision (pure: what `apply` sees next). */
export function afterDecision(state: CaseState, d: Decision): CaseState {
  const merged = new Map(state.clocks.map((k) => [k.kind, k]));
  d.clocks.forEach((k) => merged.set(k.kind, k));
  return { complaint: d.complaint, clocks: [...merged.values()], ...(state.calendar ? { calendar: state.calendar } : {}) };
}

/**
 * Writes `decisions`, applied in order to `before` (the case as locked in this transaction), and
 * returns the case after them with the clock rows that changed. Refuses with `conflict` when the
 * stored case is no longer at `before`'s version. Call inside the transaction holding the lock.
 */
export async function persistDecisions(trx: Transaction<DB>, before: CaseState, decisions: Decision[]): Promise<CaseState & { changedClocks: Clock[] }> {
  let state = before;
  const changed = new Map<string, Clock>();
  const entries: { d: Decision; list: ReturnType<typeof entriesForDecision> }[] = [];
  for (const d of decisions) {
    if (d.complaint.id !== before.complaint.id || d.complaint.version !== state.complaint.version + 1)
      throw new Error(`decision for ${d.complaint.id} v${d.complaint.version} does not follow ${state.complaint.id} v${state.complaint.version}`);
    if (before.policy) entries.push({ d, list: entriesForDecision(before.policy, state.complaint, d) });
    state = afterDecision(state, d);
    d.clocks.forEach((k) => changed.set(k.kind, k));
  }
  if (!decisions.length) return { ...state, changedClocks: [] };
  const id = before.complaint.id;
  await saveComplaint(trx, state.complaint, before.complaint.version, state.clocks);
  await appendEvents(
    trx,
    id,
    decisions.flatMap((d) => d.events),
  );
  await upsertClocks(trx, [...changed.values()]);
  await enqueueMessages(
    trx,
    decisions.flatMap((d) => d.outbox),
  );
  await recordFacts(
    trx,
    state.complaint,
    decisions.flatMap((d) => d.events),
    [...changed.values()],
    before.calendar ?? null,
  );
  // Duties (issue 10 §2): created by the transition that triggers them, completed by `complete_duty`.
  for (const d of decisions) {
    if (d.events[0]?.action === 'complete_duty') await completeCaseDuty(trx, state.complaint, d, before.calendar ?? null);
    if (before.policy && before.calendar)
      await createCaseDuties(
        trx,
        state.complaint,
        dutiesForDecision(before.policy, d, before.calendar, () => uuidv7()),
        d,
        before.calendar,
        before.policy,
      );
  }
  for (const { d, list } of entries) await recordEntries(trx, state.complaint.policyKey, list, { id: d.events[0]!.actorId, name: d.events[0]!.actorName });
  return { ...state, changedClocks: [...changed.values()] };
}

/**
 * A new case's first transition (受理登记): the case row, its search text and match tokens, the receipt's events,
 * clocks and outbox rows, and the reports' row from receipt on — the same writes
 * `persistDecisions` makes for every later transition. The channel's own rows (contact keys,
 * repeat links, idempotency, access log) are the caller's, in the same transaction.
 */
export async function persistReceipt(trx: Transaction<DB>, dialect: Dialect, r: IntakeResult, calendar: WorkingCalendar): Promise<void> {
  const id = r.complaint.id;
  await insertComplaint(trx, r.complaint, r.clocks);
  await indexNewComplaintText(trx, dialect, id, searchText(r.complaint));
  await insertCaseTerms(trx, [caseTermsRow(r.complaint)]);
  await appendEvents(trx, id, r.events);
  await upsertClocks(trx, r.clocks);
  await recordFacts(trx, r.complaint, r.events, r.clocks, calendar);
  await enqueueMessages(trx, r.outbox);
}
