/**
 * Caller recognition (issue 13), on every engine: a customer is found by the phone number in any
 * common format, by e-mail, by the last four digits with the name or the date; the lookup works
 * for people who may not see the unmasked number and shows it masked; need to know and avoidance
 * still apply — the complained-about employee finds the case neither in the search nor in the
 * caller history; the database holds keyed hashes only.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { getComplaint, saveComplaint } from '../../src/store/complaint.repository.js';

const FORMATS = ['13812345678', '+86 138 1234 5678', '0086-138-1234-5678', '(+86) 138-1234-5678', '138 1234 5678', '8613812345678'];

for (const { dialect, skip } of await engines()) {
  describe(`caller recognition (${dialect})`, { skip }, () => {
    let k: Kesu;
    let first: string; // names the specialist as the complained-about employee
    let second: string; // the same caller again, naming nobody
    let other: string; // another customer
    const search = async (user: string, text: string): Promise<string[]> => {
      const r = await k.as(user).get(`/api/v1/complaints?text=${encodeURIComponent(text)}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.items.map((i: { id: string }) => i.id);
    };
    const history = async (user: string, query: string) => k.as(user).get(`/api/v1/callers/history?${query}`);

    before(async () => {
      k = await startKesu(dialect, { start: '2026-09-28T09:00:00+08:00' });
      const agent = k.as('agent');
      let r = await agent.post('/api/v1/complaints', {
        channel: 'phone',
        description: '客服专员李静态度恶劣',
        complainant: { name: '张三', phone: '138-1234-5678', email: 'Zhang.San@Example.COM', idNumber: '110101199003071234' },
        subject: { employeeIds: [k.userIds.get('specialist')] },
        references: { order: 'ORD-2026-0042', plate: '京A·12345' },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      first = r.body.complaint.id;
      k.clock.advance(24 * 3600_000);
      r = await agent.post('/api/v1/complaints', { channel: 'phone', description: '宽带又断了', complainant: { name: '张 三', phone: '+86 13812345678' } });
      assert.equal(r.status, 201);
      second = r.body.complaint.id;
      r = await agent.post('/api/v1/complaints', { channel: 'phone', description: '账单有误', complainant: { name: '李四', phone: '13900005678' } });
      assert.equal(r.status, 201);
      other = r.body.complaint.id;
    });
    after(async () => k?.close());

    it('a number typed in five (and more) formats finds the same customer, in the search and the history', async () => {
      for (const f of FORMATS) {
        assert.deepEqual((await search('agent', f)).sort(), [first, second].sort(), `search ${f}`);
        const h = await history('agent', `phone=${encodeURIComponent(f)}`);
        assert.equal(h.status, 200, JSON.stringify(h.body));
        assert.deepEqual(
          h.body.open.map((c: { id: string }) => c.id),
          [second, first],
          `history ${f}: newest first`,
        );
        assert.deepEqual(h.body.counts, { total: 2, open: 2, earlier: 0 });
        assert.deepEqual(h.body.lookup, { by: 'phone', shown: '138****5678' });
      }
    });

    it('finds by e-mail (any case), ID, order and plate number', async () => {
      assert.deepEqual(await search('agent', 'zhang.san@example.com'), [first]);
      assert.deepEqual(await search('agent', 'ZHANG.SAN@EXAMPLE.COM'), [first]);
      assert.deepEqual(await search('agent', '110101199003071234'), [first]);
      assert.deepEqual(await search('agent', 'ord 2026 0042'), [first]);
      assert.deepEqual(await search('agent', '京A12345'), [first]);
      const h = await history('agent', `email=${encodeURIComponent('Zhang.San@example.com')}`);
      assert.deepEqual(
        h.body.open.map((c: { id: string }) => c.id),
        [first],
      );
      assert.equal(h.body.lookup.shown, 'z***@example.com');
    });

    it('last four + name, and last four + date', async () => {
      assert.deepEqual((await search('agent', '5678 张三')).sort(), [first, second].sort());
      assert.deepEqual((await search('agent', '张三5678')).sort(), [first, second].sort());
      assert.deepEqual(await search('agent', '5678 李四'), [other]);
      assert.deepEqual(await search('agent', '5678 王五'), []);
      const byName = await history('agent', `last4=5678&name=${encodeURIComponent('张三')}`);
      assert.equal(byName.status, 200);
      assert.deepEqual(byName.body.counts.total, 2);
      const byDate = await history('agent', 'last4=5678&date=2026-09-28');
      assert.deepEqual(
        byDate.body.open.map((c: { id: string }) => c.id),
        [first],
        'only the call of that day (Shanghai time)',
      );
      const nextDay = await history('agent', 'last4=5678&date=2026-09-29');
      assert.deepEqual(nextDay.body.open.map((c: { id: string }) => c.id).sort(), [second, other].sort());
    });

    it('a viewer who may not see the number finds the case and sees it masked', async () => {
      assert.deepEqual((await search('auditor', '+86 138 1234 5678')).sort(), [first, second].sort());
      const view = await k.as('auditor').get(`/api/v1/complaints/${first}`);
      assert.equal(view.body.complaint.piiMasked, true);
      assert.match(view.body.complaint.complainant.phone, /^138\*+5678$/);
      const h = await history('auditor', 'phone=13812345678');
      assert.equal(h.body.counts.total, 2);
      for (const c of [...h.body.open, ...h.body.earlier]) assert.equal(c.phone, '138****5678');
      assert.ok(!JSON.stringify(h.body).includes('12345678'), 'no unmasked number in the history');
      // The first responder sees it unmasked on the case page only.
      assert.equal((await k.as('agent').get(`/api/v1/complaints/${first}`)).body.complaint.complainant.phone, '138-1234-5678');
    });

    it('the complained-about employee never sees the case, in the search or the history', async () => {
      for (const f of ['13812345678', 'zhang.san@example.com', '5678 张三', 'ORD-2026-0042']) assert.ok(!(await search('specialist', f)).includes(first), f);
      const h = await history('specialist', 'phone=%2B8613812345678');
      assert.deepEqual(
        h.body.open.map((c: { id: string }) => c.id),
        [second],
        'only the case that does not name them',
      );
      assert.deepEqual(h.body.counts, { total: 1, open: 1, earlier: 0 });
      assert.equal((await history('specialist', 'email=zhang.san@example.com')).body.counts.total, 0);
      // Need to know: another agent does not see the first agent's cases.
      assert.equal((await history('agent2', 'phone=13812345678')).body.counts.total, 0);
      assert.deepEqual(await search('agent2', '13812345678'), []);
    });

    it('earlier cases and the last satisfaction', async () => {
      const db = k.testDb.database.db;
      const c = (await getComplaint(db, first))!;
      const closedAt = k.clock.now().toISOString();
      await saveComplaint(db, { ...c, state: 'closed', closedAt, followUp: { ...c.followUp, outcome: 'satisfied', satisfaction: 'satisfied' }, version: c.version + 1 }, c.version, []);
      const h = await history('agent', 'phone=13812345678');
      assert.deepEqual(h.body.counts, { total: 2, open: 1, earlier: 1 });
      assert.deepEqual(
        h.body.earlier.map((x: { id: string }) => x.id),
        [first],
      );
      assert.deepEqual(h.body.lastSatisfaction, { caseId: first, number: c.number, satisfaction: 'satisfied', at: closedAt });
    });

    it('bad input gets a 400 naming the field; an empty lookup too', async () => {
      let r = await history('agent', 'phone=12ab');
      assert.equal(r.status, 400);
      assert.equal(r.body.fields[0].path, 'phone');
      r = await history('agent', '');
      assert.equal(r.status, 400);
      r = await history('agent', 'last4=5678');
      assert.equal(r.status, 400);
      assert.equal(r.body.fields[0].path, 'name');
      r = await history('agent', 'last4=56&name=x');
      assert.equal(r.body.fields[0].path, 'last4');
      r = await history('agent', 'email=nope');
      assert.equal(r.body.fields[0].path, 'email');
    });

    it('the database holds keyed hashes, never the number', async () => {
      const rows = await k.testDb.database.db.selectFrom('contact_keys').selectAll().where('complaint_id', '=', first).execute();
      assert.deepEqual([...new Set(rows.map((r) => r.kind))].sort(), ['email', 'id_number', 'order', 'phone', 'phone_last4', 'phone_last4_name', 'plate']);
      assert.deepEqual(Object.keys(rows[0]!).sort(), ['complaint_id', 'key', 'kind'], 'no value column');
      for (const r of rows) assert.match(r.key, /^[0-9a-f]{64}$/);
    });
  });
}
