/**
 * addDuration: the due time of `duration` ticking time counted from `start`, with an
 * explanation suitable for showing to agents and admins.
 */
import { instantMs } from './dates.js';
import { UNIT_MS, normalizeDuration, type Duration } from './duration.js';
import { buildExplanation, type DueResult } from './explain.js';
import { computeDue, normalizePauses, type Pause } from './ticking.js';
import type { WorkingCalendar } from './working-calendar.js';

export function addDuration(start: Date, duration: Duration | string, cal: WorkingCalendar, pauses?: Pause[]): DueResult {
  const startMs = instantMs(start, 'start');
  // Recomputes the canonical text: callers scale amounts (80 % warnings) and keep the old text.
  const d = normalizeDuration(duration);
  const spans = normalizePauses(pauses);
  // Whole milliseconds, so addDuration and tickingBetween agree exactly.
  const amountMs = Math.round(d.amount * UNIT_MS[d.unit]);
  const r = computeDue(startMs, amountMs, d.unit, cal, spans);
  const explanation = buildExplanation({ startMs, duration: d, due: r.due, endMs: r.endMs, tickedMs: r.tickedMs, cal, pauses: spans });
  return { due: r.due === null ? null : new Date(r.due), explanation };
}
