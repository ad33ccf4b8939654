/**
 * The report schedule (issue 11 §3) as a pure function of the policy, its calendar and an
 * injected "now", on the official 2026 mainland calendar: 国庆 1–7 October (10 October, a
 * Saturday, worked), 元旦 1–3 January (4 January, a Sunday, worked), 春节 15–23 February.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WorkingCalendar, builtInHolidayYears } from '../../src/domain/calendar/index.js';
import { calendarSpec, parsePolicyText, type Policy } from '../../src/domain/policy/index.js';
import { reportRule, reportsOf } from '../../src/domain/policy/reports.js';
import { dueRuns, nextRuns, parsePeriod, periodContaining, periodEnded, runFor, shiftPeriod } from '../../src/reports/schedule.js';
import { presetData, preset } from '../domain/policy/fixtures.js';

const calendarOf = (p: Policy) => new WorkingCalendar(calendarSpec(p), builtInHolidayYears('CN'));
const at = (local: string) => new Date(`${local}+08:00`);
const iso = (d: Date) => d.toISOString();

function policyWith(reports: unknown): Policy {
  const data = presetData('kesu-default');
  data.reports = reports;
  const r = parsePolicyText(JSON.stringify(data), 'json');
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.policy;
}

describe('report periods', () => {
  it('parses and names weeks, months, quarters and years', () => {
    assert.deepEqual(parsePeriod('weekly', '2026-W48'), { kind: 'weekly', label: '2026-W48', from: '2026-11-23', to: '2026-11-29' });
    assert.deepEqual(parsePeriod('weekly', '2026-W01'), { kind: 'weekly', label: '2026-W01', from: '2025-12-29', to: '2026-01-04' });
    assert.deepEqual(parsePeriod('monthly', '2026-02'), { kind: 'monthly', label: '2026-02', from: '2026-02-01', to: '2026-02-28' });
    assert.deepEqual(parsePeriod('quarterly', '2026-Q4'), { kind: 'quarterly', label: '2026-Q4', from: '2026-10-01', to: '2026-12-31' });
    assert.deepEqual(parsePeriod('yearly', '2026'), { kind: 'yearly', label: '2026', from: '2026-01-01', to: '2026-12-31' });
    for (const [kind, bad] of [
      ['weekly', '2026-W54'],
      ['weekly', '2026-11'],
      ['monthly', '2026-13'],
      ['monthly', '2026-W48'],
      ['quarterly', '2026-Q5'],
      ['yearly', '26'],
    ] as const) {
      assert.equal(parsePeriod(kind, bad), null, `${kind} ${bad}`);
    }
    // The local date decides: Sunday 23:30 in Shanghai is still week 48, though UTC says Sunday 15:30.
    assert.equal(periodContaining('weekly', at('2026-11-29T23:30:00'), 'Asia/Shanghai').label, '2026-W48');
    assert.equal(periodContaining('weekly', at('2026-11-30T00:10:00'), 'Asia/Shanghai').label, '2026-W49');
    assert.equal(shiftPeriod(parsePeriod('weekly', '2026-W01')!, -1).label, '2025-W52');
    assert.equal(periodEnded(parsePeriod('monthly', '2026-11')!, 'Asia/Shanghai', at('2026-11-30T23:59:59')), false);
    assert.equal(periodEnded(parsePeriod('monthly', '2026-11')!, 'Asia/Shanghai', at('2026-12-01T00:00:00')), true);
  });
});

describe('the default schedule (no reports section: weekly Tuesday 09:00, monthly the 2nd 09:00, next working day)', () => {
  const p = preset('kesu-default');
  const cal = calendarOf(p);
  const rules = reportsOf({});

  it('runs the weekly report on Tuesday and the monthly on the 2nd on ordinary working days', () => {
    const w48 = runFor(reportRule(rules, 'weekly'), parsePeriod('weekly', '2026-W48')!, cal);
    assert.equal(iso(w48.at), iso(at('2026-12-01T09:00:00')));
    assert.equal(w48.moved, false);
    const nov = runFor(reportRule(rules, 'monthly'), parsePeriod('monthly', '2026-11')!, cal);
    assert.equal(iso(nov.at), iso(at('2026-12-02T09:00:00')));
  });

  it('moves a monthly report due on 2 October (国庆) to the first working day after the holiday', () => {
    const sep = runFor(reportRule(rules, 'monthly'), parsePeriod('monthly', '2026-09')!, cal);
    assert.equal(iso(sep.nominal), iso(at('2026-10-02T09:00:00')));
    assert.equal(iso(sep.at), iso(at('2026-10-08T09:00:00')));
    assert.equal(sep.moved, true);
  });

  it('moves a weekly Tuesday that is a holiday, and lands on an adjusted working Sunday (调休)', () => {
    // Week 40 ends on 4 October; Tuesday 6 October is 国庆.
    const w40 = runFor(reportRule(rules, 'weekly'), parsePeriod('weekly', '2026-W40')!, cal);
    assert.equal(iso(w40.at), iso(at('2026-10-08T09:00:00')));
    // December's report is due on 2 January (元旦); 3 January is a holiday too, 4 January is a
    // Sunday worked in exchange: the report runs then, not on Monday the 5th.
    const dec = runFor(reportRule(rules, 'monthly'), parsePeriod('monthly', '2025-12')!, cal);
    assert.equal(iso(dec.at), iso(at('2026-01-04T09:00:00')));
  });

  it('says which runs are due at an injected "now", across the holiday', () => {
    const kinds = (now: Date) => dueRuns(p, cal, now, { lookback: 1 }).map((r) => `${r.kind} ${r.period.label}`);
    // Tuesday 6 October 09:30, in 国庆: week 40 is not due yet; September is not due either.
    assert.deepEqual(kinds(at('2026-10-06T09:30:00')), []);
    // Thursday 8 October 08:59: still nothing. 09:00: both, the month first (its nominal time came first).
    assert.deepEqual(kinds(at('2026-10-08T08:59:00')), []);
    assert.deepEqual(kinds(at('2026-10-08T09:00:00')), ['monthly 2026-09', 'weekly 2026-W40']);
    // With a longer look-back, the run of week 39 (Tuesday 29 September) is due as well: a run
    // missed while no instance was up is still made.
    assert.deepEqual(
      dueRuns(p, cal, at('2026-10-08T09:00:00')).map((r) => `${r.kind} ${r.period.label}`),
      ['monthly 2026-07', 'monthly 2026-08', 'weekly 2026-W38', 'weekly 2026-W39', 'monthly 2026-09', 'weekly 2026-W40'],
    );
    // Periods that ended before Kesu started are never due.
    assert.deepEqual(
      dueRuns(p, cal, at('2026-10-08T09:00:00'), { notBefore: at('2026-09-28T10:00:00') }).map((r) => `${r.kind} ${r.period.label}`),
      ['monthly 2026-09', 'weekly 2026-W40'],
    );
    const next = nextRuns(p, cal, at('2026-10-08T09:00:00'));
    assert.deepEqual(
      next.map((r) => [r.kind, r.period.label, iso(r.at)]),
      [
        ['weekly', '2026-W41', iso(at('2026-10-13T09:00:00'))],
        ['monthly', '2026-10', iso(at('2026-11-02T09:00:00'))],
      ],
    );
  });
});

describe('schedules the policy sets', () => {
  it('keep: runs on the holiday itself', () => {
    const p = policyWith({ onHoliday: 'keep' });
    const sep = runFor(reportRule(reportsOf(p), 'monthly'), parsePeriod('monthly', '2026-09')!, calendarOf(p));
    assert.equal(iso(sep.at), iso(at('2026-10-02T09:00:00')));
    assert.equal(sep.moved, false);
  });

  it('a Saturday rule runs on the worked Saturday 10 October and moves the next one to Monday', () => {
    const p = policyWith({ weekly: { weekday: 6, at: '10:30' } });
    const cal = calendarOf(p);
    const rule = reportRule(reportsOf(p), 'weekly');
    assert.equal(iso(runFor(rule, parsePeriod('weekly', '2026-W40')!, cal).at), iso(at('2026-10-10T10:30:00')));
    assert.equal(iso(runFor(rule, parsePeriod('weekly', '2026-W41')!, cal).at), iso(at('2026-10-19T10:30:00')));
  });

  it('a cron rule, quarterly and yearly reports, per-kind sections and recipients', () => {
    const p = policyWith({
      sections: ['intake', 'handling'],
      recipients: { roles: ['admin'], emails: ['gm@example.com'] },
      weekly: { cron: '30 8 * * 1' },
      monthly: { enabled: false },
      quarterly: { enabled: true, day: 1, recipients: { bots: ['ops'] } },
      yearly: { enabled: true, sections: ['satisfaction'] },
    });
    const cal = calendarOf(p);
    const r = reportsOf(p);
    // Monday 08:30 after the week; Monday 5 October is 国庆 → Thursday 8th.
    assert.equal(iso(runFor(reportRule(r, 'weekly'), parsePeriod('weekly', '2026-W48')!, cal).at), iso(at('2026-11-30T08:30:00')));
    assert.equal(iso(runFor(reportRule(r, 'weekly'), parsePeriod('weekly', '2026-W40')!, cal).at), iso(at('2026-10-08T08:30:00')));
    // Q3's report on 1 October → 8 October; 2025's on 10 January 2026, a Saturday → Monday 12th.
    assert.equal(iso(runFor(reportRule(r, 'quarterly'), parsePeriod('quarterly', '2026-Q3')!, cal).at), iso(at('2026-10-08T09:00:00')));
    assert.equal(iso(runFor(reportRule(r, 'yearly'), parsePeriod('yearly', '2025')!, cal).at), iso(at('2026-01-12T09:00:00')));
    assert.deepEqual(reportRule(r, 'weekly').sections, ['intake', 'handling']);
    assert.deepEqual(reportRule(r, 'yearly').sections, ['satisfaction']);
    assert.deepEqual(reportRule(r, 'quarterly').recipients.bots, ['ops']);
    assert.deepEqual(reportRule(r, 'weekly').recipients.emails, ['gm@example.com']);
    assert.deepEqual(
      dueRuns(p, cal, at('2026-10-08T09:00:00'), { lookback: 1 }).map((x) => `${x.kind} ${x.period.label}`),
      ['yearly 2025', 'weekly 2026-W40', 'quarterly 2026-Q3'],
    );
  });

  it('refuses a bad section, time, cron rule or recipient, naming the field', () => {
    for (const [reports, path] of [
      [{ sections: ['intake', 'gossip'] }, 'reports.sections[1]'],
      [{ weekly: { at: '9:00' } }, 'reports.weekly.at'],
      [{ monthly: { cron: 'every tuesday' } }, 'reports.monthly.cron'],
      [{ recipients: { emails: ['not-an-address'] } }, 'reports.recipients.emails[0]'],
      [{ weekly: { weekday: 8 } }, 'reports.weekly.weekday'],
      [{ daily: {} }, 'reports'],
    ] as const) {
      const data = presetData('kesu-default');
      data.reports = reports;
      const r = parsePolicyText(JSON.stringify(data), 'json');
      assert.equal(r.ok, false, JSON.stringify(reports));
      if (!r.ok)
        assert.ok(
          r.problems.some((x) => x.path.startsWith(path)),
          `${path} in ${r.problems.map((x) => x.path).join(', ')}`,
        );
    }
  });

  it('the 002 preset writes the 周报 / 月报 of 篇7 out', () => {
    const p = preset('car-dealer-002');
    const r = reportsOf(p);
    assert.equal(reportRule(r, 'weekly').weekday, 2);
    assert.equal(reportRule(r, 'monthly').day, 2);
    assert.equal(r.onHoliday, 'nextWorkingDay');
    assert.ok(r.recipients.roles.length > 0);
  });
});
