/**
 * The facts reports read (issue 11 §1), folded from a case's transitions as they commit: the
 * decision writer (store/decisions.ts) hands each transaction's events, the case after them and
 * the clocks they changed to `foldCaseFacts` / `clockFactRows`, and stores the rows in the same
 * transaction (store/facts.repository.ts). Migration 0013 folds the stored timelines of cases
 * made before it the same way. Pure: the calendar and the previous row are passed in.
 *
 * Definitions of the figures built on these columns: docs/reports.md.
 */
import { DateTime } from 'luxon';
import { tickingBetween, type WorkingCalendar } from '../domain/calendar/index.js';
import type { Clock, Complaint } from '../domain/complaint/types.js';
import type { CaseFactsTable, ClockFactsTable } from '../store/schema.js';
import { assignedOnClassify } from '../domain/lifecycle/handlers.js';

/** What the fold reads of an event (a decision's, or a stored `complaint_events` row). */
export interface FactEvent {
  action: string | null;
  at: string;
  actorId: string;
  data: Record<string, unknown>;
}

/** Working time (ms inside working hours) between two instants, pauses excluded; null without a calendar. */
export function workingMs(cal: WorkingCalendar | null, from: string, to: string, pauses: { from: string; to: string | null }[] = []): number | null {
  if (!cal || to < from) return null;
  try {
    return tickingBetween(
      new Date(from),
      new Date(to),
      'wh',
      cal,
      pauses.map((p) => ({ from: new Date(p.from), to: p.to ? new Date(p.to) : null })),
    );
  } catch {
    return null;
  }
}

const dayFormats = new Map<string, Intl.DateTimeFormat | null>();

/**
 * Local days by zone and quarter of an hour (UTC): `Intl.DateTimeFormat#format` costs ~20 µs a
 * call, and an import folds several times per row. A quarter whose first and last millisecond
 * fall on the same local day lies wholly on it (no zone changes its offset twice within 15
 * minutes), so its day is kept; a quarter split by midnight (or a clock change across it) is
 * formatted each time. Bounded: the cache starts afresh past `DAY_CACHE` quarters.
 */
const QUARTER_MS = 15 * 60_000;
const DAY_CACHE = 200_000;
const dayCache = new Map<string, Map<number, string>>();
const ISO_DAY = /^\d{4}-\d\d-\d\d$/;

function cachedDay(f: Intl.DateTimeFormat, zone: string, t: number): string | null {
  const q = Math.floor(t / QUARTER_MS);
  let days = dayCache.get(zone);
  if (!days) dayCache.set(zone, (days = new Map()));
  const known = days.get(q);
  if (known !== undefined) return known;
  const day = f.format(t);
  if (!ISO_DAY.test(day)) return null;
  if (f.format(q * QUARTER_MS) === day && f.format(q * QUARTER_MS + QUARTER_MS - 1) === day) {
    if (days.size >= DAY_CACHE) days.clear();
    days.set(q, day);
  }
  return day;
}
/** An instant with its offset (`Z` or `±hh:mm`), as every stored time is. */
const WITH_OFFSET = /^(\d{4})-(\d\d)-(\d\d)T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,3})?)?(?:Z|[+-]\d\d:\d\d)$/;

/**
 * The local calendar day (YYYY-MM-DD) of an instant in `zone`. Stored times (ISO with an offset)
 * go through one cached `Intl.DateTimeFormat` per zone — luxon's `fromISO` was the largest single
 * cost of folding an imported case's facts (docs/performance.md); anything else through luxon.
 */
export function localDay(iso: string, zone: string): string {
  const m = WITH_OFFSET.exec(iso);
  // Only real calendar dates (Date.parse would roll 02-30 over into March).
  if (m && Number(m[3]) >= 1 && Number(m[3]) <= new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate()) {
    let f = dayFormats.get(zone);
    if (f === undefined) {
      try {
        f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
      } catch {
        f = null; // a zone Intl does not know: luxon decides, as before
      }
      dayFormats.set(zone, f);
    }
    const t = Date.parse(iso);
    if (f && Number.isFinite(t)) {
      const day = cachedDay(f, zone, t);
      if (day !== null) return day;
    }
  }
  return DateTime.fromISO(iso, { zone }).toISODate() ?? iso.slice(0, 10);
}

function blank(c: Complaint): CaseFactsTable {
  return {
    complaint_id: c.id,
    number: c.number,
    kind: c.kind,
    channel: c.channel,
    policy_key: c.policyKey,
    category: null,
    grade: null,
    department_code: null,
    customer_class: null,
    handler_id: null,
    first_responder_id: c.firstResponderId,
    state: c.state,
    received_at: c.receivedAt,
    first_answered_at: null,
    answered_at: null,
    closed_at: null,
    valid: null,
    invalid_reason: null,
    malicious: 0,
    routed: 0,
    first_answer_by_responder: 0,
    first_contact: 0,
    handling_mode: null,
    handling_cycles: 1,
    reopen_count: 0,
    tier: 1,
    max_tier: 1,
    escalations: 0,
    breaches: 0,
    resolve_breached: 0,
    extensions: 0,
    special_extensions: 0,
    pend_count: 0,
    pending_since: null,
    paused_wms: 0,
    handling_wms: null,
    satisfaction: null,
    final_satisfaction: null,
    followup_outcome: null,
    score_attitude: null,
    score_efficiency: null,
    score_result: null,
    updated_at: c.updatedAt,
  };
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The case's facts after `events` (in order), given the row stored before them (null for a case
 * without one) and the case as it stands after them. `changedClocks` are the clock rows the
 * events wrote (a breach of the resolve clock is also read from them).
 */
export function foldCaseFacts(prev: CaseFactsTable | null, c: Complaint, events: FactEvent[], changedClocks: Clock[], cal: WorkingCalendar | null): CaseFactsTable {
  const f: CaseFactsTable = { ...(prev ?? blank(c)) };
  const zone = cal?.timeZone ?? 'Asia/Shanghai';
  for (const e of events) {
    const tierAfter = num(e.data.tier) ?? f.tier;
    const cycle = num(e.data.cycle) ?? 1;
    switch (e.action) {
      case 'answer':
        if (!f.first_answered_at) {
          f.first_answered_at = e.at;
          f.first_answer_by_responder = e.actorId === c.firstResponderId && cycle === 1 && localDay(e.at, zone) === localDay(f.received_at, zone) ? 1 : 0;
        }
        f.answered_at = e.at;
        break;
      case 'route':
        f.routed = 1;
        break;
      case 'classify':
        if (assignedOnClassify(e.data)) f.routed = 1; // routing.majorTo: assigned on classification
        break;
      case 'grant_extension': {
        f.extensions += 1;
        const ext = e.data.extension as { special?: boolean } | undefined;
        if (ext?.special) f.special_extensions += 1;
        break;
      }
      case 'breach': {
        f.breaches += 1;
        const input = e.data.input as { clock?: string } | undefined;
        if (input?.clock === 'resolve') f.resolve_breached = 1;
        if (tierAfter > f.tier) f.escalations += 1;
        break;
      }
      case 'pend':
        f.pend_count += 1;
        f.pending_since = e.at;
        break;
      case 'resume':
        if (f.pending_since) f.paused_wms += workingMs(cal, f.pending_since, e.at) ?? 0;
        f.pending_since = null;
        break;
      case 'close':
        f.closed_at = e.at;
        break;
    }
    f.tier = tierAfter;
    f.max_tier = Math.max(f.max_tier, tierAfter);
  }
  if (changedClocks.some((k) => k.kind === 'resolve' && k.breachedAt)) f.resolve_breached = 1;
  f.tier = c.tier;
  f.max_tier = Math.max(f.max_tier, c.tier);
  Object.assign(f, {
    number: c.number,
    kind: c.kind,
    channel: c.channel,
    policy_key: c.policyKey,
    category: c.category,
    grade: c.grade,
    department_code: c.departmentCode,
    customer_class: c.complainant.customerClass ?? null,
    handler_id: c.primaryHandlerId,
    first_responder_id: c.firstResponderId,
    state: c.state,
    received_at: c.receivedAt,
    closed_at: c.closedAt ?? f.closed_at,
    valid: c.validity ? (c.validity.valid ? 1 : 0) : null,
    invalid_reason: c.validity && !c.validity.valid ? (c.validity.reason ?? null) : null,
    malicious: c.validity?.malicious ? 1 : 0,
    handling_cycles: c.cycle,
    reopen_count: c.cycle - 1,
    satisfaction: c.followUp.satisfaction,
    followup_outcome: c.followUp.outcome,
    score_attitude: num(c.followUp.scores?.attitude),
    score_efficiency: num(c.followUp.scores?.efficiency),
    score_result: num(c.followUp.scores?.result),
    updated_at: c.updatedAt,
  } satisfies Partial<CaseFactsTable>);
  const done = f.closed_at !== null || c.state === 'closed' || c.state === 'archived';
  // The final result: the accepted follow-up, or whatever the case closed with.
  f.final_satisfaction = c.followUp.outcome === 'satisfied' || done ? c.followUp.satisfaction : null;
  f.first_contact = f.first_answer_by_responder && f.reopen_count === 0 ? 1 : 0;
  f.handling_wms = f.closed_at
    ? (() => {
        const w = workingMs(cal, f.received_at, f.closed_at!);
        return w === null ? null : Math.max(0, w - f.paused_wms);
      })()
    : null;
  f.handling_mode = f.closed_at === null || f.valid === 0 || !f.first_answered_at ? null : f.first_contact ? 'immediate' : f.handling_cycles > 1 ? 'repeated' : f.resolve_breached ? 'overdue' : 'within_limit';
  return f;
}

/**
 * The clock-instance rows for `clocks` (the rows a transaction changed). `prev` are the stored
 * instance rows of the same (case, kind, start) keys: a breach mark is kept when an extension
 * cleared the clock's own `breachedAt`.
 */
export function clockFactRows(clocks: Clock[], cycle: number, prev: Map<string, ClockFactsTable>, cal: WorkingCalendar | null, at: string): ClockFactsTable[] {
  return clocks.map((k) => {
    const old = prev.get(clockFactKey(k.complaintId, k.kind, k.startedAt));
    const breachedAt = old?.breached_at ?? k.breachedAt;
    const stopped = k.status === 'stopped';
    return {
      complaint_id: k.complaintId,
      kind: k.kind,
      started_at: k.startedAt,
      cycle: old?.cycle ?? cycle,
      status: k.status,
      due_at: k.dueAt,
      warned_at: old?.warned_at ?? k.warnedAt,
      breached_at: breachedAt,
      stopped_at: k.stoppedAt,
      outcome: breachedAt ? 'breached' : stopped ? 'met' : 'running',
      extensions: k.extensions.length,
      pauses: k.pauses.length,
      elapsed_wms: stopped && k.stoppedAt ? workingMs(cal, k.startedAt, k.stoppedAt, k.pauses) : null,
      updated_at: at,
    };
  });
}

export function clockFactKey(complaintId: string, kind: string, startedAt: string): string {
  return `${complaintId}\u0000${kind}\u0000${startedAt}`;
}
