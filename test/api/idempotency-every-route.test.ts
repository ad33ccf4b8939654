/**
 * Idempotency on every mutating route, for real (issue 12 §5, Done when: "idempotency tests for
 * every mutating route, including concurrent retries"), on every engine. The route list comes from
 * the server's OpenAPI document: each route that takes `Idempotency-Key` needs a recipe here (a
 * request that succeeds, with what it needs made first), or the name of the test that retries it
 * because its set-up needs a policy of its own. A new keyed route without either fails.
 *
 * Each recipe is sent twice at once under one fresh key: exactly one of the two runs, the other
 * gets the same status and the same bytes with `Idempotent-Replayed: true`; a third, later retry
 * is replayed too, and changes no row anywhere (every table's row count, the key table aside).
 * (idempotency-coverage.test.ts checks that unkeyed mutating routes say why they need no key.)
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { engines } from '../support/engines.js';
import { PNG, answerThroughApi, multipart, prepareRouting, startChannelKesu, type ChannelKesu } from '../support/channels.js';

interface Req {
  /** Signed in as (null: the customer portal, no sign-in). */
  user: string | null;
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  form?: { fields: Record<string, string | string[]>; files?: { field: string; name: string; type: string; data: Buffer }[] };
}

/**
 * Keyed routes whose set-up needs a policy or a state this suite does not build, with the test
 * that retries them under a key (that file must name the route's path and `Idempotent-Replayed`).
 */
const RETRIED_ELSEWHERE: Record<string, { file: string; path: string }> = {
  'POST /api/v1/admin/import/ledger': { file: 'test/api/import-http.test.ts', path: '/api/v1/admin/import/ledger' },
  'POST /api/v1/customer/cases/survey': { file: 'test/api/customer-api.test.ts', path: '/api/v1/customer/cases/survey' },
  'POST /api/v1/complaints/{id}/duties/{dutyId}/complete': { file: 'test/api/duties.test.ts', path: '/duties/${back.id}/complete' },
  'POST /api/v1/duties/{dutyId}/complete': { file: 'test/api/duties.test.ts', path: '/api/v1/duties/${rows[0]!.id}/complete' },
  'POST /api/v1/customer/surveys/{token}': { file: 'test/api/idempotency-survey-link.test.ts', path: '/api/v1/customer/surveys/${token}' },
  'POST /api/v1/accountability/entries/{id}/confirm': { file: 'test/api/idempotency-accountability.test.ts', path: '/api/v1/accountability/entries/${fine.id}/confirm' },
  'POST /api/v1/accountability/entries/{id}/appeal': { file: 'test/api/idempotency-accountability.test.ts', path: '/api/v1/accountability/entries/${point.id}/appeal' },
  'POST /api/v1/accountability/entries/{id}/decide': { file: 'test/api/idempotency-accountability.test.ts', path: '/api/v1/accountability/entries/${point.id}/decide' },
  'POST /api/v1/policy/publish': { file: 'test/api/policy-editor.test.ts', path: '/api/v1/policy/publish' },
};

const MUTATING = new Set(['post', 'put', 'patch', 'delete']);
let serial = 0;
const unique = () => `${Date.now().toString(36)}${(serial++).toString(36)}`;

for (const { dialect, skip } of await engines()) {
  describe(`Idempotency-Key on every keyed route, retried at once and later (${dialect})`, { skip }, () => {
    let ck: ChannelKesu;
    const id = (u: string) => ck.k.userIds.get(u)!;

    before(async () => {
      ck = await startChannelKesu(dialect, { start: new Date().toISOString() });
    });
    after(async () => ck?.close());

    async function token(user: string): Promise<string> {
      if (!ck.k.tokens.get(user)) assert.equal((await ck.k.as(user).get('/api/v1/me')).status, 200);
      return ck.k.tokens.get(user)!;
    }

    async function send(r: Req, key?: string) {
      const headers: Record<string, string> = key ? { 'idempotency-key': key } : {};
      if (r.user) headers.authorization = `Bearer ${await token(r.user)}`;
      let payload: string | Buffer | undefined;
      if (r.form) {
        const m = multipart(r.form.fields, r.form.files ?? []);
        payload = m.payload;
        Object.assign(headers, m.headers);
      } else if (r.body !== undefined) {
        payload = JSON.stringify(r.body);
        headers['content-type'] = 'application/json';
      }
      const res = await ck.k.server.inject({ method: r.method, url: r.url, payload, headers });
      return { status: res.statusCode, body: res.body, headers: res.headers };
    }

    async function ok(r: Req): Promise<any> {
      const res = await send(r);
      assert.ok(res.status < 300, `${r.method} ${r.url}: ${res.status} ${res.body}`);
      return res.body ? JSON.parse(res.body) : null;
    }

    const intake = async (text = '快递延误五天还没有送达') =>
      (await ok({ user: 'agent', method: 'POST', url: '/api/v1/complaints', body: { channel: 'phone', description: `${text} ${unique()}`, complainant: { name: '林先生', phone: '13812345678' } } })).complaint.id as string;

    async function caseWithCode(): Promise<{ number: string; code: string }> {
      const cid = await intake();
      const r = await ok({ user: 'agent', method: 'POST', url: `/api/v1/complaints/${cid}/access-code` });
      return { number: r.number, code: r.accessCode };
    }

    const article = () => ({
      title: `快递延误处理 ${unique()}`,
      symptom: '客户反映快递延误多日未送达',
      cause: '旺季运力不足',
      steps: ['查询物流轨迹', '联系配送站优先派送'],
      scripts: ['非常抱歉给您带来不便。'],
      category: 'timeliness',
      products: [],
      status: 'published',
    });
    const departmentName = (s: string) => ({ 'zh-CN': `临时部${s}`, 'zh-TW': `臨時部${s}`, en: `Temp ${s}` });
    const newUser = async () => (await ok({ user: 'admin', method: 'POST', url: '/api/v1/users', body: { username: `u${unique()}`, name: '新人', password: 'kesu-demo-123', roles: ['agent'] } })).id as string;

    /** A request that succeeds, for each keyed route (the OpenAPI path as the name). */
    const RECIPES: Record<string, () => Promise<Req>> = {
      'POST /api/v1/complaints': async () => ({ user: 'agent', method: 'POST', url: '/api/v1/complaints', body: { channel: 'phone', description: `洗发水瓶身破裂 ${unique()}`, complainant: { name: '王女士', phone: '13912345678' } } }),
      'POST /api/v1/complaints/{id}/actions/{action}': async () => ({ user: 'agent', method: 'POST', url: `/api/v1/complaints/${await intake()}/actions/note`, body: { text: '客户来电催促' } }),
      'POST /api/v1/complaints/{id}/actions/triage': async () => ({
        user: 'specialist',
        method: 'POST',
        url: `/api/v1/complaints/${await intake()}/actions/triage`,
        body: { judge: { valid: true }, classify: { category: 'goods_damage_shortage', grade: 'important', customerClass: 'B' }, route: { departmentCode: 'logistics', primaryHandlerId: id('handler') } },
      }),
      'POST /api/v1/complaints/{id}/attachments': async () => ({
        user: 'agent',
        method: 'POST',
        url: `/api/v1/complaints/${await intake()}/attachments`,
        form: { fields: { text: '照片' }, files: [{ field: 'files', name: '小票.png', type: 'image/png', data: Buffer.concat([PNG, Buffer.from(unique())]) }] },
      }),
      'POST /api/v1/complaints/{id}/access-code': async () => ({ user: 'agent', method: 'POST', url: `/api/v1/complaints/${await intake()}/access-code` }),
      'POST /api/v1/complaints/{id}/customer-flags': async () => {
        const cid = await intake('第十次来电要求赔偿一万元');
        const reason = (await ck.k.app.activePolicy()).validity.invalidReasons[0]!.code;
        await ok({ user: 'specialist', method: 'POST', url: `/api/v1/complaints/${cid}/actions/judge`, body: { valid: false, reason, explanation: '经核实诉求与事实不符。', malicious: true } });
        return { user: 'specialist', method: 'POST', url: `/api/v1/complaints/${cid}/customer-flags`, body: { reason: '多次无理索赔，已判定恶意投诉' } };
      },
      'POST /api/v1/customer-flags/{flagId}/lift': async () => {
        const flag = await RECIPES['POST /api/v1/complaints/{id}/customer-flags']!().then(ok);
        return { user: 'admin', method: 'POST', url: `/api/v1/customer-flags/${flag.id}/lift`, body: { reason: '客户已道歉，经理同意解除' } };
      },
      'POST /api/v1/users': async () => ({ user: 'admin', method: 'POST', url: '/api/v1/users', body: { username: `u${unique()}`, name: '新人', password: 'kesu-demo-123', roles: ['agent'] } }),
      'PATCH /api/v1/users/{id}': async () => ({ user: 'admin', method: 'PATCH', url: `/api/v1/users/${await newUser()}`, body: { name: '改过的名字', roles: ['agent', 'followup'] } }),
      'POST /api/v1/users/{id}/deactivate': async () => ({ user: 'admin', method: 'POST', url: `/api/v1/users/${await newUser()}/deactivate` }),
      'POST /api/v1/users/{id}/reactivate': async () => {
        const uid = await newUser();
        await ok({ user: 'admin', method: 'POST', url: `/api/v1/users/${uid}/deactivate` });
        return { user: 'admin', method: 'POST', url: `/api/v1/users/${uid}/reactivate` };
      },
      'POST /api/v1/users/{id}/password': async () => ({ user: 'admin', method: 'POST', url: `/api/v1/users/${await newUser()}/password`, body: { password: 'a-new-long-passphrase-9' } }),
      'POST /api/v1/departments': async () => {
        const s = unique();
        return { user: 'admin', method: 'POST', url: '/api/v1/departments', body: { code: `d${s}`, name: departmentName(s) } };
      },
      'PATCH /api/v1/departments/{code}': async () => {
        const s = unique();
        await ok({ user: 'admin', method: 'POST', url: '/api/v1/departments', body: { code: `d${s}`, name: departmentName(s) } });
        return { user: 'admin', method: 'PATCH', url: `/api/v1/departments/d${s}`, body: { name: departmentName(`${s}改`) } };
      },
      'DELETE /api/v1/departments/{code}': async () => {
        const s = unique();
        await ok({ user: 'admin', method: 'POST', url: '/api/v1/departments', body: { code: `d${s}`, name: departmentName(s) } });
        return { user: 'admin', method: 'DELETE', url: `/api/v1/departments/d${s}` };
      },
      'POST /api/v1/policy': async () => {
        const active = await ck.k.app.database.db.selectFrom('policies').select(['source_text']).where('active', '=', 1).executeTakeFirstOrThrow();
        const v = `2099.${unique()}`;
        return { user: 'admin', method: 'POST', url: '/api/v1/policy', body: { text: active.source_text.replace(/^version: .*$/m, `version: '${v}'`) } };
      },
      'POST /api/v1/absences': async () => ({ user: 'handler2', method: 'POST', url: '/api/v1/absences', body: { from: '2027-03-01', to: '2027-03-02', reason: `体检 ${unique()}` } }),
      'DELETE /api/v1/absences/{id}': async () => {
        const a = await ok({ user: 'handler2', method: 'POST', url: '/api/v1/absences', body: { from: '2027-04-01', to: '2027-04-02', reason: `年假 ${unique()}` } });
        return { user: 'handler2', method: 'DELETE', url: `/api/v1/absences/${a.id}` };
      },
      'POST /api/v1/admin/legal-holds': async () => ({ user: 'admin', method: 'POST', url: '/api/v1/admin/legal-holds', body: { scope: 'case', complaint: await intake(), reason: '诉讼保全' } }),
      'POST /api/v1/admin/legal-holds/{id}/lift': async () => {
        const h = await ok({ user: 'admin', method: 'POST', url: '/api/v1/admin/legal-holds', body: { scope: 'case', complaint: await intake(), reason: '诉讼保全' } });
        return { user: 'admin', method: 'POST', url: `/api/v1/admin/legal-holds/${h.id}/lift`, body: { reason: '诉讼结束' } };
      },
      'POST /api/v1/knowledge/articles': async () => ({ user: 'specialist', method: 'POST', url: '/api/v1/knowledge/articles', body: article() }),
      'PUT /api/v1/knowledge/articles/{id}': async () => {
        const a = await ok({ user: 'specialist', method: 'POST', url: '/api/v1/knowledge/articles', body: article() });
        return { user: 'specialist', method: 'PUT', url: `/api/v1/knowledge/articles/${a.id}`, body: { ...article(), cause: '旺季运力不足，排班未调整', version: 1 } };
      },
      'POST /api/v1/knowledge/articles/from-case/{id}': async () => {
        const cid = await intake();
        await prepareRouting(ck.k);
        await answerThroughApi(ck.k, cid);
        return { user: 'specialist', method: 'POST', url: `/api/v1/knowledge/articles/from-case/${cid}` };
      },
      'POST /api/v1/knowledge/feedback': async () => {
        const a = await ok({ user: 'specialist', method: 'POST', url: '/api/v1/knowledge/articles', body: article() });
        return { user: 'agent', method: 'POST', url: '/api/v1/knowledge/feedback', body: { kind: 'article', targetId: a.id, helpful: true } };
      },
      'POST /api/v1/problems': async () => ({
        user: 'admin',
        method: 'POST',
        url: '/api/v1/problems',
        body: { title: `X1 光猫批量掉线 ${unique()}`, action: '更换固件版本并回访受影响客户', ownerId: id('handler'), dueDate: '2027-10-15', caseIds: [await intake()], reason: '十天内同一产品三起投诉' },
      }),
      'POST /api/v1/problems/{id}/steps': async () => {
        const p = await ok(await RECIPES['POST /api/v1/problems']!());
        return { user: 'handler', method: 'POST', url: `/api/v1/problems/${p.id}/steps`, body: { step: 'action_done', reason: '固件已升级' } };
      },
      'POST /api/v1/customer/complaints': async () => ({
        user: null,
        method: 'POST',
        url: '/api/v1/customer/complaints',
        form: { fields: { kind: 'complaint', description: `电饭煲第一次使用就漏电 ${unique()}`, demands: ['return_exchange'], anonymous: 'true' }, files: [{ field: 'files', name: '照片.png', type: 'image/png', data: PNG }] },
      }),
      'POST /api/v1/admin/outbox/{id}/retry': async () => {
        const cid = await intake();
        await ok({ user: 'agent', method: 'POST', url: `/api/v1/complaints/${cid}/access-code` });
        const db = ck.k.app.database.db;
        const row = await db.selectFrom('outbox').select('id').where('complaint_id', '=', cid).executeTakeFirstOrThrow();
        await db.updateTable('outbox').set({ status: 'dead' }).where('id', '=', row.id).execute(); // as the dispatcher leaves a message that failed its last attempt
        return { user: 'admin', method: 'POST', url: `/api/v1/admin/outbox/${row.id}/retry` };
      },
      'POST /api/v1/customer/cases/supplement': async () => ({ user: null, method: 'POST', url: '/api/v1/customer/cases/supplement', form: { fields: { ...(await caseWithCode()), text: '补充：购物小票。' } } }),
    };

    function keyedRoutes(): string[] {
      const doc = (ck.k.server as unknown as { swagger(): { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>> } }).swagger();
      const keyed: string[] = [];
      for (const [path, ops] of Object.entries(doc.paths))
        for (const [method, op] of Object.entries(ops)) if (MUTATING.has(method) && (op.parameters ?? []).some((p) => p.in === 'header' && p.name === 'idempotency-key')) keyed.push(`${method.toUpperCase()} ${path}`);
      return keyed.sort();
    }

    /** Every table's row count but the key table's: a replay changes none of them. */
    async function rowCounts(): Promise<Record<string, number>> {
      const db = ck.k.app.database.db;
      const names =
        dialect === 'postgres'
          ? (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db)).rows
          : (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)).rows;
      const out: Record<string, number> = {};
      for (const { name } of names.sort((a, b) => a.name.localeCompare(b.name))) {
        if (name === 'idempotency_keys') continue;
        out[name] = Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(name)}`.execute(db)).rows[0]!.n);
      }
      return out;
    }

    it('every keyed route in the OpenAPI document has a recipe here or a named test elsewhere', async () => {
      await ck.k.server.ready();
      const keyed = keyedRoutes();
      assert.ok(keyed.length >= 30, `keyed routes found: ${keyed.length}`);
      const covered = new Set([...Object.keys(RECIPES), ...Object.keys(RETRIED_ELSEWHERE)]);
      assert.deepEqual(
        keyed.filter((r) => !covered.has(r)),
        [],
        'keyed routes without an idempotency test: add a recipe',
      );
      assert.deepEqual([...covered].filter((r) => !keyed.includes(r)).sort(), [], 'recipes for routes that no longer take the key');
      for (const [route, { file, path }] of Object.entries(RETRIED_ELSEWHERE)) {
        assert.ok(existsSync(file), `${route}: ${file}`);
        const text = readFileSync(file, 'utf8');
        assert.ok(text.includes(path) && text.includes('idempotent-replayed'), `${file} retries ${route} under a key`);
      }
    });

    for (const route of Object.keys(RECIPES))
      it(`${route}: two at once run once; a later retry replays and changes nothing`, async () => {
        const req = await RECIPES[route]!();
        const key = `every-route-${unique()}`;
        const pair = await Promise.all([send(req, key), send(req, key)]);
        const ran = pair.filter((r) => r.headers['idempotent-replayed'] === undefined);
        const replayed = pair.filter((r) => r.headers['idempotent-replayed'] === 'true');
        assert.equal(ran.length, 1, `one of the two ran: ${pair.map((r) => `${r.status} ${r.body.slice(0, 300)}`).join(' | ')}`);
        assert.equal(replayed.length, 1, 'the other was replayed');
        const first = ran[0]!;
        assert.ok(first.status >= 200 && first.status < 300, `${first.status} ${first.body}`);
        assert.equal(replayed[0]!.status, first.status);
        assert.equal(replayed[0]!.body, first.body, 'the same bytes');
        const counts = await rowCounts();
        const later = await send(req, key);
        assert.equal(later.headers['idempotent-replayed'], 'true');
        assert.equal(later.status, first.status);
        assert.equal(later.body, first.body);
        assert.deepEqual(await rowCounts(), counts, 'the replay changed no table');
      });
  });
}
