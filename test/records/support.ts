/** Helpers of the records tests: empty restore targets on either engine. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PG_ADMIN_URL } from '../support/engines.js';

export const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));

/** A restore target: an empty data folder, and on PostgreSQL an empty database. */
export interface Target {
  dataDir: string;
  databaseUrl?: string;
  drop(): Promise<void>;
}

export async function emptyTarget(dialect: 'sqlite' | 'postgres'): Promise<Target> {
  const dataDir = tmp('kesu-restore-');
  if (dialect === 'sqlite') return { dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  const name = `kesu_restore_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name} template template0`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    dataDir,
    databaseUrl: url.toString(),
    drop: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      const a = new pg.Client({ connectionString: PG_ADMIN_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
