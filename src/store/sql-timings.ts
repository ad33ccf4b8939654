/**
 * Time spent per SQL text on the embedded engine, for the benchmarks (`bench:http --profile`):
 * the CPU profile shows only that the time is in better-sqlite3's `run`, not which statement.
 * Off unless KESU_SQL_TIMINGS names a file; then the totals are written there when the process
 * exits. Statement texts only — never parameters (no personal data leaves the process).
 */
import { writeFileSync } from 'node:fs';

interface Timing {
  count: number;
  ms: number;
}

const target = process.env.KESU_SQL_TIMINGS;
const timings = new Map<string, Timing>();

export const sqlTimingsOn = Boolean(target);

export function recordSqlTiming(sqlText: string, ms: number): void {
  let t = timings.get(sqlText);
  if (!t) timings.set(sqlText, (t = { count: 0, ms: 0 }));
  t.count++;
  t.ms += ms;
}

if (target) {
  process.on('exit', () => {
    const rows = [...timings].map(([sql, t]) => ({ sql, ...t })).sort((a, b) => b.ms - a.ms);
    writeFileSync(target, JSON.stringify(rows, null, 1));
  });
}
