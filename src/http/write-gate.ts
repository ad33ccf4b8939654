/**
 * The write gate (issue 9, "nothing waits behind background work"): on the embedded engine at most
 * `limit` mutating API requests run at once; the others wait their turn in arrival order.
 *
 * Why: better-sqlite3 is synchronous and SQLite has one writer, so intakes never run in parallel
 * anyway — but eight of them in flight interleave their synchronous chunks on the one event loop,
 * and a queue page arriving meanwhile waits behind every one of them at each of its own awaits
 * (a p99 of 166 ms during a burst of intakes, docs/performance.md). With the gate a read waits
 * behind at most `limit` writes. PostgreSQL runs writes on its own processes: no gate there.
 *
 * The gate is taken after the body has been read (preHandler), so a slow client never holds it
 * while sending, and never for multipart bodies, which stream in the handler. It is released when
 * the response is finished or the connection closes, whichever comes first, exactly once; a request
 * whose client goes away while waiting leaves the queue, and one whose client goes away while it
 * runs frees its place at once (its work, if any, ends beside the next: a brief overlap is better
 * than a gate held by a socket that no longer exists).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Two: a write's synchronous work interleaves with one other's at most (bench:http, docs/performance.md). */
export const DEFAULT_SQLITE_WRITE_CONCURRENCY = 2;

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface WriteGate {
  /** Requests holding the gate now. */
  readonly active: number;
  /** Requests waiting for it. */
  readonly waiting: number;
}

/** Whether a request goes through the gate: a mutating API request with a body already read. */
export function gated(req: FastifyRequest): boolean {
  if (!MUTATING.has(req.method) || !req.url.startsWith('/api/')) return false;
  const type = req.headers['content-type'] ?? '';
  return !type.toLowerCase().startsWith('multipart/');
}

export function installWriteGate(server: FastifyInstance, limit: number): WriteGate | null {
  if (!(limit > 0)) return null;
  let active = 0;
  const queue: (() => void)[] = [];
  const next = () => {
    const run = queue.shift();
    if (run) run();
    else active--;
  };
  server.addHook('preHandler', (req, reply, done) => {
    if (!gated(req)) return done();
    let state: 'waiting' | 'holding' | 'done' = 'waiting';
    const enter = () => {
      state = 'holding';
      done();
    };
    const leave = () => {
      if (state === 'holding') next();
      else if (state === 'waiting') queue.splice(queue.indexOf(enter), 1);
      state = 'done';
    };
    reply.raw.once('finish', leave);
    reply.raw.once('close', leave);
    if (active < limit) {
      active++;
      enter();
    } else queue.push(enter);
  });
  return {
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
  };
}
