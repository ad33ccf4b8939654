/**
 * A @fastify/rate-limit store over the shared counters (store/rate-limit.repository.ts), so the
 * portal's per-address limit counts the requests to every instance of one PostgreSQL. Each
 * route keeps its own counters, as with the plugin's in-memory store. On SQLite (one instance)
 * there is none: the plugin counts in memory.
 */
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { App } from '../services/app.js';
import { countHit, purgeEndedWindows, readHits } from '../store/rate-limit.repository.js';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** How often an instance deletes ended windows (at most; only while requests come). */
const PURGE_EVERY_MS = 60_000;

export function sharedRateLimitStore(app: App): FastifyRateLimitStoreCtor | undefined {
  if (app.database.dialect !== 'postgres') return undefined;
  let purgedAt = Date.now();
  const purge = (now: number) => {
    if (now - purgedAt < PURGE_EVERY_MS) return;
    purgedAt = now;
    purgeEndedWindows(app.database.db, now).catch((err: unknown) => app.log.warn({ err }, 'rate limit: could not delete ended windows'));
  };

  class SharedStore implements FastifyRateLimitStore {
    constructor(
      _options: unknown,
      private readonly scope = '',
    ) {}

    incr(key: string, callback: Callback, timeWindow: number, _max: number): void {
      const now = Date.now();
      countHit(app.database.db, this.scope + key, timeWindow, now).then(
        (r) => callback(null, { current: r.hits, ttl: Math.max(0, r.resetsAt - now) }),
        (err: Error) => callback(err),
      );
      purge(now);
    }

    /** The plugin's `{ increment: false }` peek. */
    read(key: string, callback: Callback): void {
      const now = Date.now();
      readHits(app.database.db, this.scope + key, now).then(
        (r) => callback(null, { current: r.hits, ttl: r.hits ? Math.max(0, r.resetsAt - now) : 0 }),
        (err: Error) => callback(err),
      );
    }

    /** A route with its own limit gets its own counters (method and path in the key). */
    child(routeOptions: unknown): FastifyRateLimitStore {
      const route = (routeOptions as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo ?? {};
      const method = Array.isArray(route.method) ? route.method.join(',') : (route.method ?? '');
      return new SharedStore(routeOptions, `${method} ${route.url ?? ''} `);
    }
  }
  return SharedStore;
}
