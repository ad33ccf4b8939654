/**
 * Re-handling that changes hands, through the API on every engine (test clock, 2026 calendar):
 * an unsatisfied follow-up sends the case to the tier-2 handler (the department manager) with the
 * tier-2 approval level; a major case goes straight to the customer service manager; the
 * grade-rise clock (000: unresolved one month → major) runs again after the reopen.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { rehandlingPolicyFile } from './rehandling-policy.js';

const HOUR = 3600_000;

function clock(view: any, kind: string) {
  return view.clocks.find((c: any) => c.kind === kind);
}

for (const { dialect, skip } of await engines()) {
  describe(`re-handling (${dialect})`, { skip }, () => {
    let k: Kesu;
    before(async () => {
      // Monday 2026-09-28 09:00 in Shanghai.
      k = await startKesu(dialect, { start: '2026-09-28T09:00:00+08:00', policy: rehandlingPolicyFile() });
    });
    after(async () => k?.close());

    async function intake(): Promise<string> {
      const r = await k.as('agent').post('/api/v1/complaints', {
        channel: 'phone',
        description: '客服态度恶劣，挂断电话。',
        complainant: { name: '陈女士', phone: '13900001111' },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.complaint.id;
    }

    it('a reopen goes to the tier-2 handler with the tier-2 approval level; the grade-rise clock runs again', async () => {
      const ids = Object.fromEntries(k.userIds);
      const id = await intake();
      const [specialist, handler, deptmanager, csmanager, followup] = [k.as('specialist'), k.as('handler'), k.as('deptmanager'), k.as('csmanager'), k.as('followup')];
      await specialist.act(id, 'judge', { valid: true });
      await specialist.act(id, 'classify', { category: 'attitude', grade: 'general' });
      let r = await specialist.act(id, 'route', { primaryHandlerId: ids.handler });
      assert.equal(r.body.complaint.departmentCode, 'customer_service');
      await handler.act(id, 'accept', {});
      await handler.act(id, 'investigate', { facts: '录音属实', cause: '培训不足', responsibility: { type: 'department', departmentCode: 'customer_service' } });
      r = await handler.act(id, 'propose', { solutions: ['apology'], amount: 0, description: '致歉' });
      assert.equal(r.body.complaint.state, 'implementing', 'a general case without amount needs no approval at tier 1');
      r = await handler.act(id, 'answer', { text: '已致歉', method: 'phone' });
      assert.equal(clock(r.body, 'grade_rise.0').status, 'stopped');

      k.clock.advance(24 * HOUR);
      r = await followup.act(id, 'follow_up', { reached: true, satisfaction: 'unsatisfied', comment: '道歉不诚恳' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const c = r.body.complaint;
      assert.deepEqual([c.state, c.tier, c.cycle], ['investigating', 2, 2]);
      assert.equal(c.primaryHandlerId, ids.deptmanager, 'tier 2: the department manager handles');
      assert.ok(c.coHandlerIds.includes(ids.handler));
      const reopen = r.body.timeline[r.body.timeline.length - 1];
      assert.equal(reopen.data.handover.to, ids.deptmanager);
      assert.equal(reopen.data.handover.by, 'escalation.tiers[1].handler');
      const rise = clock(r.body, 'grade_rise.0');
      assert.equal(rise.status, 'running', 'the grade-rise clock resumes on reopen');
      assert.equal(rise.dueAt, '2026-10-28T01:00:00.000Z', 'still one month (30d) from receipt');

      r = await deptmanager.act(id, 'investigate', { facts: '复核', cause: '培训不足', responsibility: { type: 'department', departmentCode: 'customer_service' } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      r = await deptmanager.act(id, 'propose', { solutions: ['apology', 'training'], amount: 0, description: '经理上门致歉并培训' });
      assert.equal(r.body.complaint.state, 'awaiting_approval');
      assert.equal(r.body.complaint.proposal.requiredLevel, 'manager', 'the tier-2 approval level');
      r = await deptmanager.act(id, 'approve', {});
      assert.equal(r.status, 403, 'the department manager holds a lower level');
      r = await csmanager.act(id, 'approve', {});
      assert.equal(r.status, 200, JSON.stringify(r.body));
      // The former handler is not the one who answers now; the new one is.
      const view = await handler.get(`/api/v1/complaints/${id}`);
      assert.ok(!view.body.allowedActions.includes('answer'));
    });

    it('a major case is routed straight to the customer service manager', async () => {
      const ids = Object.fromEntries(k.userIds);
      const id = await intake();
      await k.as('specialist').act(id, 'judge', { valid: true });
      const r = await k.as('specialist').act(id, 'classify', { category: 'attitude', grade: 'major' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.complaint.state, 'assigned');
      assert.equal(r.body.complaint.primaryHandlerId, ids.csmanager);
      assert.equal(r.body.timeline[r.body.timeline.length - 1].data.routed.by, 'routing.majorTo');
      assert.equal(clock(r.body, 'first_response').status, 'running');
      const accept = await k.as('csmanager').act(id, 'accept', {});
      assert.equal(accept.status, 200, JSON.stringify(accept.body));
    });
  });
}
