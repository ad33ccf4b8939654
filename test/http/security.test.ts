/**
 * Issue 12, HTTP hardening (SQLite; the engine does not matter here but for the lock time-out):
 * security headers on the API, the console, the API docs and the portal; nesting limits on JSON
 * bodies and policy documents (refused at once, naming the field); a SQLite write lock held past
 * the busy time-out answers 503 with Retry-After; the log redaction list.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import SQLite from 'better-sqlite3';
import pino from 'pino';
import { sql } from 'kysely';
import { startKesu, type Kesu } from '../support/kesu.js';
import { multipart, pageText, testSettings } from '../support/channels.js';
import { jsonTooDeep, yamlTooDeep } from '../../src/http/security/depth.js';
import { maskUrl, redactingLogOptions, scrubText } from '../../src/http/security/redact.js';

describe('HTTP hardening', () => {
  let k: Kesu;
  before(async () => {
    k = await startKesu('sqlite');
  });
  after(async () => k?.close());

  it('sends security headers on the API, the console, the docs and the portal', async () => {
    for (const url of ['/api/health/live', '/', '/cases/KS-2026-000001', '/api/docs/', '/api/v1/me']) {
      const r = await k.server.inject({ url });
      const csp = String(r.headers['content-security-policy']);
      assert.match(csp, /frame-ancestors 'none'/, url);
      assert.match(csp, /default-src 'self'/, url);
      assert.match(csp, /script-src 'self'(;|$)/, `${url}: no inline or foreign scripts`);
      assert.match(csp, /object-src 'none'/, url);
      assert.equal(r.headers['x-frame-options'], 'DENY', url);
      assert.equal(r.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(r.headers['referrer-policy'], 'no-referrer', url);
      assert.equal(r.headers['strict-transport-security'], undefined, `${url}: no HSTS over plain HTTP`);
    }
    const portal = await k.server.inject({ url: '/portal/track' });
    assert.match(String(portal.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.match(String(portal.headers['content-security-policy']), /default-src 'none'/, 'the portal keeps its stricter policy');
  });

  it('refuses deeply nested JSON bodies at once, naming the field', async () => {
    const token = (await k.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'agent', password: 'kesu-demo' } })).json().token as string;
    const post = (payload: string) => k.server.inject({ method: 'POST', url: '/api/v1/complaints', payload, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'accept-language': 'en' } });
    const t0 = Date.now();
    const deep = await post(`{"channel":"phone","tags":${'['.repeat(200_000)}${']'.repeat(200_000)}}`);
    assert.ok(Date.now() - t0 < 1000, `answered in ${Date.now() - t0} ms`);
    assert.equal(deep.statusCode, 400);
    assert.equal(deep.json().code, 'invalid_input');
    assert.match(deep.json().fields[0].path, /^tags(\[0\])+$/);
    assert.match(deep.json().message, /nested too deeply \(at most 32 levels\)/);
    const objects = await post(`{"complainant":${'{"a":'.repeat(50)}1${'}'.repeat(50)}}`);
    assert.equal(objects.statusCode, 400);
    assert.match(objects.json().fields[0].path, /^complainant(\.a)+$/);
    assert.equal(jsonTooDeep('{"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}', 4), null, 'brackets in strings do not count');
    assert.equal((await post('{"channel":"phone","description":"正常的投诉描述","complainant":{"name":"王女士","phone":"13812345678"}}')).statusCode, 201);
  });

  it('refuses deeply nested policy documents (YAML and JSON) at once, naming the field', async () => {
    const check = (text: string) => k.as('admin').post('/api/v1/policy/check', { text }, { 'accept-language': 'en' });
    const cases = {
      flow: '['.repeat(100_000) + ']'.repeat(100_000),
      flowInMap: `version: x\nname: ${'{a: '.repeat(5000)}1${'}'.repeat(5000)}\n`,
      block: Array.from({ length: 200 }, (_, i) => `${'  '.repeat(i)}a${i}:`).join('\n') + ' 1\n',
      sequences: `${'- '.repeat(500)}x\n`,
      json: `{"a":${'['.repeat(50_000)}${']'.repeat(50_000)}}`,
    };
    for (const [name, text] of Object.entries(cases)) {
      const t0 = Date.now();
      const r = await check(text);
      assert.ok(Date.now() - t0 < 1000, `${name}: answered in ${Date.now() - t0} ms`);
      assert.equal(r.status, 400, `${name}: ${JSON.stringify(r.body).slice(0, 300)}`);
      assert.equal(r.body.fields[0].path, 'text', name);
      assert.match(r.body.fields[0].message, /nested too deeply \(at most 64 levels\), line \d+/, name);
    }
    const preset = readFileSync(new URL('../../policies/kesu-default.yaml', import.meta.url), 'utf8');
    assert.equal(yamlTooDeep(preset, 64), null);
    const ok = await check(preset);
    assert.equal(ok.status, 200, JSON.stringify(ok.body).slice(0, 300));
    assert.equal(ok.body.ok, true);
  });

  it('answers 503 with Retry-After when another connection holds the write lock past the busy time-out', async () => {
    const agent = k.as('agent');
    assert.equal((await agent.get('/api/v1/me')).status, 200, 'signed in before the lock');
    k.app.settings.channels = testSettings(k.testDb.dataDir!);
    const created = await agent.post('/api/v1/complaints', { channel: 'phone', description: '门户锁等待', complainant: { name: '王女士', phone: '13812345678' } });
    const issued = await agent.post(`/api/v1/complaints/${created.body.complaint.id}/access-code`, {});
    assert.equal(issued.status, 200);
    await sql`pragma busy_timeout = 200`.execute(k.app.database.db); // the writer's wait, shortened for the test
    const other = new SQLite(join(k.testDb.dataDir!, 'kesu.sqlite'));
    try {
      other.prepare('begin immediate').run();
      const r = await agent.post('/api/v1/complaints', { channel: 'phone', description: '锁等待测试', complainant: { name: '王女士', phone: '13812345678' } }, { 'accept-language': 'en' });
      assert.equal(r.status, 503, JSON.stringify(r.body));
      assert.equal(r.headers['retry-after'], '2');
      assert.equal(r.body.code, 'storage_busy');
      assert.match(r.body.message, /database is busy/);
      const zh = await agent.post('/api/v1/complaints', { channel: 'phone', description: '锁等待测试', complainant: { name: '王女士' } });
      assert.equal(zh.status, 503);
      assert.match(zh.body.message, /数据库正忙/);
      assert.equal((await agent.get('/api/v1/complaints')).status, 200, 'reads go on');
      const form = multipart({ number: issued.body.number, code: issued.body.accessCode, text: '补充说明' });
      const portal = await k.server.inject({ method: 'POST', url: '/portal/supplement', payload: form.payload, headers: { ...form.headers, 'accept-language': 'en' } });
      assert.equal(portal.statusCode, 503, pageText(portal.body).slice(0, 300));
      assert.equal(portal.headers['retry-after'], '2');
      assert.match(pageText(portal.body), /database is busy/);
      assert.equal((await k.server.inject({ url: '/api/health/ready' })).statusCode, 200, 'a lock wait is not a storage fault');
    } finally {
      other.prepare('commit').run();
      other.close();
      await sql`pragma busy_timeout = 5000`.execute(k.app.database.db);
    }
    const after = await agent.post('/api/v1/complaints', { channel: 'phone', description: '锁释放后', complainant: { name: '王女士' } });
    assert.equal(after.status, 201, JSON.stringify(after.body));
  });

  it('redacts secrets from log lines', () => {
    const out: string[] = [];
    const log = pino(redactingLogOptions({ level: 'info' }) as pino.LoggerOptions, new Writable({ write: (c, _e, cb) => (out.push(String(c)), cb()) }));
    log.info(
      {
        complainant: { name: '王女士', phone: '13812345678' },
        customer: { email: 'wang@example.com', idNumber: '110101199003071234', address: '北京市朝阳区建国路 1 号' },
        req: { headers: { authorization: 'Bearer tok-123', cookie: 'kesu_session=sess-456' } },
        sms: { to: '13812345678', text: '您的查询码 ABCD-EFGH' },
        login: { username: 'admin', password: 'hunter2-secret' },
        deep: { a: { b: { accessCode: 'ABCD-EFGH', token: 'survey-tok-789' } } },
      },
      'a line',
    );
    log.error({ err: new Error('550 mailbox 13812345678 / wang@example.com unavailable') }, 'delivery failed');
    const text = out.join('');
    for (const secret of ['13812345678', 'wang@example.com', '110101199003071234', '建国路', 'tok-123', 'sess-456', 'ABCD-EFGH', 'hunter2-secret', 'survey-tok-789']) assert.ok(!text.includes(secret), `${secret} logged: ${text}`);
    assert.match(text, /138\*\*\*\*5678/, 'numbers in error messages are masked, not dropped');
    assert.match(text, /"username":"admin"/, 'what is not secret stays');
    assert.equal(maskUrl('/portal/survey/abc.def-ghi?lang=en&code=1234'), '/portal/survey/[REDACTED]?lang=en&code=[REDACTED]');
    assert.equal(scrubText('call +86 138-1234-5678'), 'call +86*******5678');
  });
});
