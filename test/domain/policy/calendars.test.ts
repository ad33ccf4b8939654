/**
 * Calendars in a policy: counting conventions, any holiday region with its own list, several
 * named calendars a clock counts on (a 24-hour emergency desk beside office hours), and the new
 * duration texts (1mo, eod, @eod, @09:00) in limits.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WorkingCalendar, addDuration } from '../../../src/domain/calendar/index.js';
import { calendarNameForClock, calendarSpec, durationText, parsePolicyText } from '../../../src/domain/policy/index.js';
import { ClockSet, clockCalendars } from '../../../src/domain/lifecycle/clocks.js';
import { MINIMAL_POLICY } from './fixtures.js';

const WITH_CALENDARS = `${MINIMAL_POLICY}
calendar:
  timeZone: Asia/Hong_Kong
  holidays: HK
  holidayList:
    - { date: '2026-12-24', name: Christmas Eve (office closed) }
  counting: statutory
  periodEnd: close
  workingHours: [{ start: '09:00', end: '18:00' }]
calendars:
  desk:
    workingWeekdays: [1, 2, 3, 4, 5, 6, 7]
    workingHours: [{ start: '00:00', end: '24:00' }]
    holidays: none
    counting: instant
    clocks: [triage]
flags:
  emergency: { limits: { resolve: 4wh }, calendar: desk }
`;

describe('calendars in a policy', () => {
  it('load with their defaults inherited from calendar', () => {
    const r = parsePolicyText(WITH_CALENDARS);
    assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.problems));
    const p = r.policy;
    assert.equal(p.calendar.counting, 'statutory');
    assert.deepEqual(p.calendar.holidayList, [{ date: '2026-12-24', off: true, name: 'Christmas Eve (office closed)' }]);
    const desk = calendarSpec(p, 'desk');
    assert.equal(desk.timeZone, 'Asia/Hong_Kong', 'inherited');
    assert.equal(desk.counting, 'instant');
    assert.deepEqual(desk.workingWeekdays, [1, 2, 3, 4, 5, 6, 7]);
    assert.throws(() => calendarSpec(p, 'nope'));
  });

  it('a clock counts on the calendar that lists it, an emergency case on the desk, the others on calendar', () => {
    const r = parsePolicyText(WITH_CALENDARS);
    assert.ok(r.ok);
    const p = r.policy;
    assert.equal(calendarNameForClock(p, 'triage'), 'desk');
    assert.equal(calendarNameForClock(p, 'resolve'), undefined);
    assert.equal(calendarNameForClock(p, 'resolve', { emergency: true }), 'desk');

    const office = new WorkingCalendar(calendarSpec(p), []);
    office.named.desk = new WorkingCalendar(calendarSpec(p, 'desk'), []);
    const c = { emergency: false };
    const clocks = new ClockSet(
      'c1',
      [],
      office,
      0.8,
      clockCalendars({ policy: p, calendar: office }, () => c),
    );
    const sat = new Date('2026-10-03T22:00:00+08:00');
    clocks.start('triage', '2wh', sat, sat);
    clocks.start('resolve', '2wh', sat, sat);
    // Sat 22:00 + 2 working hours on the desk: midnight; at the office: Mon 11:00 (Hong Kong time).
    assert.equal(clocks.get('triage')!.dueAt, '2026-10-03T16:00:00.000Z');
    assert.equal(clocks.get('resolve')!.dueAt, '2026-10-05T03:00:00.000Z');
    // Flagged an emergency: the running clock is recomputed on the desk.
    c.emergency = true;
    clocks.retime('resolve', '2wh', sat);
    assert.equal(clocks.get('resolve')!.dueAt, '2026-10-03T16:00:00.000Z');
  });

  it('the statutory convention of the policy applies to its day limits', () => {
    const r = parsePolicyText(WITH_CALENDARS);
    assert.ok(r.ok);
    const office = new WorkingCalendar(calendarSpec(r.policy), []);
    // Wed 12-23 received; 1d: Thu 12-24 is the office's own holiday, moved to Fri 12-25 (no HK
    // data given here), ending at the close of business.
    assert.equal(addDuration(new Date('2026-12-23T10:00:00+08:00'), '1d', office).due?.toISOString(), '2026-12-25T10:00:00.000Z');
  });

  it('reports what does not fit', () => {
    const bad = WITH_CALENDARS.replace('calendar: desk', 'calendar: night').replace('clocks: [triage]', "clocks: [triage]\n    holidayList: [{ date: '2026-02-30' }]").replace('holidays: HK', 'holidays: hongkong');
    const r = parsePolicyText(bad);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual(
      r.problems.map((x) => x.path),
      ['calendar.holidays'],
    );
    const r2 = parsePolicyText(bad.replace('holidays: hongkong', 'holidays: HK'));
    assert.ok(!r2.ok);
    if (r2.ok) return;
    assert.deepEqual(r2.problems.map((x) => x.path).sort(), ['calendars.desk.holidayList[0].date', 'flags.emergency.calendar']);
  });
});

describe('duration texts in a policy', () => {
  it('accepts months, eod and alignments', () => {
    for (const ok of ['1mo', '0.5mo', 'eod', '2h@eod', '1m@09:00', '3wd@eod']) assert.equal(durationText.safeParse(ok).success, true, ok);
    for (const bad of ['0mo', 'eod@eod', '1m@24:00', '1m@9:00', 'eod@09:00', '1mo@']) assert.equal(durationText.safeParse(bad).success, false, bad);
  });

  it('compares months with days only when the answer is certain', () => {
    const base = MINIMAL_POLICY.replace('limits: { resolve: 2wd }', 'limits: { resolve: 1mo, triage: 32d, first_response: 30d }');
    const r = parsePolicyText(base);
    assert.ok(!r.ok);
    if (r.ok) return;
    assert.deepEqual(
      r.problems.map((x) => x.path),
      ['grades[0].limits.triage'],
    );
    assert.ok(parsePolicyText(`${MINIMAL_POLICY}gradeRise: [{ after: 1mo, to: major }]\n`).ok);
  });
});
