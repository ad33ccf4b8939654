/**
 * Repeat complaints (issue 13 §2, 003 规范5) on both engines: a new case is linked at intake to an
 * earlier complaint of the same customer within `repeats.customerWindowDays` (90 by default) and
 * not beyond it, to a case with the same order number within `subjectWindowDays` (30), and to a
 * near-identical text; GET /complaints/:id/related shows the links both ways, only the cases the
 * reader may see — the complained-about employee never sees the case that names them.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';

const DAY = 24 * 3600_000;
const TEXT = '宽带又断了，师傅上门三次都没有修好，要求退还本月宽带费用';

for (const { dialect, skip } of await engines()) {
  describe(`repeat complaints (${dialect})`, { skip }, () => {
    let k: Kesu;
    const ids: Record<string, string> = {};
    const receive = async (name: string, body: Record<string, unknown>) => {
      const r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', ...body });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      ids[name] = r.body.complaint.id;
    };
    const related = async (user: string, name: string) => {
      const r = await k.as(user).get(`/api/v1/complaints/${ids[name]}/related`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return new Map<string, { direction: string; reasons: { reason: string; detail: string | null }[] }>(r.body.map((c: { id: string }) => [c.id, c]));
    };

    before(async () => {
      k = await startKesu(dialect, { start: '2026-09-01T09:00:00+08:00' });
      // A names the specialist (avoidance) and an order.
      await receive('a', { description: TEXT, complainant: { name: '张三', phone: '138-1234-5678' }, subject: { employeeIds: [k.userIds.get('specialist')] }, references: { order: 'ORD-2026-0042' } });
      k.clock.advance(DAY);
      await receive('b', { description: '上个月账单多扣了二十元话费', complainant: { name: '张三', phone: '+86 138 1234 5678' } }); // same customer, other subject
      await receive('c', { description: '订单迟迟没有发货', complainant: { name: '李四', phone: '13900001111' }, references: { order: 'ord-2026-0042' } }); // same order
      await receive('d', { description: `${TEXT}！`, complainant: { name: '王五', phone: '13700002222' } }); // near-identical text
      await receive('e', { description: '营业厅排队时间太长', complainant: { name: '赵六', phone: '13600003333' } }); // unrelated
      k.clock.advance(100 * DAY);
      await receive('f', { description: '又一次投诉：新装的路由器无法上网', complainant: { name: '张三', phone: '13812345678' }, references: { order: 'ORD-2026-0042' } }); // beyond both windows
    });
    after(async () => k?.close());

    it('links the same customer within the window, the same order number and the near-identical text', async () => {
      const b = await related('agent', 'b');
      assert.deepEqual([...b.keys()], [ids.a]);
      assert.deepEqual(b.get(ids.a)!.reasons, [{ reason: 'customer', detail: null }]);
      assert.equal(b.get(ids.a)!.direction, 'earlier');

      const c = await related('agent', 'c');
      assert.deepEqual([...c.keys()], [ids.a]);
      assert.deepEqual(c.get(ids.a)!.reasons, [{ reason: 'reference', detail: 'order' }]);

      const d = await related('agent', 'd');
      assert.deepEqual([...d.keys()], [ids.a]);
      assert.equal(d.get(ids.a)!.reasons[0]!.reason, 'text');
      assert.ok(Number(d.get(ids.a)!.reasons[0]!.detail) >= 0.8);

      assert.equal((await related('agent', 'e')).size, 0, 'an unrelated case has no links');
    });

    it('shows the links on the earlier case too', async () => {
      const a = await related('agent', 'a');
      assert.deepEqual(new Set(a.keys()), new Set([ids.b, ids.c, ids.d]));
      for (const v of a.values()) assert.equal(v.direction, 'later');
    });

    it('does not link beyond the windows (100 days later: same customer, same order)', async () => {
      assert.equal((await related('agent', 'f')).size, 0);
      const rows = await k.app.database.db.selectFrom('case_links').selectAll().where('complaint_id', '=', ids.f!).execute();
      assert.equal(rows.length, 0);
    });

    it('avoidance: the complained-about employee never sees the linked case', async () => {
      const b = await related('specialist', 'b');
      assert.equal(b.size, 0, 'A names the specialist: hidden from its links');
      const a = await k.as('specialist').get(`/api/v1/complaints/${ids.a}/related`);
      assert.equal(a.status, 404);
      assert.equal((await related('agent', 'b')).size, 1, 'others still see it');
    });

    it('a case nobody has is 404', async () => {
      const r = await k.as('agent').get('/api/v1/complaints/nope/related');
      assert.equal(r.status, 404);
    });
  });
}
