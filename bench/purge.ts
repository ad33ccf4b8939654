/**
 * Retention purge bench (issue 15 §2, "≥ 5 k cases/s"): N expired archived cases (default
 * 20 000; `--cases N`) brought in by the history import (received and closed in 2025, imported
 * on 2026-01-01), then one purge pass (`runPurge`, the job `kesu purge` and the server run) on a
 * clock in 2030, when every grade's retention has run out. Reports cases/s on a fresh SQLite file
 * (and a fresh PostgreSQL database with `--pg`), then checks that every case was purged once and
 * that the audit trail — the purge record chain included — verifies. Beside it, in the same run,
 * the physical limit: the same rows (every timeline record's `data`, every case row) rewritten by
 * plain set-based updates in transactions of the same group size, no checks, no hashing.
 * `--group N` sets the purge's group (default: the job's). `--intake`: intakes beside the purge
 * (in-process, see `intakeLoop`), their p50/p95 alone and during it. Bounded: it stops by itself.
 *
 *   npx tsx bench/purge.ts --cases 20000 --pg [--group 50] [--intake] [--profile /tmp/purge.cpuprofile]
 */
import { performance } from 'node:perf_hooks';
import { cpus, loadavg } from 'node:os';
import type { Database } from '../src/store/db.js';
import { onEachEngine, type BenchEngine } from './each-engine.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { createApp } from '../src/services/app.js';
import { seedDemo } from '../src/services/seed-demo.js';
import { importLedger } from '../src/records/import/ledger-import.js';
import { runPurge } from '../src/records/retention.js';
import { verifyChains } from '../src/store/event.repository.js';
import { withPurgePermit } from '../src/audit/purge.js';
import { LEDGER_MAPPING, ledgerSheet } from './ledger-sheet.js';
import { receiveComplaint } from '../src/services/receive-complaint.js';
import type { App } from '../src/services/app.js';
import { profileFile, profiled } from './cpu-profile.js';

const args = process.argv.slice(2);
const N = Number(args[args.indexOf('--cases') + 1] || 0) || 20_000;
const withPg = args.includes('--pg');
const withIntake = args.includes('--intake');
const group = args.includes('--group') ? Number(args[args.indexOf('--group') + 1]) : undefined;

interface Result {
  engine: BenchEngine;
  cases: number;
  purgeMs: number;
  cpuMs: number;
  rawMs: number;
  load: number;
  /** Intake latencies (ms) alone before the purge, and during it; empty without `--intake`. */
  intakeAlone: number[];
  intakeDuring: number[];
}

/**
 * Intakes one after another, 10 ms apart, through the service the API's POST /api/v1/complaints
 * calls (receiveComplaint: the same transaction, events, clocks and outbox rows), in this process
 * beside the purge — as the server runs its scheduled purge beside its requests: on SQLite they
 * share the one writer, on PostgreSQL the pool and the rows. Returns each intake's time.
 */
function intakeLoop(app: App, actor: Parameters<typeof receiveComplaint>[1], until: () => boolean): Promise<number[]> {
  const times: number[] = [];
  return (async () => {
    for (let n = 0; !until(); n++) {
      const t = performance.now();
      await receiveComplaint(app, actor, { channel: 'phone', description: `快递送来的洗发水漏了一半 ${n}`, complainant: { name: `客户${n}`, phone: '13800000000' } });
      times.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 10));
    }
    return times;
  })();
}

const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]! : NaN);

async function run(engine: BenchEngine, database: Database): Promise<Result> {
  await migrateToLatest(database.db);
  const importer = createApp(database, { now: () => new Date('2026-01-01T00:00:00Z') });
  await seedDemo(importer);
  const r = await importLedger(importer, ledgerSheet(N), 'bench.csv', { mapping: LEDGER_MAPPING });
  if (r.created !== N) throw new Error(`imported ${r.created} of ${N}`);
  const purger = createApp(database, { now: () => new Date('2030-06-01T00:00:00Z') });
  const agentRow = await database.db.selectFrom('users').selectAll().where('username', '=', 'agent').executeTakeFirstOrThrow();
  const agent = { id: agentRow.id, kind: 'user' as const, name: agentRow.name, roles: ['agent' as const], managerOf: [], approvalLevels: [] };
  let intakeAlone: number[] = [];
  if (withIntake) {
    const until = performance.now() + 3000;
    intakeAlone = await intakeLoop(purger, agent, () => performance.now() > until);
  }
  let purging = true;
  const during = withIntake ? intakeLoop(purger, agent, () => !purging) : Promise.resolve([]);
  const load = loadavg()[0]!;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const p = await profiled(profileFile(args, engine), () => runPurge(purger, { maxCases: N, ...(group ? { group } : {}) }));
  const purgeMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  purging = false;
  const intakeDuring = await during;
  if (p.purged.length !== N || p.failed.length) throw new Error(`purged ${p.purged.length} of ${N}, ${p.failed.length} failed: ${JSON.stringify(p.failed.slice(0, 2))}`);
  const records = Number(
    (
      await database.db
        .selectFrom('purge_records')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  if (records !== N) throw new Error(`${records} purge records for ${N} cases`);
  const v = await verifyChains(database.db);
  if (v.problems.length) throw new Error(`audit verify: ${JSON.stringify(v.problems.slice(0, 3))}`);
  const rawMs = await rawRewrite(database, group ?? 50);
  await database.close();
  return { engine, cases: N, purgeMs, cpuMs: (cpu.user + cpu.system) / 1000, rawMs, load, intakeAlone, intakeDuring };
}

/** The floor: the purge's main writes — every case's timeline `data` and its row — as plain updates, `size` cases a transaction. */
async function rawRewrite(database: Database, size: number): Promise<number> {
  const ids = (await database.db.selectFrom('complaints').select('id').orderBy('id').execute()).map((r) => r.id);
  const t0 = performance.now();
  for (let i = 0; i < ids.length; i += size) {
    const chunk = ids.slice(i, i + size);
    await database.db.transaction().execute(async (trx) => {
      await withPurgePermit(trx, 'bench raw rewrite', async () => {
        await trx.updateTable('complaint_events').set({ data: '{"redacted":true}' }).where('complaint_id', 'in', chunk).execute();
      });
      await trx
        .updateTable('complaints')
        .set((eb) => ({ body: eb.ref('body'), version: eb('version', '+', 1) }))
        .where('id', 'in', chunk)
        .execute();
    });
  }
  return performance.now() - t0;
}

const results = await onEachEngine('purge', withPg, run);

const f = (x: number) => Math.round(x).toLocaleString('en-US');
console.log(`\nRetention purge, ${f(N)} expired cases — ${new Date().toISOString()}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}\n`);
console.log('| engine | cases | purge (cases/s) | bench CPU per 1k cases | raw rewrite of the same rows (cases/s) | load (1 min) at start |');
console.log('|---|---|---|---|---|---|');
for (const r of results) console.log(`| ${r.engine} | ${f(r.cases)} | ${f((r.cases * 1000) / r.purgeMs)} | ${f((r.cpuMs * 1000) / r.cases)} ms | ${f((r.cases * 1000) / r.rawMs)} | ${r.load.toFixed(1)} |`);
if (withIntake) {
  const ms = (x: number) => x.toFixed(1);
  console.log("\nIntake (receiveComplaint, one at a time, 10 ms apart, in the purge's process): alone for 3 s before the purge, and during it\n");
  console.log('| engine | alone: n | p50 | p95 | max | during the purge: n | p50 | p95 | max |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const [a, d] = [r.intakeAlone, r.intakeDuring];
    console.log(`| ${r.engine} | ${a.length} | ${ms(pct(a, 50))} ms | ${ms(pct(a, 95))} ms | ${ms(Math.max(...a))} ms | ${d.length} | ${ms(pct(d, 50))} ms | ${ms(pct(d, 95))} ms | ${ms(Math.max(...d))} ms |`);
  }
}
