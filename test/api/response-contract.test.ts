/**
 * Every JSON answer goes through its route's response schema (src/http/schemas/): a field the
 * OpenAPI document does not describe fails the request with 500. The other API tests exercise
 * most routes; this one calls those they do not, and checks the documented error body.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';

for (const { dialect, skip } of await engines()) {
  describe(`answers as the OpenAPI document describes them (${dialect})`, { skip }, () => {
    let k: Kesu;
    before(async () => {
      k = await startKesu(dialect);
    });
    after(async () => k?.close());

    it('answers the organisation, lifecycle, audit and outbox routes', async () => {
      const admin = k.as('admin');
      const agent = k.as('agent');
      await agent.post('/api/v1/complaints', { channel: 'phone', description: '快递送来的洗发水漏了一半', complainant: { name: '林先生', phone: '13812345678', email: 'lin@example.com' } });
      for (const [who, url] of [
        [agent, '/api/v1/me'],
        [agent, '/api/v1/departments'],
        [agent, '/api/v1/attachments/limits'],
        [agent, '/api/v1/lifecycle'],
        [agent, '/api/v1/policy'],
        [admin, '/api/v1/users'],
        [admin, '/api/v1/admin/outbox'],
        [k.as('auditor'), '/api/v1/audit/verify'],
      ] as const) {
        const r = await who.get(url);
        assert.equal(r.status, 200, `${url}: ${JSON.stringify(r.body)}`);
      }
      const created = await admin.post('/api/v1/users', { username: 'newcomer', name: '新人', password: 'kesu-demo-123', roles: ['agent'] });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.deepEqual(Object.keys(created.body).sort(), ['id', 'username']);
      const login = await k.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'newcomer', password: 'kesu-demo-123' } });
      assert.equal(login.statusCode, 200, login.body);
      const out = await k.server.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { authorization: `Bearer ${login.json().token}` } });
      assert.deepEqual([out.statusCode, out.json()], [200, { ok: true }]);
    });

    it('answers errors as {code, message, fields} (and the policy problems)', async () => {
      const missing = await k.as('agent').get('/api/v1/complaints/KS-2026-999999');
      assert.equal(missing.status, 404);
      assert.deepEqual(Object.keys(missing.body).sort(), ['code', 'fields', 'message', 'requestId']);
      const bad = await k.as('agent').post('/api/v1/complaints', { channel: 'phone' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.code, 'invalid_input');
      assert.ok(bad.body.fields.some((f: { path: string }) => f.path === 'description'));
      const policy = await k.as('admin').post('/api/v1/policy', { text: 'id: x\n' });
      assert.equal(policy.status, 422);
      assert.equal(policy.body.code, 'policy_invalid');
      assert.ok(policy.body.problems.length > 0);
    });
  });
}
