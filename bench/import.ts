/**
 * History import bench: imports N generated ledger rows (default 100 000; `--rows 1000000`) into
 * a fresh SQLite file (and a fresh PostgreSQL database with `--pg`) through the real import
 * (check, then batches of 500 with cases, search rows, contact keys, audit events, facts), and
 * beside it the raw insert of the same rows (one JSON row each, the same batches) as the floor.
 * Reports rows/s overall and per tenth of the run (a slowdown towards the end shows there).
 * Prints a Markdown table for docs/performance.md. Bounded: it stops by itself.
 *
 *   npx tsx bench/import.ts --rows 100000 --pg [--batch 500] [--profile /tmp/import.cpuprofile]
 */
import { performance } from 'node:perf_hooks';
import { cpus, loadavg } from 'node:os';
import { sql } from 'kysely';
import type { Database } from '../src/store/db.js';
import { onEachEngine, type BenchEngine } from './each-engine.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { createApp } from '../src/services/app.js';
import { seedDemo } from '../src/services/seed-demo.js';
import { importLedger } from '../src/records/import/ledger-import.js';
import { LEDGER_MAPPING, ledgerSheet } from './ledger-sheet.js';
import { profileFile, profiled } from './cpu-profile.js';

const args = process.argv.slice(2);
const N = Number(args[args.indexOf('--rows') + 1] || 0) || 100_000;
const withPg = args.includes('--pg');
const batchSize = args.includes('--batch') ? Number(args[args.indexOf('--batch') + 1]) : undefined;

const sheetOf = (n: number) => ledgerSheet(n);
const MAPPING = LEDGER_MAPPING;

interface Result {
  engine: BenchEngine;
  rows: number;
  checkMs: number;
  importMs: number;
  rawMs: number;
  tenths: number[];
  /** The bench process's CPU time (user + system) during the import: less at the mercy of a loaded machine than wall time. */
  cpuMs: number;
  load: number;
}

async function run(engine: BenchEngine, database: Database): Promise<Result> {
  await migrateToLatest(database.db);
  const app = createApp(database);
  await seedDemo(app);
  const sheet = sheetOf(N);
  const c0 = performance.now();
  const dry = await importLedger(app, sheet, 'bench.csv', { mapping: MAPPING, dryRun: true });
  const checkMs = performance.now() - c0;
  if (dry.problems.length) throw new Error(`bench ledger has problems: ${JSON.stringify(dry.problems.slice(0, 3))}`);
  const marks: { done: number; at: number }[] = [];
  const load = loadavg()[0]!;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await profiled(profileFile(args, engine), () => importLedger(app, sheet, 'bench.csv', { mapping: MAPPING, ...(batchSize ? { batchSize } : {}), onProgress: (p) => marks.push({ done: p.done, at: performance.now() }) }));
  const importMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (r.created !== N) throw new Error(`imported ${r.created} of ${N}`);
  const tenths: number[] = [];
  for (let k = 1; k <= 10; k++) {
    const hi = marks.find((m) => m.done >= (N * k) / 10)!;
    const lo = k === 1 ? { done: 0, at: t0 } : marks.find((m) => m.done >= (N * (k - 1)) / 10)!;
    tenths.push(((hi.done - lo.done) * 1000) / Math.max(1, hi.at - lo.at));
  }
  // The floor: the same rows as one JSON row each, in the same batches, no derived writes.
  await sql`create table bench_raw (id text primary key, body text not null)`.execute(database.db);
  const r0 = performance.now();
  for (let at = 0; at < N; at += 500) {
    const batch = sheet.rows.slice(at, at + 500);
    await database.db.transaction().execute((trx) => sql`insert into bench_raw (id, body) values ${sql.join(batch.map((x) => sql`(${`raw-${x.row}`}, ${JSON.stringify(x.cells)})`))}`.execute(trx));
  }
  const rawMs = performance.now() - r0;
  await database.close();
  return { engine, rows: N, checkMs, importMs, rawMs, tenths, cpuMs: (cpu.user + cpu.system) / 1000, load };
}

const results = await onEachEngine('import', withPg, run);

const f = (x: number) => Math.round(x).toLocaleString('en-US');
console.log(`\nHistory import, ${f(N)} rows — ${new Date().toISOString()}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}\n`);
console.log('| engine | dry run (rows/s) | import (rows/s) | first tenth | last tenth | raw insert (rows/s) | import CPU per 1k rows | load (1 min) |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of results)
  console.log(
    `| ${r.engine} | ${f((r.rows * 1000) / r.checkMs)} | ${f((r.rows * 1000) / r.importMs)} | ${f(r.tenths[0]!)} | ${f(r.tenths[9]!)} | ${f((r.rows * 1000) / r.rawMs)} | ${f((r.cpuMs * 1000) / r.rows)} ms | ${r.load.toFixed(1)} |`,
  );
console.log(`\nrows/s per tenth: ${results.map((r) => `${r.engine} ${r.tenths.map(f).join(' · ')}`).join('; ')}`);
