/**
 * Who may reveal one masked field comes from the policy (issue 12 §6, `personalData.reveal`,
 * src/domain/policy/personal-data.ts), on every engine. Without the section today's rule holds:
 * the department manager may reveal, an auditor may not. A policy that names the auditor role and
 * no relation turns that around — for the open case too (the active policy's rule applies, not
 * the case's version), in the view's `piiRevealable` as in the reveal itself. A section naming
 * avoidance or an unknown role is refused, naming its path.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { resolvePolicyPath } from '../../src/services/policies.js';

const base = readFileSync(resolvePolicyPath('kesu-default'), 'utf8');
const withSection = (version: string, section: string) => `${base.replace(/^version: .*$/m, `version: '${version}'`)}\n${section}\n`;

for (const { dialect, skip } of await engines()) {
  describe(`reveal rights from the policy (${dialect})`, { skip }, () => {
    let k: Kesu;
    let caseId: string;
    const logRows = async () =>
      Number(
        (
          await k.app.database.db
            .selectFrom('pii_access_log')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('reason', 'is not', null)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const reveal = (who: string) => k.as(who).post(`/api/v1/complaints/${caseId}/reveal`, { field: 'phone', reason: '需要致电客户核实' });
    const revealable = async (who: string) => {
      const v = await k.as(who).get(`/api/v1/complaints/${caseId}`);
      assert.equal(v.status, 200, JSON.stringify(v.body));
      assert.equal(v.body.complaint.piiMasked, true, `${who} sees the case masked`);
      return v.body.complaint.piiRevealable as boolean;
    };

    before(async () => {
      k = await startKesu(dialect);
      const r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '快递破损，要求赔偿', complainant: { name: '王女士', phone: '13912345678' } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      caseId = r.body.complaint.id;
      const s = k.as('specialist');
      assert.equal((await s.act(caseId, 'judge', { valid: true })).status, 200);
      assert.equal((await s.act(caseId, 'classify', { category: 'goods_damage_shortage', grade: 'general', customerClass: 'B' })).status, 200);
      const routed = await s.act(caseId, 'route', { departmentCode: 'customer_service', primaryHandlerId: k.userIds.get('handler'), backupHandlerId: k.userIds.get('handler2') });
      assert.equal(routed.status, 200, JSON.stringify(routed.body));
    });
    after(async () => k?.close());

    it('without the section: the department manager may reveal, an auditor may not', async () => {
      assert.deepEqual((await k.app.activePolicy()).personalData, { reveal: { relations: ['co_handler', 'department_manager'], roles: [] } }, 'the default is the rule table’s');
      assert.equal(await revealable('deptmanager'), true);
      assert.equal(await revealable('auditor'), false);
      const before = await logRows();
      assert.equal((await reveal('auditor')).status, 403);
      assert.equal(await logRows(), before, 'a refused reveal logs nothing');
      const r = await reveal('deptmanager');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.value, '13912345678');
      assert.equal(await logRows(), before + 1);
    });

    it('a policy naming the auditor role and no relation turns it around, for the open case too', async () => {
      const up = await k.as('admin').post('/api/v1/policy', { text: withSection('2026.1-reveal', 'personalData:\n  reveal:\n    relations: []\n    roles: [auditor]') });
      assert.equal(up.status, 201, JSON.stringify(up.body));
      assert.equal(await revealable('deptmanager'), false);
      assert.equal(await revealable('auditor'), true);
      const before = await logRows();
      assert.equal((await reveal('deptmanager')).status, 403);
      const r = await reveal('auditor');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.value, '13912345678');
      assert.equal(await logRows(), before + 1, 'the auditor’s reveal is logged');
    });

    it('a section naming avoidance or an unknown role is refused, with its path', async () => {
      const r = await k.as('admin').post('/api/v1/policy/check', { text: withSection('2026.1-bad', 'personalData:\n  reveal:\n    relations: [subject]\n    roles: [janitor]') });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.ok, false);
      assert.deepEqual(r.body.problems.map((p: { path: string }) => p.path).sort(), ['personalData.reveal.relations[0]', 'personalData.reveal.roles[0]']);
    });
  });
}
