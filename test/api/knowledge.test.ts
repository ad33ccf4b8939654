/**
 * The experience library and matching (issue 13 §4/§6) on both engines: every save is a version
 * with history; only `knowledge.editors` write; search finds articles by their words; a resolved
 * case becomes a draft without the customer's personal data; matching a complaint text returns
 * the article and the similar resolved case with why they matched; the complained-about employee
 * never gets the case (avoidance); feedback changes the order; bad input names the field in the
 * caller's language and writes nothing.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';

/** Drives a new case to `answered` (category timeliness), optionally naming a complained-about employee. */
async function answeredCase(k: Kesu, description: string, extra: { name: string; phone: string; email?: string; subject?: string[]; category?: string; answer: string }): Promise<string> {
  const ids = Object.fromEntries(k.userIds);
  const created = await k.as('agent').post('/api/v1/complaints', {
    channel: 'phone',
    description,
    complainant: { name: extra.name, phone: extra.phone, ...(extra.email ? { email: extra.email } : {}) },
    ...(extra.subject ? { subject: { employeeIds: extra.subject.map((u) => ids[u]) } } : {}),
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.complaint.id as string;
  const specialist = k.as('specialist');
  const handler = k.as('handler');
  let r = await specialist.act(id, 'judge', { valid: true });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await specialist.act(id, 'classify', { category: extra.category ?? 'timeliness', grade: 'general', customerClass: 'B' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await specialist.act(id, 'route', { departmentCode: 'logistics', primaryHandlerId: ids.handler, backupHandlerId: ids.handler2 });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await handler.act(id, 'accept', {});
  r = await handler.act(id, 'investigate', { facts: '配送站排班不足', cause: '旺季运力不足导致延误', responsibility: { type: 'department', departmentCode: 'logistics' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await handler.act(id, 'propose', { solutions: ['apology'], amount: 0, description: '致歉并优先安排派送' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  if (r.body.complaint.state === 'awaiting_approval') r = await k.as('deptmanager').act(id, 'approve', { comment: '同意' });
  r = await handler.act(id, 'answer', { text: extra.answer, method: 'phone' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.complaint.state, 'answered');
  return id;
}

const article = (over: Record<string, unknown> = {}) => ({
  title: '快递延误处理',
  symptom: '客户反映快递延误多日未送达',
  cause: '旺季运力不足',
  steps: ['查询物流轨迹', '联系配送站优先派送', '向客户致歉'],
  scripts: ['非常抱歉给您带来不便，我们已安排优先派送。'],
  category: 'timeliness',
  products: [],
  status: 'published',
  ...over,
});

for (const { dialect, skip } of await engines()) {
  describe(`experience library and matching (${dialect})`, { skip }, () => {
    let k: Kesu;
    let delayCase = '';
    let hiddenCase = '';
    before(async () => {
      k = await startKesu(dialect, { start: new Date().toISOString() });
      delayCase = await answeredCase(k, '我的快递延误了五天还没有送达，电话13812345678，请尽快处理。', { name: '林先生', phone: '13812345678', email: 'lin@example.com', answer: '林先生您好，已联系配送站今天送达，并向您致歉。' });
      hiddenCase = await answeredCase(k, '回访员孙丽说话态度差，快递延误也不管。', { name: '周女士', phone: '13698765432', subject: ['followup'], category: 'attitude', answer: '已批评教育相关人员。' });
    });
    after(async () => k?.close());

    const count = async (table: 'knowledge_articles' | 'knowledge_versions' | 'knowledge_feedback') =>
      Number(
        (
          await k.app.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    let articleId = '';
    it('only the policy’s editors write; bad input names the field in the caller’s language; nothing is written', async () => {
      const byAgent = await k.as('agent').post('/api/v1/knowledge/articles', article());
      assert.equal(byAgent.status, 403);
      const bad = await k.as('specialist').post('/api/v1/knowledge/articles', article({ steps: [] }), { 'accept-language': 'en' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.fields[0].path, 'steps');
      assert.match(bad.body.fields[0].message, /[a-z]/i);
      const badZh = await k.as('specialist').post('/api/v1/knowledge/articles', article({ title: '' }));
      assert.equal(badZh.status, 400);
      assert.equal(badZh.body.fields[0].path, 'title');
      assert.match(badZh.body.fields[0].message, /[\u4e00-\u9fff]/);
      assert.equal(await count('knowledge_articles'), 0);
    });

    it('saves versions with history; a stale save is refused; search finds it by its words', async () => {
      const created = await k.as('specialist').post('/api/v1/knowledge/articles', article({ status: 'draft' }), { 'idempotency-key': 'k-1' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      articleId = created.body.id;
      assert.equal(created.body.version, 1);
      const again = await k.as('specialist').post('/api/v1/knowledge/articles', article({ status: 'draft' }), { 'idempotency-key': 'k-1' });
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.equal(await count('knowledge_articles'), 1);

      const v2 = await k.as('specialist').put(`/api/v1/knowledge/articles/${articleId}`, { ...article(), version: 1, note: '发布' });
      assert.equal(v2.status, 200, JSON.stringify(v2.body));
      assert.equal(v2.body.version, 2);
      assert.equal(v2.body.status, 'published');
      const byAgent = await k.as('agent').put(`/api/v1/knowledge/articles/${articleId}`, { ...article(), version: 2 });
      assert.equal(byAgent.status, 403);
      const stale = await k.server.inject({
        method: 'PUT',
        url: `/api/v1/knowledge/articles/${articleId}`,
        payload: { ...article({ title: '覆盖' }), version: 1 },
        headers: { authorization: `Bearer ${k.tokens.get('specialist')}`, 'accept-language': 'en' },
      });
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().fields[0].path, 'version');
      const history = await k.as('agent').get(`/api/v1/knowledge/articles/${articleId}/versions`);
      assert.equal(history.status, 200);
      assert.deepEqual(
        history.body.map((v: { version: number; status: string }) => [v.version, v.status]),
        [
          [2, 'published'],
          [1, 'draft'],
        ],
      );
      assert.equal(await count('knowledge_versions'), 2);

      const found = await k.as('agent').get(`/api/v1/knowledge/articles?q=${encodeURIComponent('延误')}`);
      assert.deepEqual(
        found.body.items.map((a: { id: string }) => a.id),
        [articleId],
      );
      const none = await k.as('agent').get(`/api/v1/knowledge/articles?q=${encodeURIComponent('发票')}`);
      assert.deepEqual(none.body.items, []);
      assert.equal(none.body.mayEdit, false);
    });

    it('turns a resolved case into a draft without personal data', async () => {
      const notEditor = await k.as('agent').post(`/api/v1/knowledge/articles/from-case/${delayCase}`);
      assert.equal(notEditor.status, 403);
      const draft = await k.as('specialist').post(`/api/v1/knowledge/articles/from-case/${delayCase}`);
      assert.equal(draft.status, 201, JSON.stringify(draft.body));
      assert.equal(draft.body.status, 'draft');
      assert.equal(draft.body.category, 'timeliness');
      assert.equal(draft.body.sourceComplaintId, delayCase);
      assert.match(draft.body.symptom, /快递延误了五天/);
      assert.match(draft.body.cause, /运力不足/);
      assert.ok(
        draft.body.steps.some((s: string) => s.includes('已联系配送站今天送达')),
        JSON.stringify(draft.body.steps),
      );
      const stored = JSON.stringify(draft.body) + JSON.stringify(await k.app.database.db.selectFrom('knowledge_versions').selectAll().execute());
      for (const pii of ['林先生', '13812345678', 'lin@example.com']) assert.ok(!stored.includes(pii), `no ${pii} in the draft`);
      const drafts = await k.as('agent').get('/api/v1/knowledge/articles');
      assert.ok(!drafts.body.items.some((a: { id: string }) => a.id === draft.body.id), 'drafts are for editors only');
    });

    it('matches the article and the similar case with reasons; the complained-about employee never gets the case', async () => {
      const text = '客户来电说快递延误三天没有送达';
      const m = await k.as('admin').post('/api/v1/knowledge/match', { text, category: 'timeliness' });
      assert.equal(m.status, 200, JSON.stringify(m.body));
      assert.equal(m.body.articles[0].id, articleId, 'the published article, not the draft');
      assert.ok(m.body.articles[0].reasons.sharedTerms.includes('延误'));
      assert.equal(m.body.articles[0].reasons.sameCategory, true);
      assert.ok(
        m.body.articles[0].reasons.sharedTerms.every((w: string) => !['说', '了', '没有'].includes(w)),
        'function words are not reasons',
      );
      const ids = m.body.cases.map((c: { id: string }) => c.id);
      assert.equal(ids[0], delayCase, 'the same category ranks first');
      assert.ok(ids.includes(hiddenCase), 'an overseer sees both');
      assert.match(m.body.cases[0].solution, /已联系配送站今天送达/);
      assert.ok(m.body.cases[0].reasons.sharedTerms.includes('快递'));

      const avoiding = await k.as('followup').post('/api/v1/knowledge/match', { text });
      assert.equal(avoiding.status, 200);
      const seen = avoiding.body.cases.map((c: { id: string }) => c.id);
      assert.ok(seen.includes(delayCase), 'the follow-up caller sees answered cases');
      assert.ok(!seen.includes(hiddenCase), 'but never the case about them');
      const fb = await k.as('followup').post('/api/v1/knowledge/feedback', { kind: 'case', targetId: hiddenCase, helpful: true });
      assert.equal(fb.status, 404, 'nor may vote on it');

      const empty = await k.as('admin').post('/api/v1/knowledge/match', { text: ' ' }, { 'accept-language': 'en' });
      assert.equal(empty.status, 400);
      assert.equal(empty.body.fields[0].path, 'text');
    });

    it('feedback changes the order, bounded, one vote per person', async () => {
      const text = '快递延误';
      const before = await k.as('admin').post('/api/v1/knowledge/match', { text });
      const order = before.body.cases.map((c: { id: string }) => c.id);
      assert.deepEqual(order.slice(0, 2).sort(), [delayCase, hiddenCase].sort());
      const [first, second] = order as [string, string];
      for (const u of ['admin', 'specialist', 'agent']) {
        const r = await k.as(u).post('/api/v1/knowledge/feedback', { kind: 'case', targetId: first, helpful: false }, { 'idempotency-key': `fb-${u}` });
        assert.equal(r.status, 200, JSON.stringify(r.body));
      }
      await k.as('admin').post('/api/v1/knowledge/feedback', { kind: 'case', targetId: second, helpful: true });
      await k.as('admin').post('/api/v1/knowledge/feedback', { kind: 'case', targetId: second, helpful: true }); // replaces, not adds
      const after = await k.as('admin').post('/api/v1/knowledge/match', { text });
      assert.deepEqual(
        after.body.cases.slice(0, 2).map((c: { id: string }) => c.id),
        [second, first],
        'not helpful sinks, helpful rises',
      );
      const s = (id: string, body: { cases: { id: string; score: number }[] }) => body.cases.find((c) => c.id === id)!.score;
      assert.ok(s(first, after.body) >= s(first, before.body) * 0.5 - 1e-9, 'never below half');
      const votes = await k.app.database.db.selectFrom('knowledge_feedback').selectAll().where('target_id', '=', second).execute();
      assert.equal(votes.length, 1, 'one vote per person and suggestion');
    });
  });
}
