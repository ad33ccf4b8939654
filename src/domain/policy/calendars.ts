/**
 * Which working calendar a clock counts on. A policy has its default `calendar` and, optionally,
 * named `calendars` (a 24-hour emergency desk, an office in another region); a named calendar
 * takes every field it leaves out from `calendar`. A clock counts on:
 * 1. `flags.emergency.calendar`, when the case is an emergency and the policy names one;
 * 2. else the named calendar whose `clocks` list it (`grade_rise.0` matches `grade_rise` too);
 * 3. else the default calendar.
 */
import type { Policy } from './schema.js';

/** The fields a working calendar is built from (the calendar module's WorkingCalendarSpec). */
export interface PolicyCalendarSpec {
  timeZone: string;
  holidays: string;
  holidayList: { date: string; off: boolean; name?: string }[];
  workingWeekdays: number[];
  workingHours: { start: string; end: string }[];
  counting: 'instant' | 'statutory';
  periodEnd: 'midnight' | 'close';
}

/** Names of the policy's further calendars (empty for a policy stored before they existed). */
export function calendarNames(p: Policy): string[] {
  return Object.keys(p.calendars ?? {});
}

/**
 * The spec of the default calendar (`name` absent) or of a named one. Throws on an unknown name
 * (a checked policy only names calendars it defines). Stored policies written before the
 * counting options existed get the defaults.
 */
export function calendarSpec(p: Policy, name?: string): PolicyCalendarSpec {
  const base = p.calendar;
  const spec: PolicyCalendarSpec = {
    timeZone: base.timeZone,
    holidays: base.holidays,
    holidayList: base.holidayList ?? [],
    workingWeekdays: base.workingWeekdays,
    workingHours: base.workingHours,
    counting: base.counting ?? 'instant',
    periodEnd: base.periodEnd ?? 'midnight',
  };
  if (name === undefined) return spec;
  const own = p.calendars?.[name];
  if (!own) throw new Error(`policy ${p.id}@${p.version} has no calendar "${name}"`);
  return {
    timeZone: own.timeZone ?? spec.timeZone,
    holidays: own.holidays ?? spec.holidays,
    holidayList: own.holidayList ?? spec.holidayList,
    workingWeekdays: own.workingWeekdays ?? spec.workingWeekdays,
    workingHours: own.workingHours ?? spec.workingHours,
    counting: own.counting ?? spec.counting,
    periodEnd: own.periodEnd ?? spec.periodEnd,
  };
}

/** The named calendar a clock counts on, or undefined for the default calendar. */
export function calendarNameForClock(p: Policy, clock: string, flags: { emergency?: boolean } = {}): string | undefined {
  const desk = p.flags.emergency?.calendar;
  if (flags.emergency && desk !== undefined) return desk;
  const family = clock.split('.')[0];
  for (const [name, c] of Object.entries(p.calendars ?? {})) if (c.clocks.includes(clock) || c.clocks.includes(family!)) return name;
  return undefined;
}
