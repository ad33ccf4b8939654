/**
 * What a paused clock has left (issue 14 §5: "已暂停，剩余 N" instead of "— —"). A paused clock
 * has no due time; its explanation says how much ticking time its duration — or the extension it
 * had reached — had used when the pause began (`tickedMs`, in the unit's own time: working dates
 * for `wd`, working hours for `wh`). What is left is the rest of that segment plus the extensions
 * not reached yet, each in its own unit ("1.5 个工作日 + 8 小时"). The console shows the text as
 * sent; it keeps no table of units of its own.
 */
import { UNIT_MS, formatDuration, parseDuration, type CalendarLocale, type Duration } from '../calendar/duration.js';
import type { Clock } from '../complaint/types.js';

export interface RemainingPart {
  amount: number;
  /** A duration unit: m, h, d, w, wd, wh. */
  unit: string;
}

export interface Remaining {
  /** One entry per unit; empty when the clock had run out before the pause. */
  parts: RemainingPart[];
  /** The parts as one text per language ("2.5 天", "2.5 days"); '' when nothing is left. */
  text: Record<CalendarLocale, string>;
}

/** A clock as the case page shows it: with what it has left while paused. */
export type ClockView = Clock & { remaining: Remaining | null };

interface Segment {
  duration: string;
  due: string | null;
  tickedMs: number;
}

function segmentsOf(explanation: unknown): Segment[] {
  if (!explanation || typeof explanation !== 'object') return [];
  if ('chain' in explanation && Array.isArray((explanation as { chain: unknown }).chain)) return (explanation as { chain: Segment[] }).chain;
  return 'tickedMs' in explanation && 'duration' in explanation ? [explanation as Segment] : [];
}

/** A plain amount in a unit of fixed length; null for calendar months, alignments and bad text. */
function plain(text: string): Duration | null {
  try {
    const d = parseDuration(text);
    return d.unit === 'mo' || d.align ? null : d;
  } catch {
    return null;
  }
}

const LOCALES: CalendarLocale[] = ['zh-CN', 'zh-TW', 'en'];

/**
 * The time a paused clock has left; null when it cannot be told (not paused, a fixed due time,
 * a calendar-month or aligned duration) and no parts when it had run out before the pause.
 */
export function remainingOf(k: Clock): Remaining | null {
  if (k.status !== 'paused' || k.duration === null) return null;
  const segments = segmentsOf(k.explanation);
  const last = segments[segments.length - 1];
  if (!last) return null;
  let parts: Duration[];
  // The segment ran to its due time before the pause: the clock had run out.
  if (last.due !== null) parts = [];
  else {
    const reached = plain(last.duration);
    if (!reached) return null;
    const rest = Number((reached.amount - last.tickedMs / UNIT_MS[reached.unit]).toFixed(1));
    const later = k.extensions.slice(segments.length - 1).map(plain);
    if (later.some((x) => x === null)) return null;
    parts = [...(rest > 0 ? [{ ...reached, amount: rest }] : []), ...(later as Duration[])];
  }
  const text = Object.fromEntries(LOCALES.map((l) => [l, parts.map((d) => formatDuration(d, l)).join(' + ')])) as Record<CalendarLocale, string>;
  return { parts: parts.map((d) => ({ amount: d.amount, unit: d.unit })), text };
}

export function clockView(k: Clock): ClockView {
  return { ...k, remaining: remainingOf(k) };
}
