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
import { getComplaint, saveComplaint } from '../../src/store/complaint.repository.js';
import { statistics } from '../../src/reports/statistics.js';
import { SYSTEM_ACTOR } from '../../src/domain/complaint/types.js';

const DAY = 24 * 3600_000;
const TEXT = '宽带又断了，师傅上门三次都没有修好，要求退还本月宽带费用';

for (const { dialect, skip } of await engines()) {
  describe(`repeat complaints (${dialect})`, { skip }, () => {
    let k: Kesu;
    const ids = {} as Record<'a' | 'b' | 'c' | 'd' | 'e' | 'f', string>;
    const receive = async (name: keyof typeof ids, body: Record<string, unknown>) => {
      const r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', ...body });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      ids[name] = r.body.complaint.id;
    };
    const related = async (user: string, name: keyof typeof ids) => {
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
      const rows = await k.app.database.db.selectFrom('case_links').selectAll().where('complaint_id', '=', ids.f).execute();
      assert.equal(rows.length, 0);
    });

    it("customer links agree with the statistics' repeat-complaint rate over the same window", async () => {
      const stats = await statistics(k.app, SYSTEM_ACTOR, { from: '2026-09-01', to: '2026-12-31', groupBy: 'month', filters: {}, repeatWindowDays: 90 });
      const linked = await k.app.database.db.selectFrom('case_links').select('complaint_id').distinct().where('reason', '=', 'customer').execute();
      assert.deepEqual(
        linked.map((r) => r.complaint_id),
        [ids.b],
      );
      assert.equal(stats.repeat.repeated.count, linked.length);
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

  describe(`系统性问题 ranking (${dialect})`, { skip }, () => {
    let k: Kesu;
    const x1: string[] = [];
    let n = 0;
    /** A case about `product` in `category`, from its own customer, in words of its own. */
    const receive = async (category: string, product: string, more: Record<string, unknown> = {}) => {
      n++;
      const r = await k
        .as('agent')
        .post('/api/v1/complaints', { channel: 'phone', description: `第${n}位客户反映的问题编号${n * 7919}`, complainant: { name: `客户${n}`, phone: `1390000${String(n).padStart(4, '0')}` }, references: { product }, ...more });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const db = k.app.database.db;
      const c = (await getComplaint(db, r.body.complaint.id))!;
      await saveComplaint(db, { ...c, category, version: c.version + 1 }, c.version, []); // classified (fixture)
      return c.id;
    };
    const DAY_MS = 24 * 3600_000;

    before(async () => {
      // Previous period 2026-09-24..30: X1 once, Y2 three times. This period 2026-10-01..07: X1 four times, Y2 twice, Z3 once.
      k = await startKesu(dialect, { start: '2026-09-25T10:00:00+08:00' });
      await receive('product_quality', 'X1 光猫');
      for (let i = 0; i < 3; i++) await receive('goods_damage_shortage', 'Y2 快递柜');
      k.clock.advance(7 * DAY_MS); // 2026-10-02
      x1.push(await receive('product_quality', 'X1 光猫', { subject: { employeeIds: [k.userIds.get('specialist')] } }));
      for (let i = 0; i < 3; i++) x1.push(await receive('product_quality', 'X1 光猫'));
      for (let i = 0; i < 2; i++) await receive('goods_damage_shortage', 'Y2 快递柜');
      await receive('product_quality', 'Z3 机顶盒');
      k.clock.advance(7 * DAY_MS); // 2026-10-09: outside the period
      await receive('product_quality', 'X1 光猫');
    });
    after(async () => k?.close());

    it('ranks subjects by recurrence with the previous period (figures by hand)', async () => {
      const r = await k.as('admin').get('/api/v1/systemic/subjects?from=2026-10-01&to=2026-10-07');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.period, { from: '2026-10-01', to: '2026-10-07', previousFrom: '2026-09-24', previousTo: '2026-09-30', timeZone: 'Asia/Shanghai' });
      assert.deepEqual(r.body.subjects, [
        // 4 now, 1 before: +3, +300 %; all four linked to the earlier X1 by the product.
        { category: 'product_quality', product: 'X1 光猫', cases: 4, linked: 4, previous: 1, change: 3, changePercent: 300 },
        // 2 now, 3 before: −1, −33.3 %.
        { category: 'goods_damage_shortage', product: 'Y2 快递柜', cases: 2, linked: 2, previous: 3, change: -1, changePercent: -33.3 },
      ]);
      const all = await k.as('admin').get('/api/v1/systemic/subjects?from=2026-10-01&to=2026-10-07&minCases=1');
      assert.deepEqual(all.body.subjects.at(-1), { category: 'product_quality', product: 'Z3 机顶盒', cases: 1, linked: 0, previous: 0, change: 1, changePercent: null });
    });

    it('drills down to the visible cases; avoidance applies to the ranking and the drill-down', async () => {
      const q = `from=2026-10-01&to=2026-10-07&category=product_quality&product=${encodeURIComponent('X1 光猫')}`;
      const cases = await k.as('admin').get(`/api/v1/systemic/cases?${q}`);
      assert.equal(cases.status, 200, JSON.stringify(cases.body));
      assert.deepEqual(new Set(cases.body.map((c: { id: string }) => c.id)), new Set(x1));
      const mine = await k.as('specialist').get(`/api/v1/systemic/cases?${q}`);
      assert.deepEqual(new Set(mine.body.map((c: { id: string }) => c.id)), new Set(x1.slice(1)), 'the case naming the specialist is not shown to them');
      const ranking = await k.as('specialist').get('/api/v1/systemic/subjects?from=2026-10-01&to=2026-10-07');
      assert.equal(ranking.body.subjects[0].cases, 3);
    });

    it("refuses a bad period naming the field, in the caller's (default) language", async () => {
      const r = await k.as('admin').get('/api/v1/systemic/subjects?from=2026-10-07&to=2026-10-01');
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.fields[0].path, 'to');
      assert.equal(r.body.fields[0].message, '结束日期无效或早于开始日期'); // the console's default language only
      const bad = await k.as('admin').get('/api/v1/systemic/subjects?from=soon&to=2026-10-01');
      assert.equal(bad.status, 400);
      assert.equal(bad.body.fields[0].path, 'from');
    });
  });
}
