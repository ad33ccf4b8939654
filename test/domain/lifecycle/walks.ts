/**
 * Seeded random walks through the lifecycle for the characterisation tests (issue 8 §3): every
 * shipped policy plus the clock-rule fixtures, all three kinds, staff with departments, approval
 * levels and absences. A small PRNG picks the action, the input and the performer among those the
 * machine accepts, so the walks are the same on every machine and every run; each step records
 * the outbox rows (channel, template, recipients, payload, in order), the event's data and the
 * state reached, as persisted (JSON).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { validatePolicy, type Policy } from '../../../src/domain/policy/index.js';
import { WorkingCalendar, builtInHolidayYears } from '../../../src/domain/calendar/index.js';
import { receive } from '../../../src/domain/lifecycle/intake.js';
import { apply, type Decision } from '../../../src/domain/lifecycle/apply.js';
import { ACTIONS, ACTION_NAMES } from '../../../src/domain/lifecycle/machine.js';
import type { StaffMember } from '../../../src/domain/lifecycle/handlers.js';
import { CUSTOMER_ACTOR, SYSTEM_ACTOR, type Actor, type Clock, type Complaint, type ComplaintKind } from '../../../src/domain/complaint/types.js';
import { awaitedApprovers } from '../../../src/domain/absence/stand-ins.js';
import { seeded } from '../permissions/random-cases.js';
import { CLOCK_RULES, DESK_CALENDAR, clockRulesPolicyData, unreachablePolicyData } from './clock-rules-policy.js';

const STEPS = 24;
const WALKS_PER_KIND = { complaint: 6, inquiry: 1, suggestion: 1 } as const satisfies Record<ComplaintKind, number>;

/**
 * The clock-rule fixture where the rest of the table's branches are reached: the primary handler
 * takes the case back after an absence, the follow-up invites to a survey, a missed rule tells the
 * customer, and the second unsatisfied round is already one too many, handed to the tier's handler.
 */
function returningPolicyData(): unknown {
  return clockRulesPolicyData((p) => {
    p.version = '2026.1-walks';
    p.clockRules = structuredClone(CLOCK_RULES).map((r: { code: string; breach?: object }) => (r.code === 'propose_30m' ? { ...r, breach: { ...r.breach, tellCustomer: true } } : r));
    p.calendars = { desk: DESK_CALENDAR };
    p.absence = { returnToPrimary: true };
    p.followUp.methods = [...p.followUp.methods, 'survey'];
    p.followUp.retries = [];
    p.followUp.closeWhenUnreachable = false;
    p.unsatisfied.maxCycles = 1;
    p.escalation.tiers = p.escalation.tiers.map((t: object, i: number) => (i === 0 ? t : { ...t, handler: 'department_manager' }));
  });
}

function policies(): [string, Policy][] {
  const dir = new URL('../../../policies/', import.meta.url);
  const data: [string, unknown][] = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => [f, parse(readFileSync(new URL(f, dir), 'utf8'))]);
  data.push(['clock-rules-fixture', clockRulesPolicyData()], ['unreachable-fixture', unreachablePolicyData()], ['returning-fixture', returningPolicyData()]);
  return data.map(([name, d]) => {
    const r = validatePolicy(d);
    if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.problems)}`);
    return [name, r.policy];
  });
}

type Person = Actor & StaffMember;
const person = (id: string, roles: Actor['roles'], more: Partial<Person> = {}): Person => ({ id, kind: 'user', name: id, roles, managerOf: [], approvalLevels: [], active: true, departmentCode: null, ...more });

/** Two handlers and a manager per department (but one), one approver per approval level, the desk roles. */
function staffOf(p: Policy): Person[] {
  const out: Person[] = [person('agent', ['agent']), person('spec', ['specialist']), person('fu', ['followup']), person('admin', ['admin'])];
  const lowest = p.approval.levels[0]?.code;
  for (const [i, d] of p.departments.entries()) {
    out.push(person(`h1.${d.code}`, ['handler'], { departmentCode: d.code }));
    out.push(person(`h2.${d.code}`, ['handler'], { departmentCode: d.code }));
    // The last of several departments has no manager: a hand-over to its manager finds nobody.
    if (i === 0 || i < p.departments.length - 1) out.push(person(`m.${d.code}`, ['handler', 'approver'], { departmentCode: d.code, managerOf: [d.code], approvalLevels: lowest ? [lowest] : [] }));
  }
  for (const l of p.approval.levels) out.push(person(`ap.${l.code}`, ['approver'], { approvalLevels: [l.code] }));
  return out;
}

export interface Step {
  at: string;
  action: string;
  actor: string;
  from: string;
  to: string;
  outbox: unknown[];
  data: unknown;
}

/**
 * The urge (催办) of the case as it stands, by the first performer the machine accepts, without
 * randomness and without moving the walk on: recorded as a step of its own at the walk's end.
 */
function urgeOnce(c: Complaint, clocks: Clock[], ctx: { now: Date; policy: Policy; calendar: WorkingCalendar }, performers: readonly Actor[], onDecision?: (d: Pick<Decision, 'happened'>) => void): Step | null {
  if (!(ACTIONS.urge.from[c.kind] ?? []).includes(c.state)) return null;
  for (const actor of performers) {
    const d = apply(c, clocks, 'urge', { comment: '请尽快处理' }, { ...ctx, actor });
    if (d.kind === 'refused') continue;
    onDecision?.(d);
    const outbox = JSON.parse(JSON.stringify(d.outbox.map((m) => [m.channel, m.template, m.to, m.payload]))) as unknown[];
    return { at: ctx.now.toISOString(), action: 'urge', actor: actor.id, from: c.state, to: d.complaint.state, outbox, data: JSON.parse(JSON.stringify(d.events[0]!.data)) };
  }
  return null;
}

function walk(policy: Policy, kind: ComplaintKind, seed: number, onDecision?: (d: Pick<Decision, 'happened'>) => void): Step[] {
  const rnd = seeded(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const shuffled = <T>(xs: readonly T[]): T[] => {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  };
  const staff = staffOf(policy);
  // Every fourth walk runs without the staff list: the machine's paths without hand-over.
  const withStaff = seed % 4 !== 3;
  const calendar = new WorkingCalendar(policy.calendar, builtInHolidayYears('CN'));
  let now = new Date(Date.parse('2026-09-28T01:00:00Z') + Math.floor(rnd() * 72) * 3600_000);
  // The complained-about person (回避): a handler, or the manager a hand-over would pick.
  const subject = rnd() < 0.3 ? { employeeIds: [`${pick(['h1', 'm'])}.${policy.departments[0]!.code}`] } : undefined;
  const r = receive(
    {
      kind,
      channel: pick(policy.channels),
      description: '测试',
      complainant: rnd() < 0.2 ? { anonymous: true } : { name: '客户', phone: '13800000000', email: 'c@example.com' },
      ...(subject ? { subject } : {}),
    },
    { id: `case-${seed}`, number: `KS-2026-${String(seed).padStart(6, '0')}` },
    { actor: staff[0]!, now, policy, calendar },
  );
  onDecision?.(r);
  let c: Complaint = r.complaint;
  let clocks: Clock[] = r.clocks;
  const steps: Step[] = [
    {
      at: now.toISOString(),
      action: 'receive',
      actor: 'agent',
      from: '',
      to: c.state,
      outbox: JSON.parse(JSON.stringify(r.outbox.map((m) => [m.channel, m.template, m.to, m.payload]))) as unknown[],
      data: JSON.parse(JSON.stringify(r.events[0]!.data)),
    },
  ];
  let lastStandIn: { absentId: string; standInId: string; backup: string | null } | null = null;

  const handlersOf = (dept: string) => staff.filter((u) => u.departmentCode === dept && u.roles.includes('handler')).map((u) => u.id);
  const inputFor = (action: string): { input: unknown; absent?: string } | null => {
    const running = clocks.filter((k) => k.status === 'running');
    const dept = pick(policy.departments.filter((d) => d.active !== false)).code;
    const hs = handlersOf(dept);
    switch (action) {
      case 'judge':
        return rnd() < 0.8 ? { input: { valid: true } } : { input: { valid: false, reason: policy.validity.invalidReasons[0]?.code ?? 'x', explanation: '不属于投诉' } };
      case 'classify':
        return { input: { category: pick(policy.categories).code, grade: pick(policy.grades).code, vicious: rnd() < 0.15, emergency: rnd() < 0.15 } };
      case 'route':
      case 'reroute': {
        const primary = pick(hs);
        const backup = rnd() < 0.5 ? hs.find((h) => h !== primary) : undefined;
        const other = policy.departments.length > 1 && rnd() < 0.4 ? handlersOf(pick(policy.departments.filter((d) => d.code !== dept)).code) : [];
        return { input: { ...(rnd() < 0.7 ? { departmentCode: dept } : {}), primaryHandlerId: primary, ...(backup ? { backupHandlerId: backup } : {}), coHandlerIds: other.slice(0, 1) } };
      }
      case 'accept':
      case 'approve':
      case 'grant_extension':
      case 'close':
      case 'archive':
      case 'resume':
        return { input: {} };
      case 'investigate':
        return { input: { facts: '事实', cause: '原因', responsibility: { type: pick(['department', 'employee', 'none'] as const) } } };
      case 'propose':
        return { input: { solutions: ['apology'], amount: pick([0, 200, 3000, 20000, 200000]), description: '方案' } };
      case 'reject':
      case 'refuse_extension':
        return { input: { comment: '不同意' } };
      case 'answer':
        return { input: { text: '答复', method: 'phone', ...(kind === 'suggestion' ? { adopted: rnd() < 0.5 } : {}) } };
      case 'pend':
        return { input: { reason: '等待配件' } };
      case 'request_extension':
        return { input: { reason: '配件未到', duration: pick(['1wd', '2wd', '3d', '5wd', '12h']), special: rnd() < 0.3 } };
      case 'follow_up':
        return rnd() < 0.35 ? { input: { reached: false } } : { input: { reached: true, satisfaction: pick(['very_satisfied', 'satisfied', 'neutral', 'unsatisfied'] as const) } };
      case 'note':
        return { input: { text: '备注', internal: rnd() < 0.5 } };
      case 'attach':
        return { input: { attachments: [{ id: 'f1', name: 'a.jpg', size: 10, contentType: 'image/jpeg', sha256: 'a'.repeat(64) }] } };
      case 'supplement':
        return { input: { text: '补充', via: pick(['portal', 'email'] as const) } };
      case 'add_contact':
        return { input: { text: '再次来电', channel: pick(policy.channels), ...(rnd() < 0.5 ? { callId: 'call-1' } : {}) } };
      case 'contact_failed':
        return { input: { method: 'phone' } };
      case 'warn':
      case 'breach':
        return running.length ? { input: { clock: pick(running).kind } } : null;
      case 'raise_grade': {
        const rises = running.filter((k) => k.kind.startsWith('grade_rise'));
        if (!rises.length) return null;
        const k = pick(rises);
        const rule = policy.gradeRise[Number(k.kind.split('.')[1])];
        return rule ? { input: { clock: k.kind, to: rule.to } } : null;
      }
      case 'stand_in': {
        if (!withStaff) return null;
        const approvers = awaitedApprovers(c, policy, staff);
        const duty = c.state === 'awaiting_approval' || c.extensionRequest ? (approvers.length ? 'approval' : null) : c.primaryHandlerId ? 'primary_handler' : null;
        if (!duty) return null;
        const absentId = duty === 'approval' ? pick(approvers).id : c.primaryHandlerId!;
        const standInId = rnd() < 0.4 ? pick(staff).id : undefined;
        return { input: { absenceId: `abs-${steps.length}`, absentId, duty, ...(standInId ? { standInId } : {}), until: '2026-12-01T00:00:00.000Z' }, absent: absentId };
      }
      case 'return_from_absence':
        return lastStandIn ? { input: { absenceId: 'abs-r', absentId: lastStandIn.absentId, standInId: lastStandIn.standInId, backupHandlerId: lastStandIn.backup } } : null;
      case 'recalculate_clocks':
        return { input: { region: 'CN', revision: steps.length } };
      default:
        return null; // complete_duty: no policy duty in these walks
    }
  };

  const performers: Actor[] = [...staff, SYSTEM_ACTOR, CUSTOMER_ACTOR];
  let urged: Step | null = null;
  for (let i = 0; i < STEPS; i++) {
    now = new Date(now.getTime() + Math.floor(rnd() * 20 * 60) * 60_000);
    // 催办 (urge) came after the golden record: it is taken once per walk as a side step (below),
    // so the random choices, and every step recorded before it, stay as they were.
    const open = ACTION_NAMES.filter((a) => a !== 'urge' && (ACTIONS[a].from[c.kind] ?? []).includes(c.state));
    // Actions that keep the state (notes, contacts, the system's clock actions) are always open and
    // would crowd out the ones that move the case on: they come first in one step out of three.
    // Pending and re-routing go round in circles: they count as staying.
    const circles = (a: string) => ACTIONS[a as keyof typeof ACTIONS].targets.length === 0 || a === 'pend' || a === 'reroute';
    const moves = shuffled(open.filter((a) => !circles(a)));
    const stays = shuffled(open.filter(circles));
    const options = rnd() < 0.33 ? [...stays, ...moves] : [...moves, ...stays];
    // A stand-in's case goes back to its primary handler now and then (where the policy says so).
    if (lastStandIn && rnd() < 0.8) options.unshift('return_from_absence');
    else if (policy.absence?.returnToPrimary && c.state === 'investigating' && rnd() < 0.3) options.unshift('stand_in');
    let done = false;
    for (const action of options) {
      const chosen = inputFor(action);
      if (!chosen) continue;
      const ctxStaff = withStaff ? staff.map((u) => ({ ...u, absent: u.id === chosen.absent })) : undefined;
      for (const actor of shuffled(performers)) {
        const d = apply(c, clocks, action, chosen.input, { actor, now, policy, calendar, ...(ctxStaff ? { staff: ctxStaff } : {}) });
        if (d.kind === 'refused') continue;
        onDecision?.(d);
        const event = d.events[0]!;
        // As persisted: JSON (an undefined field is no field).
        const outbox = JSON.parse(JSON.stringify(d.outbox.map((m) => [m.channel, m.template, m.to, m.payload]))) as unknown[];
        steps.push({ at: now.toISOString(), action, actor: actor.id, from: c.state, to: d.complaint.state, outbox, data: JSON.parse(JSON.stringify(event.data)) });
        if (action === 'stand_in') {
          const to = event.data.standIn as { duty: string; to: string | null } | undefined;
          if (to?.duty === 'primary_handler' && to.to) lastStandIn = { absentId: chosen.absent!, standInId: to.to, backup: c.backupHandlerId };
        }
        if (action === 'return_from_absence') lastStandIn = null;
        c = d.complaint;
        const m = new Map(clocks.map((k) => [k.kind, k]));
        d.clocks.forEach((k) => m.set(k.kind, k));
        clocks = [...m.values()];
        done = true;
        break;
      }
      if (done) break;
    }
    if (!done) break;
    if (!urged) urged = urgeOnce(c, clocks, { now, policy, calendar }, performers, onDecision);
  }
  if (urged) steps.push(urged);
  return steps;
}

/** Every walk by name (policy, kind, seed); `onDecision` sees each decision the walks took (and each intake). */
export function recordWalks(onDecision?: (d: Pick<Decision, 'happened'>) => void): Record<string, Step[]> {
  const out: Record<string, Step[]> = {};
  let seed = 1;
  for (const [name, policy] of policies())
    for (const [kind, base] of Object.entries(WALKS_PER_KIND) as [ComplaintKind, number][])
      for (let i = 0, n = name === 'returning-fixture' && kind === 'complaint' ? 16 : base; i < n; i++, seed++) {
        // A kind the policy does not accept has no walk (its seed is still used, so the others stay put).
        if (policy.kinds[kind].enabled) out[`${name} ${kind} #${seed}`] = walk(policy, kind, seed, onDecision);
      }
  return out;
}
