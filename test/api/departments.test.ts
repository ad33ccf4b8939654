/**
 * Departments edited by an administrator (issue 12 §2), on both engines: each create, rename,
 * head change, deactivation and deletion is a new version of the active policy (the policy stays
 * the one source of truth; YAML comments of the uploaded text are kept), carried by an
 * Idempotency-Key and written with its audit event. Bad input answers 4xx naming the field in
 * the caller's language and changes nothing; a department a case refers to is never deleted.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { listAuthEvents } from '../../src/store/login-throttle.repository.js';
import { getActivePolicySource } from '../../src/store/policy.repository.js';

for (const { dialect, skip } of await engines()) {
  describe(`departments in the console (${dialect})`, { skip }, () => {
    let k: Kesu;
    before(async () => {
      k = await startKesu(dialect);
    });
    after(async () => k?.close());

    const token = async (username: string) => {
      const r = await k.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: 'kesu-demo' } });
      assert.equal(r.statusCode, 200, r.body);
      return r.json().token as string;
    };
    const call = async (as: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) => {
      const r = await k.server.inject({ method, url, payload: payload as never, headers: { authorization: `Bearer ${await token(as)}`, ...headers } });
      return { status: r.statusCode, body: r.body ? r.json() : null, headers: r.headers };
    };
    const active = async () =>
      (await call('admin', 'GET', '/api/v1/policy')).body as { active: { id: string; version: string; departments: { code: string; name: Record<string, string>; head?: string; active?: boolean }[] }; versions: { key: string }[] };
    const departmentEvents = async () => (await listAuthEvents(k.app.database.db, 500)).filter((e) => e.kind.startsWith('department_'));
    /** Everything a refused request must leave as it was. */
    const state = async () => ({
      policy: await getActivePolicySource(k.app.database.db),
      versions: (await active()).versions.length,
      events: (await departmentEvents()).length,
      table: (await call('admin', 'GET', '/api/v1/departments')).body,
    });

    it('creates a department as a new policy version, with its audit event; the key replays it', async () => {
      const before = await active();
      const body = { code: 'claims', name: { 'zh-CN': '理赔部', 'zh-TW': '理賠部', en: 'Claims' }, head: 'deptmanager' };
      const r = await call('admin', 'POST', '/api/v1/departments', body, { 'idempotency-key': 'dept-create-1' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.policyKey, `${before.active.id}@${before.active.version}-dept1`);
      assert.deepEqual(r.body.department, body);
      const after = await active();
      assert.equal(`${after.active.id}@${after.active.version}`, r.body.policyKey, 'the new version is the active one');
      assert.deepEqual(
        after.active.departments.find((d) => d.code === 'claims'),
        body,
      );
      assert.equal(after.versions.length, before.versions.length + 1);
      // The edit starts from the uploaded text: its comments are still there.
      const source = (await getActivePolicySource(k.app.database.db))!;
      assert.match(source.text, /^#/m, 'the YAML comments are kept');
      assert.match(source.text, /code: claims/);
      assert.ok(
        (await call('admin', 'GET', '/api/v1/departments')).body.some((d: { code: string }) => d.code === 'claims'),
        'the departments table follows the policy',
      );
      const events = await departmentEvents();
      assert.equal(events.length, 1);
      assert.equal(events[0]!.kind, 'department_created');
      assert.equal(events[0]!.actorId, k.userIds.get('admin'));
      assert.equal(events[0]!.detail.code, 'claims');
      assert.equal(events[0]!.detail.policy, r.body.policyKey);

      const again = await call('admin', 'POST', '/api/v1/departments', body, { 'idempotency-key': 'dept-create-1' });
      assert.equal(again.status, 201);
      assert.deepEqual(again.body, r.body, 'the retry gets the first answer');
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.equal((await departmentEvents()).length, 1, 'and changes nothing more');
      assert.equal((await active()).versions.length, after.versions.length);
    });

    it('renames, changes the head, deactivates and reactivates: one version and one event each', async () => {
      let r = await call('admin', 'PATCH', '/api/v1/departments/claims', { name: { 'zh-CN': '理赔服务部', en: 'Claims Service' } }, { 'idempotency-key': 'dept-rename' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.match(r.body.policyKey, /-dept2$/);
      assert.deepEqual(r.body.department.name, { 'zh-CN': '理赔服务部', en: 'Claims Service' });
      r = await call('admin', 'PATCH', '/api/v1/departments/claims', { head: null });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.department.head, undefined, 'the head is cleared');
      r = await call('admin', 'PATCH', '/api/v1/departments/claims', { head: 'handler' });
      assert.equal(r.body.department.head, 'handler');
      r = await call('admin', 'PATCH', '/api/v1/departments/claims', { active: false });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.department.active, false);
      assert.equal((await active()).active.departments.find((d) => d.code === 'claims')!.active, false);
      r = await call('admin', 'PATCH', '/api/v1/departments/claims', { active: true });
      assert.equal(r.body.department.active, undefined, 'active again: the default, no field');
      assert.match(r.body.policyKey, /-dept6$/);
      // (The test clock stands still: events of one millisecond have no order to compare.)
      assert.deepEqual((await departmentEvents()).map((e) => e.kind).sort(), ['department_changed', 'department_changed', 'department_changed', 'department_created', 'department_deactivated', 'department_reactivated']);
    });

    it('refuses bad input with 4xx naming the field in the caller’s language, and changes nothing', async () => {
      const was = await state();
      const users = (await call('admin', 'GET', '/api/v1/users')).body as { username: string; departmentCode: string | null }[];
      const staffed = users.find((u) => u.username === 'handler')!.departmentCode!;
      const routed = (await active()).active.departments.find((d) => d.code === staffed)!.code;
      const cases: [string, 'POST' | 'PATCH' | 'DELETE', string, unknown, number, string, RegExp, RegExp][] = [
        ['bad code', 'POST', '/api/v1/departments', { code: 'Bad Code', name: { 'zh-CN': '某部' } }, 400, 'code', /小写字母/, /lowercase letters/],
        ['taken code', 'POST', '/api/v1/departments', { code: 'logistics', name: { 'zh-CN': '某部' } }, 400, 'code', /已存在/, /already exists/],
        ['no Chinese name', 'POST', '/api/v1/departments', { code: 'newone', name: { 'zh-CN': ' ', en: 'New' } }, 400, 'name.zh-CN', /中文/, /Simplified Chinese name/],
        ['unknown head', 'POST', '/api/v1/departments', { code: 'newone', name: { 'zh-CN': '新部' }, head: 'nobody' }, 400, 'head', /没有在用的用户/, /No active user/],
        ['unknown department', 'PATCH', '/api/v1/departments/nowhere', { name: { 'zh-CN': '某部' } }, 404, 'code', /没有部门/, /No department/],
        ['nothing to change', 'PATCH', '/api/v1/departments/claims', {}, 400, 'name', /没有要修改/, /Nothing to change/],
        ['unknown field', 'PATCH', '/api/v1/departments/claims', { colour: 'red' }, 400, 'colour', /./, /./],
        ['routed to by a category', 'PATCH', `/api/v1/departments/${routed}`, { active: false }, 409, 'active', /制度仍把工作分派/, /still routes work/],
        ['people belong to it', 'DELETE', `/api/v1/departments/${staffed}`, undefined, 409, 'code', /不能删除/, /cannot be deleted/],
      ];
      for (const [what, method, url, body, status, field, zh, en] of cases) {
        const zhR = await call('admin', method, url, body, { 'accept-language': 'zh-CN' });
        assert.equal(zhR.status, status, `${what}: ${JSON.stringify(zhR.body)}`);
        const fz = (zhR.body.fields as { path: string; message: string }[]).find((f) => f.path === field);
        assert.ok(fz, `${what}: names ${field} (${JSON.stringify(zhR.body.fields)})`);
        assert.match(fz.message, zh, what);
        const enR = await call('admin', method, url, body, { 'accept-language': 'en' });
        assert.match((enR.body.fields as { path: string; message: string }[]).find((f) => f.path === field)!.message, en, what);
      }
      assert.equal((await call('agent', 'POST', '/api/v1/departments', { code: 'mine', name: { 'zh-CN': '我的' } })).status, 403, 'only admins edit departments');
      assert.deepEqual(await state(), was, 'nothing changed');
    });

    it('never deletes a department a case refers to; deletes one nothing refers to', async () => {
      // A case routed to claims, made under the version that knows it.
      const c = await call('agent', 'POST', '/api/v1/complaints', { channel: 'phone', description: '理赔一直没有进展', complainant: { name: '林先生', phone: '13812345678' } });
      assert.equal(c.status, 201, JSON.stringify(c.body));
      const id = c.body.complaint.id as string;
      const handlerId = k.userIds.get('handler')!;
      const staffedBefore = ((await call('admin', 'GET', '/api/v1/users')).body as { username: string; departmentCode: string }[]).find((u) => u.username === 'handler')!.departmentCode;
      assert.equal((await call('admin', 'PATCH', `/api/v1/users/${handlerId}`, { departmentCode: 'claims' })).status, 200);
      const t = await call('specialist', 'POST', `/api/v1/complaints/${id}/actions/triage`, {
        judge: { valid: true },
        classify: { category: 'goods_damage_shortage', grade: 'important', customerClass: 'B' },
        route: { departmentCode: 'claims', primaryHandlerId: handlerId },
      });
      assert.equal(t.status, 200, JSON.stringify(t.body));
      assert.equal((await call('admin', 'PATCH', `/api/v1/users/${handlerId}`, { departmentCode: staffedBefore })).status, 200);
      const was = await state();
      const r = await call('admin', 'DELETE', '/api/v1/departments/claims', undefined, { 'accept-language': 'en' });
      assert.equal(r.status, 409, JSON.stringify(r.body));
      assert.match(r.body.fields[0].message, /1 case\(s\) and 0 user\(s\)/);
      assert.deepEqual(await state(), was, 'nothing changed');

      assert.equal((await call('admin', 'POST', '/api/v1/departments', { code: 'temp', name: { 'zh-CN': '临时部' } })).status, 201);
      const d = await call('admin', 'DELETE', '/api/v1/departments/temp', undefined, { 'idempotency-key': 'dept-delete-temp' });
      assert.equal(d.status, 200, JSON.stringify(d.body));
      assert.equal(d.body.department, null);
      assert.ok(!(await active()).active.departments.some((x) => x.code === 'temp'), 'gone from the active policy');
      assert.deepEqual(
        (await departmentEvents())
          .filter((e) => e.detail.code === 'temp')
          .map((e) => e.kind)
          .sort(),
        ['department_created', 'department_deleted'],
      );
    });

    it('two edits at once: one is applied, the other refused with 409, never one lost silently', async () => {
      const before = await active();
      const [a, b] = await Promise.all([
        call('admin', 'PATCH', '/api/v1/departments/sales', { name: { 'zh-CN': '销售一部' } }, { 'accept-language': 'en' }),
        call('admin', 'PATCH', '/api/v1/departments/quality', { name: { 'zh-CN': '质量部' } }, { 'accept-language': 'en' }),
      ]);
      const statuses = [a.status, b.status].sort();
      const after = (await active()).active;
      if (statuses[0] === 200 && statuses[1] === 200) {
        // Applied one after the other: both edits are in the active version.
        assert.equal(after.departments.find((d) => d.code === 'sales')!.name['zh-CN'], '销售一部');
        assert.equal(after.departments.find((d) => d.code === 'quality')!.name['zh-CN'], '质量部');
      } else {
        assert.deepEqual(statuses, [200, 409], `${JSON.stringify(a.body)} ${JSON.stringify(b.body)}`);
        const refused = a.status === 409 ? a : b;
        assert.match(refused.body.fields[0].message, /changed meanwhile/);
        assert.equal((await active()).versions.length, before.versions.length + 1, 'one new version');
      }
    });

    it('an edit starts from the active version, not the newest stored one', async () => {
      // Another administrator uploads a policy between the read and the write: simulated by
      // activating an older version, which the edit then must not silently overwrite.
      const { versions } = await active();
      const older = versions[0]!.key;
      await k.app.database.db.updateTable('policies').set({ active: 0 }).execute();
      await k.app.database.db.updateTable('policies').set({ active: 1 }).where('key', '=', older).execute();
      k.app.invalidateActivePolicy();
      const r = await call('admin', 'PATCH', '/api/v1/departments/sales', { name: { 'zh-CN': '销售中心' } });
      // The edit is based on the now active (older) text: it works and does not resurrect newer edits.
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.ok(!(await active()).active.departments.some((x) => x.code === 'claims'), 'based on the active version, not the newest');
    });

    it('a deactivated department takes no new cases: routing there is refused naming the field, in the caller’s language', async () => {
      const name = { 'zh-CN': '热线组', en: 'Hotline' };
      assert.equal((await call('admin', 'POST', '/api/v1/departments', { code: 'hotline', name })).status, 201);
      assert.equal((await call('admin', 'PATCH', '/api/v1/departments/hotline', { active: false })).status, 200);
      const classified = async () => {
        const c = await call('agent', 'POST', '/api/v1/complaints', { channel: 'phone', description: '热线一直占线', complainant: { name: '郑女士', phone: '13811112222' } });
        assert.equal(c.status, 201, JSON.stringify(c.body));
        const id = c.body.complaint.id as string;
        for (const [action, input] of [
          ['judge', { valid: true }],
          ['classify', { category: 'attitude', grade: 'general' }],
        ] as const) {
          const r = await call('specialist', 'POST', `/api/v1/complaints/${id}/actions/${action}`, input);
          assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body)}`);
        }
        return id;
      };
      const route = { departmentCode: 'hotline', primaryHandlerId: k.userIds.get('handler') };
      const id = await classified();
      const events = (await call('specialist', 'GET', `/api/v1/complaints/${id}`)).body.timeline.length;
      for (const [lang, message] of [
        ['zh-CN', /该部门已停用/],
        ['zh-TW', /該部門已停用/],
        ['en', /deactivated and takes no new cases/],
      ] as const) {
        const r = await call('specialist', 'POST', `/api/v1/complaints/${id}/actions/route`, route, { 'accept-language': lang });
        assert.equal(r.status, 400, JSON.stringify(r.body));
        const f = (r.body.fields as { path: string; message: string }[]).find((x) => x.path === 'departmentCode');
        assert.ok(f, JSON.stringify(r.body.fields));
        assert.match(f.message, message);
      }
      const after = (await call('specialist', 'GET', `/api/v1/complaints/${id}`)).body;
      assert.equal(after.complaint.state, 'classified', 'nothing changed');
      assert.equal(after.timeline.length, events);
      // A case started while the department was active keeps that policy version: it is refused
      // too once the department is deactivated (the guard reads the active version), also in the
      // one-step triage.
      assert.equal((await call('admin', 'PATCH', '/api/v1/departments/hotline', { active: true })).status, 200);
      const older = await classified();
      const fresh = await call('agent', 'POST', '/api/v1/complaints', { channel: 'phone', description: '热线转接失败', complainant: { name: '王先生', phone: '13811113333' } });
      assert.equal(fresh.status, 201, JSON.stringify(fresh.body));
      assert.equal((await call('admin', 'PATCH', '/api/v1/departments/hotline', { active: false })).status, 200);
      const refused = await call('specialist', 'POST', `/api/v1/complaints/${older}/actions/route`, route);
      assert.equal(refused.status, 400, JSON.stringify(refused.body));
      assert.ok(
        (refused.body.fields as { path: string }[]).some((x) => x.path === 'departmentCode'),
        JSON.stringify(refused.body.fields),
      );
      const triaged = await call('specialist', 'POST', `/api/v1/complaints/${fresh.body.complaint.id}/actions/triage`, { judge: { valid: true }, classify: { category: 'attitude', grade: 'general' }, route });
      assert.equal(triaged.status, 400, JSON.stringify(triaged.body));
      assert.ok(
        (triaged.body.fields as { path: string }[]).some((x) => x.path === 'route.departmentCode'),
        JSON.stringify(triaged.body.fields),
      );
      assert.equal((await call('specialist', 'GET', `/api/v1/complaints/${fresh.body.complaint.id}`)).body.complaint.state, 'received', 'the triage changed nothing');
      // Reactivated: a case started under that version may be routed there again.
      assert.equal((await call('admin', 'PATCH', '/api/v1/departments/hotline', { active: true })).status, 200);
      const again = await classified();
      const r = await call('specialist', 'POST', `/api/v1/complaints/${again}/actions/route`, route);
      assert.equal(r.status, 200, JSON.stringify(r.body));
    });
  });
}
