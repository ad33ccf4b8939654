// Shared fixtures for the calendar tests (not a test file itself: the runner only picks *.test.ts).
import { DateTime } from 'luxon';
import { WorkingCalendar, builtInHolidayYears, type HolidayYear, type WorkingCalendarSpec } from '../../../src/domain/calendar/index.js';

export const SH = 'Asia/Shanghai';
export const BERLIN = 'Europe/Berlin';

/** 08:30–12:00 and 13:30–17:30: 7.5 working hours a day. */
export const TWO_WINDOWS = [
  { start: '08:30', end: '12:00' },
  { start: '13:30', end: '17:30' },
];

export function cnSpec(over: Partial<WorkingCalendarSpec> = {}): WorkingCalendarSpec {
  return { timeZone: SH, holidays: 'CN', workingWeekdays: [1, 2, 3, 4, 5], workingHours: TWO_WINDOWS, ...over };
}

export function cnCalendar(extra: HolidayYear[] = [], over: Partial<WorkingCalendarSpec> = {}): WorkingCalendar {
  return new WorkingCalendar(cnSpec(over), [...builtInHolidayYears('CN'), ...extra]);
}

/** A local wall time ('yyyy-MM-dd HH:mm[:ss]') in `zone` as a Date. */
export function at(local: string, zone = SH): Date {
  const fmt = local.length > 16 ? 'yyyy-MM-dd HH:mm:ss' : 'yyyy-MM-dd HH:mm';
  const dt = DateTime.fromFormat(local, fmt, { zone });
  if (!dt.isValid) throw new Error(`bad test time ${local}`);
  return dt.toJSDate();
}

/** A Date shown as local wall time in `zone` (null stays null), for readable assertions. */
export function local(d: Date | null, zone = SH): string | null {
  if (d === null) return null;
  const dt = DateTime.fromJSDate(d, { zone });
  return dt.toFormat(dt.second === 0 ? 'yyyy-MM-dd HH:mm' : 'yyyy-MM-dd HH:mm:ss');
}

/** Consecutive ISO dates from `from` to `to` inclusive. */
export function dateRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = DateTime.fromISO(from, { zone: 'UTC' }); d.toISODate()! <= to; d = d.plus({ days: 1 })) out.push(d.toISODate()!);
  return out;
}
