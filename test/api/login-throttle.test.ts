/**
 * Issue 12: sign-in throttling per account and per client address, stored in the database
 * (every instance counts together). 40 wrong passwords lock the account: the right password is
 * then refused with 429 in the caller's language until an administrator lifts the lock. Every
 * failure, lock-out, refusal and unlock is an auth event, without the password.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { buildServer } from '../../src/http/server.js';
import { listAuthEvents } from '../../src/store/login-throttle.repository.js';

const WRONG = 'not-the-password-Xq7';

for (const { dialect, skip } of await engines()) {
  describe(`sign-in throttling (${dialect})`, { skip }, () => {
    let k: Kesu;
    before(async () => {
      k = await startKesu(dialect);
    });
    after(async () => k?.close());

    const login = (server: Kesu['server'], username: string, password: string, opts: { ip?: string; lang?: string } = {}) =>
      server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: opts.ip, headers: opts.lang ? { 'accept-language': opts.lang } : {} });

    it('locks an account after 10 failures: the right password is refused until an admin unlocks it', async () => {
      const admin = k.as('admin');
      assert.equal((await admin.get('/api/v1/me')).status, 200, 'an admin session opened before the attack');

      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await login(k.server, 'admin', `${WRONG}${i}`)).statusCode);
      assert.deepEqual(statuses.slice(0, 10), Array(10).fill(401), 'the first 10 are plain failures');
      assert.deepEqual(statuses.slice(10), Array(30).fill(429), 'then the account is locked');

      const right = await login(k.server, 'admin', 'kesu-demo');
      assert.equal(right.statusCode, 429, 'the right password is refused while locked');
      assert.equal(right.json().code, 'login_throttled');
      assert.match(right.json().message, /登录失败次数过多/);
      const retryAfter = Number(right.headers['retry-after']);
      assert.ok(retryAfter > 0 && retryAfter <= 15 * 60, `Retry-After ${right.headers['retry-after']}`);
      const en = await login(k.server, 'admin', 'kesu-demo', { lang: 'en' });
      assert.equal(en.statusCode, 429);
      assert.match(en.json().message, /Too many failed sign-ins/);
      assert.equal((await login(k.server, 'ADMIN', 'kesu-demo')).statusCode, 429, 'the username is not case-sensitive for the lock');

      assert.equal((await login(k.server, 'agent', 'kesu-demo')).statusCode, 200, 'other accounts from the same address still sign in');
      assert.equal((await admin.get('/api/v1/me')).status, 200, 'open sessions keep working');
      assert.equal((await k.as('agent').get('/api/v1/auth/locks')).status, 403, 'only admins see the locks');

      // Another instance on the same database sees the same lock.
      const b = await k.instance();
      try {
        assert.equal((await login(b.server, 'admin', 'kesu-demo')).statusCode, 429, 'the lock is shared by the instances');
      } finally {
        await b.close();
      }

      const locks = await admin.get('/api/v1/auth/locks');
      assert.equal(locks.status, 200);
      assert.deepEqual(
        locks.body.map((l: { kind: string; subject: string }) => `${l.kind}:${l.subject}`),
        ['account:admin'],
      );
      const unlocked = await admin.post('/api/v1/auth/locks/unlock', { username: 'admin' });
      assert.equal(unlocked.status, 200, JSON.stringify(unlocked.body));
      assert.deepEqual(unlocked.body, { ok: true, wasLocked: true });
      assert.equal((await login(k.server, 'admin', 'kesu-demo')).statusCode, 200, 'unlocked: the right password works');
      assert.equal((await admin.post('/api/v1/auth/locks/unlock', {})).status, 400, 'a username or an address is needed');

      const events = await listAuthEvents(k.app.database.db, 500);
      const count = (kind: string) => events.filter((e) => e.kind === kind && e.username?.toLowerCase() === 'admin').length;
      assert.equal(count('login_failed'), 10);
      assert.equal(count('locked'), 1);
      assert.equal(count('refused_locked'), 34);
      assert.equal(count('unlocked'), 1);
      assert.equal(events.find((e) => e.kind === 'unlocked')!.actorId, k.userIds.get('admin'));
      const all = JSON.stringify(events);
      assert.ok(!all.includes(WRONG) && !all.includes('kesu-demo'), 'no password in the audit events');
    });

    it('locks a client address after too many failures, whatever the usernames', async () => {
      const server = await buildServer(k.app, { loginThrottle: { maxFailures: 100, maxFailuresPerAddress: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 } });
      try {
        const ip = '203.0.113.50';
        const statuses: number[] = [];
        for (let i = 0; i < 5; i++) statuses.push((await login(server, `nobody${i}`, WRONG, { ip })).statusCode);
        assert.deepEqual(statuses, [401, 401, 401, 401, 401]);
        assert.equal((await login(server, 'agent2', 'kesu-demo', { ip })).statusCode, 429, 'the address is locked for every account');
        assert.equal((await login(server, 'agent2', 'kesu-demo', { ip: '203.0.113.51' })).statusCode, 200, 'other addresses are not');
        const locks = await k.as('admin').get('/api/v1/auth/locks');
        assert.ok(
          locks.body.some((l: { kind: string; subject: string }) => l.kind === 'address' && l.subject === ip),
          JSON.stringify(locks.body),
        );
        assert.deepEqual((await k.as('admin').post('/api/v1/auth/locks/unlock', { address: ip })).body, { ok: true, wasLocked: true });
        assert.equal((await login(server, 'agent2', 'kesu-demo', { ip })).statusCode, 200);
      } finally {
        await server.close();
      }
    });

    it('a lock ends by itself after its time', async () => {
      for (let i = 0; i < 10; i++) await login(k.server, 'followup', WRONG);
      assert.equal((await login(k.server, 'followup', 'kesu-demo')).statusCode, 429);
      k.clock.advance(15 * 60_000 + 1000);
      assert.equal((await login(k.server, 'followup', 'kesu-demo')).statusCode, 200);
    });
  });
}
