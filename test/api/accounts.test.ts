/**
 * Issue 12 §2, accounts and sessions, on both engines: an admin edits a user, changes roles,
 * deactivates (sessions and live streams end at once, open cases listed), resets a password
 * (change forced at next sign-in); a user changes their own password under the policy and signs
 * out everywhere; sessions end when idle and at their absolute lifetime. All audited, no
 * password in the audit events.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { listAuthEvents } from '../../src/store/login-throttle.repository.js';
import { DEFAULT_SESSIONS } from '../../src/services/sessions.js';

const NEW_PASSWORD = 'Lantern-Orchid-47';
const TEMP_PASSWORD = 'Temporary-Quartz-83';

for (const { dialect, skip } of await engines()) {
  describe(`accounts and sessions (${dialect})`, { skip }, () => {
    let k: Kesu;
    let base: string;
    before(async () => {
      k = await startKesu(dialect);
      await k.server.listen({ port: 0, host: '127.0.0.1' });
      const addr = k.server.server.address();
      base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    });
    after(async () => k?.close());

    const login = async (username: string, password = 'kesu-demo') => {
      const r = await k.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
      return { status: r.statusCode, body: r.json() };
    };
    const call = async (token: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) => {
      const r = await k.server.inject({ method, url, payload: payload as never, headers: { authorization: `Bearer ${token}` } });
      return { status: r.statusCode, body: r.body ? r.json() : null };
    };
    const tokenOf = async (username: string, password = 'kesu-demo') => {
      const r = await login(username, password);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.token as string;
    };
    /** Opens the live stream; `ended` resolves when the server closes it. */
    const openStream = async (token: string) => {
      const ac = new AbortController();
      const res = await fetch(`${base}/api/v1/stream`, { headers: { authorization: `Bearer ${token}` }, signal: ac.signal });
      assert.equal(res.status, 200);
      const reader = res.body!.getReader();
      const ended = (async () => {
        try {
          for (;;) if ((await reader.read()).done) return true;
        } catch {
          return false;
        }
      })();
      return { ended, abort: () => ac.abort() };
    };
    const within = <T>(p: Promise<T>, ms = 3000) => Promise.race([p, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms).unref())]);

    it('edits a user; a role change ends their sessions and their open stream', async () => {
      const admin = await tokenOf('admin');
      const id = k.userIds.get('agent2')!;
      const t = await tokenOf('agent2');
      const edit = await call(admin, 'PATCH', `/api/v1/users/${id}`, { name: '新名字', email: 'agent2@example.com', phone: '13800000000' });
      assert.equal(edit.status, 200, JSON.stringify(edit.body));
      assert.equal(edit.body.user.name, '新名字');
      assert.equal(edit.body.sessionsEnded, 0, 'a name or contact change keeps sessions');
      assert.equal((await call(t, 'GET', '/api/v1/me')).body.name, '新名字');

      const stream = await openStream(t);
      const roles = await call(admin, 'PATCH', `/api/v1/users/${id}`, { roles: ['agent', 'followup'] });
      assert.equal(roles.status, 200, JSON.stringify(roles.body));
      assert.deepEqual(roles.body.user.roles, ['agent', 'followup']);
      assert.equal(roles.body.sessionsEnded, 1);
      assert.equal(await within(stream.ended), true, 'the stream closed on the role change');
      assert.equal((await call(t, 'GET', '/api/v1/me')).status, 401, 'the old session is gone');
      const again = await tokenOf('agent2');
      assert.deepEqual((await call(again, 'GET', '/api/v1/me')).body.roles, ['agent', 'followup'], 'a new session has the new roles');

      assert.equal((await call(again, 'PATCH', `/api/v1/users/${id}`, { name: 'x' })).status, 403, 'only admins edit users');
      assert.equal((await call(admin, 'PATCH', `/api/v1/users/${k.userIds.get('admin')}`, { roles: ['agent'] })).status, 400, 'an admin keeps their own admin role');
      assert.equal((await call(admin, 'PATCH', '/api/v1/users/nobody', { name: 'x' })).status, 404);
    });

    it('deactivates a user: sessions and the stream end at once, open cases listed, history kept', async () => {
      const admin = await tokenOf('admin');
      const agent = await tokenOf('agent');
      const created = await call(agent, 'POST', '/api/v1/complaints', { channel: 'phone', description: '停用测试：安装师傅迟到', complainant: { name: '孙女士' } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = k.userIds.get('handler')!;
      const t = await tokenOf('handler');
      const stream = await openStream(t);
      const r = await call(admin, 'POST', `/api/v1/users/${id}/deactivate`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.user.active, false);
      assert.equal(r.body.sessionsEnded, 1);
      assert.ok(Array.isArray(r.body.openCases));
      assert.equal(await within(stream.ended), true, 'the open stream ended after deactivation');
      assert.equal((await call(t, 'GET', '/api/v1/me')).status, 401);
      assert.equal((await login('handler')).status, 401, 'a deactivated user cannot sign in');
      const users = (await call(admin, 'GET', '/api/v1/users')).body as { id: string; active: boolean }[];
      assert.equal(users.find((u) => u.id === id)?.active, false, 'the user is kept, inactive');
      assert.equal((await call(admin, 'POST', `/api/v1/users/${k.userIds.get('admin')}/deactivate`)).status, 400, 'not oneself');
      assert.equal((await call(admin, 'POST', `/api/v1/users/${id}/reactivate`)).status, 200);
      assert.equal((await login('handler')).status, 200, 'reactivated');
    });

    it('lists the open cases of a deactivated handler', async () => {
      const admin = await tokenOf('admin');
      const agent = await tokenOf('agent');
      const created = await call(agent, 'POST', '/api/v1/complaints', { channel: 'phone', description: '转派测试：热水器漏水', complainant: { name: '周先生' } });
      const caseId = created.body.complaint.id as string;
      const number = created.body.complaint.number as string;
      const id = k.userIds.get('handler2')!;
      await k.app.database.db.updateTable('complaints').set({ primary_handler_id: id }).where('id', '=', caseId).execute();
      const r = await call(admin, 'POST', `/api/v1/users/${id}/deactivate`);
      assert.equal(r.status, 200);
      assert.deepEqual(
        r.body.openCases.map((c: { number: string; relation: string }) => `${c.number}:${c.relation}`),
        [`${number}:primary_handler`],
      );
      await call(admin, 'POST', `/api/v1/users/${id}/reactivate`);
    });

    it('resets a password: the user must change it at next sign-in, under the policy', async () => {
      const admin = await tokenOf('admin');
      const id = k.userIds.get('followup')!;
      const old = await tokenOf('followup');
      assert.equal((await call(admin, 'POST', `/api/v1/users/${id}/password`, { password: 'short' })).status, 400, 'too short');
      assert.equal((await call(admin, 'POST', `/api/v1/users/${id}/password`, { password: 'password123' })).status, 400, 'too common');
      const reset = await call(admin, 'POST', `/api/v1/users/${id}/password`, { password: TEMP_PASSWORD });
      assert.equal(reset.status, 200, JSON.stringify(reset.body));
      assert.equal(reset.body.sessionsEnded, 1);
      assert.equal((await call(old, 'GET', '/api/v1/me')).status, 401, 'sessions ended by the reset');
      assert.equal((await login('followup')).status, 401, 'the old password no longer works');
      const signed = await login('followup', TEMP_PASSWORD);
      assert.equal(signed.status, 200);
      assert.equal(signed.body.mustChangePassword, true);
      const t = signed.body.token as string;
      const pendingMe = await call(t, 'GET', '/api/v1/me');
      assert.equal(pendingMe.status, 200, '/me still answers');
      assert.equal(pendingMe.body.mustChangePassword, true, '/me says the change is pending (the console asks for it without a second request)');
      assert.equal((await call(t, 'GET', '/api/v1/complaints')).status, 403, 'nothing else until the password is changed');

      const wrong = await call(t, 'POST', '/api/v1/auth/password', { currentPassword: 'not-it-at-all', newPassword: NEW_PASSWORD });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.fields?.[0]?.field ?? wrong.body.problems?.[0]?.field ?? 'currentPassword', 'currentPassword');
      assert.equal((await call(t, 'POST', '/api/v1/auth/password', { currentPassword: TEMP_PASSWORD, newPassword: 'qwertyuiop' })).status, 400, 'a common password is refused');
      assert.equal((await call(t, 'POST', '/api/v1/auth/password', { currentPassword: TEMP_PASSWORD, newPassword: 'short1' })).status, 400, 'a short password is refused');
      const other = await tokenOf('followup', TEMP_PASSWORD);
      const changed = await call(t, 'POST', '/api/v1/auth/password', { currentPassword: TEMP_PASSWORD, newPassword: NEW_PASSWORD });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      assert.equal(changed.body.sessionsEnded, 1, 'the other session ended');
      assert.equal((await call(other, 'GET', '/api/v1/me')).status, 401);
      assert.equal((await call(t, 'GET', '/api/v1/complaints')).status, 200, 'this session goes on, unrestricted');
      assert.equal((await call(t, 'GET', '/api/v1/me')).body.mustChangePassword, false, '/me: nothing pending any more');
      assert.equal((await login('followup', NEW_PASSWORD)).body.mustChangePassword, false);
    });

    it('signs out everywhere', async () => {
      const a = await tokenOf('specialist');
      const b = await tokenOf('specialist');
      const stream = await openStream(b);
      const r = await call(a, 'POST', '/api/v1/auth/logout-everywhere');
      assert.equal(r.status, 200);
      assert.equal(r.body.sessionsEnded, 2);
      assert.equal(await within(stream.ended), true);
      assert.equal((await call(a, 'GET', '/api/v1/me')).status, 401);
      assert.equal((await call(b, 'GET', '/api/v1/me')).status, 401);
    });

    it('ends a session after the idle timeout and at its absolute lifetime', async () => {
      k.app.settings.sessions = { idleMs: 30 * 60_000, maxMs: 2 * 3600_000 };
      try {
        const t = await tokenOf('auditor');
        k.clock.advance(20 * 60_000);
        assert.equal((await call(t, 'GET', '/api/v1/me')).status, 200, 'used within the idle time');
        k.clock.advance(20 * 60_000);
        assert.equal((await call(t, 'GET', '/api/v1/me')).status, 200, 'each use restarts the idle time');
        k.clock.advance(31 * 60_000);
        assert.equal((await call(t, 'GET', '/api/v1/me')).status, 401, 'idle for 31 minutes: ended');

        const u = await tokenOf('auditor');
        for (let i = 0; i < 5; i++) {
          k.clock.advance(25 * 60_000);
          assert.equal((await call(u, 'GET', '/api/v1/me')).status, i < 4 ? 200 : 401, `after ${(i + 1) * 25} min`);
        }
      } finally {
        k.app.settings.sessions = DEFAULT_SESSIONS;
      }
    });

    it('audits every account event, without passwords', async () => {
      const events = await listAuthEvents(k.app.database.db, 500);
      const kinds = new Set(events.map((e) => e.kind));
      for (const kind of ['user_updated', 'roles_changed', 'user_deactivated', 'user_reactivated', 'password_reset', 'password_changed', 'password_change_refused', 'signed_out_everywhere'])
        assert.ok(kinds.has(kind as never), `an auth event ${kind}`);
      const deact = events.find((e) => e.kind === 'user_deactivated' && e.username === 'handler')!;
      assert.equal(deact.actorId, k.userIds.get('admin'));
      const all = JSON.stringify(events);
      for (const secret of [NEW_PASSWORD, TEMP_PASSWORD, 'kesu-demo', 'agent2@example.com', '13800000000']) assert.ok(!all.includes(secret), `no ${secret} in the audit events`);
    });
  });
}
