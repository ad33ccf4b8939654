/**
 * Holiday data: which dates are public holidays (off) and which weekend dates are worked
 * (adjusted working days, 调休上班). Bundled data for CN comes from NateScarlet/holiday-cn; admins
 * can add or replace a year with parseHolidayYear().
 */
import { z } from 'zod';
import { CalendarError } from './errors.js';
import { tryIsoDateToDayNum } from './dates.js';
import cn2025 from './holidays/CN-2025.json' with { type: 'json' };
import cn2026 from './holidays/CN-2026.json' with { type: 'json' };

export interface HolidayDay {
  date: string;
  /** true = public holiday, false = adjusted working day (a normally free day that is worked). */
  off: boolean;
  name?: string;
}

export interface HolidayYear {
  region: string;
  year: number;
  days: HolidayDay[];
  source?: string[] | string;
}

export interface ParseHolidayYearOptions {
  /** Region to use when the data does not say; must match when it does. Default 'CN'. */
  region?: string;
  /** Year to use when the data does not say (needed for the {holidays, workdays} format); must match when it does. */
  year?: number;
}

const isoDate = z.string().refine((s) => tryIsoDateToDayNum(s) !== undefined, {
  message: 'must be a real date written YYYY-MM-DD',
});
const year = z.number().int().min(1970).max(2200);
const region = z.string().trim().min(1);
const source = z.union([z.string(), z.array(z.string())]);

/** Our own format (also what the bundled files use). */
const kesuFormat = z.object({
  region: region.optional(),
  year,
  source: source.optional(),
  days: z.array(z.object({ date: isoDate, off: z.boolean(), name: z.string().optional() })),
});

/** The upstream holiday-cn format: {year, papers, days: [{name, date, isOffDay}]}. */
const holidayCnFormat = z.object({
  year,
  papers: z.array(z.string()).optional(),
  days: z.array(z.object({ name: z.string(), date: isoDate, isOffDay: z.boolean() })),
});

/** A hand-written list format: {year?, holidays: [dates], workdays: [dates]}. */
const listFormat = z.object({
  region: region.optional(),
  year: year.optional(),
  source: source.optional(),
  holidays: z.array(isoDate).optional(),
  workdays: z.array(isoDate).optional(),
});

/**
 * Validates admin-supplied holiday data for one year. Accepts our format, the upstream holiday-cn
 * format and {holidays: [...], workdays: [...]} lists. Throws CalendarError('invalid_holiday_data')
 * whose message names the offending path, e.g. `days[3].date`.
 */
export function parseHolidayYear(json: unknown, opts: ParseHolidayYearOptions = {}): HolidayYear {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw bad('', 'expected a JSON object');
  }
  const obj = json as Record<string, unknown>;
  // Each day, remembered with the path it came from so later checks can point at it.
  let days: { day: HolidayDay; path: string }[];
  let dataRegion: string | undefined;
  let dataYear: number | undefined;
  let src: string[] | string | undefined;

  if ('holidays' in obj || 'workdays' in obj) {
    const v = check(listFormat, obj);
    dataRegion = v.region;
    dataYear = v.year;
    src = v.source;
    days = [...(v.holidays ?? []).map((date, i) => ({ day: { date, off: true }, path: `holidays[${i}]` })), ...(v.workdays ?? []).map((date, i) => ({ day: { date, off: false }, path: `workdays[${i}]` }))];
  } else if (Array.isArray(obj.days) && obj.days.some((d) => typeof d === 'object' && d !== null && 'isOffDay' in d)) {
    const v = check(holidayCnFormat, obj);
    dataYear = v.year;
    src = v.papers;
    days = v.days.map((d, i) => ({ day: { date: d.date, off: d.isOffDay, name: d.name }, path: `days[${i}].date` }));
  } else {
    const v = check(kesuFormat, obj);
    dataRegion = v.region;
    dataYear = v.year;
    src = v.source;
    days = v.days.map((d, i) => ({
      day: d.name === undefined ? { date: d.date, off: d.off } : { date: d.date, off: d.off, name: d.name },
      path: `days[${i}].date`,
    }));
  }

  const optRegion = opts.region?.trim().toUpperCase();
  const upRegion = dataRegion?.toUpperCase();
  if (optRegion !== undefined && upRegion !== undefined && optRegion !== upRegion) {
    throw bad('region', `data is for region ${upRegion}, expected ${optRegion}`);
  }
  if (opts.year !== undefined && dataYear !== undefined && opts.year !== dataYear) {
    throw bad('year', `data is for ${dataYear}, expected ${opts.year}`);
  }
  const y = dataYear ?? opts.year ?? inferYear(days);

  const seen = new Map<string, string>();
  for (const { day, path } of days) {
    if (!day.date.startsWith(`${y}-`)) throw bad(path, `date ${day.date} is not in year ${y}`);
    const first = seen.get(day.date);
    if (first !== undefined) throw bad(path, `date ${day.date} appears twice (first at ${first})`);
    seen.set(day.date, path);
  }

  const result: HolidayYear = {
    region: upRegion ?? optRegion ?? 'CN',
    year: y,
    days: days.map((d) => d.day).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
  };
  if (src !== undefined) result.source = src;
  return result;
}

function inferYear(days: { day: HolidayDay }[]): number {
  const years = new Set(days.map((d) => Number(d.day.date.slice(0, 4))));
  const [only] = years;
  if (years.size !== 1 || only === undefined) {
    throw bad('year', 'missing: give "year" in the data or as an option');
  }
  return only;
}

function check<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw bad(issue ? formatPath(issue.path) : '', issue?.message ?? 'invalid');
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function bad(path: string, message: string): CalendarError {
  return new CalendarError('invalid_holiday_data', `invalid holiday data at ${path || '(root)'}: ${message}`);
}

let builtIn: HolidayYear[] | undefined;

/** The bundled years (CN 2025 and 2026). Returns fresh copies: callers may mutate them freely. */
export function builtInHolidayYears(region: 'CN'): HolidayYear[] {
  if (region !== 'CN') return [];
  // Parsed through the same validator as admin data, once, so a bad bundled file fails loudly.
  builtIn ??= [cn2025, cn2026].map((j) => parseHolidayYear(j));
  return structuredClone(builtIn);
}
