/**
 * Issue 10 items 4 and 6 in the pure machine: intake facts (the time really received, the grade
 * and flags for the roles the policy allows), the delay notice when a transition moves the
 * promise, and re-handling that changes hands (the tier's handler and approval level, a major
 * case to the customer service manager, the grade-rise clock running again, avoidance).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parsePolicyText, validatePolicy, type Policy } from '../../../src/domain/policy/index.js';
import { WorkingCalendar, builtInHolidayYears } from '../../../src/domain/calendar/index.js';
import { receive } from '../../../src/domain/lifecycle/intake.js';
import { apply, type Decision, type Refusal } from '../../../src/domain/lifecycle/apply.js';
import type { StaffMember } from '../../../src/domain/lifecycle/handlers.js';
import type { Actor, Clock, Complaint } from '../../../src/domain/complaint/types.js';
import { AppError } from '../../../src/domain/errors.js';

const TEXT = readFileSync(new URL('../../../policies/kesu-default.yaml', import.meta.url), 'utf8');

function policyWith(change: (p: any) => void): Policy {
  const data = parse(TEXT);
  change(data);
  const r = validatePolicy(data);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.policy;
}

/** Seed 000 with the re-handling tiers and major routing written out. */
const REHANDLING = policyWith((p) => {
  p.intake = { receivedAtMaxAge: '7d', gradeRoles: ['specialist'] };
  p.escalation.tiers[1].handler = 'department_manager';
  p.escalation.tiers[1].approvalLevel = 'manager';
  p.escalation.tiers[2].handler = { approvalLevel: 'manager' };
  p.escalation.tiers[2].approvalLevel = 'general_manager';
  p.routing = { majorTo: { approvalLevel: 'manager' }, majorDepartment: 'customer_service' };
});
const DEFAULT = (() => {
  const r = parsePolicyText(TEXT);
  if (!r.ok) throw new Error('default policy');
  return r.policy;
})();

const user = (id: string, roles: Actor['roles'], more: Partial<Actor> = {}): Actor => ({ id, kind: 'user', name: id, roles, managerOf: [], approvalLevels: [], ...more });
const agent = user('agent', ['agent']);
const specialist = user('spec', ['specialist']);
const handler = user('h1', ['handler']);
const followup = user('fu', ['followup']);
const deptManager = user('dm', ['handler', 'approver'], { approvalLevels: ['department_manager'], managerOf: ['logistics'] });
const csManager = user('csm', ['approver'], { approvalLevels: ['manager'] });
const gm = user('gm', ['approver'], { approvalLevels: ['general_manager'] });
const STAFF: StaffMember[] = [agent, specialist, handler, deptManager, csManager, gm].map((a) => ({ ...a, active: true }));

class Case {
  c: Complaint;
  clocks: Clock[];
  now: Date;
  readonly cal: WorkingCalendar;
  intake: ReturnType<typeof receive>;
  constructor(
    readonly policy: Policy,
    start: string,
    input: Record<string, unknown> = {},
    by: Actor = agent,
  ) {
    this.now = new Date(start);
    this.cal = new WorkingCalendar(policy.calendar, builtInHolidayYears('CN'));
    this.intake = receive({ channel: 'letter', description: '测试', complainant: { anonymous: true }, ...input }, { id: 'c1', number: 'KS-2026-000001' }, { actor: by, now: this.now, policy, calendar: this.cal });
    this.c = this.intake.complaint;
    this.clocks = this.intake.clocks;
  }
  try(action: string, actor: Actor, input: unknown = {}): Decision | Refusal {
    return apply(this.c, this.clocks, action, input, { actor, now: this.now, policy: this.policy, calendar: this.cal, staff: STAFF });
  }
  do(action: string, actor: Actor, input: unknown = {}): Decision {
    const d = this.try(action, actor, input);
    if (d.kind === 'refused') throw new Error(`${action} refused: ${d.code} ${d.detail} ${JSON.stringify(d.fields)}`);
    this.c = d.complaint;
    const m = new Map(this.clocks.map((k) => [k.kind, k]));
    d.clocks.forEach((k) => m.set(k.kind, k));
    this.clocks = [...m.values()];
    return d;
  }
  clock(kind: string): Clock | undefined {
    return this.clocks.find((k) => k.kind === kind);
  }
  later(hours: number): void {
    this.now = new Date(this.now.getTime() + hours * 3600_000);
  }
  /** Judge, classify (general), route to h1, accept, investigate, propose, answer: ready for follow-up. */
  toAnswered(grade = 'general'): void {
    this.do('judge', specialist, { valid: true });
    this.do('classify', specialist, { category: 'goods_damage_shortage', grade });
    if (this.c.state === 'classified') this.do('route', specialist, { departmentCode: 'logistics', primaryHandlerId: 'h1' });
    const h = this.c.primaryHandlerId === 'h1' ? handler : csManager;
    this.do('accept', h);
    this.do('investigate', h, { facts: '破损', cause: '包装', responsibility: { type: 'department', departmentCode: 'logistics' } });
    this.do('propose', h, { solutions: ['exchange'], amount: 0, description: '换货' });
    if (this.c.state === 'awaiting_approval') this.do('approve', gm);
    this.do('answer', h, { text: '已换货', method: 'phone' });
  }
}

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  assert.fail('expected a refusal');
}

describe('intake facts', () => {
  it('a letter received yesterday has its clocks from yesterday, with who set it and why', () => {
    const k = new Case(REHANDLING, '2026-09-29T09:00:00+08:00', { receivedAt: '2026-09-28T16:00:00+08:00', receivedAtReason: '信函次日登记' });
    assert.equal(k.c.receivedAt, '2026-09-28T08:00:00.000Z');
    assert.equal(k.clock('triage')!.startedAt, '2026-09-28T08:00:00.000Z');
    assert.equal(k.clock('resolve')!.dueAt, '2026-09-30T08:00:00.000Z'); // general: 2 calendar days from receipt
    assert.equal(k.clock('grade_rise.0')!.startedAt, '2026-09-28T08:00:00.000Z');
    assert.equal(k.intake.promisedAt, '2026-09-30T08:00:00.000Z');
    const data = k.intake.events[0]!.data;
    assert.deepEqual([data.receivedAt, data.receivedAtSetBy, data.receivedAtReason], ['2026-09-28T08:00:00.000Z', 'agent', '信函次日登记']);
    assert.equal(k.intake.events[0]!.at, '2026-09-29T01:00:00.000Z', 'the event is the registration');
  });

  it('refuses a future receipt, one older than the policy bound, and an earlier one without a reason', () => {
    const at = '2026-09-29T09:00:00+08:00';
    const future = refusal(() => new Case(REHANDLING, at, { receivedAt: '2026-09-29T10:00:00+08:00', receivedAtReason: 'x' }));
    assert.equal(future.code, 'invalid_input');
    assert.equal(future.fields?.[0]?.path, 'receivedAt');
    const old = refusal(() => new Case(REHANDLING, at, { receivedAt: '2026-09-21T09:00:00+08:00', receivedAtReason: '纸质旧件' }));
    assert.equal(old.fields?.[0]?.path, 'receivedAt');
    assert.match(old.detail ?? '', /7d/);
    const why = refusal(() => new Case(REHANDLING, at, { receivedAt: '2026-09-28T09:00:00+08:00' }));
    assert.equal(why.fields?.[0]?.path, 'receivedAtReason');
    // Within a minute of now needs no reason; the default bound (30d) admits last week.
    new Case(REHANDLING, at, { receivedAt: '2026-09-29T08:59:30+08:00' });
    new Case(DEFAULT, at, { receivedAt: '2026-09-21T09:00:00+08:00', receivedAtReason: '纸质旧件' });
  });

  it('a specialist grades major + emergency at intake: emergency limits from receipt, managers told; an agent may not', () => {
    const k = new Case(REHANDLING, '2026-09-29T09:00:00+08:00', { grade: 'major', emergency: true }, specialist);
    assert.deepEqual([k.c.grade, k.c.emergency], ['major', true]);
    assert.equal(k.clock('triage')!.dueAt, '2026-09-29T01:30:00.000Z'); // flags.emergency.limits.triage: 30m
    assert.equal(k.clock('resolve')!.dueAt, '2026-09-30T01:00:00.000Z'); // emergency resolve 24h
    assert.ok(k.intake.outbox.some((m) => m.template === 'emergency_case'));
    assert.ok(k.intake.outbox.some((m) => m.template === 'major_case'));
    const e = refusal(() => new Case(REHANDLING, '2026-09-29T09:00:00+08:00', { grade: 'major', emergency: true }, agent));
    assert.equal(e.code, 'forbidden');
    assert.deepEqual(
      e.fields?.map((f) => f.path),
      ['grade', 'emergency'],
    );
    // Old policies (no intake section) let nobody grade at intake.
    assert.equal(refusal(() => new Case(DEFAULT, '2026-09-29T09:00:00+08:00', { vicious: true }, specialist)).code, 'forbidden');
  });
});

describe('promise moves', () => {
  it('grading to a longer limit sends one delay notice with the new time; the event says why', () => {
    const k = new Case(REHANDLING, '2026-09-28T09:00:00+08:00');
    k.do('judge', specialist, { valid: true });
    const d = k.do('classify', specialist, { category: 'goods_damage_shortage', grade: 'important' });
    const notices = d.outbox.filter((m) => m.template === 'delay_notice');
    assert.equal(notices.length, 1);
    assert.equal(notices[0]!.payload.dueAt, '2026-10-01T01:00:00.000Z');
    assert.deepEqual(d.events[0]!.data.promise, { from: '2026-09-30T01:00:00.000Z', to: '2026-10-01T01:00:00.000Z', because: 'classify' });
    // Grading the same again moves nothing: no second notice.
    const same = new Case(REHANDLING, '2026-09-28T09:00:00+08:00');
    same.do('judge', specialist, { valid: true });
    assert.equal(same.do('classify', specialist, { category: 'goods_damage_shortage', grade: 'general' }).outbox.filter((m) => m.template === 'delay_notice').length, 0);
  });

  it('an extension sends exactly one delay notice', () => {
    const k = new Case(REHANDLING, '2026-09-28T09:00:00+08:00');
    k.do('judge', specialist, { valid: true });
    k.do('classify', specialist, { category: 'goods_damage_shortage', grade: 'general' });
    k.do('route', specialist, { departmentCode: 'logistics', primaryHandlerId: 'h1' });
    k.do('request_extension', handler, { reason: '配件未到', duration: '2wd' });
    const d = k.do('grant_extension', csManager);
    assert.equal(d.outbox.filter((m) => m.template === 'delay_notice').length, 1);
    assert.equal(d.outbox.find((m) => m.template === 'delay_notice')!.payload.dueAt, k.clock('resolve')!.dueAt);
  });
});

describe('re-handling that changes hands', () => {
  it('unsatisfied → tier 2: the department manager handles, the tier-2 approval level is required', () => {
    const k = new Case(REHANDLING, '2026-09-28T09:00:00+08:00');
    k.toAnswered();
    assert.equal(k.clock('grade_rise.0')!.status, 'stopped');
    const d = k.do('follow_up', followup, { reached: true, satisfaction: 'unsatisfied' });
    assert.deepEqual([k.c.state, k.c.tier, k.c.cycle, k.c.primaryHandlerId], ['investigating', 2, 2, 'dm']);
    assert.ok(k.c.coHandlerIds.includes('h1'), 'the previous handler stays on as co-handler');
    assert.equal((d.events[0]!.data.handover as any).to, 'dm');
    // The grade-rise clock runs again, still counted from receipt.
    assert.equal(k.clock('grade_rise.0')!.status, 'running');
    assert.equal(k.clock('grade_rise.0')!.dueAt, '2026-10-28T01:00:00.000Z');
    k.do('investigate', deptManager, { facts: '再查', cause: '包装', responsibility: { type: 'department', departmentCode: 'logistics' } });
    k.do('propose', deptManager, { solutions: ['refund'], amount: 0, description: '退款' });
    assert.equal(k.c.proposal?.requiredLevel, 'manager');
    assert.equal(k.try('approve', deptManager).kind, 'refused');
    k.do('approve', csManager);
  });

  it('a major case goes straight to the customer service manager at classify and on reopen', () => {
    const k = new Case(REHANDLING, '2026-09-28T09:00:00+08:00');
    k.do('judge', specialist, { valid: true });
    const d = k.do('classify', specialist, { category: 'goods_damage_shortage', grade: 'major' });
    assert.deepEqual([k.c.state, k.c.primaryHandlerId, k.c.departmentCode], ['assigned', 'csm', 'customer_service']);
    assert.equal(k.clock('first_response')!.status, 'running');
    assert.equal(k.clock('dispatch'), undefined);
    assert.equal((d.events[0]!.data.routed as any).by, 'routing.majorTo');
  });

  it('never hands over to the complained-about person; old policies keep the handler', () => {
    const k = new Case(REHANDLING, '2026-09-28T09:00:00+08:00', { subject: { employeeIds: ['dm'] } });
    k.toAnswered();
    const d = k.do('follow_up', followup, { reached: true, satisfaction: 'unsatisfied' });
    assert.equal(k.c.primaryHandlerId, 'h1');
    assert.equal((d.events[0]!.data.handover as any).to, null);
    assert.ok(d.outbox.some((m) => m.template === 'handover_failed'));

    const old = new Case(DEFAULT, '2026-09-28T09:00:00+08:00');
    old.toAnswered();
    old.do('follow_up', followup, { reached: true, satisfaction: 'unsatisfied' });
    assert.deepEqual([old.c.primaryHandlerId, old.c.tier], ['h1', 2]);
  });
});
