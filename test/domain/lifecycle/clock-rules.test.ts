/**
 * Clock rules as data (issue 10 §1) in the pure machine: a rule clock starts and stops at the
 * events the policy names (receipt, any action, entering a state, a reopen), counts from receipt
 * when started by `receive`, takes the limit of the case's grade or flag (re-timed when grading
 * changes it), counts on its named calendar, pauses unless told not to, and its breach escalates,
 * raises the grade and tells whom the rule says; a failed attempt to reach the customer
 * (contact_failed) re-times a running rule clock to its `unreachable` limit. A policy without
 * rules keeps exactly today's clocks.
 * The section's check names the field of every mistake.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { calendarNames, calendarSpec, parsePolicyText, validatePolicy, type Policy } from '../../../src/domain/policy/index.js';
import { WorkingCalendar, builtInHolidayYears } from '../../../src/domain/calendar/index.js';
import { receive } from '../../../src/domain/lifecycle/intake.js';
import { apply, type Decision } from '../../../src/domain/lifecycle/apply.js';
import { ACTIONS } from '../../../src/domain/lifecycle/machine.js';
import { EXTRA_EVENTS } from '../../../src/domain/lifecycle/clock-rules.js';
import type { StaffMember } from '../../../src/domain/lifecycle/handlers.js';
import type { Actor, Clock, Complaint } from '../../../src/domain/complaint/types.js';
import { CLOCK_RULES, DESK_CALENDAR, clockRulesPolicyData, unreachablePolicyData } from './clock-rules-policy.js';

function load(data: unknown): Policy {
  const r = validatePolicy(data);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.policy;
}
const RULES = load(clockRulesPolicyData());
const PLAIN = load(clockRulesPolicyData(() => {}));

const user = (id: string, roles: Actor['roles'], more: Partial<Actor> = {}): Actor => ({ id, kind: 'user', name: id, roles, managerOf: [], approvalLevels: [], ...more });
const agent = user('agent', ['agent']);
const specialist = user('spec', ['specialist']);
const handler = user('h1', ['handler']);
const followup = user('fu', ['followup']);
const csManager = user('csm', ['approver'], { approvalLevels: ['manager'] });
const SYSTEM: Actor = { id: 'system', kind: 'system', name: 'system', roles: [], managerOf: [], approvalLevels: [] };
const STAFF: StaffMember[] = [agent, specialist, handler, csManager].map((a) => ({ ...a, active: true }));

function calendarOf(policy: Policy): WorkingCalendar {
  const years = (name?: string) => (calendarSpec(policy, name).holidays === 'CN' ? builtInHolidayYears('CN') : []);
  const cal = new WorkingCalendar(calendarSpec(policy), years());
  for (const n of calendarNames(policy)) cal.named[n] = new WorkingCalendar(calendarSpec(policy, n), years(n));
  return cal;
}

class Case {
  c: Complaint;
  clocks: Clock[];
  now: Date;
  readonly cal: WorkingCalendar;
  constructor(
    readonly policy: Policy,
    start: string,
    input: Record<string, unknown> = {},
  ) {
    this.now = new Date(start);
    this.cal = calendarOf(policy);
    const r = receive({ channel: 'letter', description: '测试', complainant: { anonymous: true }, ...input }, { id: 'c1', number: 'KS-2026-000001' }, { actor: input.grade ? specialist : agent, now: this.now, policy, calendar: this.cal });
    this.c = r.complaint;
    this.clocks = r.clocks;
  }
  at(local: string): this {
    this.now = new Date(`${local}+08:00`);
    return this;
  }
  do(action: string, actor: Actor, input: unknown = {}): Decision {
    const d = apply(this.c, this.clocks, action, input, { actor, now: this.now, policy: this.policy, calendar: this.cal, staff: STAFF });
    if (d.kind === 'refused') throw new Error(`${action} refused: ${d.code} ${d.detail} ${JSON.stringify(d.fields)}`);
    this.c = d.complaint;
    const m = new Map(this.clocks.map((k) => [k.kind, k]));
    d.clocks.forEach((k) => m.set(k.kind, k));
    this.clocks = [...m.values()];
    return d;
  }
  clock(kind: string): Clock {
    const k = this.clocks.find((x) => x.kind === kind);
    assert.ok(k, `clock ${kind}`);
    return k;
  }
  /** [status, startedAt, dueAt] of a clock, UTC. */
  brief(kind: string): [string, string, string | null] {
    const k = this.clock(kind);
    return [k.status, k.startedAt, k.dueAt];
  }
  builtIn(): Clock[] {
    return this.clocks.filter((k) => !k.kind.startsWith('rule:')).sort((a, b) => a.kind.localeCompare(b.kind));
  }
}

/** The same steps on a case of `policy`: received Tue 2026-09-22 09:00, answered, then followed up unsatisfied. */
function walk(policy: Policy, seen: (step: string, k: Case) => void = () => {}): Case {
  const k = new Case(policy, '2026-09-22T09:00:00+08:00');
  seen('receive', k);
  const steps: [string, string, Actor, unknown][] = [
    ['09:10', 'judge', specialist, { valid: true }],
    ['09:20', 'classify', specialist, { category: 'goods_damage_shortage', grade: 'general' }],
    ['09:40', 'route', specialist, { departmentCode: 'logistics', primaryHandlerId: 'h1' }],
    ['09:50', 'accept', handler, {}],
    ['10:00', 'investigate', handler, { facts: '破损', cause: '包装', responsibility: { type: 'department', departmentCode: 'logistics' } }],
    ['11:00', 'propose', handler, { solutions: ['refund'], amount: 1200, description: '退款' }],
    ['12:00', 'approve', csManager, {}],
    ['16:00', 'answer', handler, { text: '已退款', method: 'phone' }],
    ['17:00', 'follow_up', followup, { reached: true, satisfaction: 'unsatisfied' }],
  ];
  for (const [time, action, actor, input] of steps) {
    k.at(`2026-09-22T${time}:00`).do(action, actor, input);
    seen(action, k);
  }
  return k;
}

describe('clock rules: start and stop at any event', () => {
  it('001 篇3 §16 and the chain of 002 篇7: each clock from the event that starts it, stopped by the next', () => {
    const k = walk(RULES, (step, k) => {
      if (step === 'receive') {
        // From receipt, whatever routing does later.
        assert.deepEqual(k.brief('rule:propose_30m'), ['running', '2026-09-22T01:00:00.000Z', '2026-09-22T01:30:00.000Z']);
        assert.deepEqual(k.brief('rule:responsibility'), ['running', '2026-09-22T01:00:00.000Z', '2026-09-23T01:00:00.000Z']);
        assert.equal(
          k.clocks.some((c) => c.kind === 'rule:review'),
          false,
          'not started before its event',
        );
      }
      if (step === 'investigate') {
        assert.equal(k.clock('rule:responsibility').status, 'stopped');
        assert.equal(k.clock('rule:responsibility').stoppedAt, '2026-09-22T02:00:00.000Z');
        assert.deepEqual(k.brief('rule:review'), ['running', '2026-09-22T02:00:00.000Z', '2026-09-22T06:00:00.000Z']);
      }
      if (step === 'propose') {
        assert.equal(k.c.state, 'awaiting_approval');
        assert.deepEqual([k.clock('rule:propose_30m').status, k.clock('rule:review').status], ['stopped', 'stopped']);
        // Started by entering awaiting_approval.
        assert.deepEqual(k.brief('rule:gm_decision'), ['running', '2026-09-22T03:00:00.000Z', '2026-09-22T07:00:00.000Z']);
      }
      if (step === 'approve') {
        assert.equal(k.clock('rule:gm_decision').status, 'stopped');
        // 8 working hours on the 24-hour desk: 12:00 → 20:00 the same day (office hours would end the next day).
        assert.deepEqual(k.brief('rule:implementation'), ['running', '2026-09-22T04:00:00.000Z', '2026-09-22T12:00:00.000Z']);
      }
      if (step === 'answer') assert.equal(k.clock('rule:implementation').status, 'stopped');
    });
    // The unsatisfied follow-up is a reopen: 1 working day from 17:00 Tue → 17:00 Wed.
    assert.equal(k.c.state, 'investigating');
    assert.deepEqual(k.brief('rule:rehandle'), ['running', '2026-09-22T09:00:00.000Z', '2026-09-23T09:00:00.000Z']);
    // The grade-rise clock resumes on the reopen (issue 10 §6), counted from receipt.
    assert.deepEqual(k.brief('grade_rise.0'), ['running', '2026-09-22T01:00:00.000Z', '2026-10-22T01:00:00.000Z']);
  });

  it('records which rule clocks a transition started and stopped on its event', () => {
    const k = new Case(RULES, '2026-09-22T09:00:00+08:00');
    k.at('2026-09-22T09:10:00').do('judge', specialist, { valid: true });
    k.at('2026-09-22T09:20:00').do('classify', specialist, { category: 'goods_damage_shortage', grade: 'general' });
    k.at('2026-09-22T09:40:00').do('route', specialist, { departmentCode: 'logistics', primaryHandlerId: 'h1' });
    k.do('accept', handler);
    const d = k.at('2026-09-22T10:00:00').do('investigate', handler, { facts: '破损', cause: '包装', responsibility: { type: 'department', departmentCode: 'logistics' } });
    assert.deepEqual(d.events[0]!.data.clockRules, { started: ['rule:review'], stopped: ['rule:responsibility'] });
    assert.deepEqual(d.clocks.map((c) => c.kind).sort(), ['rule:responsibility', 'rule:review']);
  });

  it('the grade and flag limits: re-timed from receipt when grading changes them; an emergency at intake', () => {
    const k = new Case(RULES, '2026-09-22T09:00:00+08:00');
    k.at('2026-09-22T09:10:00').do('judge', specialist, { valid: true });
    k.at('2026-09-22T09:20:00').do('classify', specialist, { category: 'goods_damage_shortage', grade: 'major' });
    assert.deepEqual(k.brief('rule:responsibility'), ['running', '2026-09-22T01:00:00.000Z', '2026-09-22T13:00:00.000Z']);
    // A rule without a grade limit keeps its limit.
    assert.equal(k.clock('rule:propose_30m').duration, '30m');

    const e = new Case(
      load(
        clockRulesPolicyData((p) => {
          p.clockRules = structuredClone(CLOCK_RULES);
          p.calendars = { desk: {} };
          p.intake = { gradeRoles: ['specialist'] };
        }),
      ),
      '2026-09-22T09:00:00+08:00',
      { grade: 'general', emergency: true },
    );
    assert.deepEqual(e.brief('rule:responsibility'), ['running', '2026-09-22T01:00:00.000Z', '2026-09-22T03:00:00.000Z']);
  });

  it('per channel and per kind limits, and an alignment to the end of the working day', () => {
    const p = load(
      clockRulesPolicyData((p) => {
        p.clockRules = [{ code: 'first_call', name: { 'zh-CN': '回电' }, start: 'receive', stop: 'answer', limit: '2h@eod', channels: { phone: '30m' }, kinds: { inquiry: '1h' } }];
      }),
    );
    // A letter: 2 hours from 09:00, then to the end of that working day (17:30).
    assert.deepEqual(new Case(p, '2026-09-22T09:00:00+08:00').brief('rule:first_call'), ['running', '2026-09-22T01:00:00.000Z', '2026-09-22T09:30:00.000Z']);
    // A phone call: the channel's limit wins over the kind's.
    assert.equal(new Case(p, '2026-09-22T09:00:00+08:00', { channel: 'phone', kind: 'inquiry' }).clock('rule:first_call').dueAt, '2026-09-22T01:30:00.000Z');
    assert.equal(new Case(p, '2026-09-22T09:00:00+08:00', { kind: 'inquiry' }).clock('rule:first_call').dueAt, '2026-09-22T02:00:00.000Z');
  });

  it('a rule that applies to some grades only starts for those', () => {
    const p = load(
      clockRulesPolicyData((p) => {
        p.clockRules = [{ code: 'major_only', name: { 'zh-CN': '重大' }, start: 'receive', stop: 'answer', grades: { major: '1d' } }];
      }),
    );
    const k = new Case(p, '2026-09-22T09:00:00+08:00');
    assert.equal(
      k.clocks.some((c) => c.kind === 'rule:major_only'),
      false,
    );
    k.at('2026-09-22T09:10:00').do('judge', specialist, { valid: true });
    k.at('2026-09-22T09:20:00').do('classify', specialist, { category: 'goods_damage_shortage', grade: 'major' });
    assert.equal(
      k.clocks.some((c) => c.kind === 'rule:major_only'),
      false,
      'started only by its event',
    );
  });

  it('pending pauses rule clocks, except those with pause: false; closing stops every one', () => {
    const k = walk(RULES);
    k.at('2026-09-22T17:30:00').do('pend', handler, { reason: '等待客户' });
    assert.equal(k.clock('rule:rehandle').status, 'running', 'pause: false');
    const k2 = new Case(RULES, '2026-09-22T09:00:00+08:00');
    k2.at('2026-09-22T09:10:00').do('judge', specialist, { valid: true });
    k2.do('classify', specialist, { category: 'goods_damage_shortage', grade: 'general' });
    k2.do('route', specialist, { departmentCode: 'logistics', primaryHandlerId: 'h1' });
    k2.do('accept', handler);
    k2.at('2026-09-22T09:20:00').do('pend', handler, { reason: '等待客户' });
    assert.deepEqual([k2.clock('rule:responsibility').status, k2.clock('rule:responsibility').dueAt], ['paused', null]);
    k2.at('2026-09-22T10:20:00').do('resume', handler);
    // An hour paused: due an hour later.
    assert.deepEqual(k2.brief('rule:responsibility'), ['running', '2026-09-22T01:00:00.000Z', '2026-09-23T02:00:00.000Z']);
    const k3 = new Case(RULES, '2026-09-22T09:00:00+08:00');
    k3.do('judge', specialist, { valid: false, reason: 'provocation', explanation: '寻衅' });
    assert.deepEqual([k3.clock('rule:propose_30m').status, k3.clock('rule:responsibility').status], ['stopped', 'stopped']);
  });
});

describe('clock rules: warning and breach', () => {
  function routed(policy: Policy = RULES): Case {
    const k = new Case(policy, '2026-09-22T09:00:00+08:00');
    k.at('2026-09-22T09:10:00').do('judge', specialist, { valid: true });
    k.do('classify', specialist, { category: 'goods_damage_shortage', grade: 'general' });
    k.do('route', specialist, { departmentCode: 'logistics', primaryHandlerId: 'h1' });
    return k;
  }

  it("a warning tells the rule's notify list beside the handlers; a breach without escalate leaves the tier", () => {
    const k = routed();
    k.at('2026-09-22T09:25:00');
    const w = k.do('warn', SYSTEM, { clock: 'rule:propose_30m' });
    assert.equal(w.outbox.filter((m) => m.template === 'deadline_warning').length, 1, 'no warn.notify: the handlers only');
    const b = k.at('2026-09-22T09:31:00').do('breach', SYSTEM, { clock: 'rule:propose_30m' });
    assert.equal(k.c.tier, 1, 'escalate: false');
    const told = b.outbox.filter((m) => m.template === 'deadline_breached' && m.payload.rule === 'propose_30m').map((m) => m.to);
    assert.deepEqual(told, [{ userIds: ['agent'] }, { role: 'approver', departmentCode: 'logistics' }]);
    assert.equal(k.clock('rule:propose_30m').breachedAt, '2026-09-22T01:31:00.000Z');
    assert.equal(b.outbox.filter((m) => m.channel === 'customer').length, 0, 'the customer is told only when the rule says so');
  });

  it('a rule with breach.tellCustomer says sorry to the customer once, on its breach only', () => {
    const telling = load(
      clockRulesPolicyData((p) => {
        p.clockRules = structuredClone(CLOCK_RULES);
        p.clockRules.find((r: { code: string }) => r.code === 'propose_30m').breach.tellCustomer = true;
        p.calendars = { desk: DESK_CALENDAR };
      }),
    );
    const k = routed(telling);
    const w = k.at('2026-09-22T09:25:00').do('warn', SYSTEM, { clock: 'rule:propose_30m' });
    assert.equal(w.outbox.filter((m) => m.channel === 'customer').length, 0, 'not on the warning');
    const b = k.at('2026-09-22T09:31:00').do('breach', SYSTEM, { clock: 'rule:propose_30m' });
    assert.deepEqual(
      b.outbox.filter((m) => m.channel === 'customer').map((m) => [m.template, m.to, m.payload]),
      [['overdue_notice', { customer: true }, { number: 'KS-2026-000001', clock: 'rule:propose_30m' }]],
    );
  });

  it('a breach escalates by default and raises the grade when the rule says so', () => {
    const k = routed();
    k.do('accept', handler);
    k.at('2026-09-22T10:00:00').do('investigate', handler, { facts: '破损', cause: '包装', responsibility: { type: 'department', departmentCode: 'logistics' } });
    k.at('2026-09-22T11:00:00').do('propose', handler, { solutions: ['refund'], amount: 1200, description: '退款' });
    const b = k.at('2026-09-22T15:01:00').do('breach', SYSTEM, { clock: 'rule:gm_decision' });
    assert.deepEqual([k.c.tier, k.c.grade], [2, 'important']);
    assert.deepEqual(b.events[0]!.data.grade, { from: 'general', to: 'important' });
    assert.ok(b.outbox.some((m) => m.template === 'grade_raised'));
    assert.ok(b.outbox.some((m) => m.template === 'deadline_breached' && m.payload.rule === 'gm_decision' && JSON.stringify(m.to) === JSON.stringify({ userIds: ['h1'] })));
    // The grade raised re-times nothing else here: the rule clocks without a grade limit keep theirs.
    assert.equal(k.clock('rule:propose_30m').duration, '30m');
  });
});

describe('clock rules: a customer not reached (clockRules[].unreachable, 002 篇7 24 h → 48 h)', () => {
  // The fixture's responsibility rule (24 h from receipt) with the seed's 48 h; the review (4 h from the finding) with 8 h.
  const UNREACHABLE = load(unreachablePolicyData());
  function routed(policy: Policy = UNREACHABLE): Case {
    const k = new Case(policy, '2026-09-22T09:00:00+08:00');
    k.at('2026-09-22T09:10:00').do('judge', specialist, { valid: true });
    k.do('classify', specialist, { category: 'goods_damage_shortage', grade: 'general' });
    k.do('route', specialist, { departmentCode: 'logistics', primaryHandlerId: 'h1' });
    return k;
  }

  it("an attempt within the 24 h: 48 h from the clock's own start, in the same transition, kept by later transitions", () => {
    const k = routed();
    assert.deepEqual(k.brief('rule:responsibility'), ['running', '2026-09-22T01:00:00.000Z', '2026-09-23T01:00:00.000Z']);
    const d = k.at('2026-09-22T15:00:00').do('contact_failed', handler, { method: 'phone', note: '无人接听' });
    assert.deepEqual([d.events[0]!.action, d.events[0]!.fromState, d.events[0]!.toState], ['contact_failed', 'assigned', 'assigned']);
    assert.deepEqual(d.events[0]!.data.input, { method: 'phone', note: '无人接听' });
    assert.deepEqual(d.events[0]!.data.unreachable, { retimed: [{ clock: 'rule:responsibility', dueAt: '2026-09-24T01:00:00.000Z' }] });
    // The clock row is in the decision: 48 h counted from receipt (09:00), not from 15:00.
    assert.deepEqual(
      d.clocks.map((c) => [c.kind, c.startedAt, c.duration, c.dueAt, c.customerUnreachableAt]),
      [['rule:responsibility', '2026-09-22T01:00:00.000Z', '48h', '2026-09-24T01:00:00.000Z', '2026-09-22T07:00:00.000Z']],
    );
    // The rule clocks without the key keep theirs.
    assert.equal(k.clock('rule:propose_30m').duration, '30m');
    // Later transitions keep the 48 h (the 24 h of the grade is not put back); a second attempt changes nothing.
    k.at('2026-09-22T16:00:00').do('accept', handler);
    const again = k.at('2026-09-22T17:00:00').do('contact_failed', handler, { method: 'sms' });
    assert.equal(again.events[0]!.data.unreachable, undefined);
    assert.deepEqual([k.clock('rule:responsibility').dueAt, k.clock('rule:responsibility').customerUnreachableAt], ['2026-09-24T01:00:00.000Z', '2026-09-22T07:00:00.000Z']);
  });

  it('no attempt: 24 h; a clock started after the attempt counts its usual limit', () => {
    const plain = routed();
    plain.do('accept', handler);
    assert.equal(plain.clock('rule:responsibility').dueAt, '2026-09-23T01:00:00.000Z');
    assert.equal(plain.clock('rule:responsibility').customerUnreachableAt, undefined);
    const k = routed();
    k.at('2026-09-22T10:00:00').do('contact_failed', handler, { method: 'phone' });
    k.do('accept', handler);
    k.at('2026-09-22T11:00:00').do('investigate', handler, { facts: '破损', cause: '包装', responsibility: { type: 'department', departmentCode: 'logistics' } });
    // The review began after the attempt: its own window, 4 h, not the 8 h.
    assert.deepEqual([k.clock('rule:review').duration, k.clock('rule:review').dueAt, k.clock('rule:review').customerUnreachableAt], ['4h', '2026-09-22T07:00:00.000Z', undefined]);
  });

  it('a breached clock is not re-timed: marked by the sweeper, or past its due time before the sweep', () => {
    const k = routed();
    k.at('2026-09-23T09:00:30').do('breach', SYSTEM, { clock: 'rule:responsibility' });
    const before = structuredClone(k.clock('rule:responsibility'));
    const d = k.at('2026-09-23T10:00:00').do('contact_failed', handler, { method: 'phone' });
    assert.equal(d.events[0]!.data.unreachable, undefined);
    assert.deepEqual(
      d.clocks.filter((c) => c.kind === 'rule:responsibility'),
      [],
    );
    assert.deepEqual(k.clock('rule:responsibility'), before);
    const lagging = routed();
    const late = lagging.at('2026-09-23T09:00:00').do('contact_failed', handler, { method: 'phone' });
    assert.equal(late.events[0]!.data.unreachable, undefined, 'due at 09:00: the 24 h have run out');
    assert.equal(lagging.clock('rule:responsibility').dueAt, '2026-09-23T01:00:00.000Z');
  });

  it('a paused clock is re-timed too; the pause still counts', () => {
    const k = routed();
    k.do('accept', handler);
    k.at('2026-09-22T10:00:00').do('pend', handler, { reason: '等待客户' });
    k.at('2026-09-22T11:00:00').do('contact_failed', handler, { method: 'visit' });
    assert.deepEqual([k.clock('rule:responsibility').status, k.clock('rule:responsibility').duration], ['paused', '48h']);
    k.at('2026-09-22T12:00:00').do('resume', handler);
    // 48 h from 09:00 plus the 2 h paused.
    assert.equal(k.clock('rule:responsibility').dueAt, '2026-09-24T03:00:00.000Z');
  });

  it('who may record it and what it needs; under a rule without the key it changes no clock', () => {
    const k = routed();
    const refused = (actor: Actor, input: unknown) => {
      const r = apply(k.c, k.clocks, 'contact_failed', input, { actor, now: k.now, policy: k.policy, calendar: k.cal, staff: STAFF });
      return r.kind === 'refused' ? [r.code, r.fields.map((f) => f.path)] : ['applied'];
    };
    assert.deepEqual(refused(csManager, { method: 'phone' }), ['forbidden', []]);
    assert.deepEqual(refused(handler, { method: 'fax' }), ['invalid_input', ['method']]);
    assert.deepEqual(refused(handler, {}), ['invalid_input', ['method']]);
    for (const who of [handler, specialist, agent, followup]) assert.deepEqual(refused(who, { method: 'phone' }), ['applied'], who.id);
    const old = routed(RULES);
    const d = old.at('2026-09-22T15:00:00').do('contact_failed', handler, { method: 'phone' });
    assert.deepEqual([d.clocks, d.events[0]!.data.unreachable], [[], undefined]);
    assert.equal(old.clock('rule:responsibility').dueAt, '2026-09-23T01:00:00.000Z');
  });
});

describe('a customer not reached, on the built-in clocks (grades[].unreachable: the same rule as clockRules[].unreachable)', () => {
  // Seed 000 with a conditional promise: general 2 d → 3 d, important 3 d → 4 d, major none (its 10 d stays).
  const GRADED = load(
    clockRulesPolicyData((p) => {
      p.version = '2026.1-unreachable-grades';
      p.grades[0].unreachable = { resolve: '3d' };
      p.grades[1].unreachable = { resolve: '4d' };
    }),
  );

  it('re-times the promise from receipt, tells the customer the later time, and keeps it through grading; a grade without one puts the usual limit back', () => {
    const k = new Case(GRADED, '2026-09-22T09:00:00+08:00');
    assert.deepEqual(k.brief('resolve'), ['running', '2026-09-22T01:00:00.000Z', '2026-09-24T01:00:00.000Z']);
    const d = k.at('2026-09-22T09:30:00').do('contact_failed', specialist, { method: 'phone' });
    // 3 days from receipt (09:00), not from the attempt; the triage clock has no conditional limit.
    assert.deepEqual(d.events[0]!.data.unreachable, { retimed: [{ clock: 'resolve', dueAt: '2026-09-25T01:00:00.000Z' }] });
    assert.deepEqual([k.clock('resolve').duration, k.clock('resolve').customerUnreachableAt, k.clock('triage').duration], ['3d', '2026-09-22T01:30:00.000Z', '24h']);
    // The promise moved later: the event says so and the customer hears the new time once (as after an extension).
    assert.deepEqual(d.events[0]!.data.promise, { from: '2026-09-24T01:00:00.000Z', to: '2026-09-25T01:00:00.000Z', because: 'contact_failed' });
    assert.deepEqual(
      d.outbox.filter((m) => m.template === 'delay_notice').map((m) => m.payload.dueAt),
      ['2026-09-25T01:00:00.000Z'],
    );
    k.do('judge', specialist, { valid: true });
    // Graded important: that grade's conditional 4 d, not its usual 3 d.
    k.do('classify', specialist, { category: 'goods_damage_shortage', grade: 'important' });
    assert.deepEqual([k.clock('resolve').duration, k.clock('resolve').dueAt], ['4d', '2026-09-26T01:00:00.000Z']);
    // A second attempt changes nothing.
    assert.equal(k.at('2026-09-22T10:00:00').do('contact_failed', specialist, { method: 'sms' }).events[0]!.data.unreachable, undefined);

    const major = new Case(GRADED, '2026-09-22T09:00:00+08:00');
    major.at('2026-09-22T09:30:00').do('contact_failed', specialist, { method: 'phone' });
    major.do('judge', specialist, { valid: true });
    major.do('classify', specialist, { category: 'goods_damage_shortage', grade: 'major' });
    assert.deepEqual([major.clock('resolve').duration, major.clock('resolve').dueAt], ['10d', '2026-10-02T01:00:00.000Z']);
  });

  it("no attempt, or a policy without the key: the grade's limits as before", () => {
    const k = new Case(GRADED, '2026-09-22T09:00:00+08:00');
    k.at('2026-09-22T09:10:00').do('judge', specialist, { valid: true });
    k.do('classify', specialist, { category: 'goods_damage_shortage', grade: 'important' });
    assert.deepEqual([k.clock('resolve').duration, k.clock('resolve').customerUnreachableAt], ['3d', undefined]);
    const old = new Case(RULES, '2026-09-22T09:00:00+08:00');
    const d = old.at('2026-09-22T09:30:00').do('contact_failed', specialist, { method: 'phone' });
    assert.deepEqual([d.clocks, d.events[0]!.data.unreachable], [[], undefined]);
  });
});

describe("clock rules: a policy without them keeps today's clocks", () => {
  it('the built-in clocks of a case are identical with and without rules, step by step; no rule clock, no event field', () => {
    const plain: Record<string, Clock[]> = {};
    const plainEvents: unknown[] = [];
    walk(PLAIN, (step, k) => {
      plain[step] = k.builtIn();
      assert.equal(
        k.clocks.some((c) => c.kind.startsWith('rule:')),
        false,
        `${step}: no rule clock`,
      );
    });
    walk(RULES, (step, k) => assert.deepEqual(k.builtIn(), plain[step], step));
    // A case with clocks stored before the section existed goes on under a policy without it.
    const k = new Case(PLAIN, '2026-09-22T09:00:00+08:00');
    const d = k.at('2026-09-22T09:10:00').do('judge', specialist, { valid: true });
    plainEvents.push(d.events[0]!.data);
    assert.equal('clockRules' in (d.events[0]!.data as object), false);
    assert.equal(PLAIN.clockRules, undefined);
  });
});

describe('clock rules: the policy check', () => {
  const problems = (rules: unknown[], more: (p: any) => void = () => {}) => {
    const r = validatePolicy(
      clockRulesPolicyData((p) => {
        p.clockRules = rules;
        p.calendars = { desk: {} };
        more(p);
      }),
    );
    return r.ok ? [] : r.problems.map((x) => [x.path, x.message.en]);
  };
  const rule = (more: Record<string, unknown>) => ({ code: 'x', name: { 'zh-CN': '规则' }, start: 'receive', stop: 'answer', limit: '2h', ...more });

  it('accepts the fixture (YAML text as `kesu policy check` reads it) and every action, receive, reopen and state:<state>', () => {
    const text = stringify(clockRulesPolicyData());
    assert.equal(parsePolicyText(text).ok, true);
    const events = [...Object.keys(ACTIONS).filter((a) => a !== 'complete_duty'), ...EXTRA_EVENTS, 'state:implementing'];
    assert.deepEqual(problems([rule({ start: events.filter((e) => e !== 'answer'), stop: 'answer' })]), []);
  });

  it('accepts the example of docs/policy.md', () => {
    const doc = readFileSync(new URL('../../../docs/policy.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('### `clockRules`'));
    const block = section.split('```yaml\n')[1]!.split('```')[0]!;
    const r = validatePolicy(clockRulesPolicyData((p) => Object.assign(p, parse(block))));
    assert.deepEqual(r.ok ? [] : r.problems, []);
  });

  it('names the field of each mistake', () => {
    const got = problems([
      rule({ start: 'recieve' }),
      rule({ code: 'y', stop: ['answer', 'state:done'] }),
      rule({ code: 'z', stop: 'receive', start: 'receive' }),
      rule({ code: 'w', limit: undefined }),
      rule({ code: 'v', grades: { huge: '1h' }, channels: { fax: '1h' }, calendar: 'night' }),
      rule({ code: 'u', breach: { raiseGrade: 'huge', notify: ['boss'] }, warn: { notify: ['role:nobody'] } }),
      rule({ code: 'x' }),
    ]);
    const paths = got.map((g) => g[0]);
    for (const p of [
      'clockRules[0].start',
      'clockRules[1].stop[1]',
      'clockRules[2].stop',
      'clockRules[3].limit',
      'clockRules[4].grades.huge',
      'clockRules[4].channels.fax',
      'clockRules[4].calendar',
      'clockRules[5].breach.raiseGrade',
      'clockRules[5].breach.notify[0]',
      'clockRules[5].warn.notify[0]',
      'clockRules[6].code',
    ])
      assert.ok(paths.includes(p), `${p} in ${JSON.stringify(got)}`);
  });

  it('a bad duration or field is a shape error naming the field, in Chinese too', () => {
    const r = validatePolicy(
      clockRulesPolicyData((p) => {
        p.clockRules = [rule({ limit: '2 hours' }), rule({ code: 'y', limitt: '2h' }), rule({ code: 'z', unreachable: '2 days' })];
      }),
    );
    assert.equal(r.ok, false);
    if (r.ok) return;
    const byPath = Object.fromEntries(r.problems.map((x) => [x.path, x.message]));
    assert.match(byPath['clockRules[0].limit']!['zh-CN'], /不是有效的时长/);
    assert.ok(
      Object.keys(byPath).some((p) => p.startsWith('clockRules[1]')),
      JSON.stringify(r.problems),
    );
    assert.match(byPath['clockRules[2].unreachable']!['zh-CN'], /不是有效的时长/);
  });
});
