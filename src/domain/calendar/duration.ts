/**
 * Durations as written in policies: `30m`, `2h`, `3d`, `1w`, `1mo`, `2wd`, `8wh`, decimals
 * allowed, and `eod` (the end of the working day the clock started on, 当日). A duration is an
 * amount of *ticking time*; which instants tick is decided by the unit and the working calendar
 * (see ticking.ts). `d`, `w` and `mo` are calendar periods in the calendar's time zone (the same
 * wall-clock time n days / months later), not blocks of 24 hours.
 *
 * An optional alignment follows `@`: `2h@eod` moves the computed instant to the end of its working
 * day; `1m@09:00` moves an instant outside the working day (a rest day, before opening or after
 * closing) to 09:00 of the next working day (see align.ts).
 */
import { CalendarError } from './errors.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, parseHhMm } from './dates.js';

export type DurationUnit = 'm' | 'h' | 'd' | 'w' | 'mo' | 'wd' | 'wh';

/**
 * Where a computed instant is moved: `eod` = the end of its working day (the close of its last
 * working period; the next working day's when it falls after closing or on a rest day); `at` = an
 * instant outside the working day moves to `minutes` after local midnight of the next working day.
 */
export type Alignment = { kind: 'eod' } | { kind: 'at'; minutes: number };

export interface Duration {
  amount: number;
  unit: DurationUnit;
  /** Optional alignment of the computed instant (`@eod`, `@09:00`). */
  align?: Alignment;
  /** Canonical text, e.g. '2wd', '1mo', '2h@eod', 'eod'. */
  text: string;
}

export type CalendarLocale = 'zh-CN' | 'zh-TW' | 'en';

export const DURATION_UNITS: readonly DurationUnit[] = ['m', 'h', 'd', 'w', 'mo', 'wd', 'wh'];

/**
 * Milliseconds of ticking time in one unit. `wd` ticks a full day per working date, `wh` an hour.
 * `d`, `w` and `mo` are nominal here (a DST day is 23 or 25 h, a month 28–31 days): the real span
 * is computed from the start in the calendar's zone (add-duration.ts); `mo` is its upper bound.
 */
export const UNIT_MS: Readonly<Record<DurationUnit, number>> = {
  m: MINUTE_MS,
  h: HOUR_MS,
  d: DAY_MS,
  w: 7 * DAY_MS,
  mo: 31 * DAY_MS,
  wd: DAY_MS,
  wh: HOUR_MS,
};

/** Calendar periods: counted by wall-clock date arithmetic in the calendar's zone. */
export function isCalendarPeriodUnit(unit: DurationUnit): unit is 'd' | 'w' | 'mo' {
  return unit === 'd' || unit === 'w' || unit === 'mo';
}

/**
 * Upper bound for any duration: 20 years of ticking. Nothing sensible in complaint handling is
 * longer, and it keeps a typo like `20000000wd` from turning into a very long day-by-day loop.
 */
const MAX_TOTAL_MS = 20 * 366 * DAY_MS;

/** Units whose clock only ticks on working dates, so holidays matter. */
export function isWorkingUnit(unit: DurationUnit): unit is 'wd' | 'wh' {
  return unit === 'wd' || unit === 'wh';
}

// Exactly what policies may contain (the policy schema uses the same grammar): no blanks, lower
// case. Longest units first so '2wd' is not read as '2w' + 'd', '1mo' not as '1m' + 'o'.
const DURATION_RE = /^(?:(\d+(?:\.\d+)?)(mo|wd|wh|m|h|d|w)|(eod))(?:@(eod|\d{2}:\d{2}))?$/;

export function parseDuration(text: string): Duration {
  if (typeof text !== 'string') throw new CalendarError('invalid_duration', 'duration must be a string');
  const m = DURATION_RE.exec(text);
  const bad = (why: string) => new CalendarError('invalid_duration', `invalid duration ${JSON.stringify(text)}: ${why}`);
  if (!m) throw bad('expected a number followed by one of m, h, d, w, mo, wd, wh (e.g. "2wd", "1.5h", "1mo"), or "eod", optionally followed by @eod or @HH:MM');
  let align: Alignment | undefined;
  if (m[4] === 'eod') align = { kind: 'eod' };
  else if (m[4] !== undefined) {
    const minutes = parseHhMm(m[4]);
    if (minutes === undefined || minutes >= 24 * 60) throw bad(`@${m[4]} is not a time of day (HH:MM, 00:00–23:59)`);
    align = { kind: 'at', minutes };
  }
  if (m[3] === 'eod') {
    if (align) throw bad('"eod" takes no alignment');
    return makeDuration(0, 'm', { kind: 'eod' });
  }
  const amount = Number(m[1]);
  const unit = m[2] as DurationUnit;
  if (!(amount > 0)) throw bad('amount must be greater than 0');
  return makeDuration(amount, unit, align);
}

export function isDurationText(text: string): boolean {
  try {
    parseDuration(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Validates a Duration object (possibly computed by a caller, e.g. 80 % of a policy duration)
 * and returns it with its canonical text recomputed — `{...d, amount: d.amount * 0.8}` keeps the
 * old `text`, so the text must never be trusted for arithmetic or display.
 */
export function normalizeDuration(d: Duration | string): Duration {
  if (typeof d === 'string') return parseDuration(d);
  if (!d || typeof d !== 'object' || !DURATION_UNITS.includes(d.unit)) {
    throw new CalendarError('invalid_duration', `invalid duration unit ${JSON.stringify(d?.unit)}`);
  }
  // Zero is allowed here (a computed duration may legitimately be zero); policy text must be > 0.
  if (typeof d.amount !== 'number' || !Number.isFinite(d.amount) || d.amount < 0) {
    throw new CalendarError('invalid_duration', `invalid duration amount ${String(d.amount)}`);
  }
  const a = d.align;
  if (a !== undefined && !(a.kind === 'eod' || (a.kind === 'at' && Number.isInteger(a.minutes) && a.minutes >= 0 && a.minutes < 24 * 60))) {
    throw new CalendarError('invalid_duration', `invalid duration alignment ${JSON.stringify(a)}`);
  }
  return makeDuration(d.amount, d.unit, a);
}

function makeDuration(amount: number, unit: DurationUnit, align?: Alignment): Duration {
  if (amount * UNIT_MS[unit] > MAX_TOTAL_MS) {
    throw new CalendarError('invalid_duration', `duration ${formatAmount(amount)}${unit} is too long (limit is about 20 years)`);
  }
  if (!align) return { amount, unit, text: `${formatAmount(amount)}${unit}` };
  const suffix = align.kind === 'eod' ? 'eod' : formatHhMm(align.minutes);
  // Zero minutes aligned to the end of the day is what `eod` means.
  const text = amount === 0 && unit === 'm' && align.kind === 'eod' ? 'eod' : `${formatAmount(amount)}${unit}@${suffix}`;
  return { amount, unit, align: { ...align }, text };
}

function formatHhMm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Amount without binary floating-point noise: 3 * 0.8 → '2.4', not '2.4000000000000004'. */
export function formatAmount(amount: number): string {
  return String(Number(amount.toFixed(6)));
}

const UNIT_WORDS: Record<CalendarLocale, Record<DurationUnit, string | [string, string]>> = {
  'zh-CN': { m: '分钟', h: '小时', d: '天', w: '周', mo: '个月', wd: '个工作日', wh: '工作小时' },
  'zh-TW': { m: '分鐘', h: '小時', d: '天', w: '週', mo: '個月', wd: '個工作天', wh: '工作小時' },
  en: {
    m: ['minute', 'minutes'],
    h: ['hour', 'hours'],
    d: ['day', 'days'],
    w: ['week', 'weeks'],
    mo: ['month', 'months'],
    wd: ['working day', 'working days'],
    wh: ['working hour', 'working hours'],
  },
};

const ALIGN_WORDS: Record<CalendarLocale, { eodOnly: string; eod: string; at: (t: string) => string }> = {
  'zh-CN': { eodOnly: '当个工作日结束前', eod: '（顺延至该工作日下班）', at: (t) => `（非工作时间顺延至下一工作日 ${t}）` },
  'zh-TW': { eodOnly: '當個工作天結束前', eod: '（順延至該工作天下班）', at: (t) => `（非工作時間順延至下一工作天 ${t}）` },
  en: { eodOnly: 'by the end of the working day', eod: ', then to the end of that working day', at: (t) => ` (outside the working day: next working day ${t})` },
};

/** Human text: '2 个工作日', '2 個工作天', '2 working days', '8 工作小时', '1.5 hours', '1 month'. */
export function formatDuration(d: Duration, locale: CalendarLocale): string {
  const a = ALIGN_WORDS[locale];
  if (d.align?.kind === 'eod' && d.amount === 0) return a.eodOnly;
  const words = UNIT_WORDS[locale][d.unit];
  const word = typeof words === 'string' ? words : d.amount === 1 ? words[0] : words[1];
  const base = `${formatAmount(d.amount)} ${word}`;
  if (!d.align) return base;
  return base + (d.align.kind === 'eod' ? a.eod : a.at(formatHhMm(d.align.minutes)));
}
