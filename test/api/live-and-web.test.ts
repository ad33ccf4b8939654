/**
 * Live updates (`GET /api/v1/stream`, server-sent events) tell each user only about cases they
 * may see; the console's static files are served at `/` with the SPA fallback, never for
 * `/api/*` or `/portal*`, and a clear page when the console has not been built.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { startKesu, type Kesu } from '../support/kesu.js';
import { consoleFiles } from '../../src/http/web.js';
import { installErrorHandler } from '../../src/http/error-handler.js';
import { openStream } from '../support/stream.js';

const listen = (base: string, token: string) => openStream(base, token, 'case_changed');

const settle = () => new Promise((r) => setTimeout(r, 150));

describe('live updates', () => {
  let k: Kesu;
  let base: string;
  before(async () => {
    k = await startKesu('sqlite', { start: new Date().toISOString() });
    await k.server.listen({ port: 0, host: '127.0.0.1' });
    const addr = k.server.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  after(async () => k?.close());

  it('sends ids and numbers of changed cases to the users who may see them, and nothing else', async () => {
    const ids = Object.fromEntries(k.userIds);
    await k.as('agent').get('/api/v1/me');
    await k.as('specialist').get('/api/v1/me');
    await k.as('handler2').get('/api/v1/me');
    await k.as('agent2').get('/api/v1/me');
    const spec = await listen(base, k.tokens.get('specialist')!);
    const subject = await listen(base, k.tokens.get('handler2')!);
    const stranger = await listen(base, k.tokens.get('agent2')!);
    const r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '维修员吴磊态度恶劣', complainant: { name: '钱先生' }, subject: { employeeIds: [ids.handler2] } });
    assert.equal(r.status, 201);
    const id = r.body.complaint.id;
    const j = await k.as('specialist').act(id, 'judge', { valid: true });
    assert.equal(j.status, 200);
    await settle();
    assert.deepEqual(
      spec.events.map((e) => e.action),
      ['receive', 'judge'],
    );
    assert.deepEqual(Object.keys(spec.events[1]).sort(), ['action', 'at', 'id', 'number', 'state']);
    assert.equal(spec.events[1].id, id);
    assert.equal(spec.events[1].state, 'valid');
    assert.deepEqual(subject.events, [], 'the complained-about employee hears nothing');
    assert.deepEqual(stranger.events, [], 'an uninvolved agent hears nothing');
    await Promise.all([spec.close(), subject.close(), stranger.close()]);
  });

  it('refuses the stream without a session', async () => {
    const res = await fetch(`${base}/api/v1/stream`);
    assert.equal(res.status, 401);
  });
});

describe('console files', () => {
  let dir: string;
  const server = Fastify();
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kesu-web-'));
    installErrorHandler(server);
    await consoleFiles(server, dir);
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('explains how to build the console when it is missing', async () => {
    const r = await server.inject('/');
    assert.equal(r.statusCode, 503);
    assert.match(r.body, /npm run build:web/);
  });

  it('serves files, falls back to index.html for console routes, never for the API or the portal', async () => {
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'assets', 'app-abc.js'), 'console.log(1)');
    assert.match((await server.inject('/')).body, /id="root"/);
    const deep = await server.inject('/cases/KS-2026-000001');
    assert.equal(deep.statusCode, 200);
    assert.match(deep.body, /id="root"/);
    const asset = await server.inject('/assets/app-abc.js');
    assert.equal(asset.statusCode, 200);
    assert.match(String(asset.headers['cache-control']), /immutable/);
    assert.equal((await server.inject('/assets/missing.js')).statusCode, 404);
    mkdirSync(join(dir, '.vite'));
    writeFileSync(join(dir, '.vite', 'manifest.json'), '{"web/src/main.tsx":{}}');
    const manifest = await server.inject('/.vite/manifest.json');
    assert.equal(manifest.statusCode, 404, 'the build manifest is not served');
    assert.ok(!manifest.body.includes('main.tsx'));
    const api = await server.inject('/api/v1/nothing-here');
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().code, 'not_found');
    assert.equal((await server.inject('/portal/unknown')).statusCode, 404);
    const escape = await server.inject('/..%2f..%2f..%2fetc%2fpasswd');
    assert.ok(!escape.body.includes('root:'), 'no file outside the console folder');
  });
});
