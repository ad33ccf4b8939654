/**
 * Flagged customers (issue 13 §3, 001 篇3 §11) on both engines: the customer of a case judged
 * malicious is flagged with a reason by a role of `customerFlags.setBy`; the flag shows in the
 * caller history at intake (by the full number and by the last four digits with the name) and on
 * the customer's other cases, never blocks intake, holds no phone number, and is lifted with a
 * reason by `customerFlags.liftBy`. Bad input and the wrong roles change nothing.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';

for (const { dialect, skip } of await engines()) {
  describe(`customer flags (${dialect})`, { skip }, () => {
    let k: Kesu;
    let malicious = '';
    let ordinary = '';
    const PHONE = '13712345678';
    before(async () => {
      k = await startKesu(dialect, { start: new Date().toISOString() });
      const agent = k.as('agent');
      const a = await agent.post('/api/v1/complaints', { channel: 'phone', description: '第十次来电要求赔偿一万元，否则天天打电话。', complainant: { name: '钱先生', phone: PHONE } });
      assert.equal(a.status, 201, JSON.stringify(a.body));
      malicious = a.body.complaint.id;
      const reason = (await k.app.activePolicy()).validity.invalidReasons[0]!.code;
      const judged = await k.as('specialist').post(`/api/v1/complaints/${malicious}/actions/judge`, { valid: false, reason, explanation: '经核实诉求与事实不符。', malicious: true });
      assert.equal(judged.status, 200, JSON.stringify(judged.body));
      const b = await agent.post('/api/v1/complaints', { channel: 'phone', description: '快递延误两天。', complainant: { name: '孙女士', phone: '13698765432' } });
      ordinary = b.body.complaint.id;
    });
    after(async () => k?.close());

    const flagCount = async () =>
      Number(
        (
          await k.app.database.db
            .selectFrom('customer_flags')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('refuses the wrong roles, a case not judged malicious and a missing reason, changing nothing', async () => {
      const agent = await k.as('agent').post(`/api/v1/complaints/${malicious}/customer-flags`, { reason: '多次无理索赔' });
      assert.equal(agent.status, 403, JSON.stringify(agent.body));
      const notMalicious = await k.as('specialist').post(`/api/v1/complaints/${ordinary}/customer-flags`, { reason: '多次无理索赔' }, { 'accept-language': 'en' });
      assert.equal(notMalicious.status, 409, JSON.stringify(notMalicious.body));
      assert.equal(notMalicious.body.fields[0].path, 'id');
      assert.match(notMalicious.body.fields[0].message, /^Only the customer of a case judged malicious/);
      const noReason = await k.as('specialist').post(`/api/v1/complaints/${malicious}/customer-flags`, { reason: '' });
      assert.equal(noReason.status, 400);
      assert.equal(noReason.body.fields[0].path, 'reason');
      assert.equal(await flagCount(), 0);
    });

    let flagId = '';
    it('a specialist flags the customer; intake shows it by number and by last four + name, and still registers', async () => {
      const set = await k.as('specialist').post(`/api/v1/complaints/${malicious}/customer-flags`, { reason: '多次无理索赔，已判定恶意投诉' }, { 'idempotency-key': 'flag-1' });
      assert.equal(set.status, 201, JSON.stringify(set.body));
      flagId = set.body.id;
      assert.equal(set.body.kind, 'malicious');
      assert.ok(set.body.expiresAt > set.body.setAt, 'expires after customerFlags.days');
      const again = await k.as('specialist').post(`/api/v1/complaints/${malicious}/customer-flags`, { reason: '多次无理索赔，已判定恶意投诉' }, { 'idempotency-key': 'flag-1' });
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.equal(await flagCount(), 1);
      const stored = JSON.stringify(await k.app.database.db.selectFrom('customer_flags').selectAll().execute()) + JSON.stringify(await k.app.database.db.selectFrom('customer_flag_keys').selectAll().execute());
      assert.ok(!stored.includes(PHONE) && !stored.includes('5678'), 'no phone number stored with the flag');

      const byNumber = await k.as('agent').get(`/api/v1/callers/history?phone=${encodeURIComponent('+86 137-1234-5678')}`);
      assert.equal(byNumber.status, 200, JSON.stringify(byNumber.body));
      assert.deepEqual(
        byNumber.body.flags.map((f: { id: string }) => f.id),
        [flagId],
      );
      const byLast4 = await k.as('agent').get(`/api/v1/callers/history?last4=5678&name=${encodeURIComponent('钱先生')}`);
      assert.deepEqual(
        byLast4.body.flags.map((f: { id: string }) => f.id),
        [flagId],
      );
      const other = await k.as('agent').get('/api/v1/callers/history?phone=13698765432');
      assert.deepEqual(other.body.flags, []);

      const next = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '又来电要求赔偿。', complainant: { name: '钱先生', phone: PHONE } });
      assert.equal(next.status, 201, 'a flag never blocks intake');
      const onNewCase = await k.as('agent').get(`/api/v1/complaints/${next.body.complaint.id}/customer-flags`);
      assert.equal(onNewCase.status, 200);
      assert.deepEqual(
        onNewCase.body.map((f: { id: string }) => f.id),
        [flagId],
        "the flag shows on the customer's new case",
      );
    });

    it('only customerFlags.liftBy lifts it, with a reason; then it no longer shows', async () => {
      const bySpecialist = await k.as('specialist').post(`/api/v1/customer-flags/${flagId}/lift`, { reason: '客户已道歉' });
      assert.equal(bySpecialist.status, 403);
      const lifted = await k.as('admin').post(`/api/v1/customer-flags/${flagId}/lift`, { reason: '客户已道歉，经理同意解除' });
      assert.equal(lifted.status, 200, JSON.stringify(lifted.body));
      const twice = await k.as('admin').post(`/api/v1/customer-flags/${flagId}/lift`, { reason: '重复操作' });
      assert.equal(twice.status, 409);
      const row = await k.app.database.db.selectFrom('customer_flags').selectAll().where('id', '=', flagId).executeTakeFirstOrThrow();
      assert.equal(row.lift_reason, '客户已道歉，经理同意解除', 'kept, with who and why');
      assert.ok(row.lifted_by && row.lifted_at);
      const after = await k.as('agent').get(`/api/v1/callers/history?phone=${PHONE}`);
      assert.deepEqual(after.body.flags, []);
    });
  });
}
