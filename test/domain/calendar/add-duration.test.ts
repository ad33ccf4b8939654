import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CalendarError, WorkingCalendar, addDuration, builtInHolidayYears, parseDuration, parseHolidayYear, type Pause, type WorkingCalendar as Cal } from '../../../src/domain/calendar/index.js';
import { BERLIN, at, cnCalendar, cnSpec, dateRange, local } from './helpers.js';

const cal = cnCalendar();

interface Case {
  name: string;
  start: string;
  duration: string;
  due: string | null;
  skipped?: string[];
  adjusted?: string[];
  missing?: number[];
  cal?: Cal;
  pauses?: Pause[];
}

function check(c: Case, zone?: string) {
  it(c.name, () => {
    const r = addDuration(at(c.start, zone), c.duration, c.cal ?? cal, c.pauses);
    assert.equal(local(r.due, zone), c.due);
    assert.equal(r.explanation.due, r.due === null ? null : r.due.toISOString());
    if (c.skipped)
      assert.deepEqual(
        r.explanation.skippedDays.map((d) => d.date),
        c.skipped,
      );
    if (c.adjusted)
      assert.deepEqual(
        r.explanation.adjustedWorkdays.map((d) => d.date),
        c.adjusted,
      );
    assert.deepEqual(r.explanation.missingHolidayYears, c.missing ?? []);
  });
}

describe('addDuration: calendar units ignore holidays', () => {
  const cases: Case[] = [
    { name: '2d across National Day', start: '2026-09-30 10:00', duration: '2d', due: '2026-10-02 10:00', skipped: [], adjusted: [] },
    { name: '1w', start: '2026-09-30 10:00', duration: '1w', due: '2026-10-07 10:00', skipped: [] },
    { name: '90m', start: '2026-09-30 10:00', duration: '90m', due: '2026-09-30 11:30' },
    { name: '1.5h', start: '2026-09-30 10:00', duration: '1.5h', due: '2026-09-30 11:30' },
    { name: '2d in a year without data flags nothing', start: '2027-12-30 10:00', duration: '2d', due: '2028-01-01 10:00', missing: [] },
  ];
  cases.forEach((c) => check(c));
});

describe('addDuration: working days (wd) with CN holidays', () => {
  const cases: Case[] = [
    // National Day 2026: 10-01…10-07 off, Saturday 10-10 worked.
    // Sep 30 14h + Oct 8 24h + Oct 9 10h = 48h.
    { name: 'National Day: 2wd from 09-30 10:00', start: '2026-09-30 10:00', duration: '2wd', due: '2026-10-09 10:00', skipped: dateRange('2026-10-01', '2026-10-07'), adjusted: [] },
    // …+ Oct 9 24h + Oct 10 (调休 Saturday) 10h = 72h.
    { name: 'National Day: 3wd counts the 调休 Saturday', start: '2026-09-30 10:00', duration: '3wd', due: '2026-10-10 10:00', skipped: dateRange('2026-10-01', '2026-10-07'), adjusted: ['2026-10-10'] },
    // …+ Oct 10 24h, Sunday Oct 11 skipped, Mon Oct 12 10h.
    { name: 'National Day: 4wd', start: '2026-09-30 10:00', duration: '4wd', due: '2026-10-12 10:00', skipped: [...dateRange('2026-10-01', '2026-10-07'), '2026-10-11'], adjusted: ['2026-10-10'] },
    // Mid-Autumn 09-25…09-27 (Fri–Sun): Thu 12h + Mon 12h.
    { name: 'Mid-Autumn: 1wd from Thu 09-24 12:00', start: '2026-09-24 12:00', duration: '1wd', due: '2026-09-28 12:00', skipped: ['2026-09-25', '2026-09-26', '2026-09-27'] },
    // Saturday start; Sunday 09-20 is a 调休 working day: Sun 24h + Mon 24h → Tuesday 00:00.
    { name: 'Sunday 09-20 is worked: 2wd from Sat 09-19 10:00', start: '2026-09-19 10:00', duration: '2wd', due: '2026-09-22 00:00', skipped: ['2026-09-19'], adjusted: ['2026-09-20'] },
    // Spring Festival: Sat 02-14 worked, 02-15…02-23 off, Sat 02-28 worked.
    { name: 'Spring Festival: 1wd from Fri 02-13 15:00 ends on the 调休 Saturday', start: '2026-02-13 15:00', duration: '1wd', due: '2026-02-14 15:00', skipped: [], adjusted: ['2026-02-14'] },
    { name: 'Spring Festival: 2wd from Fri 02-13 15:00', start: '2026-02-13 15:00', duration: '2wd', due: '2026-02-24 15:00', skipped: dateRange('2026-02-15', '2026-02-23'), adjusted: ['2026-02-14'] },
    { name: 'Spring Festival: 1wd from Fri 02-27 10:00 ends Sat 02-28', start: '2026-02-27 10:00', duration: '1wd', due: '2026-02-28 10:00', adjusted: ['2026-02-28'] },
    // Plain weeks (no holidays in March 2026).
    { name: '2wd from Friday 15:00 = Tuesday 15:00', start: '2026-03-06 15:00', duration: '2wd', due: '2026-03-10 15:00', skipped: ['2026-03-07', '2026-03-08'] },
    { name: '2wd from Saturday 10:00 = Wednesday 00:00', start: '2026-03-07 10:00', duration: '2wd', due: '2026-03-11 00:00', skipped: ['2026-03-07', '2026-03-08'] },
    { name: '1wd from Monday 00:00 = Tuesday 00:00', start: '2026-03-09 00:00', duration: '1wd', due: '2026-03-10 00:00', skipped: [] },
    // 2025 data: National Day + Mid-Autumn 10-01…10-08, Saturday 10-11 worked.
    { name: '2025 National Day: 1wd from Tue 09-30 09:00', start: '2025-09-30 09:00', duration: '1wd', due: '2025-10-09 09:00', skipped: dateRange('2025-10-01', '2025-10-08') },
    // 1.6wd = 38.4h: Fri 14h + Mon 24h + Tue 0.4h (24 min).
    { name: 'fractional 1.6wd', start: '2026-03-06 10:00', duration: '1.6wd', due: '2026-03-10 00:24' },
  ];
  cases.forEach((c) => check(c));
});

describe('addDuration: working hours (wh), windows 08:30–12:00 and 13:30–17:30', () => {
  const cases: Case[] = [
    // Fri 16:00–17:30 1.5h; Mon 08:30–12:00 3.5h; 13:30 + 3h.
    { name: '8wh from Friday 16:00', start: '2026-03-06 16:00', duration: '8wh', due: '2026-03-09 16:30', skipped: ['2026-03-07', '2026-03-08'] },
    { name: 'start at lunch: 4wh ends exactly at 17:30, not next morning', start: '2026-03-09 12:30', duration: '4wh', due: '2026-03-09 17:30' },
    { name: 'start before opening', start: '2026-03-09 07:00', duration: '2wh', due: '2026-03-09 10:30' },
    { name: 'start after closing', start: '2026-03-09 18:00', duration: '1wh', due: '2026-03-10 09:30' },
    { name: 'crosses lunch', start: '2026-03-09 11:45', duration: '0.5wh', due: '2026-03-09 13:45' },
    { name: 'a full day is 7.5wh', start: '2026-03-09 08:30', duration: '7.5wh', due: '2026-03-09 17:30' },
    // Holiday start: nothing until Thu 10-08 (7.5h), then 0.5h on Fri.
    { name: 'start on a public holiday', start: '2026-10-03 10:00', duration: '8wh', due: '2026-10-09 09:00', skipped: dateRange('2026-10-03', '2026-10-07') },
    // Fri 17:00–17:30 0.5h, then the 调休 Saturday 08:30 + 1.5h.
    { name: 'the 调休 Saturday has working hours', start: '2026-10-09 17:00', duration: '2wh', due: '2026-10-10 10:00', adjusted: ['2026-10-10'] },
    // An adjusted Saturday whose hours were already over at the start did not count.
    { name: 'an adjusted day whose hours had passed is not listed', start: '2026-10-10 18:00', duration: '1wh', due: '2026-10-12 09:30', adjusted: [], skipped: ['2026-10-11'] },
    // 0.8 × 8wh = 6.4wh: Fri 1.5h, Mon 3.5h, 13:30 + 1.4h (84 min).
    { name: 'fractional 6.4wh', start: '2026-03-06 16:00', duration: '6.4wh', due: '2026-03-09 14:54' },
  ];
  cases.forEach((c) => check(c));

  it('a calendar without working hours rejects wh', () => {
    const noHours = new WorkingCalendar(cnSpec({ workingHours: [] }), []);
    assert.throws(
      () => addDuration(at('2026-03-09 10:00'), '1wh', noHours),
      (e: unknown) => e instanceof CalendarError && e.code === 'invalid_calendar',
    );
    assert.equal(local(addDuration(at('2026-03-09 10:00'), '1wd', noHours).due), '2026-03-10 10:00');
  });
});

describe('addDuration: pauses', () => {
  it('a 2-day pause inside a 2d span shifts the due time by 2 days', () => {
    const pauses = [{ from: at('2026-03-02 12:00'), to: at('2026-03-04 12:00') }];
    const r = addDuration(at('2026-03-02 09:00'), '2d', cal, pauses);
    assert.equal(local(r.due), '2026-03-06 09:00');
    assert.deepEqual(r.explanation.pauses, [{ from: pauses[0]!.from.toISOString(), to: pauses[0]!.to.toISOString() }]);
  });

  it('a pause over a weekend shifts a wd span only by the working time it covers', () => {
    // Without the pause: Tue 10:00. The 60h pause covers Fri 18–24 and Mon 0–6: 12h of ticking.
    const pauses = [{ from: at('2026-03-06 18:00'), to: at('2026-03-09 06:00') }];
    assert.equal(local(addDuration(at('2026-03-06 10:00'), '2wd', cal).due), '2026-03-10 10:00');
    assert.equal(local(addDuration(at('2026-03-06 10:00'), '2wd', cal, pauses).due), '2026-03-10 22:00');
  });

  it('a pause over lunch does not move a wh due time', () => {
    const pauses = [{ from: at('2026-03-09 12:00'), to: at('2026-03-09 13:30') }];
    assert.equal(local(addDuration(at('2026-03-09 11:00'), '2wh', cal, pauses).due), '2026-03-09 14:30');
  });

  it('an open pause makes the due time unknown but reports the time used', () => {
    const r = addDuration(at('2026-03-06 10:00'), '2wd', cal, [{ from: at('2026-03-06 12:00') }]);
    assert.equal(r.due, null);
    assert.equal(r.explanation.due, null);
    assert.equal(r.explanation.tickedMs, 2 * 3_600_000);
    assert.deepEqual(r.explanation.pauses, [{ from: at('2026-03-06 12:00').toISOString(), to: null }]);
    assert.match(r.explanation.text['zh-CN'], /暂停中，已计时 2 小时（共 2 个工作日）/);
    assert.match(r.explanation.text.en, /paused since 2026-03-06 12:00 with 2 hours of 2 working days used/);
  });

  it('an open pause (to: null) that began after the due time does not hide it', () => {
    const r = addDuration(at('2026-03-06 10:00'), '2h', cal, [{ from: at('2026-03-06 13:00'), to: null }]);
    assert.equal(local(r.due), '2026-03-06 12:00');
    assert.deepEqual(r.explanation.pauses, []);
  });

  it('an open pause that began before the start: nothing ticks', () => {
    const r = addDuration(at('2026-03-06 10:00'), '2h', cal, [{ from: at('2026-03-06 09:00') }]);
    assert.equal(r.due, null);
    assert.equal(r.explanation.tickedMs, 0);
  });

  it('pauses starting before the start, overlapping pauses and empty pauses', () => {
    const start = at('2026-03-02 10:00');
    assert.equal(local(addDuration(start, '1h', cal, [{ from: at('2026-03-02 09:00'), to: at('2026-03-02 11:00') }]).due), '2026-03-02 12:00');
    const overlapping = [
      { from: at('2026-03-02 11:00'), to: at('2026-03-02 13:00') },
      { from: at('2026-03-02 10:00'), to: at('2026-03-02 12:00') },
    ];
    assert.equal(local(addDuration(start, '1h', cal, overlapping).due), '2026-03-02 14:00');
    const backwards = [{ from: at('2026-03-02 12:00'), to: at('2026-03-02 11:00') }];
    assert.equal(local(addDuration(start, '1h', cal, backwards).due), '2026-03-02 11:00');
  });

  it('a due time reached exactly when a pause begins is that instant', () => {
    const r = addDuration(at('2026-03-02 10:00'), '2h', cal, [{ from: at('2026-03-02 12:00') }]);
    assert.equal(local(r.due), '2026-03-02 12:00');
  });

  it('rejects an invalid Date', () => {
    assert.throws(
      () => addDuration(new Date('nope'), '1h', cal),
      (e: unknown) => e instanceof CalendarError && e.code === 'invalid_date',
    );
    assert.throws(() => addDuration(at('2026-03-02 10:00'), '1h', cal, [{ from: new Date(Number.NaN) }]), /pauses\[0\]\.from/);
  });
});

describe('addDuration: missing holiday years', () => {
  const cases: Case[] = [
    // Thu Dec 30 14h, Fri Dec 31 24h, weekend, Mon Jan 3 10h; neither year has data.
    { name: '2wd from 2027-12-30 flags 2027 and 2028', start: '2027-12-30 10:00', duration: '2wd', due: '2028-01-03 10:00', missing: [2027, 2028], skipped: ['2028-01-01', '2028-01-02'] },
    // 2027-01-01 (a Friday) is assumed to be a working day.
    { name: '2wd from 2026-12-31 flags 2027 only', start: '2026-12-31 10:00', duration: '2wd', due: '2027-01-04 10:00', missing: [2027] },
    { name: 'wh spans flag too', start: '2027-06-01 10:00', duration: '1wh', due: '2027-06-01 11:00', missing: [2027] },
    { name: 'ending at midnight into a new year does not touch it', start: '2026-12-31 00:00', duration: '1wd', due: '2027-01-01 00:00', missing: [] },
    {
      name: "holidays 'none' never flags",
      start: '2027-12-30 10:00',
      duration: '2wd',
      due: '2028-01-03 10:00',
      missing: [],
      cal: new WorkingCalendar(cnSpec({ holidays: 'none' }), builtInHolidayYears('CN')),
    },
    {
      name: "holidays 'none' ignores CN holidays",
      start: '2026-09-30 10:00',
      duration: '2wd',
      due: '2026-10-02 10:00',
      skipped: [],
      cal: new WorkingCalendar(cnSpec({ holidays: 'none' }), builtInHolidayYears('CN')),
    },
  ];
  cases.forEach((c) => check(c));

  it('the explanation text carries a loud warning', () => {
    const e = addDuration(at('2027-12-30 10:00'), '2wd', cal).explanation;
    assert.match(e.text['zh-CN'], /^⚠ 警告：缺少 2027、2028 年节假日数据/);
    assert.match(e.text['zh-TW'], /^⚠ 警告：缺少 2027、2028 年節假日資料/);
    assert.match(e.text.en, /^WARNING: no holiday data for 2027, 2028/);
  });
});

describe('addDuration: admin-supplied holiday years', () => {
  it('a replacement year overrides the built-in one as a whole', () => {
    // Only 10-01…10-03 off and no 调休 Saturday: Sep 30 14h, Mon 10-05 24h, Tue 10-06 10h.
    const custom = parseHolidayYear({ holidays: ['2026-10-01', '2026-10-02', '2026-10-03'] }, { year: 2026 });
    const r = addDuration(at('2026-09-30 10:00'), '2wd', cnCalendar([custom]));
    assert.equal(local(r.due), '2026-10-06 10:00');
    assert.deepEqual(r.explanation.skippedDays, [
      { date: '2026-10-01', reason: 'public_holiday' },
      { date: '2026-10-02', reason: 'public_holiday' },
      { date: '2026-10-03', reason: 'public_holiday' },
      { date: '2026-10-04', reason: 'weekend' },
    ]);
    // The rest of the built-in 2026 is gone too (no Spring Festival).
    assert.equal(cnCalendar([custom]).isWorkingDate('2026-02-16'), true);
  });

  it('an added year extends the calendar and stops the missing-year warning', () => {
    const y2027 = parseHolidayYear({ year: 2027, days: [{ name: '元旦', date: '2027-01-01', isOffDay: true }] });
    const withData = cnCalendar([y2027]);
    assert.deepEqual(withData.knownYears(), [2025, 2026, 2027]);
    // Thu Dec 31 14h, Fri Jan 1 off, weekend, Mon Jan 4 24h, Tue Jan 5 10h.
    const r = addDuration(at('2026-12-31 10:00'), '2wd', withData);
    assert.equal(local(r.due), '2027-01-05 10:00');
    assert.deepEqual(r.explanation.missingHolidayYears, []);
    assert.deepEqual(r.explanation.skippedDays[0], { date: '2027-01-01', reason: 'public_holiday', name: '元旦' });
  });

  it('years for another region are ignored', () => {
    const hk = parseHolidayYear({ region: 'HK', year: 2026, days: [{ date: '2026-03-09', off: true }] });
    assert.equal(cnCalendar([hk]).isWorkingDate('2026-03-09'), true);
  });
});

describe('addDuration: computed durations', () => {
  it('80 % of 3wd uses the amount, and the explanation shows the recomputed text', () => {
    const d = parseDuration('3wd');
    // 2.4wd = 57.6h: Sep 30 14h, Oct 8 24h, Oct 9 19.6h (19:36).
    const r = addDuration(at('2026-09-30 10:00'), { ...d, amount: d.amount * 0.8 }, cal);
    assert.equal(local(r.due), '2026-10-09 19:36');
    assert.equal(r.explanation.duration, '2.4wd');
  });

  it('a zero amount is due at the start', () => {
    assert.equal(local(addDuration(at('2026-10-03 10:00'), { amount: 0, unit: 'wd', text: '0wd' }, cal).due), '2026-10-03 10:00');
  });

  const badDurations: unknown[] = [{ amount: -1, unit: 'h', text: '' }, { amount: Number.NaN, unit: 'h', text: '' }, { amount: 1, unit: 'y', text: '' }, 'soon'];
  for (const bad of badDurations) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      assert.throws(
        () => addDuration(at('2026-10-03 10:00'), bad as string, cal),
        (e: unknown) => e instanceof CalendarError && e.code === 'invalid_duration',
      );
    });
  }
});

describe('addDuration: a time zone with DST (Europe/Berlin)', () => {
  const berlin = new WorkingCalendar(
    {
      timeZone: BERLIN,
      holidays: 'none',
      workingWeekdays: [1, 2, 3, 4, 5],
      workingHours: [
        { start: '09:00', end: '12:00' },
        { start: '13:00', end: '17:00' },
      ],
    },
    [],
  );
  const everyDay = new WorkingCalendar({ timeZone: BERLIN, holidays: 'none', workingWeekdays: [1, 2, 3, 4, 5, 6, 7], workingHours: [{ start: '09:00', end: '17:00' }] }, []);

  it('working hours follow the wall clock across spring-forward', () => {
    // Fri 03-27 16:00 CET: 1h; Mon 03-30 (CEST) 09–12 3h, 13:00 + 3h = 16:00 CEST = 14:00Z.
    const r = addDuration(at('2026-03-27 16:00', BERLIN), '7wh', berlin);
    assert.equal(r.due?.toISOString(), '2026-03-30T14:00:00.000Z');
    assert.equal(local(r.due, BERLIN), '2026-03-30 16:00');
  });

  it('working hours follow the wall clock across fall-back', () => {
    // Fri 10-23 16:00 CEST: 1h; Mon 10-26 (CET) 09:00 + 1h = 10:00 CET = 09:00Z.
    const r = addDuration(at('2026-10-23 16:00', BERLIN), '2wh', berlin);
    assert.equal(r.due?.toISOString(), '2026-10-26T09:00:00.000Z');
  });

  it('a window is the real hours on the clock on the DST day itself', () => {
    // Sunday 03-29 is a working day here; 09:00 CEST + 8h = 17:00 CEST.
    assert.equal(addDuration(at('2026-03-29 09:00', BERLIN), '8wh', everyDay).due?.toISOString(), '2026-03-29T15:00:00.000Z');
  });

  it('1d is a calendar day in the zone: across spring-forward it is 23 real hours, the same wall-clock time', () => {
    assert.equal(local(addDuration(at('2026-03-28 12:00', BERLIN), '1d', berlin).due, BERLIN), '2026-03-29 12:00');
    // 24h stays 24 real hours.
    assert.equal(local(addDuration(at('2026-03-28 12:00', BERLIN), '24h', berlin).due, BERLIN), '2026-03-29 13:00');
  });

  it('wd on a 23-hour working day: the day contributes 23 hours', () => {
    // Sat 24h + Sun 03-29 23h = 47h; 1h into Monday.
    assert.equal(local(addDuration(at('2026-03-28 00:00', BERLIN), '2wd', everyDay).due, BERLIN), '2026-03-30 01:00');
    // Without a transition the same span ends at midnight.
    assert.equal(local(addDuration(at('2026-03-21 00:00', BERLIN), '2wd', everyDay).due, BERLIN), '2026-03-23 00:00');
  });

  it('wd with weekends skipped is unaffected by a weekend transition', () => {
    assert.equal(local(addDuration(at('2026-03-27 15:00', BERLIN), '2wd', berlin).due, BERLIN), '2026-03-31 15:00');
  });
});

describe('addDuration: guards', () => {
  it('a calendar that never ticks fails instead of looping forever', () => {
    const allOff = Array.from({ length: 12 }, (_, i) => 2026 + i).map((year) => ({
      region: 'CN',
      year,
      days: dateRange(`${year}-01-01`, `${year}-12-31`).map((date) => ({ date, off: true })),
    }));
    const c = new WorkingCalendar(cnSpec(), allOff);
    assert.throws(
      () => addDuration(at('2026-01-01 00:00'), '1wd', c),
      (e: unknown) => e instanceof CalendarError && e.code === 'invalid_calendar',
    );
  });

  it('30wd computes well under a millisecond on a warm calendar', () => {
    const c = cnCalendar();
    const start = at('2026-01-05 10:00').getTime();
    addDuration(new Date(start), '30wd', c); // warm the day cache and the JIT
    // CPU time, best of several batches, so a busy machine (parallel test files, other jobs)
    // does not make this flaky: waiting for a core is not computing.
    let best = Number.POSITIVE_INFINITY;
    for (let batch = 0; batch < 5; batch++) {
      const t0 = process.cpuUsage();
      for (let i = 0; i < 50; i++) addDuration(new Date(start + i * 3_600_000), '30wd', c);
      const used = process.cpuUsage(t0);
      best = Math.min(best, (used.user + used.system) / 1000 / 50);
    }
    assert.ok(best < 1, `average ${best.toFixed(3)} ms per 30wd`);
  });
});
