/**
 * Plain calendar-date helpers. Dates are handled as "day numbers" (days since 1970-01-01 in the
 * proleptic Gregorian calendar) so that stepping day by day is integer arithmetic; only the
 * conversion between a local date and real instants needs the time zone (see working-calendar.ts).
 */
import { CalendarError } from './errors.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a 'YYYY-MM-DD' string, or undefined when it is not a real calendar date. */
export function tryIsoDateToDayNum(iso: string): number | undefined {
  const m = ISO_DATE.exec(iso);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  // Date.UTC silently rolls 2026-02-30 over to March; the round trip catches that.
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms / DAY_MS;
}

export function isoDateToDayNum(iso: string): number {
  const n = tryIsoDateToDayNum(iso);
  if (n === undefined) throw new CalendarError('invalid_date', `not a valid date (YYYY-MM-DD): ${JSON.stringify(iso)}`);
  return n;
}

export function dayNumToIsoDate(dayNum: number): string {
  return new Date(dayNum * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday, 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function isoWeekdayOfDayNum(dayNum: number): number {
  return ((((dayNum + 3) % 7) + 7) % 7) + 1;
}

export function yearOfDayNum(dayNum: number): number {
  return new Date(dayNum * DAY_MS).getUTCFullYear();
}

/** Minutes since midnight for 'HH:MM' (00:00 … 24:00), or undefined when malformed. */
export function parseHhMm(text: string): number | undefined {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return undefined;
  return h * 60 + min;
}

/** Throws on an invalid Date so that NaN never leaks into the arithmetic. */
export function instantMs(d: Date, what: string): number {
  const ms = d instanceof Date ? d.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new CalendarError('invalid_date', `${what} is not a valid Date`);
  return ms;
}
