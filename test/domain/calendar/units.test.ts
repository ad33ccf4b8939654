/**
 * Units and alignments (issue 10 item 5): calendar months with the month-end clamp, days and
 * weeks as calendar days in the zone across DST (Europe/London), "same day" (eod) and alignment
 * of a computed instant to the end of its working day or to the next working day at a set time.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WorkingCalendar, addDuration, formatDuration, parseDuration, CalendarError } from '../../../src/domain/calendar/index.js';
import { at, cnCalendar, local } from './helpers.js';

const LONDON = 'Europe/London';
const london = new WorkingCalendar({ timeZone: LONDON, holidays: 'none', workingWeekdays: [1, 2, 3, 4, 5], workingHours: [{ start: '09:00', end: '17:00' }] }, []);
const cn = cnCalendar();
const due = (start: Date, d: string, cal = cn) => addDuration(start, d, cal).due;

describe('grammar', () => {
  it('reads mo, eod and alignments, and writes them back canonically', () => {
    assert.deepEqual(parseDuration('1mo'), { amount: 1, unit: 'mo', text: '1mo' });
    assert.deepEqual(parseDuration('eod'), { amount: 0, unit: 'm', align: { kind: 'eod' }, text: 'eod' });
    assert.deepEqual(parseDuration('2h@eod'), { amount: 2, unit: 'h', align: { kind: 'eod' }, text: '2h@eod' });
    assert.deepEqual(parseDuration('1m@09:00'), { amount: 1, unit: 'm', align: { kind: 'at', minutes: 540 }, text: '1m@09:00' });
    assert.equal(parseDuration('1.5mo').text, '1.5mo');
    for (const bad of ['eod@eod', '0mo', '1m@24:00', '1m@9:00', '1mo@', 'mo', '1 mo', 'eod@09:00', '1m@12:60']) assert.throws(() => parseDuration(bad), CalendarError, bad);
  });

  it('says what it means in three languages', () => {
    assert.equal(formatDuration(parseDuration('2mo'), 'zh-CN'), '2 个月');
    assert.equal(formatDuration(parseDuration('1mo'), 'en'), '1 month');
    assert.equal(formatDuration(parseDuration('eod'), 'zh-CN'), '当个工作日结束前');
    assert.equal(formatDuration(parseDuration('1m@09:00'), 'en'), '1 minute (outside the working day: next working day 09:00)');
    assert.equal(formatDuration(parseDuration('2h@eod'), 'zh-TW'), '2 小時（順延至該工作天下班）');
  });
});

describe('1mo: the same day of the month, clamped to the month end', () => {
  it('31 Jan + 1mo = 28 Feb (29 Feb in a leap year); 31 Mar + 1mo = 30 Apr; whole months from the start', () => {
    assert.equal(local(due(at('2026-01-31 10:00'), '1mo')), '2026-02-28 10:00');
    assert.equal(local(due(at('2028-01-31 10:00'), '1mo')), '2028-02-29 10:00');
    assert.equal(local(due(at('2026-03-31 10:00'), '1mo')), '2026-04-30 10:00');
    assert.equal(local(due(at('2026-01-31 10:00'), '2mo')), '2026-03-31 10:00');
    assert.equal(local(due(at('2026-01-15 10:00'), '12mo')), '2027-01-15 10:00');
    // 30d is not a month around February: the reason for the unit (000: one month → major).
    assert.equal(local(due(at('2026-01-31 10:00'), '30d')), '2026-03-02 10:00');
  });

  it('a fraction of a month is that fraction of the next month (the 80 % warning)', () => {
    // 15 Feb → 15 Mar is 28 days; half of it is 14 days.
    assert.equal(local(due(at('2026-02-15 10:00'), '0.5mo')), '2026-03-01 10:00');
    assert.equal(local(due(at('2026-01-15 10:00'), '1.5mo')), '2026-03-01 10:00');
  });

  it('pauses push a month out by the paused time', () => {
    const r = addDuration(at('2026-01-31 10:00'), '1mo', cn, [{ from: at('2026-02-01 10:00'), to: at('2026-02-03 10:00') }]);
    assert.equal(local(r.due), '2026-03-02 10:00');
  });
});

describe('d and w are calendar days in the policy zone (Europe/London)', () => {
  it('across spring-forward (29 Mar 2026) 1d lands at the same wall-clock time, 23 real hours later', () => {
    const start = at('2026-03-28 10:00', LONDON);
    const d = due(start, '1d', london)!;
    assert.equal(local(d, LONDON), '2026-03-29 10:00');
    assert.equal(d.getTime() - start.getTime(), 23 * 3_600_000);
    assert.equal(local(due(start, '24h', london), LONDON), '2026-03-29 11:00');
  });

  it('across fall-back (25 Oct 2026) 1d is 25 real hours and 1w keeps the wall-clock time', () => {
    const start = at('2026-10-24 10:00', LONDON);
    const d = due(start, '1d', london)!;
    assert.equal(local(d, LONDON), '2026-10-25 10:00');
    assert.equal(d.getTime() - start.getTime(), 25 * 3_600_000);
    assert.equal(local(due(at('2026-10-20 09:30', LONDON), '1w', london), LONDON), '2026-10-27 09:30');
    assert.equal(local(due(at('2026-03-01 09:30', LONDON), '30d', london), LONDON), '2026-03-31 09:30');
  });

  it('in a zone without DST nothing changes: 1d is 24 hours', () => {
    const start = at('2026-09-28 09:00');
    assert.equal(due(start, '1d')!.getTime() - start.getTime(), 86_400_000);
    assert.equal(due(start, '2.5d')!.getTime() - start.getTime(), 2.5 * 86_400_000);
  });
});

describe('eod: the end of the working day the clock started on (当日)', () => {
  it('during the day: that day at close of business', () => {
    assert.equal(local(due(at('2026-09-29 10:00'), 'eod')), '2026-09-29 17:30');
    assert.equal(local(due(at('2026-09-29 02:35'), 'eod')), '2026-09-29 17:30');
  });

  it('after closing or on a rest day: the next working day, over the National Day holiday', () => {
    assert.equal(local(due(at('2026-09-29 18:00'), 'eod')), '2026-09-30 17:30');
    assert.equal(local(due(at('2026-09-30 18:00'), 'eod')), '2026-10-08 17:30');
    assert.equal(local(due(at('2026-09-26 10:00'), 'eod')), '2026-09-28 17:30');
    // An adjusted working Saturday (调休上班) is a working day.
    assert.equal(local(due(at('2026-10-10 10:00'), 'eod')), '2026-10-10 17:30');
  });

  it('explains the move', () => {
    const r = addDuration(at('2026-09-29 18:00'), 'eod', cn);
    assert.equal(r.explanation.alignedFrom, at('2026-09-29 18:00').toISOString());
    assert.match(r.explanation.text['zh-CN'], /当个工作日结束前.*由 2026-09-29 18:00 顺延.*到期 2026-09-30 17:30/);
  });
});

describe('alignment of a computed instant', () => {
  it('@eod moves it to the end of its working day', () => {
    assert.equal(local(due(at('2026-09-29 10:00'), '2h@eod')), '2026-09-29 17:30');
    assert.equal(local(due(at('2026-09-29 16:00'), '2h@eod')), '2026-09-30 17:30');
  });

  it('@09:00 leaves an instant inside the working day alone and moves one in the night to 09:00 of the next working day', () => {
    // The call at 02:35 is not promised "02:36".
    assert.equal(local(due(at('2026-09-29 02:35'), '1m@09:00')), '2026-09-29 09:00');
    assert.equal(local(due(at('2026-09-29 20:00'), '1m@09:00')), '2026-09-30 09:00');
    assert.equal(local(due(at('2026-09-29 10:00'), '1m@09:00')), '2026-09-29 10:01');
    // The lunch break is inside the working day.
    assert.equal(local(due(at('2026-09-29 12:30'), '1m@09:00')), '2026-09-29 12:31');
    assert.equal(local(due(at('2026-09-30 20:00'), '30m@09:00')), '2026-10-08 09:00');
  });

  it('keeps working units as they were', () => {
    assert.equal(local(due(at('2026-09-30 10:00'), '2wd')), '2026-10-09 10:00');
    assert.equal(local(due(at('2026-09-30 10:00'), '8wh')), '2026-10-08 10:30');
  });
});
