/**
 * Health for load balancers and orchestrators.
 * - `/api/health/live`: the process answers (restart it when this fails).
 * - `/api/health/ready`: this instance can serve — the database answers, its migrations are
 *   current, writes are not failing (a full disk, a read-only database) and the background jobs'
 *   heartbeats are fresh. 503 with the reasons otherwise (send traffic elsewhere).
 * - `/api/health`: kept for existing probes; the same answer as ready.
 */
import type { FastifyInstance } from 'fastify';
import type { App } from '../services/app.js';
import { pendingMigrations } from '../store/migrate.js';

export interface Readiness {
  status: 'ok' | 'failing';
  database: string;
  problems: string[];
  storage: { kind: string; engineCode: string; since: string } | null;
  jobs: { name: string; stale: boolean; lastBeat: string | null }[];
}

async function readiness(app: App): Promise<Readiness> {
  const problems: string[] = [];
  try {
    const pending = await pendingMigrations(app.database.db);
    if (pending.length) problems.push(`migrations not applied: ${pending.join(', ')}`);
  } catch (e) {
    problems.push(`database does not answer: ${(e as Error).message}`);
  }
  const fault = app.database.storage.fault;
  if (fault) problems.push(`database cannot be written (${fault.kind}, ${fault.engineCode}) since ${fault.since}`);
  const stale = app.heartbeats.stale();
  for (const j of stale) problems.push(`${j.name} has not finished a pass for ${Math.round(j.ageMs / 1000)} s (limit ${Math.round(j.limitMs / 1000)} s)`);
  return {
    status: problems.length ? 'failing' : 'ok',
    database: app.database.dialect,
    problems,
    storage: fault,
    jobs: app.heartbeats.names().map((name) => {
      const s = stale.find((j) => j.name === name);
      return { name, stale: !!s, lastBeat: s?.lastBeat ?? null };
    }),
  };
}

export function healthRoutes(server: FastifyInstance, app: App): void {
  server.get('/api/health/live', { schema: { tags: ['system'], summary: 'The process answers' } }, async () => ({ status: 'ok' }));
  const ready = async (_req: unknown, reply: { status(code: number): unknown }) => {
    const r = await readiness(app);
    if (r.status !== 'ok') reply.status(503);
    return r;
  };
  server.get('/api/health/ready', { schema: { tags: ['system'], summary: 'Ready: database answers, migrations current, writes succeed, job heartbeats fresh (503 otherwise)' } }, ready);
  server.get('/api/health', { schema: { tags: ['system'], summary: 'Same as /api/health/ready' } }, ready);
}
