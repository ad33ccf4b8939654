/**
 * The statutory way of counting periods (民法典 第二百零一条–第二百零三条) beside "from the
 * instant", on the official 2026 calendar: the day of receipt is not counted, a period in days
 * ends at 24:00 (or at the close of business) of its last day, and a last day on a rest day or a
 * holiday moves to the next working day — across the Spring Festival and the National Day.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addDuration } from '../../../src/domain/calendar/index.js';
import { at, cnCalendar, local } from './helpers.js';

const instant = cnCalendar();
const statutory = cnCalendar([], { counting: 'statutory' });
const byClose = cnCalendar([], { counting: 'statutory', periodEnd: 'close' });
const due = (start: string, d: string, cal = statutory) => local(addDuration(at(start), d, cal).due);

describe('statutory counting, 2026 Spring Festival (02-15 … 02-23 off, 02-14 and 02-28 worked)', () => {
  it('5d from Tue 02-10: days 02-11 … 02-15, the last a holiday, moved to Tue 02-24, ending at 24:00', () => {
    assert.equal(due('2026-02-10 15:00', '5d'), '2026-02-25 00:00');
    assert.equal(due('2026-02-10 15:00', '5d', byClose), '2026-02-24 17:30');
    assert.equal(due('2026-02-10 15:00', '5d', instant), '2026-02-15 15:00');
  });

  it('explains the day of receipt, the last day and its move', () => {
    const r = addDuration(at('2026-02-10 15:00'), '5d', statutory);
    assert.deepEqual(r.explanation.statutory, { lastDay: '2026-02-24', movedFrom: '2026-02-15', periodEnd: 'midnight' });
    assert.ok(r.explanation.skippedDays.some((d) => d.date === '2026-02-17' && d.name === '春节'));
    assert.match(r.explanation.text['zh-CN'], /受理当日不计入，期间至 02-24 24:00止；最后一日 02-15 为休息日，顺延至 02-24/);
    assert.match(r.explanation.text.en, /the period ends at 24:00 on 02-24; its last day 02-15 is a rest day, moved to 02-24/);
  });

  it('2wd from Fri 02-13: the adjusted Saturday 02-14 is the first working day, Tue 02-24 the second', () => {
    assert.equal(due('2026-02-13 10:00', '2wd'), '2026-02-25 00:00');
    assert.equal(due('2026-02-13 10:00', '2wd', byClose), '2026-02-24 17:30');
    // From the instant: Fri 14 h + Sat 02-14 24 h + 10 h of Tue 02-24.
    assert.equal(due('2026-02-13 10:00', '2wd', instant), '2026-02-24 10:00');
  });

  it('a day received late at night is still not counted; a working last day does not move', () => {
    assert.equal(due('2026-02-02 23:59', '1d'), '2026-02-04 00:00');
    assert.equal(due('2026-02-02 00:01', '3d'), '2026-02-06 00:00');
  });

  it('1mo from 31 Jan: the corresponding day is missing, so the month end, 28 Feb — an adjusted working Saturday', () => {
    assert.equal(due('2026-01-31 10:00', '1mo'), '2026-03-01 00:00');
    // From 22 Jan: 22 Feb is a holiday, moved to 24 Feb.
    assert.equal(due('2026-01-22 10:00', '1mo'), '2026-02-25 00:00');
  });
});

describe('statutory counting, 2026 National Day (10-01 … 10-07 off, 10-10 worked)', () => {
  it('1d from Wed 09-30: the last day 10-01 is a holiday, moved to Thu 10-08', () => {
    assert.equal(due('2026-09-30 10:00', '1d'), '2026-10-09 00:00');
    assert.equal(due('2026-09-30 10:00', '1d', byClose), '2026-10-08 17:30');
    assert.equal(due('2026-09-30 10:00', '1d', instant), '2026-10-01 10:00');
  });

  it('1w from Thu 09-24 ends on Thu 10-01, a holiday: moved to 10-08; 1mo from 09-01 too', () => {
    assert.equal(due('2026-09-24 10:00', '1w'), '2026-10-09 00:00');
    assert.equal(due('2026-09-01 10:00', '1mo'), '2026-10-09 00:00');
  });

  it('a receipt on a holiday: counting starts the next day', () => {
    assert.equal(due('2026-10-03 10:00', '5d'), '2026-10-09 00:00');
    assert.equal(due('2026-10-03 10:00', '3wd'), '2026-10-11 00:00');
  });

  it('minutes and hours count from the instant either way', () => {
    assert.equal(due('2026-09-30 10:00', '24h'), '2026-10-01 10:00');
    assert.equal(due('2026-09-30 10:00', '30m'), '2026-09-30 10:30');
    assert.equal(due('2026-09-30 10:00', '8wh'), '2026-10-08 10:30');
  });

  it('a fraction (the 80 % warning) falls between the whole periods around it', () => {
    // 0.5d: half way from the receipt to the end of the first statutory day (but that day is a
    // holiday, moved to 10-08: 24:00 on 10-08).
    const start = at('2026-09-30 10:00');
    const end = addDuration(start, '1d', statutory).due!.getTime();
    assert.equal(addDuration(start, '0.5d', statutory).due!.getTime(), start.getTime() + (end - start.getTime()) / 2);
    // 2.5wd from Fri 02-13: between the end of the 2nd (02-24 24:00) and 3rd (02-25 24:00) working day.
    assert.equal(due('2026-02-13 10:00', '2.5wd'), '2026-02-25 12:00');
  });

  it('a pause pushes a period out by the paused time (working time for wd)', () => {
    const pauses = [{ from: at('2026-09-29 10:00'), to: at('2026-09-29 16:00') }];
    // 2d: the last day 09-30 ends at 10-01 00:00; six paused hours later.
    assert.equal(local(addDuration(at('2026-09-28 10:00'), '2d', statutory, pauses).due), '2026-10-01 06:00');
    // 2wd: six working hours are still owed at 10-01 00:00; the holiday does not tick.
    assert.equal(local(addDuration(at('2026-09-28 10:00'), '2wd', statutory, pauses).due), '2026-10-08 06:00');
  });
});
