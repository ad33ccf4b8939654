/**
 * The pure machine, action by action: extensions within the policy maximum, the regulator's
 * second clock, short flows for inquiries and suggestions, unreachable follow-up retries,
 * vicious and emergency flags, and refusals.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parsePolicyText, type Policy } from '../../../src/domain/policy/index.js';
import { WorkingCalendar, builtInHolidayYears } from '../../../src/domain/calendar/index.js';
import { receive } from '../../../src/domain/lifecycle/intake.js';
import { apply, allowedActions, type Decision, type Refusal } from '../../../src/domain/lifecycle/apply.js';
import type { Actor, Clock, Complaint } from '../../../src/domain/complaint/types.js';
import { awaitedLevel } from '../../../src/domain/absence/stand-ins.js';

function load(file: string): Policy {
  const r = parsePolicyText(readFileSync(new URL(`../../../policies/${file}`, import.meta.url), 'utf8'));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.policy;
}
const DEFAULT = load('kesu-default.yaml');
const PROPERTY = load('property-manager.yaml');

const user = (id: string, roles: Actor['roles'], more: Partial<Actor> = {}): Actor => ({ id, kind: 'user', name: id, roles, managerOf: [], approvalLevels: [], ...more });
const agent = user('agent', ['agent']);
const specialist = user('spec', ['specialist']);
const handler = user('h1', ['handler']);
const followup = user('fu', ['followup']);
const gm = user('gm', ['approver'], { approvalLevels: ['general_manager'] });
const deptManager = user('dm', ['handler', 'approver'], { approvalLevels: ['department_manager'], managerOf: ['logistics'] });

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
    this.cal = new WorkingCalendar(policy.calendar, builtInHolidayYears('CN'));
    const r = receive({ channel: 'phone', description: '测试', complainant: { anonymous: true }, ...input }, { id: 'c1', number: 'KS-2026-000001' }, { actor: agent, now: this.now, policy, calendar: this.cal });
    this.c = r.complaint;
    this.clocks = r.clocks;
  }
  try(action: string, actor: Actor, input: unknown = {}): Decision | Refusal {
    return apply(this.c, this.clocks, action, input, { actor, now: this.now, policy: this.policy, calendar: this.cal });
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
  toInvestigating(grade = 'general'): void {
    this.do('judge', specialist, { valid: true });
    this.do('classify', specialist, { category: 'goods_damage_shortage', grade });
    this.do('route', specialist, { departmentCode: 'logistics', primaryHandlerId: 'h1' });
    this.do('accept', handler);
  }
}

describe('lifecycle actions', () => {
  it('extension: needs the named approval level, moves the promised time, never passes the maximum', () => {
    const k = new Case(DEFAULT, '2026-09-28T09:00:00+08:00');
    k.toInvestigating();
    const before = k.clock('resolve')!.dueAt!;
    const over = k.try('request_extension', handler, { reason: '配件未到', duration: '4wd' });
    assert.equal(over.kind, 'refused');
    assert.equal((over as Refusal).code, 'extension_over_limit');
    k.do('request_extension', handler, { reason: '配件未到', duration: '2wd' });
    assert.ok(!allowedActions(k.c, handler, DEFAULT).includes('grant_extension'), 'the handler cannot approve their own extension');
    const low = k.try('grant_extension', user('x', ['approver'], { approvalLevels: ['department_manager'] }));
    assert.equal(low.kind, 'refused');
    const d = k.do('grant_extension', gm, { comment: '同意' });
    assert.ok(k.clock('resolve')!.dueAt! > before);
    // 2d from Mon 09-28 09:00 = 09-30 09:00; + 2wd skipping the National Day holidays = 10-09 09:00.
    assert.equal(k.clock('resolve')!.dueAt, '2026-10-09T01:00:00.000Z');
    assert.ok(d.outbox.some((m) => m.template === 'delay_notice' && m.to.customer));
    // 1 more working day is fine (3wd max); 2 more is not, unless special (7wd).
    assert.equal(k.try('request_extension', handler, { reason: '再延', duration: '2wd' }).kind, 'refused');
    k.do('request_extension', handler, { reason: '特殊情况', duration: '2wd', special: true });
    k.do('grant_extension', gm);
    assert.deepEqual(k.c.extensions, ['2wd', '2wd']);
  });

  describe('staged extensions (issue 10 §5)', () => {
    const text = readFileSync(new URL('../../../policies/kesu-default.yaml', import.meta.url), 'utf8');
    const parsed = parsePolicyText(
      text.replace(
        /^extension:\n(?:  .*\n)+/m,
        `extension:
  stages:
    - { max: 2wd, approvalLevel: manager }
    - { max: 4wd, approvalLevel: manager, grades: [important, major] }
    - { max: 6wd, approvalLevel: general_manager, special: true }
`,
      ),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const STAGED = parsed.policy;
    const manager = user('mgr', ['approver'], { approvalLevels: ['manager'] });
    const refusal = (r: Decision | Refusal) => {
      assert.equal(r.kind, 'refused');
      const { code, fields } = r as Refusal;
      return { code, path: fields[0]?.path, en: fields[0]?.message.en, zh: fields[0]?.message['zh-CN'], tw: fields[0]?.message['zh-TW'] };
    };

    it('takes the stages in order: each its cumulative maximum, its level, its grades, its special reason', () => {
      const k = new Case(STAGED, '2026-11-02T09:00:00+08:00');
      k.toInvestigating('important');
      assert.deepEqual(refusal(k.try('request_extension', handler, { reason: '配件未到', duration: '3wd' })), {
        code: 'extension_over_limit',
        path: 'duration',
        en: 'Through stage 1, extensions may not exceed 2wd in total',
        zh: '到第 1 阶段为止延期累计不得超过 2wd',
        tw: '到第 1 階段為止延期累計不得超過 2wd',
      });
      const asked = k.do('request_extension', handler, { reason: '配件未到', duration: '2wd' });
      assert.equal(asked.events[0]!.data.stage, 1);
      assert.deepEqual(asked.outbox.find((m) => m.template === 'extension_waiting')?.payload, { number: k.c.number, level: 'manager' });
      // Stage 1 is the manager's: a department manager neither sees nor may take the grant.
      assert.ok(!allowedActions(k.c, deptManager, STAGED).includes('grant_extension'));
      assert.equal(k.try('grant_extension', deptManager).kind, 'refused');
      assert.ok(allowedActions(k.c, manager, STAGED).includes('grant_extension'));
      const before = k.clock('resolve')!.dueAt!;
      const granted = k.do('grant_extension', manager);
      // important: 3d from Mon 11-02 09:00 = Thu 11-05 09:00, + 2wd = Mon 11-09 09:00.
      assert.equal(before, '2026-11-05T01:00:00.000Z');
      assert.equal(k.clock('resolve')!.dueAt, '2026-11-09T01:00:00.000Z');
      assert.deepEqual(granted.events[0]!.data.extension, { reason: '配件未到', duration: '2wd', special: false, requestedBy: 'h1', requestedAt: '2026-11-02T01:00:00.000Z', newDueAt: '2026-11-09T01:00:00.000Z', stage: 1 });
      // The customer is told the new promised time (the delay notice of 004 §四).
      assert.deepEqual(granted.outbox.find((m) => m.template === 'delay_notice')?.payload, { number: k.c.number, dueAt: '2026-11-09T01:00:00.000Z', previousDueAt: '2026-11-05T01:00:00.000Z', because: 'grant_extension' });
      // Stage 2: cumulative 4wd, so 2wd more and no more than that.
      assert.equal(refusal(k.try('request_extension', handler, { reason: '再延', duration: '3wd' })).en, 'Through stage 2, extensions may not exceed 4wd in total');
      k.do('request_extension', handler, { reason: '再延', duration: '2wd' });
      k.do('grant_extension', manager);
      // Stage 3 needs the special reason and the general manager.
      assert.deepEqual(refusal(k.try('request_extension', handler, { reason: '三延', duration: '1wd' })), {
        code: 'extension_over_limit',
        path: 'special',
        en: 'Extension stage 3 is for special cases only: mark it special and give the reason',
        zh: '第 3 阶段延期须为特殊情况，并说明理由',
        tw: '第 3 階段延期須為特殊情況，並說明理由',
      });
      const third = k.do('request_extension', handler, { reason: '需第三方鉴定', duration: '2wd', special: true });
      assert.deepEqual(third.outbox.find((m) => m.template === 'extension_waiting')?.payload.level, 'general_manager');
      // An absent approver's stand-in is sought at the stage's level too.
      assert.equal(awaitedLevel(k.c, STAGED), 'general_manager');
      assert.equal(k.try('grant_extension', manager).kind, 'refused');
      k.do('grant_extension', gm);
      assert.deepEqual(k.c.extensions, ['2wd', '2wd', '2wd']);
      assert.deepEqual(refusal(k.try('request_extension', handler, { reason: '四延', duration: '1h', special: true })), {
        code: 'extension_over_limit',
        path: 'duration',
        en: 'All 3 extension stages have been used',
        zh: '3 个阶段的延期都已用完',
        tw: '3 個階段的延期都已用完',
      });
    });

    it('a stage for other grades cannot be requested', () => {
      const k = new Case(STAGED, '2026-11-02T09:00:00+08:00');
      k.toInvestigating('general');
      k.do('request_extension', handler, { reason: '配件未到', duration: '1wd' });
      k.do('grant_extension', manager);
      assert.deepEqual(refusal(k.try('request_extension', handler, { reason: '再延', duration: '1wd' })), {
        code: 'extension_over_limit',
        path: 'duration',
        en: 'Extension stage 2 is only for grades important, major',
        zh: '第 2 阶段延期只适用于等级 important、major',
        tw: '第 2 階段延期只適用於等級 important、major',
      });
    });

    it('nothing is requested or granted once the promised time has passed', () => {
      const k = new Case(STAGED, '2026-11-02T09:00:00+08:00');
      k.toInvestigating('general');
      // general: 2d → Wed 11-04 09:00. Asked in time, decided too late: the grant is refused, a refusal still works.
      k.now = new Date('2026-11-04T08:59:00+08:00');
      k.do('request_extension', handler, { reason: '配件未到', duration: '1wd' });
      k.now = new Date('2026-11-04T09:00:00+08:00');
      const late = { code: 'extension_over_limit', path: 'duration', en: 'The promised time has passed: it can no longer be extended', zh: '承诺时限已过，不能再延期', tw: '承諾時限已過，不能再延期' };
      assert.deepEqual(refusal(k.try('grant_extension', manager)), late);
      k.do('refuse_extension', manager, { comment: '已超时' });
      assert.deepEqual(refusal(k.try('request_extension', handler, { reason: '再申请', duration: '1wd' })), late);
      // The single form (kesu-default) still extends a case whose promise has passed, as it always did.
      const old = new Case(DEFAULT, '2026-11-02T09:00:00+08:00');
      old.toInvestigating('general');
      old.now = new Date('2026-11-05T09:00:00+08:00');
      old.do('request_extension', handler, { reason: '配件未到', duration: '1wd' });
      old.do('grant_extension', gm);
      assert.deepEqual(old.c.extensions, ['1wd']);
    });
  });

  it('a regulator transfer carries a second clock that keeps running while pending', () => {
    const k = new Case(DEFAULT, '2026-11-02T09:00:00+08:00', { channel: 'regulator', regulator: { name: '12345 市民服务热线', externalRef: 'BJ12345-2026-0001', dueAt: '2026-11-09T18:00:00+08:00' } });
    assert.equal(k.clock('regulator')!.dueAt, '2026-11-09T10:00:00.000Z');
    assert.equal(k.clock('resolve')!.status, 'running');
    k.toInvestigating();
    k.do('pend', handler, { reason: '等待客户' });
    assert.equal(k.clock('resolve')!.status, 'paused');
    assert.equal(k.clock('regulator')!.status, 'running');
    k.later(48);
    k.do('resume', handler);
    assert.equal(k.c.state, 'investigating');
    assert.equal(k.clock('resolve')!.dueAt, '2026-11-06T01:00:00.000Z', '2 d + the 48 h pause');
  });

  it('attach keeps the state and records each file; the people involved and specialists may, others and archived cases not', () => {
    const k = new Case(DEFAULT, '2026-11-02T09:00:00+08:00');
    const file = { id: 'f1', name: '照片.png', size: 71, contentType: 'image/png', sha256: 'a'.repeat(64) };
    const d = k.do('attach', agent, { attachments: [file], text: '外包装' });
    assert.equal(d.complaint.state, 'received');
    assert.equal(d.events[0]!.fromState, 'received');
    assert.equal(d.events[0]!.toState, 'received');
    assert.deepEqual(d.events[0]!.data.attachments, [file]);
    assert.equal(d.events[0]!.data.text, '外包装');
    assert.deepEqual(
      d.outbox.map((m) => m.template),
      ['case.attach'],
      'only the webhook case event',
    );
    const noHash = k.try('attach', agent, { attachments: [{ ...file, sha256: undefined }] });
    assert.equal(noHash.kind === 'refused' && noHash.fields[0]!.path, 'attachments[0].sha256');
    assert.equal(k.try('attach', agent, { attachments: [] }).kind, 'refused');
    const auditor = k.try('attach', user('au', ['auditor']), { attachments: [file] });
    assert.equal(auditor.kind === 'refused' && auditor.code, 'forbidden');
    assert.equal(k.try('attach', user('a2', ['agent']), { attachments: [file] }).kind, 'refused', 'an agent who is not the first responder');
    k.toInvestigating();
    k.do('attach', handler, { attachments: [file] });
    k.do('attach', specialist, { attachments: [file] });
    assert.equal(k.c.state, 'investigating');
  });

  it('an inquiry is answered within 24 h and closed; a suggestion is routed and answered with adoption', () => {
    const q = new Case(DEFAULT, '2026-11-02T09:00:00+08:00', { kind: 'inquiry' });
    assert.equal(q.clock('resolve')!.duration, '24h');
    assert.deepEqual(allowedActions(q.c, agent, DEFAULT), ['answer', 'note', 'attach', 'add_contact', 'contact_failed']);
    q.do('answer', agent, { text: '营业时间 9:00–17:00', method: 'phone' });
    q.do('close', agent);
    q.do('archive', specialist);
    assert.equal(q.c.state, 'archived');
    const late = q.try('attach', agent, { attachments: [{ id: 'f1', name: 'a.png', size: 1, contentType: 'image/png', sha256: 'b'.repeat(64) }] });
    assert.equal(late.kind === 'refused' && late.code, 'illegal_transition', 'no files once archived');

    const s = new Case(DEFAULT, '2026-11-02T09:00:00+08:00', { kind: 'suggestion' });
    s.do('route', specialist, { departmentCode: 'operations', primaryHandlerId: 'h1' });
    const noAdopted = s.try('answer', handler, { text: '谢谢', method: 'letter' });
    assert.equal((noAdopted as Refusal).fields[0]?.path, 'adopted');
    s.do('answer', handler, { text: '已采纳，下月起延长营业时间', method: 'letter', adopted: true });
    assert.equal(s.c.state, 'answered');
  });

  it('unreachable customers are retried on the schedule, then closed as unreachable', () => {
    const k = new Case(DEFAULT, '2026-11-02T09:00:00+08:00');
    k.toInvestigating();
    k.do('investigate', handler, { facts: 'f', cause: 'c', responsibility: { type: 'none' } });
    k.do('propose', handler, { solutions: ['apology'], description: '致歉' });
    assert.equal(k.c.state, 'implementing', 'a general case without money needs no approval');
    k.do('answer', handler, { text: '致歉', method: 'phone' });
    k.later(1);
    const retries = DEFAULT.followUp.retries;
    for (let i = 0; i < retries.length; i++) {
      k.do('follow_up', followup, { reached: false });
      assert.equal(k.c.state, 'answered');
      assert.equal(k.clock('follow_up')!.duration, retries[i]);
    }
    k.do('follow_up', followup, { reached: false });
    assert.equal(k.c.state, DEFAULT.followUp.closeWhenUnreachable ? 'followed_up' : 'answered');
    if (DEFAULT.followUp.closeWhenUnreachable) assert.equal(k.c.followUp.outcome, 'unreachable');
  });

  it('a vicious case is at least major; the property manager runs emergencies in minutes', () => {
    const v = new Case(DEFAULT, '2026-11-02T09:00:00+08:00');
    v.do('judge', specialist, { valid: true });
    v.do('classify', specialist, { category: 'attitude', grade: 'general', vicious: true });
    assert.equal(v.c.grade, 'major');
    assert.equal(v.clock('resolve')!.duration, '10d');

    const e = new Case(PROPERTY, '2026-11-02T09:00:00+08:00');
    e.do('judge', specialist, { valid: true });
    e.do('classify', specialist, { category: PROPERTY.categories[0]!.code, grade: PROPERTY.grades[0]!.code, emergency: true });
    const resolve = e.clock('resolve')!;
    assert.equal(resolve.duration, PROPERTY.flags.emergency!.limits.resolve);
    assert.ok(new Date(resolve.dueAt!).getTime() - e.now.getTime() <= 10 * 60_000, 'minutes, not days');
  });

  it('refusals are typed and change nothing', () => {
    const k = new Case(DEFAULT, '2026-11-02T09:00:00+08:00', { subject: { employeeIds: ['h2'] } });
    const before = structuredClone(k.c);
    assert.equal((k.try('approve', gm) as Refusal).code, 'illegal_transition');
    assert.equal((k.try('judge', agent, { valid: true }) as Refusal).code, 'forbidden');
    assert.equal((k.try('judge', user('h2', ['specialist']), { valid: true }) as Refusal).code, 'avoidance');
    assert.equal((k.try('judge', specialist, { valid: 1 }) as Refusal).code, 'invalid_input');
    assert.equal((k.try('breach', specialist, { clock: 'triage' }) as Refusal).code, 'forbidden');
    k.do('judge', specialist, { valid: true });
    k.do('classify', specialist, { category: 'attitude', grade: 'general' });
    const r = k.try('route', specialist, { departmentCode: 'customer_service', primaryHandlerId: 'h2' }) as Refusal;
    assert.equal(r.code, 'avoidance');
    assert.equal(r.fields[0]!.path, 'primaryHandlerId');
    assert.deepEqual(before.subject, k.c.subject);
    assert.deepEqual(allowedActions(k.c, user('h2', ['specialist']), DEFAULT), []);
    // Department managers may re-route their department's cases.
    k.do('route', specialist, { departmentCode: 'logistics', primaryHandlerId: 'h1' });
    assert.ok(allowedActions(k.c, deptManager, DEFAULT).includes('reroute'));
  });
});

describe('routing rules', () => {
  it('route defaults to the category department; a category without one needs a department', () => {
    const k = new Case(DEFAULT, '2026-11-02T09:00:00+08:00');
    k.do('judge', specialist, { valid: true });
    k.do('classify', specialist, { category: 'goods_damage_shortage', grade: 'general' });
    k.do('route', specialist, { primaryHandlerId: 'h1' });
    assert.equal(k.c.departmentCode, 'logistics');
    const o = new Case(DEFAULT, '2026-11-02T09:00:00+08:00');
    o.do('judge', specialist, { valid: true });
    o.do('classify', specialist, { category: 'other', grade: 'general' });
    const r = o.try('route', specialist, { primaryHandlerId: 'h1' }) as Refusal;
    assert.equal(r.code, 'invalid_input');
    assert.equal(r.fields[0]!.path, 'departmentCode');
  });
});
