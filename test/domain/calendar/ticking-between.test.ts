import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CalendarError, WorkingCalendar, addDuration, tickingBetween, type DurationUnit, type Pause } from '../../../src/domain/calendar/index.js';
import { BERLIN, at, cnCalendar } from './helpers.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const cal = cnCalendar();

describe('tickingBetween', () => {
  const cases: [string, string, string, DurationUnit, number, Pause[]?][] = [
    ['National Day wd: only Sep 30 and Oct 8 tick', '2026-09-30 00:00', '2026-10-09 00:00', 'wd', 2 * DAY],
    ['same span in calendar time', '2026-09-30 00:00', '2026-10-09 00:00', 'd', 9 * DAY],
    ['a plain week of working hours is 5 × 7.5h', '2026-03-09 00:00', '2026-03-16 00:00', 'wh', 37.5 * HOUR],
    ['a weekend has no working time', '2026-03-07 00:00', '2026-03-09 00:00', 'wd', 0],
    ['inside one window', '2026-03-09 09:00', '2026-03-09 10:15', 'wh', 1.25 * HOUR],
    ['a pause is subtracted', '2026-03-09 09:00', '2026-03-09 12:00', 'h', 2 * HOUR, [{ from: at('2026-03-09 10:00'), to: at('2026-03-09 11:00') }]],
    ['an open pause stops the clock', '2026-03-09 09:00', '2026-03-20 12:00', 'wd', 3 * HOUR, [{ from: at('2026-03-09 12:00') }]],
  ];
  for (const [name, from, to, unit, expected, pauses] of cases) {
    it(name, () => assert.equal(tickingBetween(at(from), at(to), unit, cal, pauses), expected));
  }

  it('is negative when the end is before the start (time overdue)', () => {
    assert.equal(tickingBetween(at('2026-03-10 10:00'), at('2026-03-09 10:00'), 'wd', cal), -DAY);
  });

  it('rejects an unknown unit', () => {
    assert.throws(
      () => tickingBetween(at('2026-03-09 10:00'), at('2026-03-10 10:00'), 'y' as DurationUnit, cal),
      (e: unknown) => e instanceof CalendarError && e.code === 'invalid_duration',
    );
  });
});

/** Deterministic pseudo-random numbers (LCG) so failures are reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('property: tickingBetween(start, addDuration(start, X).due) == X', () => {
  const calendars: [string, WorkingCalendar][] = [
    ['CN/Asia/Shanghai', cal],
    [
      'Europe/Berlin, Sun–Fri, with a night window across the DST hour',
      new WorkingCalendar(
        {
          timeZone: BERLIN,
          holidays: 'none',
          workingWeekdays: [7, 1, 2, 3, 4, 5],
          workingHours: [
            { start: '01:30', end: '03:30' },
            { start: '09:00', end: '17:00' },
          ],
        },
        [],
      ),
    ],
  ];
  const units: DurationUnit[] = ['m', 'h', 'd', 'w', 'wd', 'wh'];
  const amounts = [0.25, 1, 1.6, 2, 7.5, 30];
  const rand = rng(42);
  // Starts spread over 2025-2027, covering holidays, weekends, DST changes and unknown years.
  const span = Date.UTC(2028, 0, 1) - Date.UTC(2025, 0, 1);

  for (const [calName, c] of calendars) {
    it(calName, () => {
      let checked = 0;
      for (let i = 0; i < 40; i++) {
        const start = new Date(Date.UTC(2025, 0, 1) + Math.floor((rand() * span) / 60_000) * 60_000);
        const pauses: Pause[] = i % 3 === 0 ? [{ from: new Date(start.getTime() + rand() * 3 * DAY), to: new Date(start.getTime() + 3 * DAY + rand() * 4 * DAY) }] : [];
        for (const unit of units) {
          for (const amount of amounts) {
            const r = addDuration(start, { amount, unit, text: '' }, c, pauses);
            assert.ok(r.due, 'closed pauses always give a due time');
            // d and w are calendar periods in the zone: their ticking time is the real length of
            // the period from the start (23 or 25 h across a DST change), whatever the pauses.
            const expected =
              unit === 'd' || unit === 'w' ? addDuration(start, { amount, unit, text: '' }, c).due!.getTime() - start.getTime() : Math.round(amount * ({ m: 60_000, h: HOUR, wd: DAY, wh: HOUR } as Record<string, number>)[unit]!);
            const msg = `${calName} ${start.toISOString()} ${amount}${unit} → ${r.due.toISOString()}`;
            assert.equal(tickingBetween(start, r.due, unit, c, pauses), expected, msg);
            // The due time is the earliest such instant: one ms earlier is one ms short.
            assert.equal(tickingBetween(start, new Date(r.due.getTime() - 1), unit, c, pauses), expected - 1, msg);
            assert.equal(tickingBetween(r.due, start, unit, c, pauses), -expected, msg);
            assert.equal(r.explanation.tickedMs, expected, msg);
            checked++;
          }
        }
      }
      assert.equal(checked, 40 * units.length * amounts.length);
    });
  }

  it('with an open pause, tickingBetween up to any later time equals the ticking used so far', () => {
    const start = at('2026-09-30 10:00');
    const pauses = [{ from: at('2026-10-08 15:00') }];
    const r = addDuration(start, '3wd', cal, pauses);
    assert.equal(r.due, null);
    assert.equal(r.explanation.tickedMs, 14 * HOUR + 15 * HOUR);
    assert.equal(tickingBetween(start, at('2027-01-01 00:00'), 'wd', cal, pauses), r.explanation.tickedMs);
  });
});
