/**
 * Explanations: why a due time is what it is. Built after the due time is known by re-walking
 * the (cached) local dates of the counted span, so the arithmetic in ticking.ts stays simple.
 */
import { DateTime, IANAZone } from 'luxon';
import { isoDateToDayNum } from './dates.js';
import { UNIT_MS, formatDuration, isWorkingUnit, parseDuration, type CalendarLocale, type Duration } from './duration.js';
import type { PauseSpan } from './ticking.js';
import type { WorkingCalendar } from './working-calendar.js';

export interface SkippedDay {
  date: string;
  reason: 'weekend' | 'public_holiday';
  name?: string;
}

export interface DueExplanation {
  /** ISO instant (UTC). */
  start: string;
  /** Canonical duration text, recomputed from amount + unit. */
  duration: string;
  /** ISO instant (UTC); null while an open pause stops the clock. */
  due: string | null;
  timeZone: string;
  /** Non-working dates passed over (wd/wh only), in order. */
  skippedDays: SkippedDay[];
  /** Normally free dates that counted because they are adjusted working days (调休上班). */
  adjustedWorkdays: { date: string; name?: string }[];
  /** Pauses overlapping the counted span (overlapping pauses merged, not clipped to the span). */
  pauses: { from: string; to: string | null }[];
  /** Years in the span without holiday data (wd/wh with holidays 'CN'): plain weekdays were assumed. */
  missingHolidayYears: number[];
  /** Extension: ticking milliseconds consumed — the whole duration, or what ran before an open pause. */
  tickedMs: number;
  /** Present when the statutory convention counted the period: its last day, and where it was moved from. */
  statutory?: { lastDay: string; movedFrom?: string; periodEnd: 'midnight' | 'close' };
  /** Present when an alignment (`@eod`, `@09:00`) moved the due time: the instant before it was moved (ISO). */
  alignedFrom?: string;
  text: Record<CalendarLocale, string>;
}

export interface DueResult {
  due: Date | null;
  explanation: DueExplanation;
}

export interface ExplainInput {
  startMs: number;
  duration: Duration;
  due: number | null;
  /** Where counting ended (the due time, or where an open pause stopped the clock). */
  endMs: number;
  tickedMs: number;
  cal: WorkingCalendar;
  pauses: readonly PauseSpan[];
  statutory?: { lastDay: string; movedFrom?: string };
  alignedFrom?: number;
}

export function buildExplanation(x: ExplainInput): DueExplanation {
  const skippedDays: SkippedDay[] = [];
  const adjustedWorkdays: { date: string; name?: string }[] = [];
  const missing = new Set<number>();

  // Calendar units tick regardless of dates, so days, holidays and missing data are irrelevant.
  if (isWorkingUnit(x.duration.unit)) {
    const regular = new Set(x.cal.spec.workingWeekdays);
    for (let n = x.cal.dayOf(x.startMs); ; n++) {
      const day = x.cal.day(n);
      if (day.start >= x.endMs) break;
      if (!day.known) missing.add(day.year);
      if (day.reason === 'weekend' || day.reason === 'public_holiday') {
        skippedDays.push(withName({ date: day.date, reason: day.reason }, day.name));
      } else if (day.reason === 'adjusted_workday' && !regular.has(day.weekday)) {
        // Only list it if some of its ticking time lies inside the counted span.
        const spans = x.duration.unit === 'wd' ? [[day.start, day.end] as const] : day.windows;
        if (spans.some(([s, e]) => e > x.startMs && s < x.endMs)) adjustedWorkdays.push(withName({ date: day.date }, day.name));
      }
    }
  }

  // A statutory period in calendar days: the rest days its last day was moved over, and whether
  // the dates it spans have holiday data.
  if (x.statutory && !isWorkingUnit(x.duration.unit)) {
    const last = isoDateToDayNum(x.statutory.lastDay);
    for (let n = x.cal.dayOf(x.startMs); n <= last; n++) if (!x.cal.day(n).known) missing.add(x.cal.day(n).year);
    if (x.statutory.movedFrom !== undefined) {
      for (let n = isoDateToDayNum(x.statutory.movedFrom); n < last; n++) {
        const day = x.cal.day(n);
        if (day.reason === 'weekend' || day.reason === 'public_holiday') skippedDays.push(withName({ date: day.date, reason: day.reason }, day.name));
      }
    }
  }

  const spanEnd = x.due ?? Number.POSITIVE_INFINITY;
  const pauses = x.pauses.filter((p) => p.from < spanEnd && p.to > x.startMs).map((p) => ({ from: iso(p.from), to: p.to === Number.POSITIVE_INFINITY ? null : iso(p.to) }));

  const base = {
    start: iso(x.startMs),
    duration: x.duration.text,
    due: x.due === null ? null : iso(x.due),
    timeZone: x.cal.timeZone,
    skippedDays,
    adjustedWorkdays,
    pauses,
    missingHolidayYears: [...missing].sort((a, b) => a - b),
    tickedMs: x.tickedMs,
    ...(x.statutory ? { statutory: { ...x.statutory, periodEnd: x.cal.spec.periodEnd ?? 'midnight' } } : {}),
    ...(x.alignedFrom !== undefined ? { alignedFrom: iso(x.alignedFrom) } : {}),
  };
  // The three sentences show the same instants; format each once (luxon formatting dominates).
  const local = localTimeFormatter(base.timeZone);
  const text = {
    'zh-CN': sentence(base, x.duration, 'zh-CN', local),
    'zh-TW': sentence(base, x.duration, 'zh-TW', local),
    en: sentence(base, x.duration, 'en', local),
  };
  return { ...base, text };
}

function withName<T extends object>(o: T, name: string | undefined): T & { name?: string } {
  return name === undefined ? o : { ...o, name };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

// ---------------------------------------------------------------------------------------------
// Wording

interface Words {
  from: (start: string, dur: string) => string;
  skipping: string;
  weekend: string;
  holiday: string;
  adjusted: (dates: string) => string;
  paused: (n: number) => string;
  due: (due: string, tz: string) => string;
  stillPaused: (since: string, ticked: string, total: string, tz: string) => string;
  missing: (years: string) => string;
  listSep: string;
  clauseSep: string;
  end: string;
  paren: (s: string) => string;
  weekdays: readonly string[];
  // multi-line labels
  lStart: string;
  lDuration: string;
  lSkipped: string;
  lAdjusted: string;
  lPauses: string;
  lDue: string;
  lOpen: string;
  lDueUnknown: (ticked: string, total: string) => string;
  days: (n: number) => string;
  statutory: (lastDay: string, end: 'midnight' | 'close') => string;
  moved: (from: string, to: string) => string;
  aligned: (from: string) => string;
}

const WORDS: Record<CalendarLocale, Words> = {
  'zh-CN': {
    from: (s, d) => `${s} 起计 ${d}`,
    skipping: '跳过',
    weekend: '周末',
    holiday: '法定节假日',
    adjusted: (d) => `${d} 调休上班计入`,
    paused: (n) => `期间暂停 ${n} 次`,
    due: (d, tz) => `到期 ${d}（${tz}）`,
    stillPaused: (since, t, total, tz) => `自 ${since} 起暂停中，已计时 ${t}（共 ${total}），恢复计时后才能确定到期时间（${tz}）`,
    missing: (y) => `⚠ 警告：缺少 ${y} 年节假日数据，这些年份只按普通周末计算，到期时间可能不准确！请管理员导入节假日数据。`,
    listSep: '、',
    clauseSep: '；',
    end: '。',
    paren: (s) => `（${s}）`,
    weekdays: ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
    lStart: '开始',
    lDuration: '时长',
    lSkipped: '跳过',
    lAdjusted: '调休上班（计入）',
    lPauses: '暂停',
    lDue: '到期',
    lOpen: '仍在暂停',
    lDueUnknown: (t, total) => `暂停中，暂无法确定（已计时 ${t}，共 ${total}）`,
    days: (n) => `${n} 天`,
    statutory: (d, end) => `按法定方式计算：受理当日不计入，期间至 ${d} ${end === 'close' ? '下班时' : '24:00'}止`,
    moved: (f, t) => `最后一日 ${f} 为休息日，顺延至 ${t}`,
    aligned: (f) => `由 ${f} 顺延`,
  },
  'zh-TW': {
    from: (s, d) => `${s} 起計 ${d}`,
    skipping: '跳過',
    weekend: '週末',
    holiday: '國定假日',
    adjusted: (d) => `${d} 調休上班計入`,
    paused: (n) => `期間暫停 ${n} 次`,
    due: (d, tz) => `到期 ${d}（${tz}）`,
    stillPaused: (since, t, total, tz) => `自 ${since} 起暫停中，已計時 ${t}（共 ${total}），恢復計時後才能確定到期時間（${tz}）`,
    missing: (y) => `⚠ 警告：缺少 ${y} 年節假日資料，這些年份只按一般週末計算，到期時間可能不準確！請管理員匯入節假日資料。`,
    listSep: '、',
    clauseSep: '；',
    end: '。',
    paren: (s) => `（${s}）`,
    weekdays: ['週一', '週二', '週三', '週四', '週五', '週六', '週日'],
    lStart: '開始',
    lDuration: '時長',
    lSkipped: '跳過',
    lAdjusted: '調休上班（計入）',
    lPauses: '暫停',
    lDue: '到期',
    lOpen: '仍在暫停',
    lDueUnknown: (t, total) => `暫停中，暫無法確定（已計時 ${t}，共 ${total}）`,
    days: (n) => `${n} 天`,
    statutory: (d, end) => `按法定方式計算：受理當日不計入，期間至 ${d} ${end === 'close' ? '下班時' : '24:00'}止`,
    moved: (f, t) => `最後一日 ${f} 為休息日，順延至 ${t}`,
    aligned: (f) => `由 ${f} 順延`,
  },
  en: {
    from: (s, d) => `${d} from ${s}`,
    skipping: 'skipping ',
    weekend: 'weekend',
    holiday: 'public holiday',
    adjusted: (d) => `adjusted working day ${d} counted`,
    paused: (n) => `paused ${n} ${n === 1 ? 'time' : 'times'}`,
    due: (d, tz) => `due ${d} (${tz})`,
    stillPaused: (since, t, total, tz) => `paused since ${since} with ${t} of ${total} used, so the due time is unknown until the clock resumes (${tz})`,
    missing: (y) => `WARNING: no holiday data for ${y}; those years were treated as plain weekdays and weekends, so the due time may be wrong. Ask an admin to import the holiday data.`,
    listSep: ', ',
    clauseSep: '; ',
    end: '.',
    paren: (s) => ` (${s})`,
    weekdays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
    lStart: 'Start',
    lDuration: 'Duration',
    lSkipped: 'Skipped',
    lAdjusted: 'Adjusted working days (counted)',
    lPauses: 'Pauses',
    lDue: 'Due',
    lOpen: 'still paused',
    lDueUnknown: (t, total) => `unknown while paused (${t} of ${total} used)`,
    days: (n) => `${n} ${n === 1 ? 'day' : 'days'}`,
    statutory: (d, end) => `counted the statutory way: the day of receipt not counted, the period ends ${end === 'close' ? 'at the close of business' : 'at 24:00'} on ${d}`,
    moved: (f, t) => `its last day ${f} is a rest day, moved to ${t}`,
    aligned: (f) => `moved from ${f}`,
  },
};

type ExplanationBody = Omit<DueExplanation, 'text'>;

type LocalTime = (isoInstant: string) => string;

/** Zones by name, made once (a zone holds luxon's formatter for its offsets). */
const zones = new Map<string, IANAZone>();

/**
 * Local wall time in the calendar's zone; seconds only when they matter (fractional durations).
 * One offset lookup and plain arithmetic per instant: parsing and formatting a luxon DateTime
 * for each was the largest part of luxon's time on the intake path (issue 9 profile).
 */
function localTimeFormatter(zone: string): LocalTime {
  const seen = new Map<string, string>();
  let z = zones.get(zone);
  if (!z) zones.set(zone, (z = IANAZone.create(zone) as IANAZone));
  const tz = z;
  return (isoInstant) => {
    let s = seen.get(isoInstant);
    if (s === undefined) {
      const ms = Date.parse(isoInstant);
      const wall = new Date(ms + tz.offset(ms) * 60_000);
      const year = wall.getUTCFullYear();
      if (Number.isFinite(ms) && tz.isValid && year >= 1000 && year <= 9999) {
        const t = wall.toISOString();
        s = `${t.slice(0, 10)} ${t.slice(11, wall.getUTCSeconds() === 0 && wall.getUTCMilliseconds() === 0 ? 16 : 19)}`;
      } else {
        const dt = DateTime.fromISO(isoInstant, { zone });
        s = dt.toFormat(dt.second === 0 && dt.millisecond === 0 ? 'yyyy-MM-dd HH:mm' : 'yyyy-MM-dd HH:mm:ss');
      }
      seen.set(isoInstant, s);
    }
    return s;
  };
}

/**
 * Ticking time used so far. Shown in hours (minutes for `m`, working hours for `wh`): "0.08
 * working days" says little, "2 hours" of a 2-working-day budget is clear.
 */
function ticked(e: ExplanationBody, d: Duration, locale: CalendarLocale): string {
  const unit = d.unit === 'm' ? 'm' : d.unit === 'wh' ? 'wh' : 'h';
  const amount = Number((e.tickedMs / UNIT_MS[unit]).toFixed(2));
  return formatDuration({ amount, unit, text: '' }, locale);
}

interface Run {
  from: string;
  to: string;
  count: number;
  label: string;
}

/** Consecutive skipped dates with the same reason and name, e.g. 国庆节 10-01…10-07. */
function runs(skipped: readonly SkippedDay[], w: Words): Run[] {
  const out: Run[] = [];
  let prevNum = Number.NaN;
  for (const s of skipped) {
    const label = s.reason === 'weekend' ? w.weekend : (s.name ?? w.holiday);
    const n = isoDateToDayNum(s.date);
    const last = out[out.length - 1];
    if (last && last.label === label && n === prevNum + 1) {
      last.to = s.date;
      last.count++;
    } else out.push({ from: s.date, to: s.date, count: 1, label });
    prevNum = n;
  }
  return out;
}

function sentence(e: ExplanationBody, d: Duration, locale: CalendarLocale, localTime: LocalTime): string {
  const w = WORDS[locale];
  const startYear = localTime(e.start).slice(0, 4);
  // Dates in the start's year are shown short (10-01); others in full so a year change is visible.
  const shortDate = (date: string) => (date.startsWith(`${startYear}-`) ? date.slice(5) : date);
  const range = (r: Run) => (r.from === r.to ? shortDate(r.from) : `${shortDate(r.from)}…${shortDate(r.to)}`);

  const clauses: string[] = [w.from(localTime(e.start), formatDuration(d, locale))];
  if (e.skippedDays.length > 0) {
    // Group runs by label, first appearance first: 周末（09-19…09-20、09-26…09-27）.
    const byLabel = new Map<string, string[]>();
    for (const r of runs(e.skippedDays, w)) byLabel.set(r.label, [...(byLabel.get(r.label) ?? []), range(r)]);
    const groups = [...byLabel].map(([label, rs]) => `${label}${w.paren(rs.join(w.listSep))}`);
    clauses.push(`${w.skipping}${groups.join(w.listSep)}`);
  }
  if (e.adjustedWorkdays.length > 0) clauses.push(w.adjusted(e.adjustedWorkdays.map((a) => shortDate(a.date)).join(w.listSep)));
  const closedPauses = e.pauses.filter((p) => p.to !== null).length;
  if (closedPauses > 0) clauses.push(w.paused(closedPauses));
  if (e.statutory) {
    clauses.push(w.statutory(shortDate(e.statutory.lastDay), e.statutory.periodEnd));
    if (e.statutory.movedFrom !== undefined) clauses.push(w.moved(shortDate(e.statutory.movedFrom), shortDate(e.statutory.lastDay)));
  }
  if (e.alignedFrom !== undefined && e.due !== null) clauses.push(w.aligned(localTime(e.alignedFrom)));
  if (e.due !== null) clauses.push(w.due(localTime(e.due), e.timeZone));
  else {
    const open = e.pauses.find((p) => p.to === null);
    const since = open && open.from > e.start ? open.from : e.start;
    clauses.push(w.stillPaused(localTime(since), ticked(e, d, locale), formatDuration(d, locale), e.timeZone));
  }
  const body = clauses.join(w.clauseSep) + w.end;
  return e.missingHolidayYears.length > 0 ? `${w.missing(e.missingHolidayYears.join(w.listSep))} ${body}` : body;
}

/** Multi-line explanation for the CLI (`kesu calendar add`). */
export function formatDueExplanation(r: DueResult, locale: CalendarLocale): string {
  const e = r.explanation;
  const w = WORDS[locale];
  const tz = e.timeZone;
  const localTime = localTimeFormatter(tz);
  const d = durationOf(e.duration);
  const colon = locale === 'en' ? ': ' : '：';
  const heading = (label: string) => `${label}${locale === 'en' ? ':' : '：'}`;
  const weekday = (date: string) => w.weekdays[DateTime.fromISO(date, { zone: 'UTC' }).weekday - 1] ?? '';
  const lines: string[] = [];
  if (e.missingHolidayYears.length > 0) lines.push(w.missing(e.missingHolidayYears.join(w.listSep)));
  lines.push(`${w.lStart}${colon}${localTime(e.start)}${w.paren(tz)}`);
  lines.push(`${w.lDuration}${colon}${d ? formatDuration(d, locale) : e.duration}${w.paren(e.duration)}`);
  if (e.skippedDays.length > 0) {
    lines.push(heading(w.lSkipped));
    for (const run of runs(e.skippedDays, w)) {
      const dates = run.from === run.to ? `${run.from} ${weekday(run.from)}` : `${run.from} … ${run.to}`;
      lines.push(`  ${dates}  ${run.label}${w.paren(w.days(run.count))}`);
    }
  }
  if (e.adjustedWorkdays.length > 0) {
    lines.push(heading(w.lAdjusted));
    for (const a of e.adjustedWorkdays) lines.push(`  ${a.date} ${weekday(a.date)}${a.name ? `  ${a.name}` : ''}`);
  }
  if (e.pauses.length > 0) {
    lines.push(heading(w.lPauses));
    for (const p of e.pauses) lines.push(`  ${localTime(p.from)} → ${p.to === null ? w.lOpen : localTime(p.to)}`);
  }
  if (e.statutory) {
    lines.push(`  ${w.statutory(e.statutory.lastDay, e.statutory.periodEnd)}`);
    if (e.statutory.movedFrom !== undefined) lines.push(`  ${w.moved(e.statutory.movedFrom, e.statutory.lastDay)}`);
  }
  if (e.alignedFrom !== undefined && e.due !== null) lines.push(`  ${w.aligned(localTime(e.alignedFrom))}`);
  if (e.due !== null) lines.push(`${w.lDue}${colon}${localTime(e.due)}${w.paren(tz)} = ${e.due}`);
  else if (d) lines.push(`${w.lDue}${colon}${w.lDueUnknown(ticked(e, d, locale), formatDuration(d, locale))}`);
  return lines.join('\n');
}

/** The explanation stores canonical text; read it back for wording (never throws). */
function durationOf(text: string): Duration | undefined {
  try {
    return parseDuration(text);
  } catch {
    return undefined; // e.g. '0wd' from a computed zero amount: shown as the raw text
  }
}
