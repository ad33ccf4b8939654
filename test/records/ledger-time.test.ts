/**
 * The ledger time parser's fast path (validate.ts FAST_LOCAL with the cached zone offsets) reads
 * every spelling exactly as luxon's format parser over the documented formats does — the same
 * instant, the same refusals — in zones with and without clock changes, on and around the days
 * the clocks change, each read twice (the second read comes from the offset cache).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { parseLedgerTime } from '../../src/records/import/validate.js';

const FORMATS = [
  'yyyy-M-d H:mm:ss',
  'yyyy-M-d H:mm',
  'yyyy-M-d',
  'yyyy/M/d H:mm:ss',
  'yyyy/M/d H:mm',
  'yyyy/M/d',
  'yyyy.M.d H:mm',
  'yyyy.M.d',
  "yyyy'年'M'月'd'日' H:mm:ss",
  "yyyy'年'M'月'd'日' H:mm",
  "yyyy'年'M'月'd'日'H:mm",
  "yyyy'年'M'月'd'日'",
  'yyyyMMdd',
];

function byLuxon(s: string, zone: string): number | null {
  for (const f of FORMATS) {
    const d = DateTime.fromFormat(s, f, { zone });
    if (d.isValid) return d.toMillis();
  }
  return null;
}

const SAMPLES = [
  '2025-03-09 02:30',
  '2025-03-09 02:30:15',
  '2025-03-09 01:59',
  '2025-03-09 03:00',
  '2025-3-9 2:05',
  '2025/11/02 01:30',
  '2025/11/2 1:59:59',
  '2025-10-26 02:30',
  '2025-10-26 02:45:00',
  '2025-03-30 02:15',
  '2025-04-06 01:45',
  '2025-10-05 02:10',
  '2025.1.2 3:04',
  '2025.1.2 3:04:05',
  '2025年3月9日 10:00',
  '2025年3月9日10:00',
  '2025年3月9日10:00:00',
  '2025年3月9日 10:00:00',
  '2025年3月9日',
  '2025-02-30',
  '2024-02-29',
  '2025-02-29 10:00',
  '2025-02-28 24:00',
  '2025-1-110:30',
  '20250101',
  '2025-13-01',
  '2025-0-1',
  '2025-1-1 10:60',
  '2025-01-01 9:5',
  '2025/1/1 09:05:61',
  '2025-1/1',
  '2025-01-01  10:00',
  '2025-01-01 10:00:00.5',
  '25-01-01',
];

test('the fast path reads each spelling as the formats do, in every zone, twice', () => {
  for (const zone of ['Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'UTC'])
    for (const s of SAMPLES) for (let read = 1; read <= 2; read++) assert.equal(parseLedgerTime(s, zone)?.getTime() ?? null, byLuxon(s.replace(/\s+/g, ' '), zone), `${zone} ${s} (read ${read})`);
});

test('a time in the same local half-hour on another day or zone is not read from the wrong cache entry', () => {
  const a = parseLedgerTime('2025-03-09 02:40', 'America/New_York');
  const b = parseLedgerTime('2025-03-08 02:40', 'America/New_York');
  const c = parseLedgerTime('2025-03-08 02:40', 'Asia/Shanghai');
  assert.equal(a?.getTime() ?? null, byLuxon('2025-03-09 02:40', 'America/New_York'));
  assert.equal(b?.toISOString(), '2025-03-08T07:40:00.000Z');
  assert.equal(c?.toISOString(), '2025-03-07T18:40:00.000Z');
});
