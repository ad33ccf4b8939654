/**
 * Counting conventions and alignments: how a period in days, weeks or months ends, and where a
 * computed instant is moved.
 *
 * - Instant convention (default): `n d` / `n w` / `n mo` end at the same wall-clock time n days /
 *   weeks / months later in the calendar's zone (a month keeps the day of the month, clamped to
 *   the month's end: 31 Jan + 1mo = 28 Feb, 29 Feb in a leap year), so a day across a DST change
 *   is 23 or 25 hours long.
 * - Statutory convention (民法典 第二百零一条–第二百零三条): the start date is not counted; a period
 *   of n days / weeks ends on the date n days / weeks after the start date, n months on the same
 *   day of the month (clamped, 第二百零二条), n working days on the n-th working date after it; a
 *   last day that is a rest day or a holiday moves to the next working day (第二百零三条); the
 *   period ends at 24:00 of that day, or at the close of business (`periodEnd: 'close'`).
 * - Fractions (a warning at 80 % of a limit) interpolate between the whole periods around them.
 */
import { DateTime } from 'luxon';
import { CalendarError } from './errors.js';
import { DAY_MS, dayNumToIsoDate, isoDateToDayNum } from './dates.js';
import type { Alignment, DurationUnit } from './duration.js';
import type { WorkingCalendar } from './working-calendar.js';

/** Guard for walks over dates that never find a working day (a calendar with every day off). */
const MAX_SEARCH_DAYS = 3660;

/** The instant `amount` calendar periods (`d`, `w`, `mo`) after `startMs`, by wall-clock time in the calendar's zone. */
export function calendarPeriodEnd(startMs: number, amount: number, unit: 'd' | 'w' | 'mo', cal: WorkingCalendar): number {
  const whole = Math.floor(amount);
  const frac = amount - whole;
  const at = (n: number) => wallPlus(startMs, n, unit, cal.timeZone);
  const a = at(whole);
  return frac > 0 ? a + frac * (at(whole + 1) - a) : a;
}

function wallPlus(startMs: number, n: number, unit: 'd' | 'w' | 'mo', zone: string): number {
  if (n === 0) return startMs;
  const dt = DateTime.fromMillis(startMs, { zone });
  const moved = unit === 'mo' ? dt.plus({ months: n }) : dt.plus({ days: unit === 'w' ? 7 * n : n });
  return moved.toMillis();
}

/** The end of a statutory period, with the last day and the day it was moved from. */
export interface StatutoryEnd {
  ms: number;
  /** Last day of the period (YYYY-MM-DD), after any move. */
  lastDay: string;
  /** The last day before it was moved off a rest day or holiday. */
  movedFrom?: string;
}

/**
 * The end of `k` whole periods under the statutory convention. k = 0 is the start itself.
 * Units m, h and wh are not periods in days and are not handled here.
 */
export function statutoryEnd(startMs: number, k: number, unit: 'd' | 'w' | 'mo' | 'wd', cal: WorkingCalendar): StatutoryEnd {
  const startDay = cal.dayOf(startMs);
  if (k === 0) return { ms: startMs, lastDay: dayNumToIsoDate(startDay) };
  let last: number;
  let movedFrom: number | undefined;
  if (unit === 'wd') {
    last = startDay;
    for (let found = 0, idle = 0; found < k;) {
      last++;
      if (cal.day(last).working) {
        found++;
        idle = 0;
      } else if (++idle > MAX_SEARCH_DAYS) throw noWorkingDay(last);
    }
  } else {
    if (unit === 'mo') {
      const d = DateTime.fromISO(dayNumToIsoDate(startDay), { zone: 'UTC' }).plus({ months: k });
      last = isoDateToDayNum(d.toISODate()!);
    } else last = startDay + (unit === 'w' ? 7 * k : k);
    const nominal = last;
    for (let idle = 0; !cal.day(last).working; last++) if (++idle > MAX_SEARCH_DAYS) throw noWorkingDay(nominal);
    if (last !== nominal) movedFrom = nominal;
  }
  const day = cal.day(last);
  const ms = cal.spec.periodEnd === 'close' ? cal.close(last) : day.end;
  const out: StatutoryEnd = { ms, lastDay: day.date };
  if (movedFrom !== undefined) out.movedFrom = dayNumToIsoDate(movedFrom);
  return out;
}

function noWorkingDay(after: number): CalendarError {
  return new CalendarError('invalid_calendar', `the calendar has no working day for ${MAX_SEARCH_DAYS} days after ${dayNumToIsoDate(after)}`);
}

/** Whether an instant lies inside the working day of a working date (between opening and close, breaks included). */
export function insideWorkingDay(ms: number, cal: WorkingCalendar): boolean {
  const n = cal.dayOf(ms);
  return cal.day(n).working && ms >= cal.opening(n) && ms <= cal.close(n);
}

/**
 * Moves an instant as an alignment says:
 * - `eod`: to the close of business of its working date; after closing, or on a rest day, to the
 *   close of the next working date;
 * - `at`: unchanged inside the working day; otherwise to the set time of the next working date
 *   (the first working date whose set time is not before the instant — 02:36 on a working
 *   Tuesday with `@09:00` is Tuesday 09:00; 18:00 is Wednesday 09:00).
 */
export function alignInstant(ms: number, align: Alignment, cal: WorkingCalendar): number {
  if (align.kind === 'at' && insideWorkingDay(ms, cal)) return ms;
  const first = cal.dayOf(ms);
  for (let n = first; n - first <= MAX_SEARCH_DAYS; n++) {
    if (!cal.day(n).working) continue;
    const target = align.kind === 'eod' ? cal.close(n) : cal.instantAt(n, align.minutes);
    if (target >= ms) return target;
  }
  throw noWorkingDay(first);
}

/** Unit families the statutory convention applies to. */
export function isStatutoryUnit(unit: DurationUnit): unit is 'd' | 'w' | 'mo' | 'wd' {
  return unit === 'd' || unit === 'w' || unit === 'mo' || unit === 'wd';
}

const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;
const HAS_OFFSET = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/**
 * Reads a time given by a person or an import: with an offset (`2026-09-30T10:00+08:00`, `…Z`) it
 * is that instant; without one (`2026-09-30 10:00`, `2026-09-30T10:00:00`, or a date alone =
 * 00:00) it is wall-clock time in `zone` — a wall time inside a DST gap moves forward by the gap,
 * one that occurs twice (the autumn change) is the earlier of the two.
 */
export function parseLocalTime(text: string, zone: string): Date {
  const t = typeof text === 'string' ? text.trim() : '';
  if (t !== '' && HAS_OFFSET.test(t) && /\d{2}:\d{2}/.test(t)) {
    const d = DateTime.fromISO(t.replace(' ', 'T'), { setZone: true });
    if (d.isValid) return d.toJSDate();
    throw new CalendarError('invalid_date', `not a valid time: ${JSON.stringify(text)}`);
  }
  const m = LOCAL_TIME.exec(t);
  if (!m) throw new CalendarError('invalid_date', `not a time (YYYY-MM-DD[ HH:MM[:SS]] with an optional offset): ${JSON.stringify(text)}`);
  if (!DateTime.local().setZone(zone).isValid) throw new CalendarError('invalid_time_zone', `unknown IANA time zone ${JSON.stringify(zone)}`);
  const num = (x: string | undefined) => (x === undefined ? 0 : Number(x));
  const [h, min, sec] = [num(m[2]), num(m[3]), num(m[4])];
  const ms = m[5] === undefined ? 0 : Number(m[5].padEnd(3, '0'));
  const dayNum = isoDateToDayNum(m[1]!);
  if (h > 23 || min > 59 || sec > 59) throw new CalendarError('invalid_date', `not a valid time of day: ${JSON.stringify(text)}`);
  const wall = dayNum * DAY_MS + ((h * 60 + min) * 60 + sec) * 1000 + ms;
  const d = DateTime.fromMillis(wall, { zone: 'UTC' });
  const local = DateTime.fromObject({ year: d.year, month: d.month, day: d.day, hour: d.hour, minute: d.minute, second: d.second, millisecond: d.millisecond }, { zone });
  return local.toJSDate();
}
