/**
 * Time spent per SQL text on the embedded engine, for the benchmarks (`bench:http --profile`):
 * the CPU profile shows only that the time is in better-sqlite3's `run`, not which statement.
 * Off unless KESU_SQL_TIMINGS names a file (config.ts; the composition root calls
 * `startSqlTimings`); then the totals are written there when the process exits. Statement texts
 * only — never parameters (no personal data leaves the process).
 */
import { writeFileSync } from 'node:fs';

interface Timing {
  count: number;
  ms: number;
}

const timings = new Map<string, Timing>();

/** Read by the SQLite driver on every statement (a live binding: false until started). */
export let sqlTimingsOn = false;

export function recordSqlTiming(sqlText: string, ms: number): void {
  let t = timings.get(sqlText);
  if (!t) timings.set(sqlText, (t = { count: 0, ms: 0 }));
  t.count++;
  t.ms += ms;
}

/** Times every statement of this process from now on and writes the totals to `target` at exit. */
export function startSqlTimings(target: string): void {
  if (sqlTimingsOn) return;
  sqlTimingsOn = true;
  process.on('exit', () => {
    const rows = [...timings].map(([sql, t]) => ({ sql, ...t })).sort((a, b) => b.ms - a.ms);
    writeFileSync(target, JSON.stringify(rows, null, 1));
  });
}
