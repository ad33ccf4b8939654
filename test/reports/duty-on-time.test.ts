/**
 * Duties in the on-time figures (issue 11 §2 with issue 10's duties): `onTime.byDuty` counts the
 * case duties of the cohort per duty code like the clocks — met when completed in time, breached
 * once late (also when completed afterwards), open ones left out — on every engine, with the test
 * clock on the official 2026 calendar (working hours 08:30–12:00, 13:30–17:30). Values by hand.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { dutiesMetAndBreached, dutiesPolicyFile } from './duties-fixture.js';

const Q = 'from=2026-03-01&to=2026-03-31&groupBy=month';

for (const { dialect, skip } of await engines()) {
  describe(`report statistics: duties on time (${dialect})`, { skip }, () => {
    let k: Kesu;
    before(async () => {
      // Monday 2026-03-02 09:00 in Shanghai.
      k = await startKesu(dialect, { start: '2026-03-02T09:00:00+08:00', policy: dutiesPolicyFile() });
    });
    after(async () => k?.close());

    it('counts each duty code met or breached, open ones left out', async () => {
      // The fixture's history (duties-fixture.ts): report_back due 11:00 (2 working hours) met by
      // a and b, breached by the sweeper for c and completed afterwards (still breached); callback
      // due Tue 09:00 (1 working day) met by a, open for b and c.
      await dutiesMetAndBreached(k);

      const s = (await k.as('specialist').get(`/api/v1/reports/statistics?${Q}`)).body;
      // report_back: a and b in time, c late → 2 / 3; callback: a in time, b and c still open (left out) → 1 / 1.
      assert.deepEqual(s.onTime.byDuty, [
        { code: 'callback', met: 1, breached: 0, rate: 1 },
        { code: 'report_back', met: 2, breached: 1, rate: 0.6667 },
      ]);
      // Duties are not stages: the per-stage and per-grade figures count the clocks only.
      assert.ok(!s.onTime.byStage.some((x: any) => x.stage.startsWith('duty:')));
      const clockInstances = s.onTime.byGrade.reduce((n: number, g: any) => n + g.met + g.breached, 0);
      assert.equal(
        clockInstances,
        s.onTime.byStage.reduce((n: number, g: any) => n + g.met + g.breached, 0),
      );
      // A filter that matches none of the cases leaves none of their duties.
      const none = (await k.as('specialist').get(`/api/v1/reports/statistics?${Q}&department=sales`)).body;
      assert.deepEqual(none.onTime.byDuty, []);
    });
  });
}
