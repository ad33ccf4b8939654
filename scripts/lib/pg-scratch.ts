/**
 * Throwaway PostgreSQL databases for the tests and the benchmarks (not used by Kesu itself):
 * whether a server answers, and a fresh database — empty or copied from a template — that is
 * dropped afterwards. KESU_TEST_PG names the admin connection (default the local trust-auth
 * server).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG_ADMIN_URL = process.env.KESU_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** `true` when a server answers `select 1` at `url` within `timeoutMs`. */
export async function postgresAnswers(url = PG_ADMIN_URL, timeoutMs = 2000): Promise<boolean> {
  // Asked again until the time is up: a server busy with other clients ("too many clients", a
  // slow start) is not an absent one. Nothing listening (connection refused) is an answer at once.
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: Math.max(250, deadline - Date.now()) });
    try {
      await c.connect();
      await c.query('select 1');
      return true;
    } catch (e) {
      if ((e as { code?: string }).code === 'ECONNREFUSED' || Date.now() + 250 >= deadline) return false;
      await new Promise((r) => setTimeout(r, 250));
    } finally {
      await c.end().catch(() => {});
    }
  }
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A new database named `<prefix>_<random>` (a copy of `template` when given), and how to drop it. */
export async function scratchDatabase(prefix: string, template?: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}${template ? ` template ${template}` : ''}`));
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => admin(async (c) => void (await c.query(`drop database if exists ${name} with (force)`))) };
}
