import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CalendarError, WorkingCalendar, builtInHolidayYears, parseHolidayYear } from '../../../src/domain/calendar/index.js';
import { cnCalendar, cnSpec } from './helpers.js';

function holidayError(pathInMessage: string) {
  return (e: unknown) => e instanceof CalendarError && e.code === 'invalid_holiday_data' && e.message.includes(`at ${pathInMessage}:`);
}

describe('builtInHolidayYears', () => {
  it('bundles CN 2025 and 2026, matching the JSON files', () => {
    const years = builtInHolidayYears('CN');
    assert.deepEqual(
      years.map((y) => y.year),
      [2025, 2026],
    );
    const raw = JSON.parse(readFileSync(new URL('../../../src/domain/calendar/holidays/CN-2026.json', import.meta.url), 'utf8')) as {
      days: unknown[];
    };
    assert.equal(years[1]!.days.length, raw.days.length);
    assert.deepEqual(
      years[1]!.days.find((d) => d.date === '2026-10-10'),
      { date: '2026-10-10', off: false, name: '国庆节' },
    );
  });

  it('returns copies that callers cannot use to corrupt later calls', () => {
    builtInHolidayYears('CN')[1]!.days.length = 0;
    assert.ok(builtInHolidayYears('CN')[1]!.days.length > 30);
  });
});

describe('WorkingCalendar.dayInfo', () => {
  const cal = cnCalendar();
  const cases: [string, boolean, string, string | undefined, boolean][] = [
    ['2026-10-01', false, 'public_holiday', '国庆节', true],
    ['2026-10-03', false, 'public_holiday', '国庆节', true], // a Saturday inside the holiday
    ['2026-10-10', true, 'adjusted_workday', '国庆节', true], // 调休 Saturday
    ['2026-10-11', false, 'weekend', undefined, true],
    ['2026-10-12', true, 'weekday', undefined, true],
    ['2026-09-25', false, 'public_holiday', '中秋节', true],
    ['2026-09-20', true, 'adjusted_workday', '国庆节', true],
    ['2026-02-14', true, 'adjusted_workday', '春节', true],
    ['2026-02-23', false, 'public_holiday', '春节', true],
    ['2025-10-08', false, 'public_holiday', '国庆节、中秋节', true],
    ['2027-03-01', true, 'weekday', undefined, false],
    ['2024-12-31', true, 'weekday', undefined, false],
  ];
  for (const [date, working, reason, name, known] of cases) {
    it(date, () => {
      const expected = name === undefined ? { date, working, reason, known } : { date, working, reason, name, known };
      assert.deepEqual(cal.dayInfo(date), expected);
      assert.equal(cal.isWorkingDate(date), working);
    });
  }

  it("ignores holiday data with holidays: 'none'", () => {
    const none = new WorkingCalendar(cnSpec({ holidays: 'none' }), builtInHolidayYears('CN'));
    assert.deepEqual(none.dayInfo('2026-10-01'), { date: '2026-10-01', working: true, reason: 'weekday', known: true });
    assert.deepEqual(none.dayInfo('2026-10-10'), { date: '2026-10-10', working: false, reason: 'weekend', known: true });
    assert.deepEqual(none.knownYears(), []);
  });

  it('knows the bundled years', () => assert.deepEqual(cal.knownYears(), [2025, 2026]));

  it('rejects malformed dates', () => {
    for (const bad of ['2026-02-30', '2026-10-1', 'tomorrow', '']) {
      assert.throws(
        () => cal.dayInfo(bad),
        (e: unknown) => e instanceof CalendarError && e.code === 'invalid_date',
      );
    }
  });
});

describe('WorkingCalendar spec validation', () => {
  const cases: [string, Parameters<typeof cnSpec>[0], string][] = [
    ['unknown zone', { timeZone: 'Mars/Olympus_Mons' }, 'invalid_time_zone'],
    ['offset instead of zone', { timeZone: '+08:00' }, 'invalid_time_zone'],
    ['weekday 0', { workingWeekdays: [0, 1] }, 'invalid_calendar'],
    ['weekday 8', { workingWeekdays: [8] }, 'invalid_calendar'],
    ['no weekdays', { workingWeekdays: [] }, 'invalid_calendar'],
    ['bad hour', { workingHours: [{ start: '25:00', end: '26:00' }] }, 'invalid_calendar'],
    ['start after end', { workingHours: [{ start: '12:00', end: '08:00' }] }, 'invalid_calendar'],
    [
      'overlap',
      {
        workingHours: [
          { start: '08:00', end: '12:00' },
          { start: '11:00', end: '13:00' },
        ],
      },
      'invalid_calendar',
    ],
    [
      'unsorted',
      {
        workingHours: [
          { start: '13:00', end: '17:00' },
          { start: '08:00', end: '12:00' },
        ],
      },
      'invalid_calendar',
    ],
  ];
  for (const [name, over, code] of cases) {
    it(`rejects ${name}`, () => {
      assert.throws(
        () => new WorkingCalendar(cnSpec(over), []),
        (e: unknown) => e instanceof CalendarError && e.code === code,
      );
    });
  }
  it('accepts a window ending at 24:00 and touching windows', () => {
    new WorkingCalendar(
      cnSpec({
        workingHours: [
          { start: '00:00', end: '12:00' },
          { start: '12:00', end: '24:00' },
        ],
      }),
      [],
    );
  });
});

describe('parseHolidayYear', () => {
  it('accepts our own format (the bundled file)', () => {
    const raw: unknown = JSON.parse(readFileSync(new URL('../../../src/domain/calendar/holidays/CN-2025.json', import.meta.url), 'utf8'));
    const y = parseHolidayYear(raw);
    assert.equal(y.region, 'CN');
    assert.equal(y.year, 2025);
    assert.equal(y.days.length, 33);
    assert.deepEqual(y.days[0], { date: '2025-01-01', off: true, name: '元旦' });
  });

  it('accepts the upstream holiday-cn format', () => {
    const y = parseHolidayYear({
      $schema: 'https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/schema.json',
      year: 2027,
      papers: ['https://www.gov.cn/example'],
      days: [
        { name: '元旦', date: '2027-01-01', isOffDay: true },
        { name: '春节', date: '2027-02-06', isOffDay: false },
      ],
    });
    assert.deepEqual(y, {
      region: 'CN',
      year: 2027,
      source: ['https://www.gov.cn/example'],
      days: [
        { date: '2027-01-01', off: true, name: '元旦' },
        { date: '2027-02-06', off: false, name: '春节' },
      ],
    });
  });

  it('accepts {holidays, workdays} lists with the year given as an option, sorted by date', () => {
    const y = parseHolidayYear({ holidays: ['2027-10-02', '2027-10-01'], workdays: ['2027-09-26'] }, { year: 2027, region: 'cn' });
    assert.deepEqual(y, {
      region: 'CN',
      year: 2027,
      days: [
        { date: '2027-09-26', off: false },
        { date: '2027-10-01', off: true },
        { date: '2027-10-02', off: true },
      ],
    });
  });

  it('infers the year of {holidays, workdays} lists when all dates agree', () => {
    assert.equal(parseHolidayYear({ holidays: ['2028-01-01'] }).year, 2028);
  });

  const bad: [string, unknown, Parameters<typeof parseHolidayYear>[1], string][] = [
    ['not an object', null, undefined, '(root)'],
    ['an array', [], undefined, '(root)'],
    ['missing days', { year: 2026 }, undefined, 'days'],
    ['year not a number', { year: '2026', days: [] }, undefined, 'year'],
    [
      'impossible date',
      {
        year: 2026,
        days: [
          { date: '2026-01-01', off: true },
          { date: '2026-02-30', off: true },
        ],
      },
      undefined,
      'days[1].date',
    ],
    ['off not boolean', { year: 2026, days: [{ date: '2026-01-01', off: 'yes' }] }, undefined, 'days[0].off'],
    [
      'date in another year',
      {
        year: 2026,
        days: [
          { date: '2026-01-01', off: true },
          { date: '2026-01-02', off: true },
          { date: '2027-01-01', off: true },
        ],
      },
      undefined,
      'days[2].date',
    ],
    [
      'duplicate date',
      {
        year: 2026,
        days: [
          { date: '2026-01-01', off: true },
          { date: '2026-01-01', off: false },
        ],
      },
      undefined,
      'days[1].date',
    ],
    ['year differs from option', { year: 2026, days: [] }, { year: 2027 }, 'year'],
    ['region differs from option', { region: 'HK', year: 2026, days: [] }, { region: 'CN' }, 'region'],
    ['upstream isOffDay not boolean', { year: 2026, days: [{ name: 'x', date: '2026-01-01', isOffDay: 'true' }] }, undefined, 'days[0].isOffDay'],
    ['list with a bad date', { year: 2026, holidays: ['2026-01-01', '2026-13-01'] }, undefined, 'holidays[1]'],
    ['list date in both lists', { year: 2026, holidays: ['2026-01-01'], workdays: ['2026-01-01'] }, undefined, 'workdays[0]'],
    ['lists spanning years without a year', { holidays: ['2026-12-31', '2027-01-01'] }, undefined, 'year'],
  ];
  for (const [name, json, opts, path] of bad) {
    it(`rejects ${name}, naming ${path}`, () => {
      assert.throws(() => parseHolidayYear(json, opts), holidayError(path));
    });
  }
});
