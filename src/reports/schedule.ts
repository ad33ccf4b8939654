/**
 * When scheduled reports run (issue 11 §3): pure functions of the policy's `reports` section,
 * its working calendar and "now" — no I/O, no clock — so the schedule is tested without a
 * server (test/reports/schedule.test.ts).
 *
 * A report covers one period of its kind, in local dates of the calendar's time zone:
 * weekly = an ISO week Monday–Sunday (`2026-W48`), monthly (`2026-11`), quarterly (`2026-Q4`),
 * yearly (`2026`). It runs once the period has ended, at the rule's nominal time (see
 * domain/policy/reports.ts); with `onHoliday: nextWorkingDay` a nominal day that is not a
 * working day of the calendar moves to the next working day, same local time (a 调休 working
 * Saturday is a working day; a national holiday is not).
 */
import { DateTime } from 'luxon';
import { Cron } from 'croner';
import type { WorkingCalendar } from '../domain/calendar/index.js';
import { REPORT_KINDS, reportRule, reportsOf, type ReportKind, type ReportRule } from '../domain/policy/reports.js';

export interface ReportPeriod {
  kind: ReportKind;
  /** `2026-W48`, `2026-11`, `2026-Q4`, `2026`. */
  label: string;
  /** First and last local date (YYYY-MM-DD), both included. */
  from: string;
  to: string;
}

export interface ScheduledRun {
  kind: ReportKind;
  period: ReportPeriod;
  /** When the run is due (after any move off a holiday). */
  at: Date;
  /** The rule's own time, before the move. */
  nominal: Date;
  /** True when the nominal day was not a working day and the run moved. */
  moved: boolean;
}

const PATTERNS: Record<ReportKind, RegExp> = {
  weekly: /^(\d{4})-W(\d{2})$/,
  monthly: /^(\d{4})-(\d{2})$/,
  quarterly: /^(\d{4})-Q([1-4])$/,
  yearly: /^(\d{4})$/,
};

/** How a period of each kind is written, for messages naming the field. */
export const PERIOD_FORMATS: Record<ReportKind, string> = { weekly: 'YYYY-Www', monthly: 'YYYY-MM', quarterly: 'YYYY-Qn', yearly: 'YYYY' };

function periodAt(kind: ReportKind, start: DateTime): ReportPeriod {
  const end = periodEndDate(kind, start);
  const label = kind === 'weekly' ? `${start.weekYear}-W${String(start.weekNumber).padStart(2, '0')}` : kind === 'monthly' ? start.toFormat('yyyy-MM') : kind === 'quarterly' ? `${start.year}-Q${start.quarter}` : String(start.year);
  return { kind, label, from: start.toISODate()!, to: end.minus({ days: 1 }).toISODate()! };
}

/** The first local date after the period that starts at `start`. */
function periodEndDate(kind: ReportKind, start: DateTime): DateTime {
  return kind === 'weekly' ? start.plus({ weeks: 1 }) : kind === 'monthly' ? start.plus({ months: 1 }) : kind === 'quarterly' ? start.plus({ months: 3 }) : start.plus({ years: 1 });
}

function unitStart(kind: ReportKind, d: DateTime): DateTime {
  return d.startOf(kind === 'weekly' ? 'week' : kind === 'monthly' ? 'month' : kind === 'quarterly' ? 'quarter' : 'year');
}

/** Parses `2026-W48` (weekly), `2026-11`, `2026-Q4`, `2026`; null when it is not a period of that kind. */
export function parsePeriod(kind: ReportKind, text: string): ReportPeriod | null {
  const m = PATTERNS[kind].exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  let start: DateTime;
  if (kind === 'weekly') {
    start = DateTime.fromObject({ weekYear: year, weekNumber: Number(m[2]), weekday: 1 }, { zone: 'UTC' });
    if (!start.isValid || start.weekNumber !== Number(m[2])) return null;
  } else if (kind === 'monthly') {
    const month = Number(m[2]);
    if (month < 1 || month > 12) return null;
    start = DateTime.fromObject({ year, month, day: 1 }, { zone: 'UTC' });
  } else if (kind === 'quarterly') start = DateTime.fromObject({ year, month: (Number(m[2]) - 1) * 3 + 1, day: 1 }, { zone: 'UTC' });
  else start = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: 'UTC' });
  return periodAt(kind, start);
}

/** The period of a kind that contains the instant, in the zone's local dates. */
export function periodContaining(kind: ReportKind, at: Date, zone: string): ReportPeriod {
  const local = DateTime.fromJSDate(at, { zone });
  const start = unitStart(kind, DateTime.fromObject({ year: local.year, month: local.month, day: local.day }, { zone: 'UTC' }));
  return periodAt(kind, start);
}

/** The period before (`-1`) or after (`+1`) this one. */
export function shiftPeriod(p: ReportPeriod, by: number): ReportPeriod {
  const start = DateTime.fromISO(p.from, { zone: 'UTC' });
  const unit = p.kind === 'weekly' ? { weeks: by } : p.kind === 'monthly' ? { months: by } : p.kind === 'quarterly' ? { months: 3 * by } : { years: by };
  return periodAt(p.kind, start.plus(unit));
}

/** The instant the period ends: local midnight after its last day. */
export function periodEnd(p: ReportPeriod, zone: string): Date {
  return DateTime.fromISO(p.to, { zone }).plus({ days: 1 }).startOf('day').toJSDate();
}

/** Whether the period has ended at `now` (a report is only made for an ended period). */
export function periodEnded(p: ReportPeriod, zone: string, now: Date): boolean {
  return periodEnd(p, zone).getTime() <= now.getTime();
}

function atLocal(date: DateTime, hhmm: string, zone: string): DateTime {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return DateTime.fromObject({ year: date.year, month: date.month, day: date.day, hour: h, minute: m }, { zone });
}

/** The rule's nominal run instant for the period: before any move off a holiday. */
export function nominalRun(rule: ReportRule, p: ReportPeriod, zone: string): Date {
  const end = DateTime.fromISO(p.to, { zone: 'UTC' }).plus({ days: 1 });
  if (rule.cron) {
    const endInstant = periodEnd(p, zone);
    // The first occurrence at or after the end (croner's nextRun is strictly after its argument).
    const next = new Cron(rule.cron, { timezone: zone, paused: true }).nextRun(new Date(endInstant.getTime() - 1000));
    if (!next) throw new Error(`cron rule ${rule.cron} has no run after ${p.to}`);
    return next;
  }
  let day: DateTime;
  if (rule.kind === 'weekly') day = end.plus({ days: ((rule.weekday ?? 2) - end.weekday + 7) % 7 });
  else if (rule.kind === 'yearly') {
    const first = DateTime.fromObject({ year: end.year, month: rule.month ?? 1, day: 1 }, { zone: 'UTC' });
    day = first.set({ day: Math.min(rule.day ?? 1, first.daysInMonth!) });
  } else day = end.set({ day: Math.min(rule.day ?? 1, end.daysInMonth!) });
  return atLocal(day, rule.at, zone).toJSDate();
}

/** When the rule runs for the period: the nominal time, moved to the next working day when the policy says so. */
export function runFor(rule: ReportRule, p: ReportPeriod, calendar: WorkingCalendar): ScheduledRun {
  const zone = calendar.timeZone;
  const nominal = nominalRun(rule, p, zone);
  let local: DateTime = DateTime.fromJSDate(nominal, { zone });
  let moved = false;
  if (rule.onHoliday === 'nextWorkingDay') {
    // Bounded: a calendar has at least one working weekday, so a week and a holiday season at most.
    for (let i = 0; i < 366 && !calendar.isWorkingDate(local.toISODate()!); i++) {
      local = atLocal(local.plus({ days: 1 }), local.toFormat('HH:mm'), zone);
      moved = true;
    }
  }
  return { kind: p.kind, period: p, at: local.toJSDate(), nominal, moved };
}

export interface DueOptions {
  /** Ended periods of each kind looked at, newest first (default 3): a run missed while no instance ran is still made. */
  lookback?: number;
  /** Periods that ended at or before this instant are not due (default none): reports start when Kesu does. */
  notBefore?: Date;
}

/**
 * The report runs due at `now`: for each enabled kind, the latest ended periods whose run time
 * has come, oldest first. Whether a run was already made is the store's business (one row per
 * period): this only says which ought to exist by now.
 */
export function dueRuns(policy: { reports?: unknown }, calendar: WorkingCalendar, now: Date, opts: DueOptions = {}): ScheduledRun[] {
  const section = reportsOf(policy);
  const zone = calendar.timeZone;
  const out: ScheduledRun[] = [];
  for (const kind of REPORT_KINDS) {
    const rule = reportRule(section, kind);
    if (!rule.enabled) continue;
    let p = shiftPeriod(periodContaining(kind, now, zone), -1);
    for (let i = 0; i < (opts.lookback ?? 3); i++, p = shiftPeriod(p, -1)) {
      if (opts.notBefore && periodEnd(p, zone).getTime() <= opts.notBefore.getTime()) break;
      const run = runFor(rule, p, calendar);
      if (run.at.getTime() <= now.getTime()) out.push(run);
    }
  }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime() || a.period.from.localeCompare(b.period.from));
}

/** The next run of each enabled kind after `now` (for the console and `kesu report list`). */
export function nextRuns(policy: { reports?: unknown }, calendar: WorkingCalendar, now: Date): ScheduledRun[] {
  const section = reportsOf(policy);
  const zone = calendar.timeZone;
  const out: ScheduledRun[] = [];
  for (const kind of REPORT_KINDS) {
    const rule = reportRule(section, kind);
    if (!rule.enabled) continue;
    // The current period's run is after `now` unless a previous one is still pending too.
    let p = shiftPeriod(periodContaining(kind, now, zone), -1);
    for (let i = 0; i < 3; i++, p = shiftPeriod(p, 1)) {
      const run = runFor(rule, p, calendar);
      if (run.at.getTime() > now.getTime()) {
        out.push(run);
        break;
      }
    }
  }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime());
}
