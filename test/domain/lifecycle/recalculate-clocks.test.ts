/**
 * ClockSet.recalculate (issue 10 §5): a running clock counted again on a changed holiday list
 * lands exactly where the same clock — same start, limit, pause and extension — lands when it was
 * counted on that list from the start; stopped, paused and fixed clocks are left alone; a clock
 * that does not move is not touched, unless the list supplied a year it had assumed (its flag is
 * cleared); a second recalculation changes nothing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ClockSet } from '../../../src/domain/lifecycle/clocks.js';
import { parseHolidayYear, type WorkingCalendar } from '../../../src/domain/calendar/index.js';
import { at, cnCalendar, local } from '../calendar/helpers.js';

// 2027 has no built-in data: without a list only weekends are off.
const before = cnCalendar();
const friOff = cnCalendar([parseHolidayYear({ holidays: ['2027-02-05'] }, { region: 'CN', year: 2027 })]);

/** A case's clocks after the same history, counted on `cal`. */
function history(cal: WorkingCalendar): ClockSet {
  const s = new ClockSet('c1', [], cal, 0.8);
  const now = at('2027-01-28 10:00');
  s.start('resolve', '5wd', now, now);
  s.start('triage', '24h', now, now);
  s.start('first_response', '1wd', now, now);
  s.stop('first_response', at('2027-01-28 11:00'));
  s.startFixed('regulator', at('2027-02-10 10:00'), now);
  s.pauseAll(at('2027-01-29 10:00'), ['regulator']); // one working day paused (Fri 10:00 → Mon 10:00)
  s.resumeAll(at('2027-02-01 10:00'));
  s.extend('resolve', '2wd', at('2027-02-02 10:00'));
  return s;
}

describe('ClockSet.recalculate', () => {
  it('moves a running clock by the working time the new list takes away, keeping its pause and extension', () => {
    const old = history(before);
    // 5wd from Thu 10:00, a working day paused, then +2wd: Tue 02-09 10:00 without holidays.
    assert.equal(local(new Date(old.get('resolve')!.dueAt!)), '2027-02-09 10:00');
    const again = new ClockSet('c1', old.all(), friOff, 0.8);
    const { moved, holidayData } = again.recalculate(at('2027-02-03 09:00'));
    const fresh = history(friOff).get('resolve')!;
    assert.equal(local(new Date(fresh.dueAt!)), '2027-02-10 10:00', 'Friday 02-05 off: one working day later');
    assert.deepEqual(moved, [{ clock: 'resolve', from: { dueAt: old.get('resolve')!.dueAt, warnAt: old.get('resolve')!.warnAt }, to: { dueAt: fresh.dueAt, warnAt: fresh.warnAt } }]);
    assert.deepEqual(holidayData, [], 'the moved clock is a move; the others count calendar hours or are not running');
    assert.deepEqual(again.get('resolve')!.missingHolidayYears, [], 'the year now has its list');
    assert.equal(again.get('resolve')!.dueAt, fresh.dueAt);
    assert.equal(again.get('resolve')!.warnAt, fresh.warnAt);
    assert.equal(again.get('resolve')!.nextCheckAt, fresh.nextCheckAt);
    assert.deepEqual(again.get('resolve')!.pauses, old.get('resolve')!.pauses);
    assert.deepEqual(again.get('resolve')!.extensions, ['2wd']);
    // Only the moved clock is written back; the others (calendar hours, stopped, fixed) did not move.
    assert.deepEqual(
      again.changes().map((k) => k.kind),
      ['resolve'],
    );
    assert.deepEqual(again.get('triage'), old.get('triage'));
    assert.deepEqual(again.get('first_response'), old.get('first_response'));
    assert.deepEqual(again.get('regulator'), old.get('regulator'));
    // Counted again on the same list: nothing moves.
    const twice = new ClockSet('c1', again.all(), friOff, 0.8);
    assert.deepEqual(twice.recalculate(at('2027-02-03 09:30')), { moved: [], holidayData: [] });
    assert.deepEqual(twice.changes(), []);
  });

  it('a paused clock has no due time to move', () => {
    const s = new ClockSet('c1', [], before, 0.8);
    s.start('resolve', '5wd', at('2027-01-28 10:00'), at('2027-01-28 10:00'));
    s.pauseAll(at('2027-01-29 10:00'), []);
    const again = new ClockSet('c1', s.all(), friOff, 0.8);
    assert.deepEqual(again.recalculate(at('2027-01-30 10:00')), { moved: [], holidayData: [] });
    assert.equal(again.get('resolve')!.dueAt, null);
  });

  it('a clock the new list does not move but whose missing year it supplies: the flag is cleared, recorded, not a move', () => {
    const s = new ClockSet('c1', [], before, 0.8);
    s.start('resolve', '3wd', at('2027-03-01 10:00'), at('2027-03-01 10:00'));
    assert.deepEqual(s.get('resolve')!.missingHolidayYears, [2027]);
    const again = new ClockSet('c1', s.all(), friOff, 0.8);
    const r = again.recalculate(at('2027-03-01 11:00'));
    assert.deepEqual(r, { moved: [], holidayData: [{ clock: 'resolve', missingHolidayYears: { from: [2027], to: [] } }] });
    assert.equal(again.get('resolve')!.dueAt, s.get('resolve')!.dueAt, 'Friday 02-05 is outside its span');
    assert.deepEqual(again.get('resolve')!.missingHolidayYears, []);
    assert.deepEqual(
      again.changes().map((k) => k.kind),
      ['resolve'],
      'the row is written',
    );
    const twice = new ClockSet('c1', again.all(), friOff, 0.8);
    assert.deepEqual(twice.recalculate(at('2027-03-01 12:00')), { moved: [], holidayData: [] });
    assert.deepEqual(twice.changes(), []);
  });
});
