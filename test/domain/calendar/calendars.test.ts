/**
 * Holiday lists for any region, a calendar's own days, several calendars in one policy, and
 * times given without an offset read in the calendar's zone (issue 10 item 5).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WorkingCalendar, addDuration, parseHolidayYear, parseLocalTime, CalendarError } from '../../../src/domain/calendar/index.js';
import { at, local } from './helpers.js';

const HK = 'Asia/Hong_Kong';
const hk2026 = parseHolidayYear({ region: 'HK', year: 2026, holidays: ['2026-02-17', '2026-02-18', '2026-02-19', '2026-04-03', '2026-04-06'] });
const hkSpec = { timeZone: HK, holidays: 'HK', workingWeekdays: [1, 2, 3, 4, 5], workingHours: [{ start: '09:00', end: '18:00' }] };

describe('holiday lists for any region', () => {
  it('a Hong Kong office counts on the HK years it is given and ignores the CN ones', () => {
    const cn = parseHolidayYear({ region: 'CN', year: 2026, holidays: ['2026-02-16'] });
    const c = new WorkingCalendar(hkSpec, [cn, hk2026]);
    assert.equal(c.isWorkingDate('2026-02-16'), true);
    assert.equal(c.dayInfo('2026-02-17').reason, 'public_holiday');
    // Mon 02-16 10:00 + 2wd: Mon (14 h), the 17th–19th are holidays, Fri 02-20 24 h → Mon 02-23 10:00.
    assert.equal(local(addDuration(at('2026-02-16 10:00', HK), '2wd', c).due, HK), '2026-02-23 10:00');
    assert.deepEqual(c.knownYears(), [2026]);
  });

  it('a region without data for a year warns like CN does', () => {
    const c = new WorkingCalendar({ ...hkSpec, holidays: 'GB' }, [hk2026]);
    assert.deepEqual(addDuration(at('2026-02-16 10:00', HK), '2wd', c).explanation.missingHolidayYears, [2026]);
    assert.throws(() => new WorkingCalendar({ ...hkSpec, holidays: 'hongkong' }, []), CalendarError);
  });

  it("a calendar's own list overrides the region day by day and makes its year known", () => {
    const c = new WorkingCalendar(
      {
        ...hkSpec,
        holidays: 'GB',
        holidayList: [
          { date: '2026-12-25', off: true, name: 'Christmas Day' },
          { date: '2026-12-26', off: false, name: 'stocktaking Saturday' },
        ],
      },
      [],
    );
    assert.equal(c.dayInfo('2026-12-25').name, 'Christmas Day');
    assert.equal(c.isWorkingDate('2026-12-26'), true);
    assert.deepEqual(c.knownYears(), [2026]);
    // Over the CN data: a company holiday on top of the official list.
    const own = new WorkingCalendar({ ...hkSpec, timeZone: 'Asia/Shanghai', holidays: 'CN', holidayList: [{ date: '2026-10-09', off: true }] }, [hk2026]);
    assert.equal(own.isWorkingDate('2026-10-09'), false);
  });
});

describe('several calendars', () => {
  it('a 24-hour emergency desk beside office hours gives different due times for the same limit', () => {
    const office = new WorkingCalendar({ timeZone: 'Asia/Shanghai', holidays: 'none', workingWeekdays: [1, 2, 3, 4, 5], workingHours: [{ start: '09:00', end: '17:00' }] }, []);
    const desk = new WorkingCalendar({ timeZone: 'Asia/Shanghai', holidays: 'none', workingWeekdays: [1, 2, 3, 4, 5, 6, 7], workingHours: [{ start: '00:00', end: '24:00' }] }, []);
    office.named.desk = desk;
    const start = at('2026-10-03 22:00');
    assert.equal(local(addDuration(start, '2wh', office.named.desk!).due), '2026-10-04 00:00');
    assert.equal(local(addDuration(start, '2wh', office).due), '2026-10-05 11:00');
  });
});

describe('parseLocalTime: a time without an offset is wall-clock time in the zone', () => {
  it('reads date-times, dates and instants with an offset', () => {
    assert.equal(parseLocalTime('2026-09-30 10:00', 'Asia/Shanghai').toISOString(), '2026-09-30T02:00:00.000Z');
    assert.equal(parseLocalTime('2026-09-30T10:00:30', 'Europe/London').toISOString(), '2026-09-30T09:00:30.000Z');
    assert.equal(parseLocalTime('2026-09-30', 'Asia/Hong_Kong').toISOString(), '2026-09-29T16:00:00.000Z');
    assert.equal(parseLocalTime('2026-09-30T10:00:00+08:00', 'Europe/London').toISOString(), '2026-09-30T02:00:00.000Z');
    assert.equal(parseLocalTime('2026-09-30T02:00Z', 'Asia/Shanghai').toISOString(), '2026-09-30T02:00:00.000Z');
    assert.equal(parseLocalTime('2026-09-30 10:00:00.5', 'Asia/Shanghai').toISOString(), '2026-09-30T02:00:00.500Z');
  });

  it('moves a wall time in the spring gap forward', () => {
    assert.equal(parseLocalTime('2026-03-29 01:30', 'Europe/London').toISOString(), '2026-03-29T01:30:00.000Z');
  });

  it('refuses what is not a time', () => {
    for (const bad of ['', 'tomorrow', '2026-02-30 10:00', '2026-09-30 25:00', '30/09/2026']) assert.throws(() => parseLocalTime(bad, 'Asia/Shanghai'), CalendarError, bad);
    assert.throws(() => parseLocalTime('2026-09-30 10:00', 'Mars/Olympus'), CalendarError);
  });
});
