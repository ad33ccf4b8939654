/**
 * Error type for everything the calendar module rejects. The `code` is stable and meant for
 * callers (HTTP layer, CLI) to map to responses; the message is for humans and names the
 * offending input.
 */
export type CalendarErrorCode =
  | 'invalid_duration'
  | 'invalid_holiday_data'
  | 'invalid_time_zone'
  // Not in the original brief: a WorkingCalendarSpec that is malformed (bad weekday, bad or
  // overlapping working hours) or that can never tick.
  | 'invalid_calendar'
  // Not in the original brief: a malformed 'YYYY-MM-DD' date or an invalid Date instance.
  | 'invalid_date';

export class CalendarError extends Error {
  override readonly name = 'CalendarError';

  constructor(
    public readonly code: CalendarErrorCode,
    message: string,
  ) {
    super(message);
  }
}
