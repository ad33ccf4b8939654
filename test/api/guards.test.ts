/**
 * The API's guarantees, on every engine: avoidance (回避), need-to-know visibility, PII masking,
 * idempotent intake, typed refusals of illegal actions, and 4xx on malformed input with nothing
 * written.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';

const TABLES = ['complaints', 'complaint_events', 'clocks', 'outbox', 'complaint_participants', 'idempotency_keys', 'counters'] as const;

async function rowCounts(k: Kesu): Promise<Record<(typeof TABLES)[number], number>> {
  const out = {} as Record<(typeof TABLES)[number], number>;
  for (const t of TABLES) {
    const r = await k.testDb.database.db
      .selectFrom(t)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  return out;
}

const intake = (extra: Record<string, unknown> = {}) => ({
  channel: 'phone',
  description: '营业厅工作员态度恶劣',
  complainant: { name: '王女士', phone: '13912345678', idNumber: '310101199001011234', address: '北京市朝阳区建国路88号' },
  ...extra,
});

for (const { dialect, skip } of await engines()) {
  describe(`API guarantees (${dialect})`, { skip }, () => {
    let k: Kesu;
    let caseId: string;
    let number: string;
    before(async () => {
      k = await startKesu(dialect);
      const r = await k.as('agent').post('/api/v1/complaints', intake({ subject: { employeeIds: [k.userIds.get('handler2')], description: '营业员吴磊' } }));
      assert.equal(r.status, 201);
      caseId = r.body.complaint.id;
      number = r.body.complaint.number;
    });
    after(async () => k?.close());

    it('avoidance: the complained-about employee cannot see, find, be assigned or act', async () => {
      const h2 = k.as('handler2');
      const byId = await h2.get(`/api/v1/complaints/${caseId}`);
      assert.equal(byId.status, 404);
      assert.equal(byId.body.code, 'not_found');
      const missing = await h2.get('/api/v1/complaints/00000000-0000-7000-8000-000000000000');
      assert.deepEqual({ ...byId.body, requestId: 0 }, { ...missing.body, requestId: 0 }, 'indistinguishable from a case that does not exist (but for the request id)');
      assert.equal((await h2.get(`/api/v1/complaints/${number}`)).status, 404);
      const act = await h2.act(caseId, 'note', { text: '这不是我的错' });
      assert.equal(act.status, 404);

      // Even with an oversight role, the person named is kept out.
      const s = k.as('specialist');
      await s.act(caseId, 'judge', { valid: true });
      await s.act(caseId, 'classify', { category: 'attitude', grade: 'general' });
      const assign = await s.act(caseId, 'route', { departmentCode: 'customer_service', primaryHandlerId: k.userIds.get('handler'), backupHandlerId: k.userIds.get('handler2') });
      assert.equal(assign.status, 422);
      assert.equal(assign.body.code, 'avoidance');
      assert.equal(assign.body.fields[0].path, 'backupHandlerId');
      const coAssign = await s.act(caseId, 'route', { departmentCode: 'customer_service', primaryHandlerId: k.userIds.get('handler'), coHandlerIds: [k.userIds.get('handler2')] });
      assert.equal(coAssign.status, 422);

      // handler2 manages nothing and is not oversight; give them the list anyway: the case is absent.
      const list = await h2.get('/api/v1/complaints?limit=200');
      assert.equal(list.status, 200);
      assert.ok(!list.body.items.some((i: any) => i.id === caseId));
      const search = await h2.get(`/api/v1/complaints?text=${encodeURIComponent('态度恶劣')}`);
      assert.deepEqual(search.body.items, []);
    });

    it('need-to-know: an uninvolved agent sees nothing; the first-responder and oversight do', async () => {
      const other = await k.as('agent2').get(`/api/v1/complaints/${caseId}`);
      assert.equal(other.status, 404);
      assert.ok(!(await k.as('agent2').get('/api/v1/complaints')).body.items.some((i: any) => i.id === caseId));
      assert.equal((await k.as('agent').get(`/api/v1/complaints/${caseId}`)).status, 200);
      assert.ok((await k.as('agent').get('/api/v1/complaints?mine=first_responder')).body.items.some((i: any) => i.id === caseId));
      assert.equal((await k.as('auditor').get(`/api/v1/complaints/${caseId}`)).status, 200);
      // Handlers see only what is assigned to them.
      assert.equal((await k.as('handler').get(`/api/v1/complaints/${caseId}`)).status, 404);
    });

    it('PII is masked for roles that do not contact the customer', async () => {
      const mine = await k.as('agent').get(`/api/v1/complaints/${caseId}`);
      assert.equal(mine.body.complaint.complainant.phone, '13912345678');
      assert.equal(mine.body.complaint.piiMasked, false);
      const audit = await k.as('auditor').get(`/api/v1/complaints/${caseId}`);
      assert.equal(audit.body.complaint.piiMasked, true);
      assert.equal(audit.body.complaint.complainant.phone, '139****5678');
      assert.equal(audit.body.complaint.complainant.idNumber, '3101**********1234');
      assert.equal(audit.body.complaint.complainant.address, '北京市朝阳区***');
      assert.equal(audit.body.complaint.complainant.name, '王女士');
    });

    it('idempotent intake: a retried request never creates a second case', async () => {
      const before = await rowCounts(k);
      const body = intake({ description: '重复提交测试' });
      const a = await k.as('agent').post('/api/v1/complaints', body, { 'idempotency-key': 'call-7781' });
      const b = await k.as('agent').post('/api/v1/complaints', body, { 'idempotency-key': 'call-7781' });
      assert.equal(a.status, 201);
      assert.equal(b.status, 201, 'the first answer, replayed (issue 12 §5)');
      assert.equal(b.headers['idempotent-replayed'], 'true');
      assert.equal(a.body.complaint.id, b.body.complaint.id);
      assert.equal(a.body.promisedAt, b.body.promisedAt);
      const after1 = await rowCounts(k);
      assert.equal(after1.complaints, before.complaints + 1);
      // Concurrent retries too.
      const burst = await Promise.all([1, 2, 3, 4].map(() => k.as('agent').post('/api/v1/complaints', { ...body, description: '并发重试' }, { 'idempotency-key': 'call-9000' })));
      assert.equal(new Set(burst.map((r) => r.body.complaint.id)).size, 1);
      assert.equal((await rowCounts(k)).complaints, after1.complaints + 1);
      // Same key, different body: refused, nothing written.
      const clash = await k.as('agent').post('/api/v1/complaints', intake({ description: '另一个内容' }), { 'idempotency-key': 'call-7781' });
      assert.equal(clash.status, 422);
      assert.equal(clash.body.code, 'idempotency_mismatch');
      // Keys are per user: another agent's identical key is a different request.
      const other = await k.as('agent2').post('/api/v1/complaints', body, { 'idempotency-key': 'call-7781' });
      assert.equal(other.status, 201);
      assert.notEqual(other.body.complaint.id, a.body.complaint.id);
    });

    it('typed refusals of illegal actions', async () => {
      const r = await k.as('agent').post('/api/v1/complaints', intake({ description: '非法操作测试' }));
      const id = r.body.complaint.id;
      const s = k.as('specialist');
      const early = await s.act(id, 'approve', {});
      assert.equal(early.status, 409);
      assert.equal(early.body.code, 'illegal_transition');
      const wrongRole = await k.as('agent').act(id, 'judge', { valid: true });
      assert.equal(wrongRole.status, 403);
      assert.equal(wrongRole.body.code, 'forbidden');
      const unknown = await s.act(id, 'teleport', {});
      assert.equal(unknown.status, 404);
      const system = await s.act(id, 'breach', { clock: 'resolve' });
      assert.equal(system.status, 404, 'system actions are not exposed');
      const view = await s.get(`/api/v1/complaints/${id}`);
      assert.equal(view.body.complaint.state, 'received');
      assert.equal(view.body.timeline.length, 1);
    });

    it('malformed input: 4xx naming the field, in the caller language, nothing written', async () => {
      const before = await rowCounts(k);
      const agent = k.as('agent');
      const cases: [unknown, string][] = [
        [{ description: 'x', complainant: { anonymous: true } }, 'channel'],
        [{ channel: 'phone', description: '', complainant: { anonymous: true } }, 'description'],
        [{ channel: 'phone', description: 'x', complainant: { anonymous: false } }, 'complainant.name'],
        [{ channel: 'phone', description: 'x', complainant: { anonymous: true, phone: 'abc' } }, 'complainant.phone'],
        [{ channel: 'pigeon', description: 'x', complainant: { anonymous: true } }, 'channel'],
        [{ channel: 'phone', description: 'x', complainant: { anonymous: true }, demands: { types: ['free_money'] } }, 'demands.types[0]'],
        [{ channel: 'phone', description: 'x', complainant: { anonymous: true }, regulator: { name: '12345', externalRef: 'A1', dueAt: 'tomorrow' } }, 'regulator.dueAt'],
        [{ channel: 'phone', description: 'x', complainant: { anonymous: true }, colour: 'red' }, 'colour'],
      ];
      for (const [body, field] of cases) {
        const r = await agent.post('/api/v1/complaints', body);
        assert.equal(r.status, 400, `${field}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.code, 'invalid_input');
        assert.ok(
          r.body.fields.some((f: any) => f.path === field),
          `${field} not in ${JSON.stringify(r.body.fields)}`,
        );
      }
      const zh = await k.server.inject({ method: 'POST', url: '/api/v1/complaints', payload: { channel: 'phone', complainant: { anonymous: true } }, headers: { authorization: `Bearer ${k.tokens.get('agent')}` } });
      assert.match(zh.json().message, /输入有误/);
      const en = await k.server.inject({
        method: 'POST',
        url: '/api/v1/complaints',
        payload: { channel: 'phone', complainant: { anonymous: true } },
        headers: { authorization: `Bearer ${k.tokens.get('agent')}`, 'accept-language': 'en-US,en;q=0.9' },
      });
      assert.match(en.json().message, /Invalid input/);
      assert.equal(en.json().fields[0].path, 'description');
      const tw = await k.server.inject({ method: 'POST', url: '/api/v1/complaints?lang=zh-TW', payload: { channel: 'phone', complainant: { anonymous: true } }, headers: { authorization: `Bearer ${k.tokens.get('agent')}` } });
      assert.match(tw.json().message, /輸入有誤/);
      const broken = await k.server.inject({ method: 'POST', url: '/api/v1/complaints', payload: '{"channel": ', headers: { authorization: `Bearer ${k.tokens.get('agent')}`, 'content-type': 'application/json' } });
      assert.equal(broken.statusCode, 400);
      assert.deepEqual(broken.json().fields, [{ path: 'body', message: '请求体不是有效的 JSON' }]);
      // A malformed action input changes nothing either.
      const c = (await agent.post('/api/v1/complaints', intake({ description: '动作输入测试' }))).body.complaint;
      let mid = await rowCounts(k);
      const bad2 = await k.as('specialist').act(c.id, 'judge', { valid: 'yes' });
      assert.equal(bad2.status, 400);
      assert.equal(bad2.body.fields[0].path, 'valid');
      assert.deepEqual(await rowCounts(k), mid);
      assert.equal((await k.as('specialist').act(c.id, 'judge', { valid: true })).status, 200);
      mid = await rowCounts(k);
      const bad = await k.as('specialist').act(c.id, 'classify', { category: 'attitude', grade: 'catastrophic' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.fields[0].path, 'grade');
      assert.deepEqual(await rowCounts(k), mid);
      const after1 = await rowCounts(k);
      assert.equal(after1.complaints, before.complaints + 1, 'only the one valid intake was written');
      const badList = await agent.get('/api/v1/complaints?limit=5000');
      assert.equal(badList.status, 400);
      assert.equal(badList.body.fields[0].path, 'limit');
      assert.equal((await agent.get('/api/v1/complaints?cursor=garbage')).status, 400);
    });

    it('unauthenticated calls get 401', async () => {
      const r = await k.server.inject({ method: 'GET', url: '/api/v1/complaints' });
      assert.equal(r.statusCode, 401);
      const bad = await k.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'agent', password: 'wrong' } });
      assert.equal(bad.statusCode, 401);
    });

    it('lists paginate by cursor with filters', async () => {
      const agent = k.as('agent');
      for (let i = 0; i < 5; i++) {
        k.clock.advance(1000);
        await agent.post('/api/v1/complaints', intake({ description: `分页测试 ${i}`, kind: i % 2 ? 'inquiry' : 'complaint' }));
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await agent.get(`/api/v1/complaints?mine=first_responder&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(page.status, 200);
        assert.ok(page.body.items.length <= 2);
        seen.push(...page.body.items.map((i: any) => i.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      assert.equal(new Set(seen).size, seen.length, 'no duplicates across pages');
      const all = await k.as('specialist').get('/api/v1/complaints?limit=200');
      assert.equal(seen.length, all.body.items.filter((i: any) => i.id).length - 1 /* agent2's case */);
      const inquiries = await agent.get('/api/v1/complaints?kind=inquiry&mine=first_responder');
      assert.equal(inquiries.body.items.length, 2);
      const text = await agent.get(`/api/v1/complaints?text=${encodeURIComponent('分页测试 3')}`);
      assert.equal(text.body.items.length, 1);
    });

    it('queues carry the clock due next and can be ordered by it', async () => {
      const spec = k.as('specialist');
      const page = await spec.get('/api/v1/complaints?limit=200');
      const received = page.body.items.find((i: any) => i.state === 'received');
      assert.equal(received.nextDue.kind, 'triage', 'triage (24 h) falls due before resolve (2 d)');
      assert.ok(received.nextDue.warnAt < received.nextDue.dueAt);
      const seen: string[] = [];
      let cursor: string | null = null;
      let last = '';
      do {
        const p: any = await spec.get(`/api/v1/complaints?order=due&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(p.status, 200, JSON.stringify(p.body));
        for (const i of p.body.items) {
          assert.ok(i.nextDue.dueAt >= last, 'soonest due first');
          last = i.nextDue.dueAt;
          seen.push(i.id);
        }
        cursor = p.body.nextCursor;
      } while (cursor);
      assert.equal(seen.length, page.body.items.filter((i: any) => i.nextDue).length);
      assert.equal(new Set(seen).size, seen.length);
      const mixed = await spec.get(`/api/v1/complaints?order=received&cursor=${Buffer.from(`due|${last}|x`).toString('base64url')}`);
      assert.equal(mixed.status, 400, 'a cursor belongs to its order');
    });

    it('full-text search finds Chinese words (漏水), not character soup, and case numbers', async () => {
      const agent = k.as('agent');
      const leak = await agent.post('/api/v1/complaints', intake({ description: '楼上卫生间漏水，天花板发霉，物业一直不来修', references: { order: 'WO-7781' } }));
      await agent.post('/api/v1/complaints', intake({ description: '水费单上的金额漏记了一笔' }));
      const find = async (q: string) => (await agent.get(`/api/v1/complaints?text=${encodeURIComponent(q)}`)).body.items.map((i: any) => i.id);
      assert.deepEqual(await find('漏水'), [leak.body.complaint.id]);
      assert.deepEqual(await find('物业 漏水'), [leak.body.complaint.id], 'every word must match');
      assert.deepEqual(await find('天花板'), [leak.body.complaint.id]);
      assert.deepEqual(await find('wo-7781'), [leak.body.complaint.id]);
      assert.deepEqual(await find('漏水 电费'), []);
      assert.deepEqual(await find(leak.body.complaint.number), [leak.body.complaint.id]);
    });
  });
}
