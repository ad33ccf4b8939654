/**
 * A holiday list that changes moves the running clocks it concerns (issue 10 §5): each case
 * whose times move gets one audited `recalculate_clocks` transition by the system, with every
 * moved clock's old and new times; a later promise sends the customer one delay notice, an
 * earlier one the earlier-promise message; a second run moves nothing; a case whose clocks do not
 * count working time gets nothing; one whose clock had assumed a year the list supplies without
 * moving it has that flag cleared. Through the
 * admin route, the CLI (`kesu calendar import`) and — for an import whose recalculation never
 * ran — the sweeper loop.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { latestClockRecalculation, recalculateClocks, runningClockRecalculation } from '../../src/services/recalculate-clocks.js';
import { pendingRecalculations, saveHolidayYear } from '../../src/store/calendar.repository.js';
import { parseHolidayYear } from '../../src/domain/calendar/index.js';
import { startSweeper } from '../../src/jobs/deadline-sweeper.js';

const root = new URL('../..', import.meta.url).pathname;
// Thursday 2027-01-28 10:00 (Shanghai): 2027 has no built-in holiday data. A suggestion's promise
// is 5 working days (kesu-default): Fri 29, Mon 1, Tue 2, Wed 3, Thu 4 → Thu 2027-02-04 10:00;
// its warning at 80 % (4 working days) on Wed 02-03 10:00.
const START = '2027-01-28T10:00:00+08:00';
const DUE = '2027-02-04T02:00:00.000Z';
const WARN = '2027-02-03T02:00:00.000Z';
// With Friday 01-29 a holiday everything is one working day later (Friday 02-05, Thursday 02-04).
const DUE_FRI_OFF = '2027-02-05T02:00:00.000Z';
const WARN_FRI_OFF = '2027-02-04T02:00:00.000Z';

for (const { dialect, skip } of await engines()) {
  describe(`clocks recalculated after a holiday change (${dialect})`, { skip }, () => {
    let k: Kesu;
    before(async () => {
      k = await startKesu(dialect, { start: START });
    });
    after(async () => k?.close());

    const receive = async (kind: 'suggestion' | 'inquiry', phone: string) => {
      const r = await k.as('agent').post('/api/v1/complaints', { kind, channel: 'phone', description: '节假日变更测试', complainant: { name: '王女士', phone } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.complaint.id as string;
    };
    const view = async (id: string) => (await k.as('specialist').get(`/api/v1/complaints/${id}`)).body;
    const resolve = async (id: string) => (await view(id)).clocks.find((c: any) => c.kind === 'resolve');
    const recalcEvents = async (id: string) => (await view(id)).timeline.filter((e: any) => e.action === 'recalculate_clocks');
    const notices = async (id: string, template = 'delay_notice') =>
      (await k.testDb.database.db.selectFrom('outbox').select(['payload', 'recipient']).where('complaint_id', '=', id).where('template', '=', template).orderBy('id').execute()).map((m) => ({
        payload: JSON.parse(m.payload),
        to: JSON.parse(m.recipient),
      }));
    const put = async (body: unknown) => {
      const before = latestClockRecalculation(k.app);
      const r = await k.as('admin').put('/api/v1/calendar/years/2027', body);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      // The route does not wait for the recalculation: it starts it after the write committed.
      const run = latestClockRecalculation(k.app);
      assert.ok(run && run !== before, 'the route started a recalculation');
      return run;
    };

    let suggestion: string;
    let inquiry: string;

    it('the admin route: a date that becomes a holiday moves the promise by one working day, audited, the customer told once', async () => {
      suggestion = await receive('suggestion', '13900002222');
      inquiry = await receive('inquiry', '13900003333'); // 24 h: calendar hours, no holiday moves it
      assert.equal((await resolve(suggestion)).dueAt, DUE);
      assert.equal((await resolve(suggestion)).warnAt, WARN);
      const inquiryDue = (await resolve(inquiry)).dueAt;

      const r = await put({ holidays: ['2027-01-29'], workdays: [] });
      assert.ok(r);
      assert.deepEqual(
        r.moved.map((m) => m.complaintId),
        [suggestion],
      );
      assert.deepEqual(
        r.regions.map((p) => [p.region, p.done]),
        [['CN', true]],
      );

      const k2 = await resolve(suggestion);
      assert.equal(k2.dueAt, DUE_FRI_OFF);
      assert.equal(k2.warnAt, WARN_FRI_OFF);
      assert.equal(k2.nextCheckAt, WARN_FRI_OFF, 'the sweeper looks at the new warning time');
      const events = await recalcEvents(suggestion);
      assert.equal(events.length, 1);
      assert.equal(events[0].actorId, 'system');
      assert.deepEqual(events[0].data.input, { region: 'CN', revision: 1 });
      assert.deepEqual(events[0].data.clocks, [{ clock: 'resolve', from: { dueAt: DUE, warnAt: WARN }, to: { dueAt: DUE_FRI_OFF, warnAt: WARN_FRI_OFF } }]);
      assert.deepEqual(events[0].data.promise, { from: DUE, to: DUE_FRI_OFF, because: 'recalculate_clocks' });
      assert.equal(events[0].fromState, events[0].toState, 'the case keeps its state');

      const sent = await notices(suggestion);
      assert.equal(sent.length, 1);
      assert.equal(sent[0]!.payload.dueAt, DUE_FRI_OFF);
      assert.equal(sent[0]!.payload.previousDueAt, DUE);
      assert.deepEqual(sent[0]!.to, { customer: true });

      assert.equal((await resolve(inquiry)).dueAt, inquiryDue);
      assert.deepEqual(await recalcEvents(inquiry), [], 'a case whose times do not move gets no event');
      assert.deepEqual(await notices(inquiry), []);
    });

    it('a second run moves nothing (the same list saved again)', async () => {
      const version = (await view(suggestion)).complaint.version;
      const r = await put({ holidays: ['2027-01-29'], workdays: [] });
      assert.ok(r);
      assert.ok(r.cases >= 2, 'the running clocks were counted again');
      assert.deepEqual(r.moved, []);
      assert.equal((await view(suggestion)).complaint.version, version);
      assert.equal((await recalcEvents(suggestion)).length, 1);
      assert.equal((await notices(suggestion)).length, 1, 'no second notice');
      assert.deepEqual(await pendingRecalculations(k.app.database.db), []);
    });

    it('a date that stops being a holiday moves the promise back; the customer is told the earlier time (not as a delay), once', async () => {
      const r = await put({ holidays: [], workdays: [] });
      assert.ok(r);
      assert.deepEqual(
        r.moved.map((m) => m.complaintId),
        [suggestion],
      );
      assert.equal((await resolve(suggestion)).dueAt, DUE);
      const events = await recalcEvents(suggestion);
      assert.equal(events.length, 2);
      assert.deepEqual(events[1].data.clocks, [{ clock: 'resolve', from: { dueAt: DUE_FRI_OFF, warnAt: WARN_FRI_OFF }, to: { dueAt: DUE, warnAt: WARN } }]);
      assert.deepEqual(events[1].data.promise, { from: DUE_FRI_OFF, to: DUE, because: 'recalculate_clocks' });
      assert.equal((await notices(suggestion)).length, 1, 'no delay notice for an earlier time');
      const earlier = await notices(suggestion, 'promise_earlier');
      assert.deepEqual(
        earlier.map((m) => [m.payload.previousDueAt, m.payload.dueAt, m.to]),
        [[DUE_FRI_OFF, DUE, { customer: true }]],
      );
    });

    it('an import whose recalculation never ran stays pending and the sweeper loop does it, in batches', async () => {
      const other = await receive('suggestion', '13900004444');
      // What an import does before its process dies: the write (with its revision), no recalculation.
      await saveHolidayYear(k.app.database.db, parseHolidayYear({ holidays: ['2027-02-01'] }, { region: 'CN', year: 2027 }), 'cli', k.app.now().toISOString());
      assert.deepEqual(await pendingRecalculations(k.app.database.db), [{ region: 'CN', revision: 4 }]);
      assert.equal((await resolve(other)).dueAt, DUE);

      const sentBefore = { [suggestion]: (await notices(suggestion)).length, [other]: 0 };
      const stop = startSweeper(k.app, 60_000);
      try {
        // The sweeper's first pass starts the recalculation as it ends.
        while (!runningClockRecalculation(k.app) && (await pendingRecalculations(k.app.database.db)).length) await tick();
        await runningClockRecalculation(k.app);
      } finally {
        await stop();
      }
      assert.deepEqual(await pendingRecalculations(k.app.database.db), []);
      for (const id of [suggestion, other]) {
        assert.equal((await resolve(id)).dueAt, DUE_FRI_OFF, 'Monday 02-01 off: one working day later');
        const sent = await notices(id);
        assert.equal(sent.length, sentBefore[id]! + 1, 'one delay notice for this move');
        assert.equal(sent.at(-1)!.payload.dueAt, DUE_FRI_OFF);
      }
      // Run again in batches of one: every case is looked at, none moves.
      await saveHolidayYear(k.app.database.db, parseHolidayYear({ holidays: ['2027-02-01'] }, { region: 'CN', year: 2027 }), 'cli', k.app.now().toISOString());
      const again = await recalculateClocks(k.app, { batch: 1 });
      assert.ok(again.cases >= 3);
      assert.deepEqual(again.moved, []);
    });

    it('the CLI (kesu calendar import) recalculates after its write', async () => {
      const id = await receive('suggestion', '13900005555');
      assert.equal((await resolve(id)).dueAt, DUE_FRI_OFF);
      const dir = mkdtempSync(join(tmpdir(), 'kesu-recalc-cli-'));
      try {
        const file = join(dir, 'CN-2027.json');
        writeFileSync(file, JSON.stringify({ year: 2027, holidays: ['2027-02-01', '2027-02-02'] }));
        const env = k.testDb.url ? { DATABASE_URL: k.testDb.url, KESU_DATA_DIR: dir } : { DATABASE_URL: '', KESU_DATA_DIR: k.testDb.dataDir! };
        const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/kesu.ts'), 'calendar', 'import', file], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, /saved CN 2027: 2 days/);
        assert.match(r.stdout, /clocks recalculated: \d+ cases with running clocks, 3 moved/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      // Mon and Tue off: Fri 29, Wed 3, Thu 4, Fri 5, Mon 8 → Monday 02-08 10:00.
      assert.equal((await resolve(id)).dueAt, '2027-02-08T02:00:00.000Z');
      const events = await recalcEvents(id);
      assert.equal(events.length, 1);
      assert.deepEqual(
        events[0].data.clocks.map((m: any) => [m.from.dueAt, m.to.dueAt]),
        [[DUE_FRI_OFF, '2027-02-08T02:00:00.000Z']],
      );
      assert.deepEqual(await pendingRecalculations(k.app.database.db), []);
    });

    it('a run stopped half way leaves the region pending; the next run finishes it, and the cases already done do not move again', async () => {
      const ids = (await k.testDb.database.db.selectFrom('complaints').select('id').where('kind', '=', 'suggestion').orderBy('id').execute()).map((r) => r.id);
      assert.equal(ids.length, 3);
      await saveHolidayYear(k.app.database.db, parseHolidayYear({ holidays: ['2027-02-01', '2027-02-02', '2027-02-03'] }, { region: 'CN', year: 2027 }), 'cli', k.app.now().toISOString());
      // Cases are taken in id order, the inquiry (whose clocks never move) among them: the test clock
      // stands still, so which of the ids of one millisecond comes first is chance.
      const order = (await k.testDb.database.db.selectFrom('clocks').select('complaint_id').distinct().where('status', '=', 'running').orderBy('complaint_id').execute()).map((r) => r.complaint_id);
      const firstAt = order.findIndex((id) => ids.includes(id));
      // `stopping` is asked once before the region, then before each case: stop right after the first suggestion.
      let asked = 0;
      const first = await recalculateClocks(k.app, { batch: 1, stopping: () => ++asked > 2 + firstAt });
      assert.deepEqual(
        first.moved.map((m) => m.complaintId),
        [order[firstAt]],
      );
      assert.deepEqual(
        first.regions.map((p) => p.done),
        [false],
      );
      assert.equal((await pendingRecalculations(k.app.database.db)).length, 1, 'still pending');
      const rest = await recalculateClocks(k.app, { batch: 1 });
      assert.deepEqual(
        rest.moved.map((m) => m.complaintId),
        order.filter((id) => ids.includes(id) && id !== order[firstAt]),
      );
      assert.deepEqual(await pendingRecalculations(k.app.database.db), []);
      // Mon–Wed off: Fri 29, Thu 4, Fri 5, Mon 8, Tue 9 → Tuesday 02-09 10:00, each moved once.
      for (const id of ids) {
        assert.equal((await resolve(id)).dueAt, '2027-02-09T02:00:00.000Z');
        assert.equal((await recalcEvents(id)).filter((e: any) => e.data.input.revision === 7).length, 1);
      }
    });

    it('a year saved that moves no time of a clock which had assumed it: the missing-data flag is cleared, audited, nobody told', async () => {
      // 2028 has no holiday data either: a suggestion received then counts its 5 working days on plain weekdays.
      k.clock.set('2028-03-01T10:00:00+08:00');
      const id = await receive('suggestion', '13900006666');
      const due = (await resolve(id)).dueAt;
      assert.deepEqual((await resolve(id)).missingHolidayYears, [2028]);
      const version = (await view(id)).complaint.version;
      const save2028 = async () => {
        const before = latestClockRecalculation(k.app);
        const r = await k.as('admin').put('/api/v1/calendar/years/2028', { holidays: ['2028-10-02'], workdays: [] });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        const started = latestClockRecalculation(k.app);
        assert.ok(started && started !== before, 'the route started a recalculation');
        const done = await started;
        assert.ok(done);
        return done;
      };
      const run = await save2028();
      assert.ok(!run.moved.some((m) => m.complaintId === id), 'not a case whose times moved');
      const after = await resolve(id);
      assert.deepEqual([after.dueAt, after.missingHolidayYears], [due, []]);
      const events = await recalcEvents(id);
      assert.equal(events.length, 1);
      assert.deepEqual([events[0].data.clocks, events[0].data.holidayData, events[0].data.promise], [[], [{ clock: 'resolve', missingHolidayYears: { from: [2028], to: [] } }], undefined]);
      assert.equal((await view(id)).complaint.version, version + 1);
      assert.deepEqual([await notices(id), await notices(id, 'promise_earlier')], [[], []]);
      // Saved again: nothing left to clear.
      assert.deepEqual((await save2028()).moved, []);
      assert.equal((await recalcEvents(id)).length, 1);
      assert.equal((await view(id)).complaint.version, version + 1);
    });
  });
}
