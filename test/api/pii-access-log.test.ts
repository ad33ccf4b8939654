/**
 * Access to personal data is logged (DOMAIN §5), on every engine: each view that shows a
 * complainant's phone, ID number, e-mail or address unmasked writes one `pii_access_log` row
 * (who, which case, when, which fields, from which route); masked views and refused views write
 * nothing; auditors and administrators read the log, newest first, with keyset pagination.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { viewComplaint } from '../../src/services/view-complaint.js';
import { SYSTEM_ACTOR } from '../../src/domain/complaint/types.js';

const withPii = {
  channel: 'phone',
  description: '营业厅工作员态度恶劣',
  complainant: { name: '王女士', phone: '13912345678', idNumber: '310101199001011234', address: '北京市朝阳区建国路88号' },
};

for (const { dialect, skip } of await engines()) {
  describe(`personal-data access log (${dialect})`, { skip }, () => {
    let k: Kesu;
    let caseId: string;
    let number: string;
    const rows = async () => k.testDb.database.db.selectFrom('pii_access_log').selectAll().orderBy('at').orderBy('id').execute();

    before(async () => {
      k = await startKesu(dialect);
      const r = await k.as('agent').post('/api/v1/complaints', withPii);
      assert.equal(r.status, 201);
      caseId = r.body.complaint.id;
      number = r.body.complaint.number;
    });
    after(async () => k?.close());

    it('the intake answer shows the first responder what they typed: logged once, with its route', async () => {
      const all = await rows();
      assert.equal(all.length, 1);
      const [row] = all;
      assert.equal(row!.user_id, k.userIds.get('agent'));
      assert.equal(row!.complaint_id, caseId);
      assert.equal(row!.complaint_number, number);
      assert.deepEqual(JSON.parse(row!.fields), ['phone', 'idNumber', 'address']);
      assert.equal(row!.route, 'POST /api/v1/complaints');
      assert.equal(row!.at, k.clock.now().toISOString());
    });

    it('masked views write nothing; an unmasked view writes one row', async () => {
      const before = (await rows()).length;
      const audit = await k.as('auditor').get(`/api/v1/complaints/${caseId}`);
      assert.equal(audit.status, 200);
      assert.equal(audit.body.complaint.piiMasked, true);
      assert.equal((await k.as('admin').get(`/api/v1/complaints/${caseId}`)).body.complaint.piiMasked, true);
      assert.equal((await k.as('agent2').get(`/api/v1/complaints/${caseId}`)).status, 404, 'not visible: refused');
      assert.equal((await rows()).length, before, 'nothing written for masked or refused views');

      k.clock.advance(60_000);
      const mine = await k.as('agent').get(`/api/v1/complaints/${number}`);
      assert.equal(mine.body.complaint.piiMasked, false);
      const after1 = await rows();
      assert.equal(after1.length, before + 1);
      const row = after1[after1.length - 1]!;
      assert.deepEqual(
        { user: row.user_id, name: row.user_name, complaint: row.complaint_id, route: row.route, at: row.at },
        { user: k.userIds.get('agent'), name: row.user_name, complaint: caseId, route: 'GET /api/v1/complaints/:id', at: k.clock.now().toISOString() },
      );
      assert.ok(row.user_name.length > 0);
    });

    it('an action answered with the unmasked case is logged under the action route', async () => {
      k.clock.advance(60_000);
      const before = (await rows()).length;
      const j = await k.as('specialist').act(caseId, 'judge', { valid: true });
      assert.equal(j.status, 200);
      assert.equal(j.body.complaint.piiMasked, false);
      const all = await rows();
      assert.equal(all.length, before + 1);
      assert.equal(all[all.length - 1]!.user_id, k.userIds.get('specialist'));
      assert.equal(all[all.length - 1]!.route, 'POST /api/v1/complaints/:id/actions/:action');
    });

    it('a complainant without phone, ID number, e-mail or address reveals nothing: nothing written', async () => {
      const r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '建议延长营业时间', complainant: { name: '赵先生' } });
      assert.equal(r.status, 201);
      const before = (await rows()).length;
      assert.equal((await k.as('agent').get(`/api/v1/complaints/${r.body.complaint.id}`)).body.complaint.piiMasked, false);
      assert.equal((await rows()).length, before);
      assert.ok(!(await rows()).some((x) => x.complaint_id === r.body.complaint.id));
    });

    it('outside an HTTP request the route is empty, and a caller may name it', async () => {
      const before = (await rows()).length;
      await viewComplaint(k.app, SYSTEM_ACTOR, caseId);
      await viewComplaint(k.app, SYSTEM_ACTOR, caseId, { route: 'kesu export' });
      const all = await rows();
      assert.equal(all.length, before + 2);
      const mine = all.filter((x) => x.user_id === 'system').map((x) => x.route ?? '(none)');
      assert.deepEqual(mine.sort(), ['(none)', 'kesu export']);
    });

    it('only auditors and administrators read the log', async () => {
      for (const u of ['agent', 'specialist', 'handler', 'csmanager', 'gm', 'followup']) {
        const r = await k.as(u).get('/api/v1/audit/pii-access');
        assert.equal(r.status, 403, u);
      }
      const anon = await k.server.inject({ method: 'GET', url: '/api/v1/audit/pii-access' });
      assert.equal(anon.statusCode, 401);
      for (const u of ['auditor', 'admin']) assert.equal((await k.as(u).get('/api/v1/audit/pii-access')).status, 200, u);
    });

    it('lists newest first, filters by case and by user, pages by keyset, and holds no personal data', async () => {
      const auditor = k.as('auditor');
      const all = await auditor.get('/api/v1/audit/pii-access?limit=500');
      assert.equal(all.status, 200);
      assert.equal(all.body.items.length, (await rows()).length);
      assert.equal(all.body.nextCursor, null);
      const ats = all.body.items.map((i: any) => i.at);
      assert.deepEqual(ats, [...ats].sort().reverse(), 'newest first');
      assert.deepEqual(Object.keys(all.body.items[0]).sort(), ['at', 'complaintId', 'complaintNumber', 'fields', 'id', 'reason', 'route', 'userId', 'userName']);
      const text = JSON.stringify(all.body);
      for (const secret of ['13912345678', '310101199001011234', '建国路']) assert.ok(!text.includes(secret), `no ${secret} in the log`);

      // Keyset pages of 1 cover everything exactly once.
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const p: any = await auditor.get(`/api/v1/audit/pii-access?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(p.status, 200);
        assert.ok(p.body.items.length <= 1);
        seen.push(...p.body.items.map((i: any) => i.id));
        cursor = p.body.nextCursor;
      } while (cursor);
      assert.deepEqual(
        seen,
        all.body.items.map((i: any) => i.id),
      );

      const byCase = await auditor.get(`/api/v1/audit/pii-access?complaint=${caseId}`);
      assert.ok(byCase.body.items.length >= 3);
      assert.ok(byCase.body.items.every((i: any) => i.complaintId === caseId));
      assert.deepEqual((await auditor.get(`/api/v1/audit/pii-access?complaint=${number}`)).body.items, byCase.body.items, 'by number too');
      const byUser = await auditor.get('/api/v1/audit/pii-access?user=agent');
      assert.ok(byUser.body.items.length >= 2);
      assert.ok(byUser.body.items.every((i: any) => i.userId === k.userIds.get('agent')));
      assert.deepEqual((await auditor.get(`/api/v1/audit/pii-access?user=${k.userIds.get('agent')}`)).body.items, byUser.body.items, 'by id too');
      const both = await auditor.get(`/api/v1/audit/pii-access?complaint=${number}&user=specialist`);
      assert.equal(both.body.items.length, 1);
      assert.equal(both.body.items[0].route, 'POST /api/v1/complaints/:id/actions/:action');

      assert.deepEqual((await auditor.get('/api/v1/audit/pii-access?complaint=KS-2099-999999')).body.items, []);
      assert.deepEqual((await auditor.get('/api/v1/audit/pii-access?user=nobody')).body.items, []);
      const bad = await auditor.get('/api/v1/audit/pii-access?cursor=bm9wZQ');
      assert.equal(bad.status, 400);
      assert.equal(bad.body.fields[0].path, 'cursor');
      assert.equal((await auditor.get('/api/v1/audit/pii-access?limit=0')).status, 400);
    });
  });
}
