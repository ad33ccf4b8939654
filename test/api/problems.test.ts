/**
 * Problem records (问题单, issue 13 §2) on both engines: a manager opens one over cases they may
 * see, naming the corrective action, its owner and due date; the owner reports the action done; a
 * manager verifies it (closed) or reopens it. Every step is in the history with who, when and why;
 * the record shows on each grouped case; the wrong role, the wrong state and bad input are
 * refused naming the field and change nothing; the complained-about employee does not see the
 * case that names them in the record.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';

for (const { dialect, skip } of await engines()) {
  describe(`problem records (${dialect})`, { skip }, () => {
    let k: Kesu;
    const cases: string[] = [];
    let problemId = '';
    const count = async (table: 'problems' | 'problem_history' | 'problem_cases') =>
      Number(
        (
          await k.app.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    before(async () => {
      k = await startKesu(dialect, { start: '2026-10-01T09:00:00+08:00' });
      for (const [i, extra] of [
        [1, { subject: { employeeIds: [k.userIds.get('specialist')] } }],
        [2, {}],
        [3, {}],
      ] as const) {
        const r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: `光猫第${i}次掉线`, complainant: { name: `客户${i}`, phone: `1380000000${i}` }, references: { product: 'X1 光猫' }, ...extra });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        cases.push(r.body.complaint.id);
      }
    });
    after(async () => k?.close());

    const body = () => ({ title: 'X1 光猫批量掉线', action: '更换固件版本并回访受影响客户', ownerId: k.userIds.get('handler')!, dueDate: '2026-10-15', caseIds: cases, reason: '十天内同一产品三起投诉' });

    it('refuses the wrong role, bad input and cases the manager may not see, changing nothing', async () => {
      assert.equal((await k.as('agent').post('/api/v1/problems', body())).status, 403);
      let r = await k.as('admin').post('/api/v1/problems', { ...body(), dueDate: '2026-13-40' }, { 'accept-language': 'en' });
      assert.equal(r.status, 400);
      assert.equal(r.body.fields[0].path, 'dueDate');
      r = await k.as('admin').post('/api/v1/problems', { ...body(), dueDate: '2026-09-30' }, { 'accept-language': 'en' });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.fields[0].path, 'dueDate');
      assert.equal(r.body.fields[0].message, 'The due date cannot be before today');
      r = await k.as('admin').post('/api/v1/problems', { ...body(), ownerId: 'nobody' }, { 'accept-language': 'zh-TW' });
      assert.equal(r.body.fields[0].path, 'ownerId');
      assert.equal(r.body.fields[0].message, '責任人不存在或已停用');
      r = await k.as('admin').post('/api/v1/problems', { ...body(), caseIds: [] });
      assert.equal(r.body.fields[0].path, 'caseIds');
      // An approver sees only the cases awaiting their approval: none of these.
      r = await k.as('csmanager').post('/api/v1/problems', body());
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.fields[0].path, 'caseIds');
      for (const t of ['problems', 'problem_history', 'problem_cases'] as const) assert.equal(await count(t), 0);
    });

    it('a manager opens it (idempotent); it shows on each grouped case', async () => {
      const r = await k.as('admin').post('/api/v1/problems', body(), { 'idempotency-key': 'p-1' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      problemId = r.body.id;
      assert.equal(r.body.state, 'open');
      assert.deepEqual(r.body.owner, { id: k.userIds.get('handler'), name: '王强' });
      assert.deepEqual(r.body.steps, ['action_done']);
      assert.deepEqual(r.body.history, [{ step: 'open', fromState: null, toState: 'open', by: '管理员', at: k.clock.now().toISOString(), reason: '十天内同一产品三起投诉' }]);
      const again = await k.as('admin').post('/api/v1/problems', body(), { 'idempotency-key': 'p-1' });
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.equal(await count('problems'), 1);
      for (const id of cases) {
        const on = await k.as('admin').get(`/api/v1/complaints/${id}/problems`);
        assert.deepEqual(
          on.body.map((p: { id: string }) => p.id),
          [problemId],
        );
      }
    });

    it('avoidance: the complained-about employee sees the record without the case naming them', async () => {
      const p = await k.as('specialist').get(`/api/v1/problems/${problemId}`);
      assert.equal(p.status, 200);
      assert.deepEqual(
        p.body.cases.map((c: { id: string }) => c.id),
        cases.slice(1),
      );
      assert.equal((await k.as('specialist').get(`/api/v1/complaints/${cases[0]}/problems`)).status, 404);
    });

    it('owner reports done, a manager verifies (closed), reopens; each step in the history', async () => {
      const step = (user: string, s: string, reason: string, key: string) => k.as(user).post(`/api/v1/problems/${problemId}/steps`, { step: s, reason }, { 'idempotency-key': key });
      // Only managers verify; the owner may not, nor may anyone verify an open record.
      assert.equal((await step('admin', 'verify', '已核实', 's-0')).status, 409);
      assert.equal((await step('agent', 'action_done', '已完成', 's-00')).status, 403);
      k.clock.advance(3600_000);
      let r = await step('handler', 'action_done', '固件已升级到 2.1.7', 's-1');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.state, 'action_done');
      assert.equal((await step('handler', 'verify', '我自己验证', 's-2')).status, 403);
      k.clock.advance(3600_000);
      r = await step('admin', 'verify', '一周内无新增同类投诉', 's-3');
      assert.equal(r.body.state, 'verified');
      assert.deepEqual(r.body.steps, ['reopen']);
      r = await step('admin', 'reopen', '又出现两起掉线', 's-4');
      assert.equal(r.body.state, 'open');
      assert.deepEqual(
        r.body.history.map((h: { step: string; fromState: string | null; toState: string; by: string }) => [h.step, h.fromState, h.toState, h.by]),
        [
          ['open', null, 'open', '管理员'],
          ['action_done', 'open', 'action_done', '王强'],
          ['verify', 'action_done', 'verified', '管理员'],
          ['reopen', 'verified', 'open', '管理员'],
        ],
      );
      const bad = await k.as('admin').post(`/api/v1/problems/${problemId}/steps`, { step: 'close', reason: 'x' }, { 'accept-language': 'en' });
      assert.equal(bad.status, 400);
      assert.deepEqual(bad.body.fields.map((f: { path: string }) => f.path).sort(), ['reason', 'step']);
      assert.equal(await count('problem_history'), 4);
    });

    it('lists records by state', async () => {
      const open = await k.as('admin').get('/api/v1/problems?state=open');
      assert.deepEqual(
        open.body.map((p: { id: string }) => p.id),
        [problemId],
      );
      assert.deepEqual((await k.as('admin').get('/api/v1/problems?state=verified')).body, []);
      const bad = await k.as('admin').get('/api/v1/problems?state=closed');
      assert.equal(bad.status, 400);
      assert.equal(bad.body.fields[0].path, 'state');
    });
  });
}
