/**
 * Issue 9: the write gate (src/http/write-gate.ts) on a real Fastify server over real sockets.
 * At most `limit` mutating API requests run at once, in arrival order; reads and multipart bodies
 * pass; a request let through by another's release runs in its own request context; the gate is
 * given back on success, error and a client that goes away — holding or waiting.
 */
import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { installWriteGate, type WriteGate } from '../../src/http/write-gate.js';
import { requestContext, runInRequestContext } from '../../src/services/request-context.js';

/** A handler that waits until the test lets it go, so the test sees who runs at once. */
class Holds {
  running = new Set<string>();
  started: string[] = [];
  most = 0;
  private gates = new Map<string, () => void>();
  enter(name: string): Promise<void> {
    this.running.add(name);
    this.started.push(name);
    this.most = Math.max(this.most, this.running.size);
    return new Promise((resolve) => this.gates.set(name, resolve));
  }
  release(name: string): void {
    this.running.delete(name);
    this.gates.get(name)?.();
  }
  /** After a failed test: nothing left hanging. */
  releaseAll(): void {
    for (const name of [...this.gates.keys()]) this.release(name);
  }
}

async function until(cond: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function send(port: number, method: string, path: string, opts: { body?: string; type?: string } = {}) {
  const req = request({ host: '127.0.0.1', port, method, path, headers: { 'content-type': opts.type ?? 'application/json' } });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
  req.end(opts.body ?? (method === 'GET' ? undefined : '{}'));
  return { req, answer };
}

describe('write gate', () => {
  let server: FastifyInstance;
  let gate: WriteGate;
  let holds: Holds;
  let port: number;

  beforeEach(async () => {
    holds = new Holds();
    server = Fastify();
    gate = installWriteGate(server, 2)!;
    server.addHook('preHandler', (req, _reply, done) => runInRequestContext({ route: req.url, requestId: req.id }, done));
    server.addContentTypeParser('multipart/form-data', (_req, payload, done) => {
      payload.resume();
      payload.on('end', () => done(null, {}));
    });
    server.post('/api/hold/:name', async (req) => {
      const { name } = req.params as { name: string };
      await holds.enter(name);
      // The context is this request's own, even when it was let in by another request's release.
      return { name, route: requestContext()?.route };
    });
    server.post('/api/fail/:name', async (req) => {
      await holds.enter((req.params as { name: string }).name);
      throw new Error('broken');
    });
    server.get('/api/read', async () => ({ ok: true }));
    server.post('/portal/form', async () => ({ ok: true }));
    await server.listen({ port: 0, host: '127.0.0.1' });
    port = (server.server.address() as { port: number }).port;
  });
  afterEach(async () => {
    holds.releaseAll();
    server.server.closeAllConnections();
    await server.close();
  });

  it('lets at most two writes run at once, in arrival order, each in its own context', async () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const sent: Promise<{ status: number; body: string }>[] = [];
    for (const n of names) {
      sent.push(send(port, 'POST', `/api/hold/${n}`).answer);
      await until(() => holds.started.length + gate.waiting >= sent.length, `request ${n} to arrive`);
    }
    await until(() => holds.running.size === 2 && gate.waiting === 4, 'two running and four waiting');
    for (const n of names) {
      await until(() => holds.running.has(n), `${n} to run`);
      assert.ok(holds.running.size <= 2);
      holds.release(n);
    }
    const answers = await Promise.all(sent);
    assert.deepEqual(holds.started, names, 'they ran in the order they came');
    assert.equal(holds.most, 2);
    answers.forEach((a, i) => assert.deepEqual(JSON.parse(a.body), { name: names[i], route: `/api/hold/${names[i]}` }));
    assert.equal(gate.active, 0);
    assert.equal(gate.waiting, 0);
  });

  it('does not hold reads, pages outside the API or multipart bodies behind the writes', async () => {
    const a = send(port, 'POST', '/api/hold/a').answer;
    const b = send(port, 'POST', '/api/hold/b').answer;
    const c = send(port, 'POST', '/api/hold/c').answer;
    await until(() => holds.running.size === 2 && gate.waiting === 1, 'the gate to be full');
    assert.equal((await send(port, 'GET', '/api/read').answer).status, 200);
    assert.equal((await send(port, 'POST', '/portal/form').answer).status, 200);
    const upload = send(port, 'POST', '/api/hold/upload', { type: 'multipart/form-data; boundary=x', body: '--x--' });
    await until(() => holds.running.has('upload'), 'the multipart request to run beside the full gate');
    assert.equal(gate.waiting, 1);
    for (const n of ['a', 'b', 'upload']) holds.release(n);
    await until(() => holds.running.has('c'), 'c to run');
    holds.release('c');
    await Promise.all([a, b, c, upload.answer]);
    assert.equal(gate.active, 0);
  });

  it('gives the gate back after an error, and when a client goes away holding or waiting', async () => {
    const failing = send(port, 'POST', '/api/fail/x').answer;
    const holder = send(port, 'POST', '/api/hold/gone-holding');
    await until(() => holds.running.size === 2, 'both to hold the gate');
    const waiter = send(port, 'POST', '/api/hold/gone-waiting');
    waiter.answer.catch(() => {});
    await until(() => gate.waiting === 1, 'a waiter');
    waiter.req.destroy();
    await until(() => gate.waiting === 0, 'the waiter to leave the queue');
    holds.release('x');
    assert.equal((await failing).status, 500);
    holder.answer.catch(() => {});
    holder.req.destroy();
    await until(() => gate.active === 0, 'the holder to give the gate back when its client went away');
    holds.release('gone-holding');
    // The gate is whole again: two new writes run at once.
    const next = [send(port, 'POST', '/api/hold/n1').answer, send(port, 'POST', '/api/hold/n2').answer];
    await until(() => holds.running.has('n1') && holds.running.has('n2'), 'two new writes to run at once');
    assert.ok(!holds.started.includes('gone-waiting'), 'a request whose client left while waiting never ran');
    holds.release('n1');
    holds.release('n2');
    await Promise.all(next);
  });
});
