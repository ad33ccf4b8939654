/**
 * "Today" for the organisation: the server reads every YYYY-MM-DD period in the policy calendar's
 * time zone, so the console must pick its default periods in that zone too — a browser on UTC at
 * 20:30 is already on the next day in Asia/Shanghai, and "the last 30 days" ending on the
 * browser's date would leave out every case received since local midnight.
 */

/** The calendar date (YYYY-MM-DD) of `now` in `timeZone`; the browser's own date when no zone is known. */
export function orgToday(timeZone: string | undefined, now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}
