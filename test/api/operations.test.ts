/**
 * Operations (issue 8): `GET /metrics` in Prometheus' text format — HTTP histograms labelled by
 * route pattern, domain gauges read from the database on every engine, the sweeper's lag, event
 * stream clients, an optional bearer token; request ids in every answer, error body and log line
 * (the request's own and the services'), a client's id accepted only from a trusted proxy; paths
 * the console must not answer get the JSON 404.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { buildServer } from '../../src/http/server.js';
import { sweepDeadlines } from '../../src/jobs/deadline-sweeper.js';

const HOUR = 3_600_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const intake = (i: number) => ({ channel: 'phone', description: `快递送来的洗发水漏了一半（${i}）`, complainant: { name: '林先生', phone: '13812345678' } });

/** The value of one sample, e.g. `sample(text, 'kesu_cases_open', { state: 'received' })`; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

async function scrape(server: FastifyInstance, headers: Record<string, string> = {}): Promise<string> {
  const r = await server.inject({ url: '/metrics', headers });
  assert.equal(r.statusCode, 200, r.body);
  assert.match(String(r.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  return r.body;
}

for (const { dialect, skip } of await engines()) {
  describe(`metrics (${dialect})`, { skip }, () => {
    let k: Kesu;
    const ids: string[] = [];
    before(async () => {
      k = await startKesu(dialect);
      for (let i = 0; i < 3; i++) {
        const r = await k.as('agent').post('/api/v1/complaints', intake(i));
        assert.equal(r.status, 201);
        ids.push(r.body.complaint.id);
      }
    });
    after(async () => k?.close());

    it('counts open cases, due clocks and the outbox backlog; after a sweep, overdue cases and the sweeper lag', async () => {
      let m = await scrape(k.server);
      assert.equal(sample(m, 'kesu_domain_metrics_ok'), 1);
      assert.equal(sample(m, 'kesu_cases_open', { state: 'received' }), 3);
      assert.equal(sample(m, 'kesu_cases_open', { state: 'assigned' }), 0, 'every open state is a series, with 0 when empty');
      assert.equal(sample(m, 'kesu_cases_open', { state: 'closed' }), undefined, 'closed cases are not counted');
      assert.equal(sample(m, 'kesu_clocks_due', { check: 'deadline' }), 0, 'nothing due yet');
      assert.equal(sample(m, 'kesu_clocks_due_oldest_seconds'), 0);
      assert.equal(sample(m, 'kesu_cases_overdue'), 0);
      assert.ok(sample(m, 'kesu_outbox_backlog', { status: 'pending' })! > 0, 'acknowledgements wait for the dispatcher');
      assert.equal(sample(m, 'kesu_outbox_oldest_pending_seconds'), 0, 'queued just now');
      assert.equal(sample(m, 'kesu_outbox_dead_letters'), 0);

      // Three days later, nobody has triaged them: deadlines are due, the outbox has aged.
      k.clock.advance(72 * HOUR);
      m = await scrape(k.server);
      const dueDeadlines = sample(m, 'kesu_clocks_due', { check: 'deadline' })!;
      assert.ok(dueDeadlines >= 3, `a deadline per case is due (${dueDeadlines})`);
      assert.ok(sample(m, 'kesu_clocks_due_oldest_seconds')! > 24 * 3600, 'the oldest due check is over a day old');
      assert.equal(sample(m, 'kesu_outbox_oldest_pending_seconds'), 72 * 3600);

      const swept = await sweepDeadlines(k.app);
      const breaches = swept.fired.filter((f) => f.action === 'breach').length;
      assert.equal(breaches, dueDeadlines, 'every due deadline fired');
      m = await scrape(k.server);
      assert.equal(sample(m, 'kesu_clocks_due', { check: 'deadline' }), 0);
      assert.equal(sample(m, 'kesu_clocks_due_oldest_seconds'), 0);
      assert.equal(sample(m, 'kesu_cases_overdue'), 3);
      assert.equal(sample(m, 'kesu_sweeper_lag_seconds_count', { action: 'breach' }), breaches);
      // Each breach is measured from its own deadline, all of which passed within the three days.
      const lagSum = sample(m, 'kesu_sweeper_lag_seconds_sum', { action: 'breach' })!;
      assert.ok(lagSum > 0 && lagSum < breaches * 72 * 3600, `lag ${lagSum}s`);
      assert.equal(sample(m, 'kesu_sweeper_lag_seconds_bucket', { action: 'breach', le: '+Inf' }), breaches);

      await k.testDb.database.db.updateTable('outbox').set({ status: 'dead' }).where('complaint_id', '=', ids[0]!).where('status', '=', 'pending').execute();
      m = await scrape(k.server);
      assert.ok(sample(m, 'kesu_outbox_dead_letters')! >= 1);
    });

    it('times HTTP answers by method, route pattern and status — never the raw URL', async () => {
      await k.as('agent').get(`/api/v1/complaints/${ids[1]}`);
      await k.as('agent').get(`/api/v1/complaints/${ids[2]}`);
      await k.server.inject({ url: '/api/nope' });
      const m = await scrape(k.server);
      assert.equal(sample(m, 'kesu_http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/complaints', status: '201' }), 3);
      assert.ok(sample(m, 'kesu_http_request_duration_seconds_sum', { method: 'POST', route: '/api/v1/complaints', status: '201' })! > 0);
      assert.equal(sample(m, 'kesu_http_request_duration_seconds_bucket', { method: 'POST', route: '/api/v1/complaints', status: '201', le: '+Inf' }), 3);
      assert.equal(sample(m, 'kesu_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/complaints/:id', status: '200' }), 2);
      assert.equal(sample(m, 'kesu_http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status: '404' }), 1);
      for (const id of ids) assert.ok(!m.includes(id), 'no case id in any label');
      assert.ok(!m.includes('/api/nope'));
    });
  });
}

describe('metrics access and event-stream clients', () => {
  let k: Kesu;
  before(async () => {
    k = await startKesu('sqlite', { start: new Date().toISOString() });
  });
  after(async () => k?.close());

  it('with KESU_METRICS_TOKEN set, a scrape needs the bearer token', async () => {
    const token = 'scrape-token-0123456789';
    const guarded = await buildServer(k.app, { metricsToken: token });
    try {
      const none = await guarded.inject({ url: '/metrics' });
      assert.equal(none.statusCode, 401);
      assert.equal(none.headers['www-authenticate'], 'Bearer realm="metrics"');
      assert.equal(none.json().code, 'unauthenticated');
      assert.equal((await guarded.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong-token-0123456789' } })).statusCode, 401);
      assert.equal((await guarded.inject({ url: '/metrics', headers: { authorization: 'Bearer ' } })).statusCode, 401);
      const m = await scrape(guarded, { authorization: `Bearer ${token}` });
      assert.equal(sample(m, 'kesu_domain_metrics_ok'), 1);
      assert.equal(sample(m, 'process_resident_memory_bytes'), undefined, 'process metrics only when asked for');
    } finally {
      await guarded.close();
    }
    const withProcess = await buildServer(k.app, { processMetrics: true });
    try {
      assert.ok(sample(await scrape(withProcess), 'process_resident_memory_bytes')! > 0);
    } finally {
      await withProcess.close();
    }
  });

  it('counts open console event streams, which carry a request id but stay out of the HTTP histogram', async () => {
    await k.server.listen({ port: 0, host: '127.0.0.1' });
    const addr = k.server.server.address();
    const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    await k.as('agent').get('/api/v1/me');
    const ac = new AbortController();
    const res = await fetch(`${base}/api/v1/stream`, { headers: { authorization: `Bearer ${k.tokens.get('agent')}` }, signal: ac.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('x-request-id') ?? '', UUID);
    assert.equal(sample(await scrape(k.server), 'kesu_sse_clients'), 1);
    ac.abort();
    await res.body?.cancel().catch(() => {});
    let clients = 1;
    for (let i = 0; i < 50 && clients !== 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      clients = sample(await scrape(k.server), 'kesu_sse_clients')!;
    }
    assert.equal(clients, 0, 'the closed stream is no longer counted');
    assert.equal(sample(await scrape(k.server), 'kesu_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/stream', status: '200' }), undefined);
  });
});

describe('request ids', () => {
  let k: Kesu;
  let server: FastifyInstance;
  let trusted: FastifyInstance;
  const lines: string[] = [];
  let token: string;
  before(async () => {
    // 2027 has no built-in holiday data: a suggestion's working-day deadline makes the intake
    // service log a warning through app.log, inside the request.
    k = await startKesu('sqlite', { start: '2027-03-01T09:00:00+08:00' });
    server = await buildServer(k.app, { logger: { level: 'info', stream: { write: (s: string) => void lines.push(s) } } });
    k.app.log = server.log;
    trusted = await buildServer(k.app, { trustProxy: true });
    const login = await server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'agent', password: 'kesu-demo' } });
    token = login.json().token;
  });
  after(async () => {
    await server?.close();
    await trusted?.close();
    await k?.close();
  });

  it('every answer has one, and every log line of the request — its own and the services’ — carries it', async () => {
    lines.length = 0;
    const r = await server.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      headers: { authorization: `Bearer ${token}` },
      payload: { kind: 'suggestion', channel: 'phone', description: '建议延长营业时间', complainant: { name: '林先生' } },
    });
    assert.equal(r.statusCode, 201);
    const id = String(r.headers['x-request-id']);
    assert.match(id, UUID);
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const service = logged.filter((l) => l.msg === 'deadline computed without holiday data for these years');
    assert.equal(service.length, 1, 'the intake service logged through app.log');
    assert.equal(service[0]!.reqId, id);
    assert.ok(
      logged.some((l) => l.msg === 'request completed' && l.reqId === id),
      'Fastify’s own lines',
    );
    assert.ok(logged.length >= 3 && logged.every((l) => l.reqId === id), 'nothing logged during the request without its id');
    for (const l of lines) assert.equal(l.split('"reqId"').length, 2, 'the id once per line, not doubled by the mixin');

    const other = await server.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    assert.notEqual(other.headers['x-request-id'], id, 'a fresh id per request');
  });

  it('error bodies name the request: not found, invalid input, unauthenticated', async () => {
    const cases = [
      await server.inject({ url: '/api/nope' }),
      await server.inject({ method: 'POST', url: '/api/v1/complaints', headers: { authorization: `Bearer ${token}` }, payload: { channel: 'nope' } }),
      await server.inject({ url: '/api/v1/complaints' }),
    ];
    assert.deepEqual(
      cases.map((c) => c.statusCode),
      [404, 400, 401],
    );
    for (const c of cases) {
      const body = c.json();
      assert.deepEqual(Object.keys(body).slice(0, 3), ['code', 'message', 'fields']);
      assert.equal(body.requestId, c.headers['x-request-id']);
      assert.match(body.requestId, UUID);
    }
    const okBody = (await server.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).json();
    assert.equal(okBody.requestId, undefined, 'only error bodies');
  });

  it('a supplied X-Request-Id is used only from a trusted proxy, and only when it looks like an id', async () => {
    const given = 'edge-7f3a9c01.req:42';
    const untrusted = await server.inject({ url: '/api/nope', headers: { 'x-request-id': given } });
    assert.match(String(untrusted.headers['x-request-id']), UUID, 'a client cannot plant an id');
    assert.notEqual(untrusted.json().requestId, given);

    const echoed = await trusted.inject({ url: '/api/nope', headers: { 'x-request-id': given } });
    assert.equal(echoed.headers['x-request-id'], given);
    assert.equal(echoed.json().requestId, given);
    for (const bad of ['x'.repeat(129), 'has space', 'quote"d', 'semi;colon', '']) {
      const r = await trusted.inject({ url: '/api/nope', headers: { 'x-request-id': bad } });
      assert.match(String(r.headers['x-request-id']), UUID, `replaced: ${JSON.stringify(bad)}`);
    }
    const none = await trusted.inject({ url: '/api/health/live' });
    assert.match(String(none.headers['x-request-id']), UUID, 'created when the proxy sent none');
  });

  it('unknown /api paths and probe paths answer the JSON 404, never the console', async () => {
    for (const url of ['/api/nope', '/api/v1/nope/deeper?x=1', '/api', '/API/v1/nope', '//api/nope', '/metrics/extra', '/metrics.json', '/healthz', '/readyz', '/livez', '/health']) {
      const r = await server.inject({ url, headers: { accept: 'text/html' } });
      assert.equal(r.statusCode, 404, url);
      assert.match(String(r.headers['content-type']), /^application\/json/, url);
      assert.equal(r.json().code, 'not_found', url);
    }
    assert.equal((await server.inject({ method: 'POST', url: '/api/nope', payload: {} })).json().code, 'not_found');
    const metrics = await server.inject({ url: '/metrics' });
    assert.equal(metrics.statusCode, 200);
    assert.match(metrics.body, /^# HELP /m);
    // Console routes still get the console (here unbuilt: its placeholder page).
    assert.match(String((await server.inject({ url: '/cases/KS-2027-000001' })).headers['content-type']), /^text\/html/);
  });
});
