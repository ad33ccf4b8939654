/**
 * `GET /metrics`: Prometheus text exposition (prom-client), one registry per server.
 *
 * - `kesu_http_request_duration_seconds{method,route,status}`: every answer, labelled by the
 *   route's pattern (`/api/v1/complaints/:id`, never the raw URL; `unmatched` for paths no route
 *   knows), so the number of series stays bounded. Event streams are left out (their duration
 *   is the connection's life); `kesu_sse_clients` counts them instead.
 * - Domain gauges, read on each scrape by a handful of indexed counts (services/metrics.ts):
 *   open cases per state, overdue cases, clocks waiting for the sweeper and how long the oldest
 *   has waited, the outbox backlog, its oldest pending message and its dead letters.
 * - `kesu_sweeper_lag_seconds{action}`: for each warning, breach or grade rise the sweeper fires,
 *   how long after the clock's check time it did (the `clock_fired` event).
 * - With `processMetrics` (`kesu serve`), Node's process metrics (memory, CPU, event-loop delay, GC).
 *
 * Access: when a token is configured (`KESU_METRICS_TOKEN`), a scrape must send
 * `Authorization: Bearer <token>` (401 otherwise); without one the endpoint is open — keep it
 * off the public side of the reverse proxy.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { App } from '../services/app.js';
import { CLOCK_FIRED, operationsSnapshot, type ClockFired } from '../services/metrics.js';
import { OPEN_STATES } from '../domain/lifecycle/state-groups.js';
import { errorBody } from './error-handler.js';
import { localeOf } from './locale.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** How many console event streams are open (http/live.ts). */
    liveClients?: () => number;
  }
}

export interface MetricsOptions {
  /** Bearer token a scrape must present; open when absent. */
  token?: string | null;
  /** Also export Node's process metrics. */
  processMetrics?: boolean;
}

const seconds = (isoSince: string, nowIso: string) => Math.max(0, (Date.parse(nowIso) - Date.parse(isoSince)) / 1000);
const digest = (s: string) => createHash('sha256').update(s).digest();

export function metricsRoutes(server: FastifyInstance, app: App, opts: MetricsOptions = {}): Registry {
  const registry = new Registry();
  const registers = [registry];
  if (opts.processMetrics) collectDefaultMetrics({ register: registry });

  const http = new Histogram({
    name: 'kesu_http_request_duration_seconds',
    help: 'HTTP answers by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  server.addHook('onResponse', (req, reply, done) => {
    // An event stream's "duration" is how long the console stayed open: not a request time.
    // (Its content type is readable here because the request-id header was set on the raw response first.)
    if (!String(reply.raw.getHeader('content-type') ?? '').startsWith('text/event-stream')) {
      http.observe({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    }
    done();
  });

  const lag = new Histogram({
    name: 'kesu_sweeper_lag_seconds',
    help: 'How long after a clock’s warning, deadline or grade-rise time the sweeper acted, by action',
    labelNames: ['action'] as const,
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600, 24 * 3600],
    registers,
  });
  const onFired = (e: ClockFired) => lag.observe({ action: e.action }, Math.max(0, e.lateMs) / 1000);
  app.events.on(CLOCK_FIRED, onFired);
  server.addHook('onClose', (_s, done) => {
    app.events.off(CLOCK_FIRED, onFired);
    done();
  });

  new Gauge({
    name: 'kesu_sse_clients',
    help: 'Console event streams (GET /api/v1/stream) open on this instance',
    registers,
    collect() {
      this.set(server.liveClients?.() ?? 0);
    },
  });

  const g = {
    open: new Gauge({ name: 'kesu_cases_open', help: 'Cases not closed or archived, by state', labelNames: ['state'] as const, registers }),
    overdue: new Gauge({ name: 'kesu_cases_overdue', help: 'Cases with a running clock past its deadline', registers }),
    due: new Gauge({ name: 'kesu_clocks_due', help: 'Running clocks whose warning (warning), deadline (deadline) or grade rise (grade_rise) has come and that no sweep has acted on yet', labelNames: ['check'] as const, registers }),
    dueOldest: new Gauge({ name: 'kesu_clocks_due_oldest_seconds', help: 'How long the longest-waiting due clock has waited for the sweeper (0 when none)', registers }),
    backlog: new Gauge({ name: 'kesu_outbox_backlog', help: 'Outbox messages not yet delivered: waiting or backing off (pending), being delivered (sending)', labelNames: ['status'] as const, registers }),
    oldestPending: new Gauge({ name: 'kesu_outbox_oldest_pending_seconds', help: 'Age of the oldest pending outbox message (0 when none)', registers }),
    dead: new Gauge({ name: 'kesu_outbox_dead_letters', help: 'Outbox messages given up on (GET /api/v1/admin/outbox?status=dead)', registers }),
    ok: new Gauge({ name: 'kesu_domain_metrics_ok', help: '1 when this scrape could read the domain gauges from the database, else 0', registers }),
    took: new Gauge({ name: 'kesu_domain_metrics_duration_seconds', help: 'How long this scrape’s database reads took', registers }),
  };

  async function readDomain(req: FastifyRequest): Promise<void> {
    const started = performance.now();
    try {
      const s = await operationsSnapshot(app);
      g.open.reset();
      for (const state of OPEN_STATES) g.open.set({ state }, s.openCases[state] ?? 0);
      g.overdue.set(s.overdueCases);
      g.due.reset();
      for (const check of ['warning', 'deadline', 'grade_rise'] as const) g.due.set({ check }, s.dueClocks.find((d) => d.check === check)?.count ?? 0);
      const oldestDue = s.dueClocks.map((d) => d.oldest).sort()[0];
      g.dueOldest.set(oldestDue ? seconds(oldestDue, s.at) : 0);
      const status = (name: 'pending' | 'sending' | 'dead') => s.outbox.find((o) => o.status === name);
      g.backlog.reset();
      for (const name of ['pending', 'sending'] as const) g.backlog.set({ status: name }, status(name)?.count ?? 0);
      const pending = status('pending');
      g.oldestPending.set(pending ? seconds(pending.oldest, s.at) : 0);
      g.dead.set(status('dead')?.count ?? 0);
      g.ok.set(1);
    } catch (err) {
      // The HTTP and process metrics are still worth a scrape; the domain gauges are left out.
      for (const gauge of [g.open, g.overdue, g.due, g.dueOldest, g.backlog, g.oldestPending, g.dead]) gauge.reset();
      g.ok.set(0);
      req.log.warn({ err }, 'metrics: could not read the domain gauges');
    }
    g.took.set((performance.now() - started) / 1000);
  }

  const expected = opts.token ? digest(opts.token) : null;
  const authorised = (req: FastifyRequest) => {
    if (!expected) return true;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    return !!m && timingSafeEqual(digest(m[1]!), expected);
  };

  server.get('/metrics', { schema: { tags: ['system'], summary: 'Prometheus metrics (text exposition format); `Authorization: Bearer <KESU_METRICS_TOKEN>` when that is set' } }, async (req, reply) => {
    if (!authorised(req))
      return reply
        .status(401)
        .header('www-authenticate', 'Bearer realm="metrics"')
        .send(errorBody('unauthenticated', localeOf(req)));
    await readDomain(req);
    return reply
      .header('cache-control', 'no-store')
      .type(registry.contentType)
      .send(await registry.metrics());
  });
  return registry;
}
