/**
 * Reveal one field (issue 12 §6), on every engine: a department manager who sees the case masked
 * reveals the phone with a reason — the value comes back and one access-log row records the
 * field and the reason (and the chain still verifies); an auditor and an administrator (masked,
 * no relation that allows a reveal) get 403 and nothing is logged; a bad field name or a missing
 * reason is a 400 naming the field in the caller's language, and logs nothing.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { sql } from 'kysely';
import { verifyChains } from '../../src/audit/verify.js';

const withPii = {
  channel: 'phone',
  description: '快递破损，要求赔偿',
  complainant: { name: '王女士', phone: '13912345678', email: 'wang@example.com', address: '北京市朝阳区建国路88号' },
};

for (const { dialect, skip } of await engines()) {
  describe(`reveal one field (${dialect})`, { skip }, () => {
    let k: Kesu;
    let caseId: string;
    const rows = async () => k.testDb.database.db.selectFrom('pii_access_log').selectAll().orderBy('at').orderBy('id').execute();

    before(async () => {
      k = await startKesu(dialect);
      const r = await k.as('agent').post('/api/v1/complaints', withPii);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      caseId = r.body.complaint.id;
      const specialist = k.as('specialist');
      assert.equal((await specialist.act(caseId, 'judge', { valid: true })).status, 200);
      assert.equal((await specialist.act(caseId, 'classify', { category: 'goods_damage_shortage', grade: 'general', customerClass: 'B' })).status, 200);
      const routed = await specialist.act(caseId, 'route', { departmentCode: 'customer_service', primaryHandlerId: k.userIds.get('handler'), backupHandlerId: k.userIds.get('handler2') });
      assert.equal(routed.status, 200, JSON.stringify(routed.body));
    });
    after(async () => k?.close());

    it('the department manager sees the case masked and reveals the phone: the value, one row with field and reason', async () => {
      const view = await k.as('deptmanager').get(`/api/v1/complaints/${caseId}`);
      assert.equal(view.status, 200);
      assert.equal(view.body.complaint.piiMasked, true);
      assert.equal(view.body.complaint.complainant.phone, '139****5678');
      assert.equal(view.body.complaint.piiRevealable, true, 'the console offers the reveal');
      const before = (await rows()).length;
      k.clock.advance(60_000);
      const r = await k.as('deptmanager').post(`/api/v1/complaints/${caseId}/reveal`, { field: 'phone', reason: '需要致电客户核实破损情况' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body, { field: 'phone', value: '13912345678' });
      const all = await rows();
      assert.equal(all.length, before + 1);
      const row = all[all.length - 1]!;
      assert.deepEqual(
        { user: row.user_id, fields: JSON.parse(row.fields), reason: row.reason, route: row.route, at: row.at },
        { user: k.userIds.get('deptmanager'), fields: ['phone'], reason: '需要致电客户核实破损情况', route: 'POST /api/v1/complaints/:id/reveal', at: k.clock.now().toISOString() },
      );
      const page = await k.as('auditor').get(`/api/v1/audit/pii-access?complaintId=${caseId}`);
      if (page.status === 200) assert.equal(page.body.items[0].reason, '需要致电客户核实破损情况');
      assert.deepEqual((await verifyChains(k.testDb.database.db, { checkpoint: null })).problems, []);
    });

    it('a tampered reason breaks the access chain', async () => {
      const db = k.testDb.database.db;
      const row = (await rows()).find((r) => r.reason)!;
      // The log refuses UPDATE (migration 0009): drop the guard the way someone with the files would.
      if (dialect === 'sqlite') await sql`drop trigger if exists pii_access_log_no_update`.execute(db);
      else await sql`alter table pii_access_log disable trigger user`.execute(db);
      await db.updateTable('pii_access_log').set({ reason: '随便看看' }).where('id', '=', row.id).execute();
      const problems = (await verifyChains(db, { checkpoint: null })).problems;
      assert.ok(
        problems.some((p) => p.complaintId === caseId && p.log === 'access'),
        JSON.stringify(problems),
      );
      await db.updateTable('pii_access_log').set({ reason: row.reason }).where('id', '=', row.id).execute();
      assert.deepEqual((await verifyChains(db, { checkpoint: null })).problems, []);
    });

    it('auditors and administrators see it masked and may not reveal: 403, nothing logged', async () => {
      const before = (await rows()).length;
      assert.equal((await k.as('auditor').get(`/api/v1/complaints/${caseId}`)).body.complaint.piiRevealable, false, 'the console offers no reveal');
      for (const who of ['auditor', 'admin']) {
        const r = await k.as(who).post(`/api/v1/complaints/${caseId}/reveal`, { field: 'phone', reason: '想看看' });
        assert.equal(r.status, 403, `${who}: ${JSON.stringify(r.body)}`);
        assert.ok(!JSON.stringify(r.body).includes('13912345678'));
      }
      assert.equal((await k.as('agent2').post(`/api/v1/complaints/${caseId}/reveal`, { field: 'phone', reason: '想看看' })).status, 404, 'not visible: not found');
      assert.equal((await rows()).length, before);
    });

    it('a bad field name or a missing reason is a 400 naming the field, in the caller’s language; nothing logged', async () => {
      const before = (await rows()).length;
      const bad = await k.as('deptmanager').post(`/api/v1/complaints/${caseId}/reveal?lang=en`, { field: 'name', reason: 'to call the customer' });
      assert.equal(bad.status, 400, JSON.stringify(bad.body));
      const fieldProblem = bad.body.fields.find((f: { path: string }) => f.path === 'field');
      assert.ok(fieldProblem, JSON.stringify(bad.body));
      assert.match(fieldProblem.message, /field must be one of/);
      const noReason = await k.as('deptmanager').post(`/api/v1/complaints/${caseId}/reveal`, { field: 'email' });
      assert.equal(noReason.status, 400);
      const reasonProblem = noReason.body.fields.find((f: { path: string }) => f.path === 'reason');
      assert.match(reasonProblem.message, /原因/);
      assert.equal((await rows()).length, before);
    });
  });
}
