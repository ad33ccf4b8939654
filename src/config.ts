/**
 * The only reader of process.env. Every setting is documented here and in README.md.
 */
import { resolve } from 'node:path';
import { z } from 'zod';

const Env = z.object({
  /** HTTP port (default 3000). */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to listen on (default 0.0.0.0). */
  HOST: z.string().default('0.0.0.0'),
  /** PostgreSQL connection string; when absent Kesu uses SQLite under KESU_DATA_DIR. */
  DATABASE_URL: z.string().optional(),
  /** Folder for the embedded SQLite database and attachments (default ./data). */
  KESU_DATA_DIR: z.string().default('./data'),
  /** Preset id or policy file used when the database has no active policy yet (default kesu-default). */
  KESU_POLICY: z.string().default('kesu-default'),
  /** How often the deadline sweeper runs, in ms (default 30 s; 0 disables it). */
  KESU_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).default(30_000),
  /** Log level for the server (fatal … trace, default info). */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  policy: string;
  sweepIntervalMs: number;
  logLevel: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = Env.parse(env);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL || undefined,
    dataDir: resolve(e.KESU_DATA_DIR),
    policy: e.KESU_POLICY,
    sweepIntervalMs: e.KESU_SWEEP_INTERVAL_MS,
    logLevel: e.LOG_LEVEL,
  };
}
