/**
 * Clock rules through the API on every engine (issue 10 §1), on the official 2026 calendar with
 * the test clock: rule clocks start at receipt and at later steps, the case view names them, the
 * sweeper warns and breaches them as ordinary audited transitions (telling whom the rule says),
 * a rule on the 24-hour desk counts across the National Day holiday while one on office hours
 * waits for it, the unsatisfied follow-up starts the re-handling clock and resumes the grade-rise
 * clock, the statistics count rule clocks; a case started under a version without rules keeps
 * exactly its clocks after a version with rules is activated.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { sweepDeadlines } from '../../src/jobs/deadline-sweeper.js';
import { statistics } from '../../src/reports/statistics.js';
import { activatePolicy } from '../../src/services/policies.js';
import { SYSTEM_ACTOR } from '../../src/domain/complaint/types.js';
import { clockRulesPolicyData } from '../domain/lifecycle/clock-rules-policy.js';

function plainPolicyFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kesu-policy-')), 'plain.yaml');
  writeFileSync(file, stringify(clockRulesPolicyData((p) => (p.version = '2026.1-plain'))));
  return file;
}

const clocksOf = async (k: Kesu, id: string) => (await k.as('specialist').get(`/api/v1/complaints/${id}`)).body.clocks as any[];
const brief = (clocks: any[], kind: string) => {
  const c = clocks.find((x) => x.kind === kind);
  return c ? [c.status, c.startedAt, c.dueAt] : null;
};

async function intake(k: Kesu): Promise<string> {
  const r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '客服态度恶劣，挂断电话。', complainant: { name: '陈女士', phone: '13900001111' } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.complaint.id;
}

async function step(k: Kesu, who: string, id: string, action: string, input: unknown = {}): Promise<any> {
  const r = await k.as(who).act(id, action, input);
  assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body)}`);
  return r.body;
}

for (const { dialect, skip } of await engines()) {
  describe(`clock rules (${dialect})`, { skip }, () => {
    let k: Kesu;
    before(async () => {
      // Started under a version without clock rules: Wednesday 2026-09-30 09:00 in Shanghai, the
      // last working day before the National Day holiday (10-01…10-07).
      k = await startKesu(dialect, { start: '2026-09-30T09:00:00+08:00', policy: plainPolicyFile() });
    });
    after(async () => k?.close());

    it('a case started without rules keeps exactly its clocks when a version with rules becomes active', async () => {
      const ids = Object.fromEntries(k.userIds);
      const old = await intake(k);
      const before = await clocksOf(k, old);
      assert.equal(
        before.some((c) => c.kind.startsWith('rule:')),
        false,
      );
      await activatePolicy(k.app, stringify(clockRulesPolicyData()), 'yaml');
      k.clock.set('2026-09-30T09:10:00+08:00');
      await step(k, 'specialist', old, 'judge', { valid: true });
      await step(k, 'specialist', old, 'classify', { category: 'attitude', grade: 'general' });
      await step(k, 'specialist', old, 'route', { departmentCode: 'customer_service', primaryHandlerId: ids.handler });
      await step(k, 'handler', old, 'accept');
      const after = await clocksOf(k, old);
      assert.equal(
        after.some((c) => c.kind.startsWith('rule:')),
        false,
        'the old version has no rules',
      );
      // The clocks that ran at intake are unchanged but for triage, stopped by classify as always.
      for (const c of before) {
        const now = after.find((x) => x.kind === c.kind);
        if (c.kind === 'triage') assert.deepEqual([now.status, now.stoppedAt], ['stopped', '2026-09-30T01:10:00.000Z']);
        else assert.deepEqual(now, c, c.kind);
      }
      const events = (await k.as('specialist').get(`/api/v1/complaints/${old}`)).body.timeline as any[];
      assert.equal(
        events.some((e) => e.data?.clockRules),
        false,
      );
    });

    it('rule clocks from receipt and from later steps, named in the view, warned and breached by the sweeper; the desk calendar counts through the holiday', async () => {
      const ids = Object.fromEntries(k.userIds);
      k.clock.set('2026-09-30T09:00:00+08:00');
      const id = await intake(k);
      let clocks = await clocksOf(k, id);
      assert.deepEqual(brief(clocks, 'rule:propose_30m'), ['running', '2026-09-30T01:00:00.000Z', '2026-09-30T01:30:00.000Z']);
      assert.deepEqual(brief(clocks, 'rule:responsibility'), ['running', '2026-09-30T01:00:00.000Z', '2026-10-01T01:00:00.000Z']);
      assert.deepEqual(clocks.find((c) => c.kind === 'rule:propose_30m').name, { 'zh-CN': '受理后30分钟内提出方案', 'zh-TW': '受理後30分鐘內提出方案', en: 'Solution within 30 min of receipt' });
      assert.equal(clocks.find((c) => c.kind === 'resolve').name, undefined, 'built-in clocks have no rule name');

      // Warned at 80 % (24 min), breached at 30 min: the rule's notify list told, no escalation (escalate: false).
      k.clock.set('2026-09-30T09:24:30+08:00');
      const w = await sweepDeadlines(k.app);
      assert.deepEqual(
        w.fired.filter((f) => f.complaintId === id),
        [{ complaintId: id, clock: 'rule:propose_30m', action: 'warn' }],
      );
      k.clock.set('2026-09-30T09:30:30+08:00');
      const b = await sweepDeadlines(k.app);
      assert.deepEqual(
        b.fired.filter((f) => f.complaintId === id),
        [{ complaintId: id, clock: 'rule:propose_30m', action: 'breach' }],
      );
      const view = (await k.as('specialist').get(`/api/v1/complaints/${id}`)).body;
      assert.equal(view.complaint.tier, 1);
      assert.ok(view.timeline.some((e: any) => e.action === 'breach' && e.data.input.clock === 'rule:propose_30m'));
      const told = await k.app.database.db.selectFrom('outbox').select(['recipient', 'payload']).where('complaint_id', '=', id).where('template', '=', 'deadline_breached').execute();
      const byRule = told.filter((m) => JSON.parse(m.payload).rule === 'propose_30m').map((m) => JSON.parse(m.recipient));
      assert.deepEqual(byRule, [{ userIds: [ids.agent] }, { role: 'approver' }]);
      assert.deepEqual(
        (await sweepDeadlines(k.app)).fired.filter((f) => f.complaintId === id),
        [],
        'breached once',
      );

      // The chain: responsibility → review → general manager → implementation.
      k.clock.set('2026-09-30T10:00:00+08:00');
      await step(k, 'specialist', id, 'judge', { valid: true });
      await step(k, 'specialist', id, 'classify', { category: 'attitude', grade: 'general' });
      await step(k, 'specialist', id, 'route', { departmentCode: 'customer_service', primaryHandlerId: ids.handler });
      await step(k, 'handler', id, 'accept');
      k.clock.set('2026-09-30T11:00:00+08:00');
      await step(k, 'handler', id, 'investigate', { facts: '录音属实', cause: '培训不足', responsibility: { type: 'department', departmentCode: 'customer_service' } });
      clocks = await clocksOf(k, id);
      assert.equal(brief(clocks, 'rule:responsibility')![0], 'stopped');
      assert.deepEqual(brief(clocks, 'rule:review'), ['running', '2026-09-30T03:00:00.000Z', '2026-09-30T07:00:00.000Z']);
      k.clock.set('2026-09-30T12:00:00+08:00');
      await step(k, 'handler', id, 'propose', { solutions: ['refund'], amount: 1200, description: '退款' });
      clocks = await clocksOf(k, id);
      assert.deepEqual(brief(clocks, 'rule:gm_decision'), ['running', '2026-09-30T04:00:00.000Z', '2026-09-30T08:00:00.000Z']);
      k.clock.set('2026-09-30T16:00:00+08:00');
      await step(k, 'csmanager', id, 'approve');
      clocks = await clocksOf(k, id);
      assert.equal(brief(clocks, 'rule:gm_decision')![0], 'stopped');
      // 8 working hours on the 24-hour desk: midnight, although 10-01 is a holiday.
      assert.deepEqual(brief(clocks, 'rule:implementation'), ['running', '2026-09-30T08:00:00.000Z', '2026-09-30T16:00:00.000Z']);
      k.clock.set('2026-09-30T17:00:00+08:00');
      await step(k, 'handler', id, 'answer', { text: '已退款', method: 'phone' });
      await step(k, 'followup', id, 'follow_up', { reached: true, satisfaction: 'unsatisfied' });
      clocks = await clocksOf(k, id);
      assert.equal(brief(clocks, 'rule:implementation')![0], 'stopped');
      // Reopened: one working day on office hours, past the holiday: 10-08 17:00.
      assert.deepEqual(brief(clocks, 'rule:rehandle'), ['running', '2026-09-30T09:00:00.000Z', '2026-10-08T09:00:00.000Z']);
      // The grade-rise clock runs again from receipt (issue 10 §6).
      assert.deepEqual(brief(clocks, 'grade_rise.0'), ['running', '2026-09-30T01:00:00.000Z', '2026-10-30T01:00:00.000Z']);

      // The statistics count the rule clocks beside the built-in stages.
      const stats = await statistics(k.app, SYSTEM_ACTOR, { from: '2026-09-01', to: '2026-12-31', groupBy: 'month', filters: {}, repeatWindowDays: 90 });
      const stage = (s: string) => stats.onTime.byStage.find((x) => x.stage === s);
      assert.deepEqual([stage('rule:propose_30m')?.met, stage('rule:propose_30m')?.breached], [0, 1]);
      assert.deepEqual([stage('rule:review')?.met, stage('rule:review')?.breached], [1, 0]);
      const order = stats.onTime.byStage.map((x) => x.stage);
      assert.ok(order.indexOf('triage') < order.indexOf('rule:propose_30m'), order.join(','));
    });

    it('a flag alone (紧急 at classify) re-times a rule clock and the promise: the classify event says which, with the new times, in the same transaction', async () => {
      k.clock.set('2026-10-08T10:00:00+08:00');
      const id = await intake(k);
      const received = await clocksOf(k, id);
      // 002 篇7 (fixture): responsibility within 24 h of receipt …
      assert.deepEqual(brief(received, 'rule:responsibility'), ['running', '2026-10-08T02:00:00.000Z', '2026-10-09T02:00:00.000Z']);
      const promisedBefore = received.find((c) => c.kind === 'resolve').dueAt;
      k.clock.set('2026-10-08T10:20:00+08:00');
      await step(k, 'specialist', id, 'judge', { valid: true });
      // … 2 h in an emergency: only the flag changes, the grade stays general.
      const v = await step(k, 'specialist', id, 'classify', { category: 'attitude', grade: 'general', emergency: true });
      assert.deepEqual(brief(v.clocks, 'rule:responsibility'), ['running', '2026-10-08T02:00:00.000Z', '2026-10-08T04:00:00.000Z']);
      const e = v.timeline[v.timeline.length - 1];
      assert.equal(e.action, 'classify');
      assert.deepEqual(e.data.clockRules, { started: [], stopped: [], retimed: [{ clock: 'rule:responsibility', limit: '2h', dueAt: '2026-10-08T04:00:00.000Z' }] });
      // The emergency's resolve limit (24 h, from receipt) moved the promise; the event says from when to when.
      assert.deepEqual(e.data.promise, { from: promisedBefore, to: '2026-10-09T02:00:00.000Z', because: 'classify' });
      assert.equal(v.clocks.find((c: any) => c.kind === 'resolve').dueAt, '2026-10-09T02:00:00.000Z');
      // The stored clock row and the event were written together: the row's due time is the event's.
      const row = await k.app.database.db.selectFrom('clocks').select(['due_at']).where('complaint_id', '=', id).where('kind', '=', 'rule:responsibility').executeTakeFirstOrThrow();
      assert.equal(row.due_at, e.data.clockRules.retimed[0].dueAt);
    });
  });
}
