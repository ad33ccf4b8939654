/**
 * Runs PostgreSQL's own tools (pg_dump, pg_restore) as child processes: from `pgBin` when the
 * configuration names a folder (KESU_PG_BIN), else from PATH. Their major version should be the
 * server's (pg_dump refuses a newer server).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { childEnvironment } from '../config.js';

export class PgToolError extends Error {}

/**
 * The connection for a tool's `--dbname`: the URL without its password, which goes in
 * PGPASSWORD instead, so it never shows in the process list.
 */
export function toolConnection(url: string): { dbname: string; env: Record<string, string> } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: password ? { PGPASSWORD: password } : {} };
}

export function runPgTool(tool: 'pg_dump' | 'pg_restore', args: string[], opts: { pgBin: string | null; url: string }): Promise<{ stderr: string }> {
  const bin = opts.pgBin ? join(opts.pgBin, tool) : tool;
  const conn = toolConnection(opts.url);
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [...args, `--dbname=${conn.dbname}`], { stdio: ['ignore', 'ignore', 'pipe'], env: childEnvironment(conn.env) });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (stderr += d));
    child.on('error', (e) => reject(new PgToolError(`${bin}: ${e.message} (install the PostgreSQL client tools or set KESU_PG_BIN)`)));
    child.on('close', (code) => {
      if (code === 0) resolve({ stderr });
      else reject(new PgToolError(`${tool} exited with ${code}: ${stderr.trim()}`));
    });
  });
}
