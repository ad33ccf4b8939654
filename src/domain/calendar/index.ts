/**
 * Working-time arithmetic for Kesu: durations (`2wd`, `8wh`, …), holiday data, working
 * calendars and due-time computation with explanations. Pure: no I/O, no clock — every instant
 * is passed in.
 */
export { CalendarError, type CalendarErrorCode } from './errors.js';
export { parseDuration, isDurationText, formatDuration, type Duration, type DurationUnit, type Alignment, type CalendarLocale } from './duration.js';
export { builtInHolidayYears, parseHolidayYear, type HolidayDay, type HolidayYear, type ParseHolidayYearOptions } from './holidays.js';
export { WorkingCalendar, HOLIDAY_REGION_PATTERN, type WorkingCalendarSpec, type CountingConvention, type DayInfo, type DayReason } from './working-calendar.js';
export { alignInstant, insideWorkingDay, parseLocalTime, type StatutoryEnd } from './counting.js';
export { tickingBetween, type Pause } from './ticking.js';
export { addDuration } from './add-duration.js';
export { formatDueExplanation, type DueExplanation, type DueResult, type SkippedDay } from './explain.js';
