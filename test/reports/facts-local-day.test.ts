/**
 * reports/facts.ts `localDay` (the day an answer counts on for 当即处理) through its cached
 * `Intl.DateTimeFormat` gives the day luxon gives, in zones with and without daylight saving,
 * half-hour and quarter-hour offsets, around local midnights and clock changes, for times with
 * `Z` and with an offset; anything else still goes through luxon.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { localDay } from '../../src/reports/facts.js';

const ZONES = ['Asia/Shanghai', 'Asia/Taipei', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC'];
const luxonDay = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toISODate() ?? iso.slice(0, 10);

describe('facts localDay', () => {
  it('agrees with luxon on every stored form of a time, in every zone', () => {
    const instants: number[] = [];
    // Every 7 min 13 s over two weeks of each of two years (midnights, DST changes in spring in
    // the north and the south), plus a spread over 1990–2040.
    for (const start of [Date.UTC(2026, 2, 20), Date.UTC(2026, 9, 20), Date.UTC(1991, 3, 8)]) for (let t = start; t < start + 14 * 86_400_000; t += 433_000) instants.push(t);
    for (let i = 0; i < 2000; i++) instants.push(Date.UTC(1990, 0, 1) + Math.floor(((i * 2_654_435_761) % 1_000_000) * 1_577_836.8));
    let checked = 0;
    for (const zone of ZONES)
      for (const t of instants) {
        const z = new Date(t).toISOString();
        const offset = DateTime.fromMillis(t, { zone: 'Asia/Shanghai' }).toISO()!; // +08:00
        for (const iso of [z, offset, z.replace('.000Z', 'Z')]) {
          assert.equal(localDay(iso, zone), luxonDay(iso, zone), `${iso} in ${zone}`);
          checked++;
        }
      }
    assert.ok(checked > 100_000);
  });

  it('leaves other spellings and unknown zones to luxon', () => {
    for (const [iso, zone] of [
      ['2026-03-02T23:30:00', 'Asia/Shanghai'],
      ['2026-03-02', 'America/New_York'],
      ['not a time', 'Asia/Shanghai'],
      ['2026-03-02T23:30:00Z', 'Mars/Olympus'],
      ['2026-02-30T10:00:00Z', 'Asia/Shanghai'],
      ['2026-13-01T10:00:00Z', 'Asia/Shanghai'],
      ['2026-03-02T24:00:00Z', 'Asia/Shanghai'],
    ] as const)
      assert.equal(localDay(iso, zone), luxonDay(iso, zone), `${iso} in ${zone}`);
    assert.equal(localDay('2026-03-02T16:30:00Z', 'Asia/Shanghai'), '2026-03-03');
    assert.equal(localDay('2026-03-02T16:30:00Z', 'UTC'), '2026-03-02');
  });
});
