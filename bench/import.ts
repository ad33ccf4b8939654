/**
 * History import bench: imports N generated ledger rows (default 100 000; `--rows 1000000`) into
 * a fresh SQLite file (and a fresh PostgreSQL database with `--pg`) through the real import
 * (check, then batches of 500 with cases, search rows, contact keys, audit events, facts), and
 * beside it the raw insert of the same rows (one JSON row each, the same batches) as the floor.
 * Reports rows/s overall and per tenth of the run (a slowdown towards the end shows there).
 * Prints a Markdown table for docs/performance.md. Bounded: it stops by itself.
 *
 *   npx tsx bench/import.ts --rows 100000 --pg
 */
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../src/store/db.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { createApp } from '../src/services/app.js';
import { seedDemo } from '../src/services/seed-demo.js';
import { importLedger } from '../src/records/import/ledger-import.js';
import { parseMapping } from '../src/records/import/mapping.js';
import type { Sheet } from '../src/records/import/sheet.js';

const args = process.argv.slice(2);
const N = Number(args[args.indexOf('--rows') + 1] || 0) || 100_000;
const withPg = args.includes('--pg');
const PG_ADMIN = process.env.KESU_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const TEXTS = ['快递三天未送达，客服电话一直打不通', '商品与描述严重不符，要求退货退款', '门店店员态度恶劣，出言不逊', '维修后同一故障再次出现，要求赔偿', '发票迟迟未开具，多次催促无果'];
const HEADER = ['编号', '受理时间', '姓名', '电话', '渠道', '类别', '等级', '内容', '部门', '结案时间', '结果', '满意度'];
const MAPPING = parseMapping(
  'name: bench\ncolumns: { externalId: 编号, receivedAt: 受理时间, customerName: 姓名, phone: 电话, channel: 渠道, category: 类别, grade: 等级, description: 内容, department: 部门, closedAt: 结案时间, result: 结果, satisfaction: 满意度 }\nclosedState: archived\n',
);

function sheetOf(n: number): Sheet {
  const pad = (x: number) => String(x).padStart(2, '0');
  const rows = Array.from({ length: n }, (_, i) => {
    const m = (i % 12) + 1;
    const d = (Math.floor(i / 12) % 28) + 1;
    return {
      row: i + 2,
      cells: [
        `B-${i + 1}`,
        `2025-${pad(m)}-${pad(d)} ${pad(9 + (i % 8))}:${pad(i % 60)}`,
        `客户${i % 997}`,
        `139${String(10_000_000 + (i % 90_000_000)).slice(-8)}`,
        ['电话', '来访', '网络', '信函'][i % 4]!,
        ['服务态度', '违反承诺', 'attitude'][i % 3]!,
        ['一般投诉', '重要投诉', 'general'][i % 3]!,
        `${TEXTS[i % TEXTS.length]}（第 ${i + 1} 件）`,
        ['客服中心', '销售部', '物流配送部'][i % 3]!,
        `2025-${pad(m)}-${pad(Math.min(28, d + 2))} 17:45`,
        '已处理，电话答复客户',
        ['满意', '一般', '不满意', ''][i % 4]!,
      ],
    };
  });
  return { header: HEADER, rows };
}

interface Result {
  engine: string;
  rows: number;
  checkMs: number;
  importMs: number;
  rawMs: number;
  tenths: number[];
}

async function run(engine: string, database: Database): Promise<Result> {
  await migrateToLatest(database.db);
  const app = createApp(database);
  await seedDemo(app);
  const sheet = sheetOf(N);
  const c0 = performance.now();
  const dry = await importLedger(app, sheet, 'bench.csv', { mapping: MAPPING, dryRun: true });
  const checkMs = performance.now() - c0;
  if (dry.problems.length) throw new Error(`bench ledger has problems: ${JSON.stringify(dry.problems.slice(0, 3))}`);
  const marks: { done: number; at: number }[] = [];
  const t0 = performance.now();
  const r = await importLedger(app, sheet, 'bench.csv', { mapping: MAPPING, onProgress: (p) => marks.push({ done: p.done, at: performance.now() }) });
  const importMs = performance.now() - t0;
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
  return { engine, rows: N, checkMs, importMs, rawMs, tenths };
}

const results: Result[] = [];
const dir = mkdtempSync(join(tmpdir(), 'kesu-bench-import-'));
try {
  results.push(await run('SQLite', openDatabase({ dataDir: dir })));
  if (withPg) {
    const name = `kesu_bench_import_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(PG_ADMIN);
    url.pathname = `/${name}`;
    try {
      results.push(await run('PostgreSQL', openDatabase({ databaseUrl: url.toString(), dataDir: join(dir, 'pg') })));
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const f = (x: number) => Math.round(x).toLocaleString('en-US');
console.log(`\nHistory import, ${f(N)} rows — ${new Date().toISOString()}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}\n`);
console.log('| engine | dry run (rows/s) | import (rows/s) | first tenth | last tenth | raw insert (rows/s) |');
console.log('|---|---|---|---|---|---|');
for (const r of results)
  console.log(`| ${r.engine} | ${f((r.rows * 1000) / r.checkMs)} | ${f((r.rows * 1000) / r.importMs)} | ${f(r.tenths[0]!)} | ${f(r.tenths[9]!)} | ${f((r.rows * 1000) / r.rawMs)} |`);
console.log(`\nrows/s per tenth: ${results.map((r) => `${r.engine} ${r.tenths.map(f).join(' · ')}`).join('; ')}`);
