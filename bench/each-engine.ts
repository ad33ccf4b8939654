/**
 * Runs one benchmark on each engine it is asked for: a fresh SQLite data folder, and with `withPg`
 * a scratch PostgreSQL database (scripts/lib/pg-scratch.ts); both are removed afterwards, also
 * when a run throws. `run` owns the database it is given (it closes it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scratchDatabase } from '../scripts/lib/pg-scratch.js';
import { openDatabase, type Database } from '../src/store/db.js';

export type BenchEngine = 'SQLite' | 'PostgreSQL';

export async function onEachEngine<R>(name: string, withPg: boolean, run: (engine: BenchEngine, database: Database) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  const dir = mkdtempSync(join(tmpdir(), `kesu-bench-${name}-`));
  try {
    results.push(await run('SQLite', openDatabase({ dataDir: dir })));
    if (withPg) {
      const db = await scratchDatabase(`kesu_bench_${name}`);
      try {
        results.push(await run('PostgreSQL', openDatabase({ databaseUrl: db.url, dataDir: join(dir, 'pg') })));
      } finally {
        await db.drop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
