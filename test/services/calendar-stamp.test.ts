/**
 * Holiday years edited on one instance reach the calendars of every instance on the same database
 * without a restart (issue 8): the edit bumps the calendars' cache stamp in its transaction, and
 * each instance rebuilds its calendars when it reads a stamp it has not built them at.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { readCacheStamp } from '../../src/store/cache-stamp.repository.js';
import { saveHolidayYear } from '../../src/store/calendar.repository.js';
import { parseHolidayYear } from '../../src/domain/calendar/index.js';

/** Longer than the default stamp check interval (services/app.ts). */
const STAMP_CHECK_MS = 1000;

for (const { dialect, skip } of await engines()) {
  describe(`calendar cache stamp across instances (${dialect})`, { skip }, () => {
    let a: Kesu;
    let b: Kesu;
    before(async () => {
      // Thursday 2027-01-28 10:00: 2027 has no built-in holiday data.
      a = await startKesu(dialect, { start: '2027-01-28T10:00:00+08:00' });
      b = await a.instance();
    });
    after(async () => {
      await b?.close();
      await a?.close();
    });

    const resolveDue = async (k: Kesu) => {
      const r = await k.as('agent').post('/api/v1/complaints', { kind: 'suggestion', channel: 'phone', description: '节假日更新', complainant: { anonymous: true } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return (r.body.clocks as { kind: string; dueAt: string }[]).find((c) => c.kind === 'resolve')!.dueAt;
    };
    const dueOn = async (k: Kesu) => (await k.as('agent').get(`/api/v1/calendar/due?start=${encodeURIComponent('2027-01-28T10:00:00+08:00')}&duration=2wd`)).body.due;

    it('a holiday year edited through instance A changes the deadlines instance B computes', async () => {
      // B has its calendars cached: 2 working days from Thu 10:00 end on Mon 2027-02-01 10:00,
      // a suggestion's 5 on Thu 02-04.
      assert.equal(await resolveDue(b), '2027-02-04T02:00:00.000Z');
      assert.equal(await dueOn(b), '2027-02-01T02:00:00.000Z');
      const stamp = await readCacheStamp(a.app.database.db, 'calendars');

      const put = await a.as('admin').put('/api/v1/calendar/years/2027', { holidays: ['2027-01-29'], workdays: [] });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      assert.equal(await readCacheStamp(a.app.database.db, 'calendars'), stamp + 1, 'the edit bumped the stamp');
      // A cleared its own cache at once; B within its stamp check interval.
      assert.equal(await dueOn(a), '2027-02-02T02:00:00.000Z', 'Friday is a holiday now');
      await sleep(STAMP_CHECK_MS + 200);
      assert.equal(await dueOn(b), '2027-02-02T02:00:00.000Z');
      assert.equal(await resolveDue(b), '2027-02-05T02:00:00.000Z', 'a case received on B gets the new deadline');
    });

    it('a year imported outside the server (kesu calendar import) reaches both', async () => {
      // What the CLI does: the store function on the root handle, no server involved.
      const year = parseHolidayYear({ holidays: [], workdays: ['2027-01-31'] }, { region: 'CN', year: 2027 });
      await saveHolidayYear(a.testDb.database.db, year, 'cli', new Date().toISOString());
      await sleep(STAMP_CHECK_MS + 200);
      // Thu 14 h, Fri 24 h, Sun 31 (调休) 10 h.
      for (const k of [a, b]) assert.equal(await dueOn(k), '2027-01-31T02:00:00.000Z');
    });
  });
}
