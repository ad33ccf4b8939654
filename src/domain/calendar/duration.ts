/**
 * Durations as written in policies: `30m`, `2h`, `3d`, `1w`, `2wd`, `8wh`, decimals allowed.
 * A duration is an amount of *ticking time*; which instants tick is decided by the unit and the
 * working calendar (see ticking.ts).
 */
import { CalendarError } from './errors.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './dates.js';

export type DurationUnit = 'm' | 'h' | 'd' | 'w' | 'wd' | 'wh';

export interface Duration {
  amount: number;
  unit: DurationUnit;
  /** Canonical text, e.g. '2wd'. */
  text: string;
}

export type CalendarLocale = 'zh-CN' | 'zh-TW' | 'en';

export const DURATION_UNITS: readonly DurationUnit[] = ['m', 'h', 'd', 'w', 'wd', 'wh'];

/** Milliseconds of ticking time in one unit. `wd` ticks a full day per working date, `wh` an hour. */
export const UNIT_MS: Readonly<Record<DurationUnit, number>> = {
  m: MINUTE_MS,
  h: HOUR_MS,
  d: DAY_MS,
  w: 7 * DAY_MS,
  wd: DAY_MS,
  wh: HOUR_MS,
};

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
// case. Longest units first so '2wd' is not read as '2w' + 'd'.
const DURATION_RE = /^(\d+(?:\.\d+)?)(wd|wh|m|h|d|w)$/;

export function parseDuration(text: string): Duration {
  if (typeof text !== 'string') throw new CalendarError('invalid_duration', 'duration must be a string');
  const m = DURATION_RE.exec(text);
  if (!m) {
    throw new CalendarError(
      'invalid_duration',
      `invalid duration ${JSON.stringify(text)}: expected a number followed by one of m, h, d, w, wd, wh (e.g. "2wd", "1.5h")`,
    );
  }
  const amount = Number(m[1]);
  const unit = m[2] as DurationUnit;
  if (!(amount > 0)) throw new CalendarError('invalid_duration', `invalid duration ${JSON.stringify(text)}: amount must be greater than 0`);
  return makeDuration(amount, unit);
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
  return makeDuration(d.amount, d.unit);
}

function makeDuration(amount: number, unit: DurationUnit): Duration {
  if (amount * UNIT_MS[unit] > MAX_TOTAL_MS) {
    throw new CalendarError('invalid_duration', `duration ${formatAmount(amount)}${unit} is too long (limit is about 20 years)`);
  }
  return { amount, unit, text: `${formatAmount(amount)}${unit}` };
}

/** Amount without binary floating-point noise: 3 * 0.8 → '2.4', not '2.4000000000000004'. */
export function formatAmount(amount: number): string {
  return String(Number(amount.toFixed(6)));
}

const UNIT_WORDS: Record<CalendarLocale, Record<DurationUnit, string | [string, string]>> = {
  'zh-CN': { m: '分钟', h: '小时', d: '天', w: '周', wd: '个工作日', wh: '工作小时' },
  'zh-TW': { m: '分鐘', h: '小時', d: '天', w: '週', wd: '個工作天', wh: '工作小時' },
  en: {
    m: ['minute', 'minutes'],
    h: ['hour', 'hours'],
    d: ['day', 'days'],
    w: ['week', 'weeks'],
    wd: ['working day', 'working days'],
    wh: ['working hour', 'working hours'],
  },
};

/** Human text: '2 个工作日', '2 個工作天', '2 working days', '8 工作小时', '1.5 hours'. */
export function formatDuration(d: Duration, locale: CalendarLocale): string {
  const words = UNIT_WORDS[locale][d.unit];
  const word = typeof words === 'string' ? words : d.amount === 1 ? words[0] : words[1];
  return `${formatAmount(d.amount)} ${word}`;
}
