/**
 * The ticking model. A duration is an amount of ticking time; the unit decides *when* the clock
 * ticks (always, on working dates, or inside working-hour windows) and pauses stop it. Ticking
 * time is real elapsed time inside those spans, so a 23-hour DST working date contributes 23 h.
 *
 * Everything walks forward over intervals — one per working date or window — never minute by
 * minute, so a 30-working-day span is a few dozen steps.
 */
import { CalendarError } from './errors.js';
import { instantMs } from './dates.js';
import { DURATION_UNITS, isWorkingUnit, type DurationUnit } from './duration.js';
import type { WorkingCalendar } from './working-calendar.js';

export interface Pause {
  from: Date;
  /** Missing/null = still paused. */
  to?: Date | null;
}

/** A pause as instants; an open pause has to = Infinity. */
export interface PauseSpan {
  from: number;
  to: number;
}

type Span = readonly [number, number];

/**
 * A calendar that never ticks (e.g. holiday data marking every day off) would make the walk
 * endless; after this many consecutive days without a ticking moment we give up.
 */
const MAX_IDLE_DAYS = 3660;

/** Sorted, merged pause spans; pauses with to <= from are ignored (nothing was paused). */
export function normalizePauses(pauses: readonly Pause[] | undefined): PauseSpan[] {
  const spans: PauseSpan[] = [];
  (pauses ?? []).forEach((p, i) => {
    const from = instantMs(p.from, `pauses[${i}].from`);
    const to = p.to == null ? Number.POSITIVE_INFINITY : instantMs(p.to, `pauses[${i}].to`);
    if (to > from) spans.push({ from, to });
  });
  spans.sort((a, b) => a.from - b.from);
  const merged: PauseSpan[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else merged.push({ ...s });
  }
  return merged;
}

/**
 * Spans during which the unit's clock runs, from `fromMs` on, in order, ignoring pauses.
 * Stops before any span starting at or after `untilMs` (if given); otherwise it is endless.
 */
function* unitSpans(cal: WorkingCalendar, unit: DurationUnit, fromMs: number, untilMs = Number.POSITIVE_INFINITY): Generator<Span> {
  if (!isWorkingUnit(unit)) {
    yield [fromMs, Number.POSITIVE_INFINITY];
    return;
  }
  if (unit === 'wh' && !cal.hasWorkingHours) {
    throw new CalendarError('invalid_calendar', 'working-hour durations (wh) need a calendar with workingHours');
  }
  let idle = 0;
  for (let n = cal.dayOf(fromMs); ; n++) {
    const day = cal.day(n);
    if (day.start >= untilMs) return;
    const spans: readonly Span[] = unit === 'wd' ? (day.working ? [[day.start, day.end]] : []) : day.windows;
    let ticked = false;
    for (const [s, e] of spans) {
      if (e <= fromMs || e <= s) continue;
      if (s >= untilMs) return;
      ticked = true;
      yield [Math.max(s, fromMs), e];
    }
    if (ticked) idle = 0;
    else if (++idle > MAX_IDLE_DAYS) {
      throw new CalendarError('invalid_calendar', `the calendar has no working time for ${MAX_IDLE_DAYS} consecutive days after ${day.date}`);
    }
  }
}

/** Removes paused time from increasing spans. Ends when an open pause swallows the rest. */
function* withoutPauses(spans: Iterable<Span>, pauses: readonly PauseSpan[]): Generator<Span> {
  let i = 0;
  for (const [s0, e] of spans) {
    let s = s0;
    while (s < e) {
      while (i < pauses.length && pauses[i]!.to <= s) i++;
      const p = pauses[i];
      if (!p || p.from >= e) {
        yield [s, e];
        break;
      }
      if (p.from > s) yield [s, p.from];
      s = p.to;
    }
    if (s === Number.POSITIVE_INFINITY) return;
  }
}

export interface DueComputation {
  /** Due instant, or null when an open pause stops the clock before the amount is used up. */
  due: number | null;
  /** Ticking milliseconds consumed: the whole amount, or what ran before the open pause. */
  tickedMs: number;
  /** Where counting ended: the due instant, or the instant the clock stopped for good. */
  endMs: number;
}

/** Walks ticking spans until `amountMs` of ticking time has passed. */
export function computeDue(startMs: number, amountMs: number, unit: DurationUnit, cal: WorkingCalendar, pauses: readonly PauseSpan[]): DueComputation {
  // Zero ticking time is due immediately, even if the clock would not be running right now.
  if (amountMs <= 0) return { due: startMs, tickedMs: 0, endMs: startMs };
  let remaining = amountMs;
  let lastEnd = startMs;
  for (const [s, e] of withoutPauses(unitSpans(cal, unit, startMs), pauses)) {
    // `<=`: when the amount runs out exactly at a span's end, the due time is that end
    // (2wd from Saturday ends at Wednesday 00:00, not at the next working moment).
    if (remaining <= e - s) {
      const due = s + remaining;
      return { due, tickedMs: amountMs, endMs: due };
    }
    remaining -= e - s;
    lastEnd = e;
  }
  // Only an open pause ends the walk early. The clock stopped where that pause began.
  const open = pauses[pauses.length - 1];
  const stoppedAt = Math.max(startMs, open ? open.from : lastEnd);
  return { due: null, tickedMs: amountMs - remaining, endMs: stoppedAt };
}

/**
 * Ticking milliseconds between two instants for `unit` (pauses excluded). Negative when `to` is
 * before `from`, so "time left" stays meaningful once a deadline has passed.
 */
export function tickingBetween(from: Date, to: Date, unit: DurationUnit, cal: WorkingCalendar, pauses?: Pause[]): number {
  if (!DURATION_UNITS.includes(unit)) throw new CalendarError('invalid_duration', `unknown duration unit ${JSON.stringify(unit)}`);
  const a = instantMs(from, 'from');
  const b = instantMs(to, 'to');
  if (b < a) return -tickingBetween(to, from, unit, cal, pauses);
  let total = 0;
  for (const [s, e] of withoutPauses(unitSpans(cal, unit, a, b), normalizePauses(pauses))) {
    if (s >= b) break;
    total += Math.min(e, b) - s;
  }
  return total;
}
