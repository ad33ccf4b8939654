/**
 * Ledger export bench (issue 11 §5, "an Excel export of 100 k ledger rows streams without holding
 * them all in memory — report peak RSS"): seeds N cases (default 100 000; `--cases N`) into a
 * fresh SQLite file by cloning one real intake's row, then exports the ledger of their period
 * through `prepareLedger` into a byte-counting sink, sampling the process RSS every 20 ms —
 * once as an auditor (personal data masked: nothing to log) and once as a specialist (every
 * phone unmasked: one access-log row per case, written page by page). Prints a Markdown table.
 *
 *   npx tsx bench/ledger-export.ts --cases 100000
 */
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/store/db.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { createApp } from '../src/services/app.js';
import { seedDemo } from '../src/services/seed-demo.js';
import { receiveComplaint } from '../src/services/receive-complaint.js';
import { actorOf, findUserByUsername } from '../src/store/user.repository.js';
import { uuidv7 } from '../src/services/ids.js';
import { prepareLedger } from '../src/reports/ledger.js';
import type { Actor, Complaint } from '../src/domain/complaint/types.js';

const args = process.argv.slice(2);
const N = Number(args[args.indexOf('--cases') + 1] || 0) || 100_000;
const MB = 1024 * 1024;

const dir = mkdtempSync(join(tmpdir(), 'kesu-ledger-bench-'));
const database = openDatabase({ dataDir: dir });
try {
  await migrateToLatest(database.db);
  const app = createApp(database);
  await seedDemo(app);
  const actor = async (u: string): Promise<Actor> => actorOf((await findUserByUsername(database.db, u))!);
  const agent = await actor('agent');
  await receiveComplaint(app, agent, { channel: 'phone', description: '基准台账【人员】配送员【地点】门店', complainant: { name: '客户', phone: '13800000000' } });
  const template = await database.db.selectFrom('complaints').selectAll().executeTakeFirstOrThrow();
  const body = JSON.parse(template.body) as Complaint;
  const start = Date.parse('2026-03-02T01:00:00Z');
  const seedT = performance.now();
  for (let i = 0; i < N; i += 1000) {
    await database.db.transaction().execute(async (trx) => {
      const rows = [];
      for (let j = i; j < Math.min(N, i + 1000); j++) {
        const at = new Date(start + j * 20_000).toISOString();
        const id = uuidv7(start + j * 20_000);
        const number = `KS-2026-${String(j + 2).padStart(7, '0')}`;
        const c = { ...body, id, number, receivedAt: at, complainant: { ...body.complainant, phone: `138${String(j).padStart(8, '0')}` } };
        rows.push({ ...template, id, number, received_at: at, search_rowid: null, body: JSON.stringify(c) });
      }
      await trx.insertInto('complaints').values(rows).execute();
    });
  }
  const seedS = (performance.now() - seedT) / 1000;
  const to = new Date(start + N * 20_000).toISOString().slice(0, 10);

  const run = async (username: string) => {
    global.gc?.();
    const base = process.memoryUsage().rss;
    let peak = base;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    let bytes = 0;
    const sink = new Writable({
      write(chunk: Buffer, _e, cb) {
        bytes += chunk.length;
        cb();
      },
    });
    const t = performance.now();
    const ledger = await prepareLedger(app, await actor(username), { from: '2026-03-01', to, filters: {} }, 'zh-CN');
    const rows = await ledger.write(sink);
    const s = (performance.now() - t) / 1000;
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    return { username, rows, s, bytes, base, peak };
  };
  const results = [await run('auditor'), await run('specialist')];
  const logged = await database.db
    .selectFrom('pii_access_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  console.log(`\nLedger export, SQLite, ${N} cases (seeded in ${seedS.toFixed(1)} s), Node ${process.version}\n`);
  console.log('| reader | rows | time | rows/s | workbook | RSS before | peak RSS | peak − before |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results)
    console.log(
      `| ${r.username} | ${r.rows} | ${r.s.toFixed(1)} s | ${Math.round(r.rows / r.s)} | ${(r.bytes / MB).toFixed(1)} MB | ${(r.base / MB).toFixed(0)} MB | ${(r.peak / MB).toFixed(0)} MB | ${((r.peak - r.base) / MB).toFixed(0)} MB |`,
    );
  console.log(`\naccess-log rows written: ${Number(logged.n)} (the specialist's export; the auditor's is masked)`);
} finally {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}
