/**
 * A working calendar: time zone + working weekdays + working-hour windows + holiday data.
 * It answers "is this local date a working date?" and, for the ticking arithmetic, turns a local
 * date into real instants (midnight, next midnight, window edges) using the zone's real offsets,
 * so DST days are 23 or 25 hours long and windows land on the right UTC instants.
 */
import { IANAZone } from 'luxon';
import { CalendarError } from './errors.js';
import { DAY_MS, MINUTE_MS, dayNumToIsoDate, isoDateToDayNum, isoWeekdayOfDayNum, parseHhMm, yearOfDayNum } from './dates.js';
import type { HolidayDay, HolidayYear } from './holidays.js';

/**
 * How periods are counted: `instant` (the default) counts from the instant the clock starts;
 * `statutory` counts as 民法典 第二百零一条–第二百零三条 do for periods in days, weeks, months and
 * working days: the start date is not counted, the period ends at the end of its last day (24:00,
 * or the close of business with `periodEnd: 'close'`), and a last day that is a rest day or a
 * holiday moves to the next working day. Minutes and hours count from the instant either way.
 */
export type CountingConvention = 'instant' | 'statutory';

/** Holiday region codes: 'CN', 'HK', 'GB', 'GB-SCT', … (any region whose holiday years are supplied). */
export const HOLIDAY_REGION_PATTERN = /^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/;

export interface WorkingCalendarSpec {
  /** IANA zone, e.g. 'Asia/Shanghai'. */
  timeZone: string;
  /**
   * Holiday region whose years apply ('CN' has built-in years; any other region, e.g. 'HK' or
   * 'GB', uses the years supplied for it), or 'none' = only weekdays matter, and no missing-year
   * warnings.
   */
  holidays: string;
  /**
   * Days of this calendar's own (a policy's holiday list): they override the region's data day
   * by day, and a year they touch counts as known even when the region has no data for it.
   */
  holidayList?: HolidayDay[];
  /** Default 'instant'. */
  counting?: CountingConvention;
  /** Where a statutory period ends on its last day: 'midnight' (24:00, default) or 'close' (close of business). */
  periodEnd?: 'midnight' | 'close';
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  workingWeekdays: number[];
  /** 'HH:MM' windows, sorted and non-overlapping; end may be '24:00'. Only used by `wh`. */
  workingHours: { start: string; end: string }[];
}

export type DayReason = 'weekday' | 'weekend' | 'public_holiday' | 'adjusted_workday';

export interface DayInfo {
  date: string;
  working: boolean;
  reason: DayReason;
  name?: string;
  /** false when holidays apply but there is no data for this date's year (weekdays were assumed). */
  known: boolean;
}

/** Internal: one local date with its real instants, as the ticking arithmetic needs it. */
export interface CalendarDay extends DayInfo {
  dayNum: number;
  year: number;
  weekday: number;
  /** Instant of local midnight, and of the next local midnight (end, exclusive). */
  start: number;
  end: number;
  /** Working-hour windows as [from, to) instants; empty on non-working dates. */
  windows: readonly (readonly [number, number])[];
}

/**
 * Day cache bound. Entries are small; the bound only keeps a long-running server that is asked
 * about far-apart dates from growing without limit.
 */
const MAX_CACHED_DAYS = 40_000;

export class WorkingCalendar {
  readonly spec: Readonly<WorkingCalendarSpec>;
  private readonly zone: IANAZone;
  private readonly weekdays: ReadonlySet<number>;
  /** Working-hour windows in minutes since local midnight. */
  private readonly windowMinutes: readonly (readonly [number, number])[];
  private readonly holidayByDate = new Map<string, HolidayDay>();
  private readonly years = new Set<number>();
  private readonly cache = new Map<number, CalendarDay>();
  private readonly midnights = new Map<number, Resolved>();
  /**
   * Further calendars of the same policy by name (a 24-hour desk beside office hours), attached
   * by whoever builds the policy's default calendar, so the clocks that name one can find it.
   */
  readonly named: Record<string, WorkingCalendar> = {};

  /**
   * `years` is the holiday data to use: typically built-in years followed by admin-added ones.
   * Years for another region are ignored; when a year appears twice the LATER entry replaces the
   * earlier one as a whole (so an admin correction fully overrides the bundled data).
   */
  constructor(spec: WorkingCalendarSpec, years: HolidayYear[]) {
    if (typeof spec.timeZone !== 'string' || !isValidZone(spec.timeZone)) {
      throw new CalendarError('invalid_time_zone', `unknown IANA time zone ${JSON.stringify(spec.timeZone)}`);
    }
    this.zone = IANAZone.create(spec.timeZone) as IANAZone;

    if (spec.holidays !== 'none' && (typeof spec.holidays !== 'string' || !HOLIDAY_REGION_PATTERN.test(spec.holidays))) {
      throw new CalendarError('invalid_calendar', `unknown holiday region ${JSON.stringify(spec.holidays)} (a code such as CN, HK, GB, or none)`);
    }
    const counting = spec.counting ?? 'instant';
    if (counting !== 'instant' && counting !== 'statutory') throw new CalendarError('invalid_calendar', `unknown counting convention ${JSON.stringify(spec.counting)}`);
    const periodEnd = spec.periodEnd ?? 'midnight';
    if (periodEnd !== 'midnight' && periodEnd !== 'close') throw new CalendarError('invalid_calendar', `unknown period end ${JSON.stringify(spec.periodEnd)}`);
    const weekdays = spec.workingWeekdays ?? [];
    for (const w of weekdays) {
      if (!Number.isInteger(w) || w < 1 || w > 7) {
        throw new CalendarError('invalid_calendar', `working weekday must be 1 (Mon) … 7 (Sun), got ${String(w)}`);
      }
    }
    if (weekdays.length === 0) throw new CalendarError('invalid_calendar', 'at least one working weekday is required');
    this.weekdays = new Set(weekdays);
    this.windowMinutes = parseWindows(spec.workingHours ?? []);

    const own = (spec.holidayList ?? []).map((d) => (d.name === undefined ? { date: d.date, off: d.off } : { date: d.date, off: d.off, name: d.name }));
    for (const d of own) isoDateToDayNum(d.date);
    this.spec = Object.freeze({
      timeZone: spec.timeZone,
      holidays: spec.holidays,
      workingWeekdays: [...this.weekdays].sort((a, b) => a - b),
      workingHours: (spec.workingHours ?? []).map((w) => ({ start: w.start, end: w.end })),
      ...(own.length > 0 ? { holidayList: own } : {}),
      counting,
      periodEnd,
    });

    if (spec.holidays !== 'none') {
      const byYear = new Map<number, HolidayYear>();
      for (const y of years) if (y.region.toUpperCase() === spec.holidays) byYear.set(y.year, y);
      for (const [year, y] of byYear) {
        this.years.add(year);
        for (const d of y.days) this.holidayByDate.set(d.date, d);
      }
    }
    // The calendar's own list last: day by day over the region's data.
    for (const d of own) {
      this.holidayByDate.set(d.date, d);
      this.years.add(Number(d.date.slice(0, 4)));
    }
  }

  /** The counting convention ('instant' unless the spec says 'statutory'). */
  get counting(): CountingConvention {
    return this.spec.counting ?? 'instant';
  }

  /** Internal: the instant `minutes` after local midnight of a local date (a DST gap moves it forward). */
  instantAt(dayNum: number, minutes: number): number {
    return this.wallToInstant(dayNum * DAY_MS + minutes * MINUTE_MS).ms;
  }

  /** Internal: opening of a working date (its first working period; midnight without working hours). */
  opening(dayNum: number): number {
    const d = this.day(dayNum);
    return d.windows[0]?.[0] ?? d.start;
  }

  /** Internal: close of business of a working date (end of its last working period; next midnight without working hours). */
  close(dayNum: number): number {
    const d = this.day(dayNum);
    return d.windows[d.windows.length - 1]?.[1] ?? d.end;
  }

  get timeZone(): string {
    return this.spec.timeZone;
  }

  /** Whether the calendar has working-hour windows at all (a `wh` duration needs them). */
  get hasWorkingHours(): boolean {
    return this.windowMinutes.length > 0;
  }

  isWorkingDate(isoDate: string): boolean {
    return this.day(isoDateToDayNum(isoDate)).working;
  }

  dayInfo(isoDate: string): DayInfo {
    const d = this.day(isoDateToDayNum(isoDate));
    const info: DayInfo = { date: d.date, working: d.working, reason: d.reason, known: d.known };
    if (d.name !== undefined) info.name = d.name;
    return info;
  }

  /** Years with holiday data in effect, ascending. Always empty for holidays: 'none'. */
  knownYears(): number[] {
    return [...this.years].sort((a, b) => a - b);
  }

  /** Internal: the local date (as a day number) containing an instant. */
  dayOf(ms: number): number {
    return Math.floor((ms + this.zone.offset(ms) * MINUTE_MS) / DAY_MS);
  }

  /** Internal: everything about one local date, cached. */
  day(dayNum: number): CalendarDay {
    const hit = this.cache.get(dayNum);
    if (hit) return hit;
    if (this.cache.size >= MAX_CACHED_DAYS) {
      this.cache.clear();
      this.midnights.clear();
    }
    const d = this.computeDay(dayNum);
    this.cache.set(dayNum, d);
    return d;
  }

  private computeDay(dayNum: number): CalendarDay {
    const date = dayNumToIsoDate(dayNum);
    const year = yearOfDayNum(dayNum);
    const weekday = isoWeekdayOfDayNum(dayNum);
    const entry = this.holidayByDate.get(date);
    const regular = this.weekdays.has(weekday);
    let working: boolean;
    let reason: DayReason;
    if (entry) {
      working = !entry.off;
      reason = entry.off ? 'public_holiday' : 'adjusted_workday';
    } else {
      working = regular;
      reason = regular ? 'weekday' : 'weekend';
    }
    const start = this.midnight(dayNum);
    const end = this.midnight(dayNum + 1, start.offset);
    const wallStart = dayNum * DAY_MS;
    // Same offset at both midnights (and no gap at midnight): no DST change today, so window
    // edges are plain arithmetic. Otherwise resolve each edge against the zone.
    const steady = start.exact && end.exact && start.offset === end.offset;
    const toInstant = (minutes: number) => (steady ? wallStart + minutes * MINUTE_MS - start.offset * MINUTE_MS : this.wallToInstant(wallStart + minutes * MINUTE_MS).ms);
    const windows = working
      ? this.windowMinutes.map(([a, b]) => {
          const from = toInstant(a);
          // A window edge inside a DST gap is moved forward; never let a window run backwards.
          return [from, Math.max(from, toInstant(b))] as const;
        })
      : [];
    const day: CalendarDay = {
      date,
      working,
      reason,
      known: this.spec.holidays === 'none' || this.years.has(year),
      dayNum,
      year,
      weekday,
      start: start.ms,
      end: end.ms,
      windows,
    };
    if (entry?.name !== undefined) day.name = entry.name;
    return day;
  }

  /**
   * Local midnight starting `dayNum`, cached separately from days because each midnight is
   * both one day's end and the next day's start. `hint` is a likely offset (the previous
   * midnight's), which makes the common no-DST-change case a single zone lookup.
   */
  private midnight(dayNum: number, hint?: number): Resolved {
    let m = this.midnights.get(dayNum);
    if (!m) {
      m = this.wallToInstant(dayNum * DAY_MS, hint);
      this.midnights.set(dayNum, m);
    }
    return m;
  }

  /**
   * The instant at which the zone's wall clock shows `wallMs` (wall time written as if it were
   * UTC). Same resolution as luxon: a wall time inside a DST gap moves forward by the gap
   * (`exact` is then false). Zone lookups are the expensive part, hence the optional hint.
   */
  private wallToInstant(wallMs: number, hint?: number): Resolved {
    if (hint !== undefined) {
      const guess = wallMs - hint * MINUTE_MS;
      if (this.zone.offset(guess) === hint) return { ms: guess, offset: hint, exact: true };
    }
    const o1 = this.zone.offset(wallMs);
    const guess1 = wallMs - o1 * MINUTE_MS;
    const o2 = this.zone.offset(guess1);
    if (o1 === o2) return { ms: guess1, offset: o1, exact: true };
    const guess2 = wallMs - o2 * MINUTE_MS;
    const o3 = this.zone.offset(guess2);
    if (o2 === o3) return { ms: guess2, offset: o2, exact: true };
    const ms = wallMs - Math.min(o2, o3) * MINUTE_MS;
    return { ms, offset: Math.max(o2, o3), exact: false };
  }
}

/** A wall time resolved to an instant, with the zone offset (minutes) in effect there. */
interface Resolved {
  ms: number;
  offset: number;
  /** false when the wall time does not exist (DST gap) and was moved forward. */
  exact: boolean;
}

// Validating a zone constructs an Intl.DateTimeFormat (~0.1 ms); calendars are built often.
const zoneValidity = new Map<string, boolean>();
function isValidZone(name: string): boolean {
  let ok = zoneValidity.get(name);
  if (ok === undefined) {
    ok = IANAZone.isValidZone(name);
    if (zoneValidity.size < 1000) zoneValidity.set(name, ok);
  }
  return ok;
}

function parseWindows(hours: { start: string; end: string }[]): [number, number][] {
  const out: [number, number][] = [];
  let prevEnd = -1;
  hours.forEach((w, i) => {
    const a = parseHhMm(w?.start);
    const b = parseHhMm(w?.end);
    if (a === undefined || b === undefined || a >= b) {
      throw new CalendarError('invalid_calendar', `workingHours[${i}] must be {start: 'HH:MM', end: 'HH:MM'} with start before end, got ${JSON.stringify(w)}`);
    }
    if (a < prevEnd) throw new CalendarError('invalid_calendar', `workingHours[${i}] overlaps or is out of order with the previous window`);
    prevEnd = b;
    out.push([a, b]);
  });
  return out;
}
