/**
 * The text comparison's token cache (src/repeats/recent-texts.ts) is keyed by case version: a
 * case whose text changed after it was cut is compared with its new text, never the cached one.
 * Driven through the API on both engines.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { getComplaint, saveComplaint } from '../../src/store/complaint.repository.js';

const FIRST = '快递包裹外箱破损，里面的玻璃杯碎了两个，要求赔偿';
const CHANGED = '营业厅工作人员态度恶劣，办理停机业务时推诿扯皮拖延半小时';

for (const { dialect, skip } of await engines()) {
  describe(`recent texts cache (${dialect})`, { skip }, () => {
    let k: Kesu;
    const receive = async (description: string, phone: string): Promise<string> => {
      k.clock.advance(60_000); // earlier cases are those received before this one
      const r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description, complainant: { name: '顾客', phone } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.complaint.id;
    };
    const textLinks = async (id: string): Promise<string[]> => {
      const r = await k.as('agent').get(`/api/v1/complaints/${id}/related`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.filter((c: { reasons: { reason: string }[] }) => c.reasons.some((x) => x.reason === 'text')).map((c: { id: string }) => c.id);
    };

    before(async () => {
      k = await startKesu(dialect, { start: '2026-09-01T09:00:00+08:00' });
    });
    after(async () => k?.close());

    it('links by the text a case has now, after its text changed since it was cut', async () => {
      const a = await receive(FIRST, '13700000001');
      const b = await receive(FIRST, '13700000002'); // cuts and caches a's tokens
      assert.deepEqual(await textLinks(b), [a]);

      const db = k.app.database.db;
      const c = (await getComplaint(db, a))!;
      await saveComplaint(db, { ...c, title: CHANGED, description: CHANGED, version: c.version + 1 }, c.version, []); // text corrected (fixture)

      const d = await receive(CHANGED, '13700000003');
      assert.deepEqual(await textLinks(d), [a], 'the changed case is compared with its new text');
      const e = await receive(FIRST, '13700000004');
      assert.deepEqual((await textLinks(e)).sort(), [b].sort(), 'and no longer with its old one');
    });
  });
}
