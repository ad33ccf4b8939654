/**
 * Issue 12, HTTP hardening on both engines:
 * - behind a trusted proxy the portal's rate limit keys on the right-most untrusted
 *   X-Forwarded-For hop: 60 spoofed left-most entries do not get past it, and a client that is not
 *   a trusted proxy cannot choose its address (nor its request id) at all;
 * - the session cookie is Secure when the request came over TLS through a trusted proxy;
 * - malformed multipart bodies on the portal's and the staff's upload routes answer 400 naming
 *   the field, with no error (no stack trace) in the log.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { engines } from '../support/engines.js';
import { startChannelKesu, multipart, PNG, pageText, type ChannelKesu } from '../support/channels.js';
import { buildServer } from '../../src/http/server.js';

const track = (server: FastifyInstance, ip: string, xff?: string) =>
  server.inject({
    method: 'POST',
    url: '/portal/track',
    payload: new URLSearchParams({ number: 'KS-2026-999999', code: 'XXXX-XXXX' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(xff ? { 'x-forwarded-for': xff } : {}) },
    remoteAddress: ip,
  });

for (const { dialect, skip } of await engines()) {
  describe(`HTTP hardening (${dialect})`, { skip }, () => {
    let ck: ChannelKesu;
    let proxied: FastifyInstance;
    const lines: { level: number; msg: string; err?: unknown }[] = [];
    before(async () => {
      ck = await startChannelKesu(dialect, { start: '2026-09-28T09:00:00+08:00' });
      const stream = new Writable({
        write(chunk, _enc, cb) {
          for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
          cb();
        },
      });
      // Kesu behind a reverse proxy on this host (loopback and private ranges trusted by default).
      proxied = await buildServer(ck.k.app, { trustProxy: true, logger: { level: 'info', stream } });
      ck.k.app.log = proxied.log;
    });
    after(async () => {
      await proxied?.close();
      await ck?.close();
    });

    it('60 spoofed X-Forwarded-For values do not get past the portal limit', async () => {
      ck.s.portal.rateLimitPerMinute = 5;
      try {
        // Through the proxy: the client writes whatever it likes on the left, the proxy appends its real address.
        const through: number[] = [];
        for (let i = 0; i < 60; i++) through.push((await track(proxied, '127.0.0.1', `198.51.100.${i}, 10.1.${i}.1, 203.0.113.77`)).statusCode);
        assert.deepEqual(through.slice(0, 5), Array(5).fill(404));
        assert.equal(through.filter((s) => s === 429).length, 55, `limited on the real client address: ${through.join(',')}`);
        // Straight to Kesu from an untrusted address: its X-Forwarded-For is ignored altogether.
        const direct: number[] = [];
        for (let i = 0; i < 60; i++) direct.push((await track(proxied, '203.0.113.88', `198.51.100.${i}`)).statusCode);
        assert.equal(direct.filter((s) => s === 404).length, 5);
        assert.equal(direct.filter((s) => s === 429).length, 55);
        assert.equal((await track(proxied, '127.0.0.1', '203.0.113.99')).statusCode, 404, 'another real client is not affected');
      } finally {
        ck.s.portal.rateLimitPerMinute = 10_000;
      }
    });

    it('takes X-Request-Id and X-Forwarded-Proto from trusted proxies only; the cookie is Secure behind TLS', async () => {
      const login = (ip: string, headers: Record<string, string>) => proxied.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'agent', password: 'kesu-demo' }, headers, remoteAddress: ip });
      const viaProxy = await login('10.0.0.2', { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.5', 'x-request-id': 'proxy-id-1' });
      assert.equal(viaProxy.statusCode, 200);
      assert.match(String(viaProxy.headers['set-cookie']), /; Secure$/);
      assert.match(String(viaProxy.headers['set-cookie']), /HttpOnly; SameSite=Lax/);
      assert.equal(viaProxy.headers['strict-transport-security'], 'max-age=31536000');
      assert.equal(viaProxy.headers['x-request-id'], 'proxy-id-1');
      const spoofed = await login('203.0.113.6', { 'x-forwarded-proto': 'https', 'x-request-id': 'planted-id' });
      assert.equal(spoofed.statusCode, 200);
      assert.doesNotMatch(String(spoofed.headers['set-cookie']), /Secure/, 'plain HTTP from a client: no Secure flag');
      assert.equal(spoofed.headers['strict-transport-security'], undefined);
      assert.notEqual(spoofed.headers['x-request-id'], 'planted-id');
      const logout = await proxied.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { 'x-forwarded-proto': 'https' }, remoteAddress: '127.0.0.1' });
      assert.match(String(logout.headers['set-cookie']), /Max-Age=0; Secure$/);
    });

    it('malformed multipart bodies answer 400 naming the field, without an error in the log', async () => {
      const agent = ck.k.as('agent');
      const created = await agent.post('/api/v1/complaints', { channel: 'phone', description: '上传测试', complainant: { name: '王女士', phone: '13812345678' } });
      assert.equal(created.status, 201);
      const id = created.body.complaint.id as string;
      const token = ck.k.tokens.get('agent')!;
      const good = multipart({ text: '照片' }, [{ field: 'files', name: 'a.png', type: 'image/png', data: PNG }]);
      const contentType = good.headers['content-type']!;
      const boundary = contentType.split('boundary=')[1]!;
      const bodies: { name: string; payload: Buffer; type: string }[] = [
        { name: 'cut off inside the file', payload: good.payload.subarray(0, good.payload.length - 60), type: contentType },
        { name: 'broken part header', payload: Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="a.png"\r\nContent-Type image/png\r\n`), type: contentType },
        { name: 'no closing boundary', payload: Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\nhello`), type: contentType },
        { name: 'no boundary at all', payload: Buffer.from('garbage'), type: 'multipart/form-data' },
      ];
      const before = lines.length;
      for (const b of bodies) {
        const staff = await proxied.inject({ method: 'POST', url: `/api/v1/complaints/${id}/attachments`, payload: b.payload, headers: { 'content-type': b.type, authorization: `Bearer ${token}`, 'accept-language': 'en' } });
        assert.equal(staff.statusCode, 400, `staff, ${b.name}: ${staff.body}`);
        const body = staff.json();
        assert.equal(body.code, 'invalid_input', b.name);
        assert.match(body.fields[0].path, /^(files(\[\d+\])?|body)$/, `${b.name}: ${staff.body}`);
        assert.match(body.message, /Invalid input：(files|body)/, b.name);

        const portal = await proxied.inject({ method: 'POST', url: '/portal/submit', payload: b.payload, headers: { 'content-type': b.type, 'accept-language': 'en' } });
        assert.ok(portal.statusCode >= 400 && portal.statusCode < 500, `portal, ${b.name}: ${portal.statusCode}`);
        const supplement = await proxied.inject({ method: 'POST', url: '/portal/supplement', payload: b.payload, headers: { 'content-type': b.type, 'accept-language': 'en' } });
        assert.ok(supplement.statusCode >= 400 && supplement.statusCode < 500, `supplement, ${b.name}: ${supplement.statusCode} ${pageText(supplement.body).slice(0, 200)}`);
      }
      const bad = lines.slice(before).filter((l) => l.level >= 50);
      assert.deepEqual(bad, [], 'nothing logged at error level');
      assert.ok(!JSON.stringify(lines.slice(before)).includes('"stack"'), 'no stack trace logged');
      // A well-formed upload still works.
      const ok = await proxied.inject({ method: 'POST', url: `/api/v1/complaints/${id}/attachments`, payload: good.payload, headers: { ...good.headers, authorization: `Bearer ${token}` } });
      assert.equal(ok.statusCode, 201, ok.body);
    });
  });
}
