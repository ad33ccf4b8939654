/**
 * The product bonus of matching (issue 13 §6, "why it matched: … product") on both engines, now
 * that candidates are read lean (their product reference and description only when the query names
 * a product of the policy's catalogue): a case naming the product in its reference, one naming it
 * in its text and an article listing it share it with the query; a case about another product does
 * not; a query naming no product gives no product reason to anyone.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { activatePolicy } from '../../src/services/policies.js';
import { getComplaint, saveComplaint } from '../../src/store/complaint.repository.js';

const POLICY = readFileSync(new URL('../../policies/kesu-default.yaml', import.meta.url), 'utf8').replace("version: '2026.1'", "version: '2026.1-products'") + '\nhighlights:\n  products: [洗衣机, 冰箱]\n';

interface Match {
  id: string;
  reasons: { sharedTerms: string[]; sharedProducts: string[] };
}

for (const { dialect, skip } of await engines()) {
  describe(`matching: the product bonus with lean candidates (${dialect})`, { skip }, () => {
    let k: Kesu;
    const ids: Record<'ref' | 'text' | 'other', string> = { ref: '', text: '', other: '' };
    let articleId = '';
    /** A case taken in through the API, then marked answered in the store (a fixture: the handling steps are not under test). */
    const answered = async (description: string, references: Record<string, string> = {}) => {
      const r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description, complainant: { name: '客户', phone: '13900007777' }, references });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const db = k.app.database.db;
      const c = (await getComplaint(db, r.body.complaint.id))!;
      await saveComplaint(db, { ...c, state: 'answered', answer: { text: '已上门处理', method: 'phone', written: false, answeredBy: 'handler', answeredAt: k.clock.now().toISOString() }, version: c.version + 1 }, c.version, []);
      return c.id;
    };
    before(async () => {
      k = await startKesu(dialect, { start: new Date().toISOString() });
      await activatePolicy(k.app, POLICY, 'yaml');
      ids.ref = await answered('买的机器漏水严重，地板都泡了', { product: '洗衣机' });
      ids.text = await answered('新买的洗衣机漏水严重');
      ids.other = await answered('冰箱漏水严重，冷藏室结冰');
      const a = await k
        .as('specialist')
        .post('/api/v1/knowledge/articles', { title: '漏水处理', symptom: '客户反映漏水严重', cause: '进水管松动', steps: ['上门检查进水管'], scripts: ['我们马上安排师傅上门。'], category: null, products: ['洗衣机'], status: 'published' });
      assert.equal(a.status, 201, JSON.stringify(a.body));
      articleId = a.body.id;
    });
    after(async () => k?.close());

    const match = async (text: string) => {
      const r = await k.as('admin').post('/api/v1/knowledge/match', { text });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body as { articles: Match[]; cases: Match[] };
    };

    it('a query naming a product: the cases naming it (reference or text) and the article listing it share it, the other does not', async () => {
      const m = await match('洗衣机漏水严重');
      const products = new Map(m.cases.map((c) => [c.id, c.reasons.sharedProducts]));
      assert.deepEqual(products.get(ids.ref), ['洗衣机'], 'by the product reference');
      assert.deepEqual(products.get(ids.text), ['洗衣机'], 'by the description');
      assert.deepEqual(products.get(ids.other), [], 'another product');
      assert.equal(m.cases.at(-1)!.id, ids.other, 'the case without the product ranks last');
      const art = m.articles.find((a) => a.id === articleId);
      assert.ok(art, JSON.stringify(m.articles));
      assert.deepEqual(art.reasons.sharedProducts, ['洗衣机']);
    });

    it('a query naming no product gives no product reason', async () => {
      const m = await match('漏水严重');
      assert.deepEqual(new Set(m.cases.map((c) => c.id)), new Set(Object.values(ids)));
      for (const c of [...m.cases, ...m.articles]) assert.deepEqual(c.reasons.sharedProducts, []);
    });
  });
}
