/**
 * Intake (受理登记): turns what the agent (or a channel) recorded into a new case in state
 * `received`, with its clocks started and the customer's acknowledgement queued. Pure: ids,
 * the human number and the time are passed in.
 */
import { z } from 'zod';
import type { Policy } from '../policy/index.js';
import { gradeRank, limitsFor, policyKey } from '../policy/index.js';
import type { Actor, Clock, Complaint, ComplaintEvent, OutboxMessage } from '../complaint/types.js';
import { AppError, fieldProblem } from '../errors.js';
import { parseInput } from '../validation.js';
import { addDuration, type WorkingCalendar } from '../calendar/index.js';
import { ClockSet, clockCalendars } from './clocks.js';
import { applyClockRules, transitionEvents } from './clock-rules.js';
import { caseEventMessage } from './apply.js';
import type { DomainEvent } from './domain-events.js';
import { notificationsOf } from './notifications.js';

const opt = (max: number) => z.string().trim().max(max).optional();

export const IntakeInput = z
  .object({
    kind: z.enum(['complaint', 'inquiry', 'suggestion']).default('complaint'),
    channel: z.string().min(1).max(32),
    title: opt(200),
    description: z.string().trim().min(1).max(20000),
    complainant: z
      .object({
        anonymous: z.boolean().default(false),
        name: opt(100),
        phone: z
          .string()
          .trim()
          .regex(/^[0-9+\-() ]{5,32}$/, '电话号码格式不正确|Invalid phone number|電話號碼格式不正確')
          .optional(),
        email: z.email().max(200).optional(),
        idNumber: z
          .string()
          .trim()
          .regex(/^[0-9A-Za-z]{6,32}$/, '证件号码格式不正确|Invalid ID number|證件號碼格式不正確')
          .optional(),
        address: opt(500),
        customerClass: z.enum(['A', 'B', 'C', 'D']).optional(),
      })
      .strict()
      .superRefine((v, ctx) => {
        if (!v.anonymous && !v.name && !v.phone && !v.email) ctx.addIssue({ code: 'custom', path: ['name'], message: '非匿名投诉须留姓名或联系方式|Give a name or a contact unless the complaint is anonymous|非匿名投訴須留姓名或聯絡方式' });
      }),
    subject: z
      .object({
        departmentCode: opt(64),
        employeeIds: z.array(z.string().min(1).max(64)).max(20).default([]),
        description: opt(1000),
      })
      .strict()
      .default({ employeeIds: [] }),
    references: z
      .object({ order: opt(100), product: opt(200), plate: opt(20) })
      .strict()
      .default({}),
    demands: z
      .object({
        types: z.array(z.enum(['return_exchange', 'compensation', 'apology', 'improve_service', 'other'])).default([]),
        amount: z.number().min(0).max(100_000_000).optional(),
        text: opt(2000),
      })
      .strict()
      .default({ types: [] }),
    regulator: z
      .object({ name: z.string().trim().min(1).max(100), externalRef: z.string().trim().min(1).max(100), dueAt: z.iso.datetime({ offset: true }) })
      .strict()
      .optional(),
    /**
     * When the letter, call or visit was really received, if not now (a letter registered the next
     * morning, a case imported from paper): every clock counts from it. Not in the future, not
     * further back than the policy's `intake.receivedAtMaxAge`.
     */
    receivedAt: z.iso.datetime({ offset: true }).optional(),
    /** Why `receivedAt` differs from now; required when it is more than a minute earlier. */
    receivedAtReason: opt(500),
    /** The grade, set at intake by the roles of `intake.gradeRoles` (triage can still change it). */
    grade: z.string().trim().min(1).max(32).optional(),
    /** 紧急: the emergency limits run from receipt (001 篇2 §6); `intake.gradeRoles` only. */
    emergency: z.boolean().optional(),
    /** 恶性 (001 篇3 §10); `intake.gradeRoles` only. */
    vicious: z.boolean().optional(),
    /** The telephony call this intake comes from (the `screen_pop` event's call id and recording URL): kept in the case's `references.call`. */
    call: z
      .object({ id: z.string().trim().min(1).max(128), recordingUrl: z.url().max(2000).optional() })
      .strict()
      .optional(),
  })
  .strict();
export type IntakeInput = z.output<typeof IntakeInput>;

export interface IntakeResult {
  complaint: Complaint;
  clocks: Clock[];
  events: ComplaintEvent[];
  outbox: OutboxMessage[];
  /** What happened, as typed domain events (domain-events.ts): the outbox's messages are their notifications. */
  happened: DomainEvent[];
  /** The promised time (承诺时限) read to the customer: the resolve clock's due time. */
  promisedAt: string | null;
}

export function receive(
  raw: unknown,
  ids: { id: string; number: string },
  ctx: { actor: Actor; now: Date; policy: Policy; calendar: WorkingCalendar },
  /** `raw` already parsed with IntakeInput by the caller (the service parses once per intake). */
  parsed?: IntakeInput,
): IntakeResult {
  const input = parsed ?? parseInput(IntakeInput, raw);
  const p = ctx.policy;
  if (!p.channels.includes(input.channel)) throw new AppError('invalid_input', `unknown channel ${input.channel}`, [fieldProblem('channel', `制度中没有此渠道：${input.channel}`, `Unknown channel: ${input.channel}`)]);
  if (!p.kinds[input.kind].enabled) throw new AppError('invalid_input', `kind ${input.kind} disabled`, [fieldProblem('kind', '本制度不受理此类型', 'This policy does not accept this kind')]);
  if (input.regulator && new Date(input.regulator.dueAt) <= ctx.now)
    throw new AppError('invalid_input', 'regulator due time in the past', [fieldProblem('regulator.dueAt', '监管时限必须晚于当前时间', 'The regulator deadline must be in the future')]);
  if (input.subject.departmentCode && !p.departments.some((d) => d.code === input.subject.departmentCode))
    throw new AppError('invalid_input', 'unknown department', [fieldProblem('subject.departmentCode', '制度中没有此部门', 'Unknown department in the policy')]);
  const received = receivedAtOf(input, ctx);
  const graded = intakeGrade(input, ctx);

  const at = ctx.now.toISOString();
  const c: Complaint = {
    id: ids.id,
    number: ids.number,
    kind: input.kind,
    channel: input.channel,
    state: 'received',
    resumeState: null,
    policyKey: policyKey(p),
    title: input.title || input.description.slice(0, 40),
    description: input.description,
    complainant: input.complainant,
    subject: input.subject,
    references: input.call ? { ...input.references, call: input.call } : input.references,
    demands: input.demands,
    regulator: input.regulator ?? null,
    firstResponderId: ctx.actor.id,
    validity: null,
    category: null,
    grade: graded.grade,
    vicious: graded.vicious,
    emergency: graded.emergency,
    departmentCode: null,
    primaryHandlerId: null,
    backupHandlerId: null,
    coHandlerIds: [],
    findings: null,
    proposal: null,
    approverIds: [],
    answer: null,
    followUp: { attempts: 0, callerIds: [], outcome: null, satisfaction: null, scores: null },
    tier: 1,
    cycle: 1,
    extensionRequest: null,
    extensions: [],
    pendingReason: null,
    receivedAt: received.toISOString(),
    updatedAt: at,
    closedAt: null,
    archivedAt: null,
    version: 1,
  };
  const warnAt = p.grades.find((g) => g.code === (c.grade ?? p.defaultGrade))?.warnAt ?? 0.8;
  const clocks = new ClockSet(
    c.id,
    [],
    ctx.calendar,
    warnAt,
    clockCalendars(ctx, () => c),
  );
  if (c.kind === 'complaint') {
    // Until graded, the case runs on the default grade's limits (or those set at intake); classify re-times them.
    const l = limitsFor(p, c.grade ?? p.defaultGrade, { vicious: c.vicious, emergency: c.emergency });
    if (l.triage) clocks.start('triage', l.triage, received, ctx.now);
    if (l.resolve) clocks.start('resolve', l.resolve, received, ctx.now);
    p.gradeRise.forEach((r, i) => clocks.start(`grade_rise.${i}`, r.after, received, ctx.now));
  } else {
    clocks.start('resolve', p.kinds[c.kind].resolve, received, ctx.now);
  }
  if (c.regulator) clocks.startFixed('regulator', new Date(c.regulator.dueAt), ctx.now);
  // Clock rules started by receipt count from the time of receipt, as the built-in ones do (issue 10 §1).
  applyClockRules(p, c, clocks, transitionEvents('receive', null, 'received', c.cycle, c.cycle), received, ctx.now);
  const promisedAt = clocks.get('resolve')?.dueAt ?? null;
  const event: ComplaintEvent = {
    complaintId: c.id,
    type: 'received',
    action: 'receive',
    actorId: ctx.actor.id,
    actorName: ctx.actor.name,
    at,
    fromState: null,
    toState: 'received',
    data: {
      channel: c.channel,
      kind: c.kind,
      promisedAt,
      ...(input.call ? { call: input.call } : {}),
      regulator: c.regulator,
      // Who said when it was really received, and why (the event's own time is the registration).
      ...(received.getTime() !== ctx.now.getTime() ? { receivedAt: c.receivedAt, receivedAtSetBy: ctx.actor.id, receivedAtReason: input.receivedAtReason ?? null } : {}),
      ...(graded.set ? { grade: c.grade, emergency: c.emergency, vicious: c.vicious, gradedBy: ctx.actor.id } : {}),
    },
  };
  const happened: DomainEvent[] = [{ type: 'received', promisedAt }];
  // Graded at intake: the managers hear of a major or an emergency case at once, as at classify.
  if (c.kind === 'complaint' && c.grade && p.grades.find((g) => g.code === c.grade)?.directToManager) happened.push({ type: 'major_graded', grade: c.grade });
  if (c.kind === 'complaint' && c.emergency) happened.push({ type: 'emergency_flagged' });
  // Who hears of it (notifications.ts), then the case event for outgoing webhooks (issue 4), like every transition (apply.ts).
  const outbox: OutboxMessage[] = [...notificationsOf(happened, c, ctx), caseEventMessage(c, 'receive', null)].map((m) => ({ ...m, complaintId: c.id, createdAt: at }));
  return { complaint: c, clocks: clocks.changes(), events: [event], outbox, happened, promisedAt };
}

/** Tolerance for a receipt time "in the future": clocks of the recording device differ a little. */
const SKEW_MS = 60_000;

/**
 * The instant the case was really received: `receivedAt` when given — not in the future, not
 * further back than `intake.receivedAtMaxAge` (counted on the calendar), with a reason when it is
 * more than a minute before now — else now.
 */
function receivedAtOf(input: IntakeInput, ctx: { now: Date; policy: Policy; calendar: WorkingCalendar }): Date {
  if (input.receivedAt === undefined) return ctx.now;
  const t = new Date(input.receivedAt);
  if (t.getTime() > ctx.now.getTime() + SKEW_MS) throw new AppError('invalid_input', 'receivedAt in the future', [fieldProblem('receivedAt', '收到时间不能晚于当前时间', 'The time received cannot be in the future')]);
  if (t.getTime() > ctx.now.getTime()) return ctx.now;
  const maxAge = ctx.policy.intake.receivedAtMaxAge;
  const bound = addDuration(t, maxAge, ctx.calendar).due;
  if (bound && bound.getTime() < ctx.now.getTime())
    throw new AppError('invalid_input', `receivedAt older than ${maxAge}`, [fieldProblem('receivedAt', `收到时间不能早于制度允许的 ${maxAge}`, `The time received cannot be more than ${maxAge} ago (intake.receivedAtMaxAge)`)]);
  if (ctx.now.getTime() - t.getTime() > SKEW_MS && !input.receivedAtReason)
    throw new AppError('invalid_input', 'receivedAtReason required', [fieldProblem('receivedAtReason', '补录收到时间时须说明原因', 'Say why the time received is earlier than now')]);
  return t;
}

/**
 * The grade and flags set at intake, for the roles the policy allows (`intake.gradeRoles`); a
 * vicious case is at least `flags.vicious.minGrade`, as at classify.
 */
function intakeGrade(input: IntakeInput, ctx: { actor: Actor; policy: Policy }): { grade: string | null; emergency: boolean; vicious: boolean; set: boolean } {
  const p = ctx.policy;
  const given = (['grade', 'emergency', 'vicious'] as const).filter((f) => input[f] !== undefined);
  if (!given.length) return { grade: null, emergency: false, vicious: false, set: false };
  if (input.kind !== 'complaint') throw new AppError('invalid_input', 'only a complaint is graded', [fieldProblem(given[0]!, '只有投诉可以分级', 'Only a complaint has a grade')]);
  if (!ctx.actor.roles.some((r) => p.intake.gradeRoles.includes(r as (typeof p.intake.gradeRoles)[number])))
    throw new AppError(
      'forbidden',
      `${given.join(', ')} at intake needs one of the roles: ${p.intake.gradeRoles.join(', ') || '(none)'}`,
      given.map((f) => fieldProblem(f, '制度不允许您在受理时设定等级或紧急、恶性标记（intake.gradeRoles）', 'The policy does not let you set the grade or the emergency / vicious flags at intake (intake.gradeRoles)')),
    );
  if (input.grade !== undefined && !p.grades.some((g) => g.code === input.grade))
    throw new AppError('invalid_input', `unknown grade ${input.grade}`, [fieldProblem('grade', `制度中没有此等级：${input.grade}`, `Unknown grade in the policy: ${input.grade}`)]);
  const vicious = input.vicious ?? false;
  let grade = input.grade ?? null;
  const minGrade = p.flags.vicious?.minGrade;
  if (vicious && minGrade !== undefined && gradeRank(p, minGrade) > gradeRank(p, grade ?? p.defaultGrade)) grade = minGrade;
  return { grade, emergency: input.emergency ?? false, vicious, set: true };
}
