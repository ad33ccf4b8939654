/**
 * Intake (受理登记): turns what the agent (or a channel) recorded into a new case in state
 * `received`, with its clocks started and the customer's acknowledgement queued. Pure: ids,
 * the human number and the time are passed in.
 */
import { z } from 'zod';
import type { Policy } from '../policy/index.js';
import { limitsFor, policyKey } from '../policy/index.js';
import type { Actor, Clock, Complaint, ComplaintEvent, OutboxMessage } from '../complaint/types.js';
import { AppError, fieldProblem } from '../errors.js';
import { parseInput } from '../validation.js';
import type { WorkingCalendar } from '../calendar/index.js';
import { ClockSet, clockCalendars } from './clocks.js';
import { caseEventMessage } from './apply.js';

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
        phone: z.string().trim().regex(/^[0-9+\-() ]{5,32}$/, '电话号码格式不正确|Invalid phone number|電話號碼格式不正確').optional(),
        email: z.email().max(200).optional(),
        idNumber: z.string().trim().regex(/^[0-9A-Za-z]{6,32}$/, '证件号码格式不正确|Invalid ID number|證件號碼格式不正確').optional(),
        address: opt(500),
        customerClass: z.enum(['A', 'B', 'C', 'D']).optional(),
      })
      .strict()
      .superRefine((v, ctx) => {
        if (!v.anonymous && !v.name && !v.phone && !v.email)
          ctx.addIssue({ code: 'custom', path: ['name'], message: '非匿名投诉须留姓名或联系方式|Give a name or a contact unless the complaint is anonymous|非匿名投訴須留姓名或聯絡方式' });
      }),
    subject: z
      .object({
        departmentCode: opt(64),
        employeeIds: z.array(z.string().min(1).max(64)).max(20).default([]),
        description: opt(1000),
      })
      .strict()
      .default({ employeeIds: [] }),
    references: z.object({ order: opt(100), product: opt(200), plate: opt(20) }).strict().default({}),
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
  })
  .strict();
export type IntakeInput = z.output<typeof IntakeInput>;

export interface IntakeResult {
  complaint: Complaint;
  clocks: Clock[];
  events: ComplaintEvent[];
  outbox: OutboxMessage[];
  /** The promised time (承诺时限) read to the customer: the resolve clock's due time. */
  promisedAt: string | null;
}

export function receive(
  raw: unknown,
  ids: { id: string; number: string },
  ctx: { actor: Actor; now: Date; policy: Policy; calendar: WorkingCalendar },
): IntakeResult {
  const input = parseInput(IntakeInput, raw);
  const p = ctx.policy;
  if (!p.channels.includes(input.channel))
    throw new AppError('invalid_input', `unknown channel ${input.channel}`, [fieldProblem('channel', `制度中没有此渠道：${input.channel}`, `Unknown channel: ${input.channel}`)]);
  if (!p.kinds[input.kind].enabled)
    throw new AppError('invalid_input', `kind ${input.kind} disabled`, [fieldProblem('kind', '本制度不受理此类型', 'This policy does not accept this kind')]);
  if (input.regulator && new Date(input.regulator.dueAt) <= ctx.now)
    throw new AppError('invalid_input', 'regulator due time in the past', [fieldProblem('regulator.dueAt', '监管时限必须晚于当前时间', 'The regulator deadline must be in the future')]);
  if (input.subject.departmentCode && !p.departments.some((d) => d.code === input.subject.departmentCode))
    throw new AppError('invalid_input', 'unknown department', [fieldProblem('subject.departmentCode', '制度中没有此部门', 'Unknown department in the policy')]);

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
    references: input.references,
    demands: input.demands,
    regulator: input.regulator ?? null,
    firstResponderId: ctx.actor.id,
    validity: null,
    category: null,
    grade: null,
    vicious: false,
    emergency: false,
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
    receivedAt: at,
    updatedAt: at,
    closedAt: null,
    archivedAt: null,
    version: 1,
  };
  const warnAt = p.grades.find((g) => g.code === p.defaultGrade)?.warnAt ?? 0.8;
  const clocks = new ClockSet(c.id, [], ctx.calendar, warnAt, clockCalendars(ctx, () => c));
  if (c.kind === 'complaint') {
    // Until graded, the case runs on the default grade's limits; classify re-times them.
    const l = limitsFor(p, p.defaultGrade, {});
    if (l.triage) clocks.start('triage', l.triage, ctx.now, ctx.now);
    if (l.resolve) clocks.start('resolve', l.resolve, ctx.now, ctx.now);
    p.gradeRise.forEach((r, i) => clocks.start(`grade_rise.${i}`, r.after, ctx.now, ctx.now));
  } else {
    clocks.start('resolve', p.kinds[c.kind].resolve, ctx.now, ctx.now);
  }
  if (c.regulator) clocks.startFixed('regulator', new Date(c.regulator.dueAt), ctx.now);
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
    data: { channel: c.channel, kind: c.kind, promisedAt, regulator: c.regulator },
  };
  const outbox: OutboxMessage[] = [
    { complaintId: c.id, channel: 'customer', template: 'acknowledgement', to: { customer: true }, payload: { number: c.number, promisedAt }, createdAt: at },
  ];
  if (c.kind === 'complaint')
    outbox.push({ complaintId: c.id, channel: 'staff', template: 'triage_waiting', to: { role: 'specialist' }, payload: { number: c.number }, createdAt: at });
  // The case event for outgoing webhooks (issue 4), like every transition (apply.ts).
  outbox.push({ ...caseEventMessage(c, 'receive', null), complaintId: c.id, createdAt: at });
  return { complaint: c, clocks: clocks.changes(), events: [event], outbox, promisedAt };
}
