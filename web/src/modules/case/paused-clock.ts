/**
 * What a paused clock has left (issue 14 §5: "已暂停，剩余 N" instead of "— —"). A paused clock
 * has no due time; the server's explanation of it says how much ticking time its duration — or
 * the extension it had reached — had used when the pause began (`tickedMs`, in the unit's own
 * time: working dates for `wd`, working hours for `wh`). What is left is the rest of that segment
 * plus the extensions not reached yet, each in its own unit ("1.5 个工作日 + 8 小时").
 *
 * No runtime imports (the Node tests import it).
 */
import type { components } from '../../api/generated/openapi.js';

type Clock = components['schemas']['Clock'];

/** Ticking milliseconds per unit, as the server's calendar counts them (a working date counts whole). */
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, wh: 3_600_000, d: 86_400_000, wd: 86_400_000, w: 7 * 86_400_000 };

export interface Left {
  amount: number;
  unit: string;
}

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

function parse(code: string): Left | null {
  const m = /^(\d+(?:\.\d+)?)(m|h|d|w|wd|wh)$/.exec(code);
  return m ? { amount: Number(m[1]), unit: m[2]! } : null;
}

/**
 * The time a paused clock has left, one entry per unit; null when it cannot be told (not paused,
 * a fixed due time, a calendar-month duration) and `[]` when nothing is left (it ran out before the pause).
 */
export function pausedLeft(k: Clock): Left[] | null {
  if (k.status !== 'paused' || k.duration === null) return null;
  const segments = segmentsOf(k.explanation);
  const last = segments[segments.length - 1];
  if (!last) return null;
  // The segment ran to its due time before the pause: the clock had run out.
  if (last.due !== null) return [];
  const reached = parse(last.duration);
  if (!reached || !UNIT_MS[reached.unit]) return null;
  const rest = Number((reached.amount - last.tickedMs / UNIT_MS[reached.unit]!).toFixed(1));
  const later = k.extensions.slice(segments.length - 1).map(parse);
  if (later.some((x) => x === null)) return null;
  return [...(rest > 0 ? [{ amount: rest, unit: reached.unit }] : []), ...(later as Left[])];
}
