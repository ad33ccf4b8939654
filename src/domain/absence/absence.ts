/**
 * An absence (缺勤: leave, a business trip, a day off) as the domain sees it, what recording one
 * needs from the caller, and how its period is read. The effects on cases — handing them to a
 * stand-in and back — are lifecycle transitions (`stand_in`, `return_from_absence` in
 * domain/lifecycle/machine.ts); who stands in is stand-ins.ts.
 */
import { z } from 'zod';
import { CalendarError, parseLocalTime } from '../calendar/index.js';
import { fieldProblem, type FieldProblem } from '../errors.js';

export interface Absence {
  id: string;
  userId: string;
  /** The absence runs over [startsAt, endsAt) (ISO-8601 UTC). */
  startsAt: string;
  endsAt: string;
  reason: string;
  /** The stand-in the person (or their manager) named; null: Kesu finds one (stand-ins.ts). */
  standInId: string | null;
  recordedBy: string;
  recordedAt: string;
  cancelledAt: string | null;
  cancelledBy: string | null;
  /** When the start was processed (cases handed over); null until then. */
  handedOverAt: string | null;
  /** When the end was processed (cases returned or left with the stand-in); null until then. */
  finishedAt: string | null;
}

/** Longest absence one record may cover; a longer one is recorded again (a typo of a year is refused). */
export const MAX_ABSENCE_DAYS = 366;

/**
 * A time as a person writes it: with an offset it is that instant; without one it is wall-clock
 * time in the policy's time zone (`2026-10-08 14:00`), and a date alone is a whole day: `from` at
 * its start, `to` at its end (`to: 2026-10-09` is away through the 9th).
 */
const when = z
  .string()
  .trim()
  .regex(
    /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i,
    '时间格式如 2026-10-08、2026-10-08 14:00 或 2026-10-08T14:00:00+08:00|A time like 2026-10-08, 2026-10-08 14:00 or 2026-10-08T14:00:00+08:00|時間格式如 2026-10-08、2026-10-08 14:00 或 2026-10-08T14:00:00+08:00',
  );

export const RecordAbsenceInput = z
  .object({
    /** Whose absence (default: the caller's own). */
    userId: z.string().min(1).max(64).optional(),
    from: when,
    to: when,
    reason: z.string().trim().min(1).max(500),
    /** A colleague who stands in (optional): same department, same approval level or above, not away themself. */
    standInId: z.string().min(1).max(64).optional(),
  })
  .strict();
export type RecordAbsenceInput = z.output<typeof RecordAbsenceInput>;

export const ListAbsencesQuery = z
  .object({
    /** `1`: only absences running now. */
    active: z.enum(['0', '1']).optional(),
    /** Only this person's absences (as absent person or as stand-in). */
    userId: z.string().min(1).max(64).optional(),
    /** Also absences that ended or were cancelled (default: only those not over yet). */
    past: z.enum(['0', '1']).optional(),
  })
  .strict();

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The next calendar date of `YYYY-MM-DD`. */
function nextDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The instants an absence runs between, or the problems with `from` / `to`: each a valid time,
 * `to` after `from` and still to come, at most MAX_ABSENCE_DAYS long.
 */
export function absencePeriod(input: { from: string; to: string }, zone: string, now: Date): { startsAt: Date; endsAt: Date } | { problems: FieldProblem[] } {
  const read = (field: 'from' | 'to', text: string): Date | FieldProblem => {
    try {
      const t = field === 'to' && DATE_ONLY.test(text) ? nextDate(text) : text;
      const d = parseLocalTime(t, zone);
      if (Number.isNaN(d.getTime())) throw new CalendarError('invalid_date', text);
      return d;
    } catch (e) {
      if (!(e instanceof CalendarError)) throw e;
      return fieldProblem(field, `不是有效的时间：${text}`, `Not a valid time: ${text}`, `不是有效的時間：${text}`);
    }
  };
  const startsAt = read('from', input.from);
  const endsAt = read('to', input.to);
  const problems = [startsAt, endsAt].filter((x): x is FieldProblem => !(x instanceof Date));
  if (problems.length) return { problems };
  const s = startsAt as Date;
  const e = endsAt as Date;
  if (e.getTime() <= s.getTime()) return { problems: [fieldProblem('to', '结束时间须晚于开始时间', 'The end must be after the start', '結束時間須晚於開始時間')] };
  if (e.getTime() <= now.getTime()) return { problems: [fieldProblem('to', '结束时间已过：无需登记', 'The end is already past: nothing to record', '結束時間已過：無需登記')] };
  if (e.getTime() - s.getTime() > MAX_ABSENCE_DAYS * 86_400_000) return { problems: [fieldProblem('to', `一次登记最长 ${MAX_ABSENCE_DAYS} 天`, `One absence covers at most ${MAX_ABSENCE_DAYS} days`, `一次登記最長 ${MAX_ABSENCE_DAYS} 天`)] };
  return { startsAt: s, endsAt: e };
}

/** Whether the absence (not cancelled) covers `at`. */
export function covers(a: Pick<Absence, 'startsAt' | 'endsAt' | 'cancelledAt'>, at: Date): boolean {
  const t = at.toISOString();
  return !a.cancelledAt && a.startsAt <= t && t < a.endsAt;
}

/** Whether two periods overlap. */
export function overlaps(a: { startsAt: string; endsAt: string }, b: { startsAt: string; endsAt: string }): boolean {
  return a.startsAt < b.endsAt && b.startsAt < a.endsAt;
}
