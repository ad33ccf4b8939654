/**
 * Issue 10 item 3 in the pure machine: who stands in for an absent primary handler (the backup,
 * else the absence's stand-in, else the department head — never the complained-about person)
 * and for an absent approver (the stand-in, else the same level, else a higher one); the
 * `stand_in` and `return_from_absence` transitions; routing and the hand-over rules skipping the
 * absent; the rules an explicit stand-in and an absence's period must meet.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parsePolicyText, validatePolicy, type Policy } from '../../../src/domain/policy/index.js';
import { WorkingCalendar, builtInHolidayYears } from '../../../src/domain/calendar/index.js';
import { receive } from '../../../src/domain/lifecycle/intake.js';
import { apply, type Decision, type Refusal } from '../../../src/domain/lifecycle/apply.js';
import { pickHandler, type StaffMember } from '../../../src/domain/lifecycle/handlers.js';
import { approvalStandIn, awaitedApprovers, handlerStandIn, standInProblems } from '../../../src/domain/absence/stand-ins.js';
import { absencePeriod } from '../../../src/domain/absence/absence.js';
import { SYSTEM_ACTOR, type Actor, type Clock, type Complaint } from '../../../src/domain/complaint/types.js';

const TEXT = readFileSync(new URL('../../../policies/kesu-default.yaml', import.meta.url), 'utf8');
const DEFAULT = (() => {
  const r = parsePolicyText(TEXT);
  if (!r.ok) throw new Error('default policy');
  return r.policy;
})();
function policyWith(change: (p: any) => void): Policy {
  const data = parse(TEXT);
  change(data);
  const r = validatePolicy(data);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.policy;
}
const RETURNING = policyWith((p) => (p.absence = { returnToPrimary: true }));

type Person = Actor & StaffMember;
const person = (id: string, roles: Actor['roles'], more: Partial<Person> = {}): Person => ({ id, kind: 'user', name: id, roles, managerOf: [], approvalLevels: [], active: true, departmentCode: null, ...more });
const agent = person('agent', ['agent']);
const specialist = person('spec', ['specialist']);
const h1 = person('h1', ['handler'], { departmentCode: 'customer_service' });
const h2 = person('h2', ['handler'], { departmentCode: 'customer_service' });
const h3 = person('h3', ['handler'], { departmentCode: 'customer_service' });
const dm = person('dm', ['handler', 'approver'], { departmentCode: 'customer_service', managerOf: ['customer_service'], approvalLevels: ['department_manager'] });
const csm = person('csm', ['approver'], { approvalLevels: ['manager'] });
const csm2 = person('csm2', ['approver'], { approvalLevels: ['manager'] });
const gm = person('gm', ['approver'], { approvalLevels: ['general_manager'] });
const ALL = [agent, specialist, h1, h2, h3, dm, csm, csm2, gm];
/** The staff with these people away. */
const away = (...ids: string[]): StaffMember[] => ALL.map((u) => ({ ...u, absent: ids.includes(u.id) }));

const NOW = '2026-09-29T10:00:00+08:00';
const UNTIL = '2026-10-12T00:00:00.000Z';

class Case {
  c: Complaint;
  clocks: Clock[];
  readonly cal: WorkingCalendar;
  now = new Date(NOW);
  constructor(
    readonly policy: Policy,
    input: Record<string, unknown> = {},
  ) {
    this.cal = new WorkingCalendar(policy.calendar, builtInHolidayYears('CN'));
    const r = receive({ channel: 'phone', description: '测试缺勤', complainant: { anonymous: true }, ...input }, { id: 'c1', number: 'KS-2026-000001' }, { actor: agent, now: this.now, policy, calendar: this.cal });
    this.c = r.complaint;
    this.clocks = r.clocks;
  }
  try(action: string, actor: Actor, input: unknown, staff: StaffMember[] = away()): Decision | Refusal {
    return apply(this.c, this.clocks, action, input, { actor, now: this.now, policy: this.policy, calendar: this.cal, staff });
  }
  do(action: string, actor: Actor, input: unknown = {}, staff?: StaffMember[]): Decision {
    const d = this.try(action, actor, input, staff);
    assert.equal(d.kind, 'applied', JSON.stringify(d));
    const ok = d as Decision;
    this.c = ok.complaint;
    const merged = new Map(this.clocks.map((k) => [k.kind, k]));
    ok.clocks.forEach((k) => merged.set(k.kind, k));
    this.clocks = [...merged.values()];
    return ok;
  }
  /** Received, judged, graded and routed to `primary` (and `backup`). */
  routed(primary: string, backup?: string): this {
    this.do('judge', specialist, { valid: true });
    this.do('classify', specialist, { category: 'attitude', grade: 'general' });
    this.do('route', specialist, { departmentCode: 'customer_service', primaryHandlerId: primary, ...(backup ? { backupHandlerId: backup } : {}) });
    return this;
  }
  /** …accepted, investigated and proposed with `amount` (1000 or more: the customer service manager's level). */
  awaiting(amount: number): this {
    this.routed('h1', 'h2');
    this.do('accept', h1);
    this.do('investigate', h1, { facts: '态度问题', cause: '培训不足', responsibility: { type: 'employee', note: '—' } });
    this.do('propose', h1, { solutions: ['compensation'], amount, description: '补偿' });
    assert.equal(this.c.state, 'awaiting_approval');
    return this;
  }
}

const standIn = (duty: 'primary_handler' | 'approval', absentId: string, standInId?: string) => ({ absenceId: 'a1', absentId, duty, ...(standInId ? { standInId } : {}), until: UNTIL });

describe('who stands in for an absent primary handler (002 篇7 §三)', () => {
  it('the backup, else the absence’s stand-in, else the department head, else nobody', () => {
    const k = new Case(DEFAULT).routed('h1', 'h2');
    assert.deepEqual(pick(handlerStandIn(k.c, away('h1'), 'h1', 'h3')), ['h2', 'backup']);
    assert.deepEqual(pick(handlerStandIn(k.c, away('h1', 'h2'), 'h1', 'h3')), ['h3', 'stand_in']);
    assert.deepEqual(pick(handlerStandIn(k.c, away('h1', 'h2', 'h3'), 'h1', 'h3')), ['dm', 'department_manager']);
    assert.deepEqual(pick(handlerStandIn(k.c, away('h1', 'h2'), 'h1')), ['dm', 'department_manager']);
    assert.deepEqual(pick(handlerStandIn(k.c, away('h1', 'h2', 'h3', 'dm'), 'h1', 'h3')), [null, null]);
  });

  it('never the complained-about person, a stand-in included (回避)', () => {
    const k = new Case(DEFAULT, { subject: { employeeIds: ['h3'] } }).routed('h1');
    assert.deepEqual(pick(handlerStandIn(k.c, away('h1'), 'h1', 'h3')), ['dm', 'department_manager']);
    const byHead = new Case(DEFAULT, { subject: { employeeIds: ['dm'] } }).routed('h1');
    assert.deepEqual(pick(handlerStandIn(byHead.c, away('h1'), 'h1')), [null, null]);
  });

  it('stand_in hands the case over: the stand-in is primary, the absent handler a co-handler; recorded and notified', () => {
    const k = new Case(DEFAULT).routed('h1', 'h2');
    const d = k.do('stand_in', SYSTEM_ACTOR, standIn('primary_handler', 'h1'), away('h1'));
    assert.equal(k.c.primaryHandlerId, 'h2');
    assert.equal(k.c.backupHandlerId, null);
    assert.deepEqual(k.c.coHandlerIds, ['h1']);
    assert.equal(k.c.state, 'assigned', 'the state stays');
    const e = d.events[0]!;
    assert.equal(e.action, 'stand_in');
    assert.deepEqual(e.data.standIn, { duty: 'primary_handler', absence: { id: 'a1', userId: 'h1', name: 'h1', until: UNTIL }, to: 'h2', toName: 'h2', by: 'backup', previous: { primaryHandlerId: 'h1', backupHandlerId: 'h2' } });
    const note = d.outbox.find((m) => m.template === 'stand_in_assigned');
    assert.deepEqual(note?.to, { userIds: ['h2'] });
    // The stand-in now gets the handler's tasks: accepting is theirs, not the absent handler's.
    assert.equal(k.try('accept', h1, {}).kind, 'refused');
    k.do('accept', h2);
  });

  it('nobody present: the case stays, the specialists are told, the timeline says so', () => {
    const k = new Case(DEFAULT).routed('h1');
    const d = k.do('stand_in', SYSTEM_ACTOR, standIn('primary_handler', 'h1'), away('h1', 'dm'));
    assert.equal(k.c.primaryHandlerId, 'h1');
    assert.equal((d.events[0]!.data.standIn as { to: unknown }).to, null);
    assert.deepEqual(d.outbox.find((m) => m.template === 'stand_in_failed')?.to, { role: 'specialist' });
  });

  it('is refused when the absent person no longer handles the case, and by people', () => {
    const k = new Case(DEFAULT).routed('h2');
    assert.equal(k.try('stand_in', SYSTEM_ACTOR, standIn('primary_handler', 'h1'), away('h1')).kind, 'refused');
    assert.equal(k.try('stand_in', specialist, standIn('primary_handler', 'h2'), away('h2')).kind, 'refused');
  });
});

describe('who stands in for an absent approver (001 篇1 二(二))', () => {
  it('a decision waits for the holders of the lowest level that can decide it', () => {
    const k = new Case(DEFAULT).awaiting(1200);
    assert.equal(k.c.proposal?.requiredLevel, 'manager');
    assert.deepEqual(
      awaitedApprovers(k.c, DEFAULT, away('csm')).map((u) => u.id),
      ['csm', 'csm2'],
    );
    assert.deepEqual(
      awaitedApprovers(
        k.c,
        DEFAULT,
        away().filter((u) => !u.id.startsWith('csm')),
      ).map((u) => u.id),
      ['gm'],
    );
  });

  it('the absence’s stand-in, else another holder of the same level, else a higher one', () => {
    const k = new Case(DEFAULT).awaiting(1200);
    assert.deepEqual(pick(approvalStandIn(k.c, DEFAULT, away('csm'), 'csm', 'gm')), ['gm', 'stand_in']);
    assert.deepEqual(pick(approvalStandIn(k.c, DEFAULT, away('csm'), 'csm')), ['csm2', 'same_level']);
    assert.deepEqual(pick(approvalStandIn(k.c, DEFAULT, away('csm', 'csm2'), 'csm')), ['gm', 'higher_level']);
    // A lower level cannot decide it, whoever names them.
    assert.deepEqual(pick(approvalStandIn(k.c, DEFAULT, away('csm', 'csm2', 'gm'), 'csm', 'dm')), [null, null]);
  });

  it('stand_in records the stand-in on the timeline and tells them; the case keeps its handlers', () => {
    const k = new Case(DEFAULT).awaiting(1200);
    const d = k.do('stand_in', SYSTEM_ACTOR, standIn('approval', 'csm'), away('csm'));
    assert.equal(k.c.primaryHandlerId, 'h1');
    assert.equal(k.c.state, 'awaiting_approval');
    assert.deepEqual(d.events[0]!.data.standIn, { duty: 'approval', absence: { id: 'a1', userId: 'csm', name: 'csm', until: UNTIL }, level: 'manager', to: 'csm2', toName: 'csm2', by: 'same_level' });
    assert.deepEqual(d.outbox.find((m) => m.template === 'stand_in_approval')?.to, { userIds: ['csm2'] });
    k.do('approve', csm2);
  });

  it('is refused for an approver the decision does not wait for', () => {
    const k = new Case(DEFAULT).awaiting(1200);
    assert.equal(k.try('stand_in', SYSTEM_ACTOR, standIn('approval', 'gm'), away('gm')).kind, 'refused', 'csm and csm2 decide it, not the general manager');
    assert.equal(k.try('stand_in', SYSTEM_ACTOR, standIn('approval', 'dm'), away('dm')).kind, 'refused');
  });
});

describe('back from the absence', () => {
  const handedOver = (policy: Policy) => {
    const k = new Case(policy).routed('h1', 'h2');
    k.do('stand_in', SYSTEM_ACTOR, standIn('primary_handler', 'h1'), away('h1'));
    return k;
  };
  const back = { absenceId: 'a1', absentId: 'h1', standInId: 'h2', backupHandlerId: 'h2' };

  it('returnToPrimary: the case goes back to the primary handler with its backup', () => {
    const k = handedOver(RETURNING);
    const d = k.do('return_from_absence', SYSTEM_ACTOR, back);
    assert.equal(k.c.primaryHandlerId, 'h1');
    assert.equal(k.c.backupHandlerId, 'h2');
    assert.deepEqual(k.c.coHandlerIds, []);
    assert.deepEqual(d.events[0]!.data.returned, { absenceId: 'a1', to: 'h1', from: 'h2', backupHandlerId: 'h2' });
    assert.deepEqual(d.outbox.find((m) => m.template === 'case_assigned')?.to, { userIds: ['h1'] });
  });

  it('by default the case stays with the stand-in: the return is refused', () => {
    const k = handedOver(DEFAULT);
    assert.equal(DEFAULT.absence.returnToPrimary, false);
    assert.equal(k.try('return_from_absence', SYSTEM_ACTOR, back).kind, 'refused');
  });

  it('not when the case changed hands meanwhile, nor while the person is away again', () => {
    const k = handedOver(RETURNING);
    assert.equal(k.try('return_from_absence', SYSTEM_ACTOR, back, away('h1')).kind, 'refused');
    k.do('reroute', specialist, { departmentCode: 'customer_service', primaryHandlerId: 'h3' });
    assert.equal(k.try('return_from_absence', SYSTEM_ACTOR, back).kind, 'refused');
  });

  it('a stored policy without the section keeps cases with the stand-in', () => {
    const { absence: _gone, ...old } = RETURNING;
    const k = handedOver(old as Policy);
    assert.equal(k.try('return_from_absence', SYSTEM_ACTOR, back).kind, 'refused');
  });
});

describe('routing and hand-over rules skip the absent', () => {
  it('route: an absent primary or backup is refused on its field while someone present could take the case', () => {
    const k = new Case(DEFAULT);
    k.do('judge', specialist, { valid: true });
    k.do('classify', specialist, { category: 'attitude', grade: 'general' });
    const r = k.try('route', specialist, { departmentCode: 'customer_service', primaryHandlerId: 'h1', backupHandlerId: 'h2' }, away('h1'));
    assert.equal(r.kind, 'refused');
    assert.deepEqual(
      (r as Refusal).fields.map((f) => f.path),
      ['primaryHandlerId'],
    );
    const b = k.try('route', specialist, { departmentCode: 'customer_service', primaryHandlerId: 'h2', backupHandlerId: 'h1' }, away('h1'));
    assert.deepEqual(
      (b as Refusal).fields.map((f) => f.path),
      ['backupHandlerId'],
    );
    k.do('route', specialist, { departmentCode: 'customer_service', primaryHandlerId: 'h2', backupHandlerId: 'h3' }, away('h1'));
  });

  it('route: allowed when nobody present could take it (the absence job hands it on)', () => {
    const k = new Case(DEFAULT);
    k.do('judge', specialist, { valid: true });
    k.do('classify', specialist, { category: 'attitude', grade: 'general' });
    k.do('route', specialist, { departmentCode: 'customer_service', primaryHandlerId: 'h1' }, away('h1', 'h2', 'h3', 'dm'));
    assert.equal(k.c.primaryHandlerId, 'h1');
  });

  it('pickHandler: someone present before someone absent; the absent only when nobody present fits', () => {
    const k = new Case(DEFAULT).routed('h1');
    assert.equal(pickHandler({ approvalLevel: 'manager' }, k.c, DEFAULT, away())?.id, 'csm');
    assert.equal(pickHandler({ approvalLevel: 'manager' }, k.c, DEFAULT, away('csm'))?.id, 'csm2');
    assert.equal(pickHandler({ approvalLevel: 'manager' }, k.c, DEFAULT, away('csm', 'csm2'))?.id, 'gm');
    assert.equal(pickHandler({ approvalLevel: 'manager' }, k.c, DEFAULT, away('csm', 'csm2', 'gm'))?.id, 'csm');
    assert.equal(pickHandler('department_manager', k.c, DEFAULT, away('dm'))?.id, 'dm', 'the only head, though away');
  });

  it('a major case goes to a present manager (routing.majorTo)', () => {
    const MAJOR = policyWith((p) => (p.routing = { majorTo: { approvalLevel: 'manager' }, majorDepartment: 'customer_service' }));
    const k = new Case(MAJOR);
    k.do('judge', specialist, { valid: true });
    k.do('classify', specialist, { category: 'attitude', grade: 'major' }, away('csm'));
    assert.equal(k.c.state, 'assigned');
    assert.equal(k.c.primaryHandlerId, 'csm2');
  });
});

describe('what an absence must be', () => {
  it('an explicit stand-in: an active colleague of the same department, the same level or above, not away', () => {
    const paths = (p: ReturnType<typeof standInProblems>) => p.map((x) => `${x.path}: ${x.message.en}`);
    assert.deepEqual(standInProblems(DEFAULT, h1, h2, false), []);
    assert.deepEqual(standInProblems(DEFAULT, csm, gm, false), [], 'a higher level may stand in (主任或其他合伙人)');
    assert.deepEqual(paths(standInProblems(DEFAULT, h1, undefined, false)), ['standInId: No such user']);
    assert.deepEqual(paths(standInProblems(DEFAULT, h1, { ...h2, active: false }, false)), ['standInId: No such user']);
    assert.deepEqual(paths(standInProblems(DEFAULT, h1, h1, false)), ['standInId: The stand-in cannot be the absent person']);
    assert.deepEqual(paths(standInProblems(DEFAULT, h1, csm, false)), ['standInId: The stand-in must belong to the same department']);
    assert.deepEqual(paths(standInProblems(DEFAULT, gm, csm, false)), ["standInId: The stand-in must approve at the absent person's level (general_manager) or above"]);
    assert.deepEqual(paths(standInProblems(DEFAULT, h1, { ...agent, departmentCode: 'customer_service' }, false)), ['standInId: The stand-in must be able to handle cases (a handler or an approver)']);
    assert.deepEqual(paths(standInProblems(DEFAULT, h1, h2, true)), ['standInId: The stand-in is away during this absence too']);
  });

  it('a period: times in the policy’s zone, a date alone a whole day, the end after the start and still to come', () => {
    const now = new Date(NOW);
    const z = 'Asia/Shanghai';
    const p = absencePeriod({ from: '2026-10-09', to: '2026-10-09' }, z, now);
    assert.ok('startsAt' in p);
    if ('startsAt' in p) {
      assert.equal(p.startsAt.toISOString(), '2026-10-08T16:00:00.000Z');
      assert.equal(p.endsAt.toISOString(), '2026-10-09T16:00:00.000Z', 'through the 9th');
    }
    const t = absencePeriod({ from: '2026-10-09 14:00', to: '2026-10-09T18:00:00+08:00' }, z, now);
    assert.ok('startsAt' in t && t.startsAt.toISOString() === '2026-10-09T06:00:00.000Z');
    const problem = (from: string, to: string) => {
      const r = absencePeriod({ from, to }, z, now);
      return 'problems' in r ? r.problems.map((x) => `${x.path}: ${x.message.en}`) : [];
    };
    assert.deepEqual(problem('2026-10-10', '2026-10-09'), ['to: The end must be after the start']);
    assert.deepEqual(problem('2026-09-01', '2026-09-20'), ['to: The end is already past: nothing to record']);
    assert.deepEqual(problem('2026-10-01', '2028-10-01'), ['to: One absence covers at most 366 days']);
    assert.deepEqual(problem('2026-02-30', '2026-10-01'), ['from: Not a valid time: 2026-02-30']);
  });
});

function pick(c: { who: StaffMember | null; by: string | null }): [string | null, string | null] {
  return [c.who?.id ?? null, c.by];
}
