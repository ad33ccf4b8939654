/**
 * addDuration: the due time of `duration` ticking time counted from `start`, with an
 * explanation suitable for showing to agents and admins.
 *
 * The amount of ticking time is fixed first — `m`, `h`, `wd`, `wh` by their unit; `d`, `w`, `mo`
 * as the real length of that calendar period from the start in the calendar's zone; under the
 * statutory convention (counting.ts) as the time to the end of the period's last day — then the
 * walk over ticking spans skips pauses, and the due instant is aligned last (`@eod`, `@09:00`).
 * Without pauses the due time is exactly the period's end.
 */
import { instantMs } from './dates.js';
import { UNIT_MS, isCalendarPeriodUnit, normalizeDuration, type Duration, type DurationUnit } from './duration.js';
import { alignInstant, calendarPeriodEnd, isStatutoryUnit, statutoryEnd, type StatutoryEnd } from './counting.js';
import { buildExplanation, type DueResult } from './explain.js';
import { computeDue, normalizePauses, tickingBetween, type Pause } from './ticking.js';
import type { WorkingCalendar } from './working-calendar.js';

export function addDuration(start: Date, duration: Duration | string, cal: WorkingCalendar, pauses?: Pause[]): DueResult {
  const startMs = instantMs(start, 'start');
  // Recomputes the canonical text: callers scale amounts (80 % warnings) and keep the old text.
  const d = normalizeDuration(duration);
  const spans = normalizePauses(pauses);
  const plan = planTicking(startMs, d, cal);
  const r = computeDue(startMs, plan.amountMs, plan.unit, cal, spans);
  let due = r.due;
  let alignedFrom: number | undefined;
  if (due !== null && d.align) {
    const aligned = alignInstant(due, d.align, cal);
    if (aligned !== due) {
      alignedFrom = due;
      due = aligned;
    }
  }
  const explanation = buildExplanation({
    startMs,
    duration: d,
    due,
    endMs: due ?? r.endMs,
    tickedMs: r.tickedMs,
    cal,
    pauses: spans,
    ...(plan.statutory ? { statutory: withoutMs(plan.statutory) } : {}),
    ...(alignedFrom !== undefined ? { alignedFrom } : {}),
  });
  return { due: due === null ? null : new Date(due), explanation };
}

interface TickingPlan {
  /** Ticking milliseconds to walk. */
  amountMs: number;
  /** The unit whose spans tick. */
  unit: DurationUnit;
  /** The statutory period's last day, when the statutory convention applied. */
  statutory?: StatutoryEnd;
}

function planTicking(startMs: number, d: Duration, cal: WorkingCalendar): TickingPlan {
  if (cal.counting === 'statutory' && isStatutoryUnit(d.unit) && d.amount > 0) {
    const whole = Math.floor(d.amount);
    const frac = d.amount - whole;
    const a = statutoryEnd(startMs, whole, d.unit, cal);
    // Working days tick on working dates only, so pauses on rest days do not move the end.
    const tickUnit: DurationUnit = d.unit === 'wd' ? 'wd' : 'd';
    const ticks = (ms: number) => (tickUnit === 'wd' ? tickingBetween(new Date(startMs), new Date(ms), 'wd', cal) : ms - startMs);
    let amountMs = ticks(a.ms);
    if (frac > 0) {
      const b = statutoryEnd(startMs, whole + 1, d.unit, cal);
      amountMs += frac * (ticks(b.ms) - amountMs);
      return { amountMs: Math.round(amountMs), unit: tickUnit };
    }
    return { amountMs: Math.round(amountMs), unit: tickUnit, ...(whole > 0 ? { statutory: a } : {}) };
  }
  if (isCalendarPeriodUnit(d.unit)) {
    return { amountMs: Math.round(calendarPeriodEnd(startMs, d.amount, d.unit, cal) - startMs), unit: d.unit };
  }
  // Whole milliseconds, so addDuration and tickingBetween agree exactly.
  return { amountMs: Math.round(d.amount * UNIT_MS[d.unit]), unit: d.unit };
}

function withoutMs(s: StatutoryEnd): { lastDay: string; movedFrom?: string } {
  return s.movedFrom === undefined ? { lastDay: s.lastDay } : { lastDay: s.lastDay, movedFrom: s.movedFrom };
}
