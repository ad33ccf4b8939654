/**
 * The complaint lifecycle as one table: for each action, the kinds and states it applies to,
 * the states it can lead to, who may perform it, what input it needs, its policy guard and its
 * effects (clocks, tier and handlers, and the domain events that say what happened). The API's
 * allowedActions, the web buttons, the generated flowchart (docs/lifecycle.md) and the soundness
 * test all read this table.
 *
 * Effects mutate a draft copy handed to them by `apply` (apply.ts); they never read the clock
 * or do I/O: `ctx.now` is the transition time. They never address a message either: they record
 * typed domain events (domain-events.ts) and the notification table (notifications.ts) says who
 * hears of each.
 *
 * The row's shape is action-spec.ts; the guards the rows share are guards.ts, routing (route,
 * reroute) routing.ts, the hand-over one tier up hand-over.ts, the other shared effects
 * (limits, follow-up window, raised grade) effects.ts, extension arithmetic extension-stages.ts.
 */
import { gradeRank, levelRank, requiredApprovalLevel, type Policy } from '../policy/index.js';
import { CUSTOMER_ACTOR, type State } from '../complaint/types.js';
import { fieldProblem } from '../errors.js';
import { avoidingUserIds } from '../permissions/relations.js';
import { ESCALATING_CLOCKS } from './clocks.js';
import { customerUnreachable, ruleEscalates, unpausedRuleClocks } from './clock-rules.js';
import { ruleOfClock } from '../policy/clock-rules.js';
import { higherLevel, pickHandler, tierApprovalLevel } from './handlers.js';
import { returnsToPrimary } from '../policy/absence.js';
import { HANDLING_STATES, approvalStandIn, awaitedApprovers, awaitedLevel, handlerStandIn } from '../absence/stand-ins.js';
import * as I from './inputs.js';
import { extensionLevel, extensionStage, stageRefusal } from './extension-stages.js';
import { dutiesOf } from '../policy/duties.js';
import { recordProblems } from '../duties/duties.js';
import { spec } from './action-spec.js';
import { ACTIVE_STATES, OPEN_STATES } from './state-groups.js';
import { clockRunning, extensionWithinLimit, unknownCode } from './guards.js';
import { routeEffect, routeGuard } from './routing.js';
import { describeSelector, handOver } from './hand-over.js';
import { limits, maxTier, raiseGradeTo, startFollowUp } from './effects.js';

// The shape of a row (action-spec.ts), re-exported: services, apply and the tests read it here.
export { WHO_RELATIONS, type ActionSpec, type Ctx, type Draft, type GuardRefusal, type Who } from './action-spec.js';

const ACTIVE = ACTIVE_STATES;
/** Open and not judged invalid: the states a valid complaint is handled in. */
const OPEN: readonly State[] = OPEN_STATES.filter((s) => s !== 'invalid');
/** A handler has the case and owes the next step: where a manager may urge them (urge). */
const URGEABLE: readonly State[] = ['assigned', 'investigating', 'investigated', 'implementing', 'pending'];
const HANDLING_DONE_CLOCKS = ['triage', 'dispatch', 'first_response', 'resolve', 'approval', 'escalation', 'regulator'];

export const ACTIONS = {
  judge: spec({
    label: { 'zh-CN': '判定是否成立', 'zh-TW': '判定是否成立', en: 'Judge validity' },
    from: { complaint: ['received'] },
    targets: ['valid', 'invalid'],
    who: ['specialist'],
    input: I.JudgeInput,
    guard: (_c, input, { policy }) => (!input.valid && !policy.validity.invalidReasons.some((r) => r.code === input.reason) ? unknownCode('reason', 'invalid reason', input.reason ?? '') : null),
    effect: (d, input, ctx) => {
      d.c.validity = { valid: input.valid, reason: input.reason, explanation: input.explanation, malicious: input.malicious };
      if (input.valid) return 'valid';
      d.clocks.stopAll(ctx.now);
      d.happened.push({ type: 'judged_invalid', reason: input.reason });
      return 'invalid';
    },
  }),

  classify: spec({
    label: { 'zh-CN': '分类分级', 'zh-TW': '分類分級', en: 'Classify and grade' },
    from: { complaint: ['valid'] },
    // A major case the policy sends straight to a manager (routing.majorTo, 000) is assigned at once.
    targets: ['classified', 'assigned'],
    who: ['specialist'],
    input: I.ClassifyInput,
    guard: (_c, input, { policy }) => {
      if (!policy.categories.some((x) => x.code === input.category)) return unknownCode('category', 'category', input.category);
      if (!policy.grades.some((x) => x.code === input.grade)) return unknownCode('grade', 'grade', input.grade);
      return null;
    },
    effect: (d, input, ctx) => {
      const p = ctx.policy;
      let grade = input.grade;
      // A vicious case (恶性, 001 篇3 §10) is at least the grade the policy names.
      const minGrade = p.flags.vicious?.minGrade;
      if (input.vicious && minGrade !== undefined && gradeRank(p, minGrade) > gradeRank(p, grade)) grade = minGrade;
      Object.assign(d.c, { category: input.category, grade, vicious: input.vicious, emergency: input.emergency });
      if (input.customerClass) d.c.complainant.customerClass = input.customerClass;
      d.clocks.stop('triage', ctx.now);
      const l = limits(d.c, p);
      if (l.resolve) d.clocks.retime('resolve', l.resolve, ctx.now);
      const gradeSpec = p.grades.find((g) => g.code === grade);
      if (gradeSpec?.directToManager) d.happened.push({ type: 'major_graded', grade });
      if (input.emergency) d.happened.push({ type: 'emergency_flagged' });
      d.eventData.grade = grade;
      if (gradeSpec?.directToManager && p.routing.majorTo && ctx.staff) {
        const department = p.routing.majorDepartment ?? p.categories.find((x) => x.code === input.category)?.department ?? null;
        const who = pickHandler(p.routing.majorTo, d.c, p, ctx.staff, department);
        if (who) {
          Object.assign(d.c, { departmentCode: department, primaryHandlerId: who.id, backupHandlerId: null, coHandlerIds: [] });
          d.eventData.routed = { to: who.id, toName: who.name, departmentCode: department, by: 'routing.majorTo', selector: describeSelector(p.routing.majorTo) };
          if (l.first_response) d.clocks.start('first_response', l.first_response, ctx.now, ctx.now);
          d.happened.push({ type: 'assigned', major: true });
          return 'assigned';
        }
        d.eventData.routed = { to: null, by: 'routing.majorTo', selector: describeSelector(p.routing.majorTo), note: 'nobody fits: route by hand' };
      }
      if (l.dispatch) d.clocks.start('dispatch', l.dispatch, ctx.now, ctx.now);
      return 'classified';
    },
  }),

  route: spec({
    label: { 'zh-CN': '分派', 'zh-TW': '分派', en: 'Route' },
    from: { complaint: ['classified'], suggestion: ['received'] },
    targets: ['assigned'],
    who: ['specialist'],
    input: I.RouteInput,
    guard: routeGuard,
    effect: routeEffect,
  }),

  reroute: spec({
    label: { 'zh-CN': '改派', 'zh-TW': '改派', en: 'Re-route' },
    from: { complaint: ['assigned', 'investigating', 'investigated'] },
    targets: ['assigned'],
    who: ['specialist', 'department_manager'],
    input: I.RouteInput,
    guard: routeGuard,
    effect: (d, input, ctx) => {
      d.eventData.previous = { departmentCode: d.c.departmentCode, primaryHandlerId: d.c.primaryHandlerId, backupHandlerId: d.c.backupHandlerId };
      return routeEffect(d, input, ctx);
    },
  }),

  accept: spec({
    label: { 'zh-CN': '签收', 'zh-TW': '簽收', en: 'Accept' },
    from: { complaint: ['assigned'] },
    targets: ['investigating'],
    who: ['assigned_handler'],
    input: I.AcceptInput,
    effect: (d, _input, ctx) => {
      d.clocks.stop('first_response', ctx.now);
      return 'investigating';
    },
  }),

  investigate: spec({
    label: { 'zh-CN': '调查核实', 'zh-TW': '調查核實', en: 'Record findings' },
    from: { complaint: ['investigating'] },
    targets: ['investigated'],
    who: ['assigned_handler', 'co_handler'],
    input: I.InvestigateInput,
    effect: (d, input) => {
      d.c.findings = input;
      return 'investigated';
    },
  }),

  propose: spec({
    label: { 'zh-CN': '提出处理方案', 'zh-TW': '提出處理方案', en: 'Propose a solution' },
    from: { complaint: ['investigated'] },
    targets: ['awaiting_approval', 'implementing'],
    who: ['assigned_handler'],
    input: I.ProposeInput,
    effect: (d, input, ctx) => {
      // The tier the case is at may require a level of its own (re-handling one tier up, escalation.tiers[].approvalLevel).
      const byRule = requiredApprovalLevel(ctx.policy, d.c.grade ?? ctx.policy.defaultGrade, input.amount);
      const byTier = tierApprovalLevel(ctx.policy, d.c.tier);
      const requiredLevel = higherLevel(ctx.policy, byRule, byTier);
      if (byTier && requiredLevel === byTier && byTier !== byRule) d.eventData.levelByTier = { tier: d.c.tier, level: byTier };
      d.c.proposal = { ...input, requiredLevel, proposedBy: ctx.actor.id, proposedAt: ctx.now.toISOString() };
      d.eventData.requiredLevel = requiredLevel;
      if (!requiredLevel) return 'implementing';
      const l = limits(d.c, ctx.policy);
      if (l.approval) d.clocks.start('approval', l.approval, ctx.now, ctx.now);
      d.happened.push({ type: 'approval_requested', level: requiredLevel });
      return 'awaiting_approval';
    },
  }),

  approve: spec({
    label: { 'zh-CN': '批准', 'zh-TW': '批准', en: 'Approve' },
    from: { complaint: ['awaiting_approval'] },
    targets: ['implementing'],
    who: ['qualified_approver'],
    input: I.DecisionInput,
    effect: (d, _input, ctx) => {
      d.clocks.stop('approval', ctx.now);
      if (!d.c.approverIds.includes(ctx.actor.id)) d.c.approverIds.push(ctx.actor.id);
      d.happened.push({ type: 'proposal_approved' });
      return 'implementing';
    },
  }),

  reject: spec({
    label: { 'zh-CN': '驳回', 'zh-TW': '駁回', en: 'Reject' },
    from: { complaint: ['awaiting_approval'] },
    targets: ['investigated'],
    who: ['qualified_approver'],
    input: I.RejectInput,
    effect: (d, input, ctx) => {
      d.clocks.stop('approval', ctx.now);
      if (!d.c.approverIds.includes(ctx.actor.id)) d.c.approverIds.push(ctx.actor.id);
      d.happened.push({ type: 'proposal_rejected', comment: input.comment });
      return 'investigated';
    },
  }),

  answer: spec({
    label: { 'zh-CN': '答复客户', 'zh-TW': '答覆客戶', en: 'Answer the customer' },
    from: { complaint: ['implementing'], inquiry: ['received'], suggestion: ['assigned'] },
    targets: ['answered'],
    who: ['assigned_handler', 'first_responder', 'specialist'],
    input: I.AnswerInput,
    guard: (c, input) =>
      c.kind === 'suggestion' && input.adopted === undefined
        ? { code: 'invalid_input', detail: 'adopted is required for a suggestion', fields: [fieldProblem('adopted', '建议须答复是否采纳', 'Say whether the suggestion is adopted')] }
        : null,
    effect: (d, input, ctx) => {
      d.c.answer = { text: input.text, method: input.method, written: input.written, answeredBy: ctx.actor.id, answeredAt: ctx.now.toISOString() };
      if (input.adopted !== undefined) d.eventData.adopted = input.adopted;
      for (const k of HANDLING_DONE_CLOCKS) d.clocks.stop(k, ctx.now);
      d.clocks
        .all()
        .filter((c) => c.kind.startsWith('grade_rise'))
        .forEach((c) => d.clocks.stop(c.kind, ctx.now));
      d.happened.push({ type: 'answered', text: input.text });
      startFollowUp(d, ctx);
      return 'answered';
    },
  }),

  pend: spec({
    label: { 'zh-CN': '列入未了事宜', 'zh-TW': '列入未了事宜', en: 'Put on hold (pending item)' },
    from: { complaint: ACTIVE },
    targets: ['pending'],
    who: ['assigned_handler', 'specialist'],
    input: I.PendInput,
    effect: (d, input, ctx) => {
      d.c.resumeState = d.c.state;
      d.c.pendingReason = input.reason;
      // The regulator's deadline does not wait for our customer: it keeps running.
      // So does a rule clock the policy says never pauses (clockRules[].pause: false).
      d.eventData.paused = d.clocks.pauseAll(ctx.now, ['regulator', ...unpausedRuleClocks(ctx.policy)]);
      return 'pending';
    },
  }),

  resume: spec({
    label: { 'zh-CN': '恢复处理', 'zh-TW': '恢復處理', en: 'Resume' },
    from: { complaint: ['pending'] },
    targets: ACTIVE,
    who: ['assigned_handler', 'specialist'],
    input: I.EmptyInput,
    effect: (d, _input, ctx) => {
      const back = d.c.resumeState ?? 'investigating';
      d.c.resumeState = null;
      d.c.pendingReason = null;
      d.eventData.resumed = d.clocks.resumeAll(ctx.now);
      return back;
    },
  }),

  request_extension: spec({
    label: { 'zh-CN': '申请延期', 'zh-TW': '申請延期', en: 'Request an extension' },
    from: { complaint: ACTIVE },
    targets: ACTIVE,
    who: ['assigned_handler'],
    input: I.RequestExtensionInput,
    guard: (c, input, ctx, k) => {
      if (c.extensionRequest) return { code: 'conflict', detail: 'an extension request is already waiting', fields: [fieldProblem('duration', '已有延期申请待审批', 'An extension request is already waiting')] };
      const ext = ctx.policy.extension;
      if (!ext) return { code: 'extension_over_limit', detail: 'the policy allows no extension', fields: [fieldProblem('duration', '本制度不允许延期', 'This policy allows no extension')] };
      if (ext.stages) {
        const staged = stageRefusal(c, k.get('resolve'), input, ctx);
        return staged && { code: 'extension_over_limit', ...staged };
      }
      const max = input.special ? ext.specialMax : ext.max;
      if (!extensionWithinLimit(c, input.duration, input.special, ctx))
        return { code: 'extension_over_limit', detail: `max ${max}`, fields: [fieldProblem('duration', `延期累计不得超过 ${max}`, `Extensions may not exceed ${max} in total`)] };
      return null;
    },
    effect: (d, input, ctx) => {
      d.c.extensionRequest = { ...input, requestedBy: ctx.actor.id, requestedAt: ctx.now.toISOString() };
      const stage = extensionStage(d.c, ctx.policy)?.number;
      if (stage) d.eventData.stage = stage;
      d.happened.push({ type: 'extension_requested', level: extensionLevel(d.c, ctx.policy) });
      return d.c.state;
    },
  }),

  grant_extension: spec({
    label: { 'zh-CN': '批准延期', 'zh-TW': '批准延期', en: 'Grant the extension' },
    from: { complaint: ACTIVE },
    targets: ACTIVE,
    who: ['extension_approver'],
    input: I.DecisionInput,
    guard: (c, _input, ctx, k) => {
      if (!c.extensionRequest) return { code: 'illegal_transition', detail: 'no extension request is waiting' };
      if (ctx.policy.extension?.stages) {
        // A stage is checked again at the grant: the promise may have passed, the grade changed.
        const staged = stageRefusal(c, k.get('resolve'), c.extensionRequest, ctx);
        return staged && { code: 'extension_over_limit', ...staged };
      }
      return !extensionWithinLimit(c, c.extensionRequest.duration, c.extensionRequest.special, ctx) ? { code: 'extension_over_limit', detail: 'the policy maximum would be exceeded' } : null;
    },
    effect: (d, _input, ctx) => {
      const req = d.c.extensionRequest!;
      const stage = extensionStage(d.c, ctx.policy)?.number;
      d.c.extensions.push(req.duration);
      d.c.extensionRequest = null;
      d.clocks.extend('resolve', req.duration, ctx.now);
      if (!d.c.approverIds.includes(ctx.actor.id)) d.c.approverIds.push(ctx.actor.id);
      const due = d.clocks.get('resolve')?.dueAt ?? null;
      // The customer hears of the new promised time from apply (004 §四): one notice per change.
      d.eventData.extension = { ...req, newDueAt: due, ...(stage ? { stage } : {}) };
      d.happened.push({ type: 'extension_granted', dueAt: due });
      return d.c.state;
    },
  }),

  refuse_extension: spec({
    label: { 'zh-CN': '驳回延期', 'zh-TW': '駁回延期', en: 'Refuse the extension' },
    from: { complaint: ACTIVE },
    targets: ACTIVE,
    who: ['extension_approver'],
    input: I.RejectInput,
    guard: (c) => (!c.extensionRequest ? { code: 'illegal_transition', detail: 'no extension request is waiting' } : null),
    effect: (d, input) => {
      d.eventData.request = d.c.extensionRequest;
      d.c.extensionRequest = null;
      d.happened.push({ type: 'extension_refused', comment: input.comment });
      return d.c.state;
    },
  }),

  follow_up: spec({
    label: { 'zh-CN': '回访', 'zh-TW': '回訪', en: 'Follow up' },
    from: { complaint: ['answered'] },
    targets: ['answered', 'followed_up', 'investigating'],
    // The customer answers the survey through the portal (issue 4): the same transition as a caller's record.
    who: ['followup', 'customer'],
    input: I.FollowUpInput,
    effect: (d, input, ctx) => {
      const p = ctx.policy;
      const f = d.c.followUp;
      f.attempts += 1;
      // callerIds are staff (they gain visibility of the case); the customer is not one.
      if (ctx.actor.id !== CUSTOMER_ACTOR.id && !f.callerIds.includes(ctx.actor.id)) f.callerIds.push(ctx.actor.id);
      if (!input.reached) {
        // Unreachable customers are retried on the policy's schedule (002 篇7: 24 h → 48 h).
        const retry = p.followUp.retries[f.attempts - 1];
        d.eventData.unreachableAttempt = f.attempts;
        if (retry) {
          d.clocks.start('follow_up', retry, ctx.now, ctx.now);
          return 'answered';
        }
        if (p.followUp.closeWhenUnreachable) {
          f.outcome = 'unreachable';
          d.clocks.stop('follow_up', ctx.now);
          return 'followed_up';
        }
        d.happened.push({ type: 'follow_up_unreachable' });
        return 'answered';
      }
      f.satisfaction = input.satisfaction!;
      f.scores = input.scores ?? null;
      f.comment = input.comment;
      d.clocks.stop('follow_up', ctx.now);
      if (p.followUp.acceptedLevels.includes(input.satisfaction!)) {
        f.outcome = 'satisfied';
        return 'followed_up';
      }
      // Unsatisfied: handle again, one tier higher, until satisfied (001 篇6 §6③, 002 篇2 §4.2).
      f.outcome = null;
      d.c.cycle += 1;
      if (p.unsatisfied.escalateTier) d.c.tier = Math.min(d.c.tier + 1, maxTier(p));
      d.c.answer = null;
      d.c.proposal = null;
      const l = limits(d.c, p);
      if (l.resolve) d.clocks.start('resolve', l.resolve, ctx.now, ctx.now);
      d.eventData.cycle = d.c.cycle;
      d.eventData.tier = d.c.tier;
      const tier = p.escalation.tiers[d.c.tier - 1];
      // The case changes hands: a major case to where the policy sends it (000), else the tier's handler.
      const major = p.grades.find((g) => g.code === (d.c.grade ?? p.defaultGrade))?.directToManager && p.routing.majorTo;
      const selector = major ? p.routing.majorTo : tier?.handler;
      if (selector && ctx.staff) handOver(d, ctx, selector, major ? 'routing.majorTo' : `escalation.tiers[${d.c.tier - 1}].handler`);
      // The grade-rise clocks (000: unresolved one month → major) run again from receipt: the case
      // was not resolved after all. One that already raised the grade stays stopped.
      const resumed = d.clocks
        .all()
        .filter((k) => k.kind.startsWith('grade_rise') && k.status === 'stopped' && k.dueAt && k.stoppedAt && Date.parse(k.stoppedAt) < Date.parse(k.dueAt))
        .map((k) => k.kind);
      resumed.forEach((kind) => d.clocks.reopen(kind, ctx.now));
      if (resumed.length) d.eventData.resumed = resumed;
      d.happened.push({ type: 'handled_again', cycle: d.c.cycle, tier: d.c.tier });
      return 'investigating';
    },
  }),

  close: spec({
    label: { 'zh-CN': '结案', 'zh-TW': '結案', en: 'Close' },
    from: { complaint: ['followed_up', 'invalid', 'answered'], inquiry: ['answered'], suggestion: ['answered'] },
    targets: ['closed'],
    who: ['specialist', 'first_responder', 'followup'],
    input: I.CloseInput,
    guard: (c, _input, { policy }) => (c.kind === 'complaint' && c.state === 'answered' && policy.followUp.required ? { code: 'illegal_transition', detail: 'the policy requires a follow-up before closing' } : null),
    effect: (d, _input, ctx) => {
      d.clocks.stopAll(ctx.now);
      d.c.closedAt = ctx.now.toISOString();
      d.happened.push({ type: 'closed', invalid: d.c.state === 'invalid' });
      return 'closed';
    },
  }),

  archive: spec({
    label: { 'zh-CN': '归档', 'zh-TW': '歸檔', en: 'Archive' },
    from: { complaint: ['closed'], inquiry: ['closed'], suggestion: ['closed'] },
    targets: ['archived'],
    who: ['specialist', 'admin'],
    input: I.EmptyInput,
    effect: (d, _input, ctx) => {
      d.c.archivedAt = ctx.now.toISOString();
      return 'archived';
    },
  }),

  note: spec({
    label: { 'zh-CN': '补充说明', 'zh-TW': '補充說明', en: 'Add a note' },
    from: { complaint: [...OPEN, 'invalid', 'closed'], inquiry: ['received', 'answered', 'closed'], suggestion: ['received', 'assigned', 'answered', 'closed'] },
    targets: [],
    who: ['first_responder', 'assigned_handler', 'co_handler', 'department_manager', 'specialist', 'followup', 'approver'],
    input: I.NoteInput,
    effect: (d, input) => {
      d.eventData.text = input.text;
      d.eventData.internal = input.internal;
      return d.c.state;
    },
  }),

  urge: spec({
    label: { 'zh-CN': '催办', 'zh-TW': '催辦', en: 'Urge the handler' },
    // 催办 / 督办 (issue 14): a manager presses the handler of a case being worked — overdue or about
    // to be. No state change: the event on the timeline is the record, and the handlers are told.
    // The department's manager, and an approver (客服经理, 总经理) who sees the case (one they
    // decided on): need to know is not widened for it.
    from: { complaint: URGEABLE, suggestion: ['assigned'] },
    targets: [],
    who: ['department_manager', 'approver'],
    input: I.UrgeInput,
    guard: (c, _input, { actor }) =>
      !c.primaryHandlerId
        ? { code: 'illegal_transition', detail: 'the case has no handler to urge' }
        : c.primaryHandlerId === actor.id || c.backupHandlerId === actor.id
          ? { code: 'illegal_transition', detail: 'the handler cannot urge themselves', fields: [fieldProblem('handler', '不能催办自己负责的投诉', 'You cannot urge a case you handle yourself', '不能催辦自己負責的投訴')] }
          : null,
    effect: (d, input) => {
      d.eventData.handlers = [d.c.primaryHandlerId, d.c.backupHandlerId].filter(Boolean);
      d.happened.push({ type: 'urged', ...(input.comment ? { comment: input.comment } : {}) });
      return d.c.state;
    },
  }),

  complete_duty: spec({
    label: { 'zh-CN': '完成职责', 'zh-TW': '完成職責', en: 'Complete a duty' },
    // A duty created by a transition may be completed while the case is open or after closing (the
    // written report after completion, 001 篇2 §6); no state change — the duty row is marked done
    // with the record in the same transaction (store/decisions.ts).
    from: { complaint: [...OPEN, 'invalid', 'closed'], inquiry: ['received', 'answered', 'closed'], suggestion: ['received', 'assigned', 'answered', 'closed'] },
    targets: [],
    who: ['first_responder', 'assigned_handler', 'co_handler', 'department_manager', 'specialist', 'followup', 'approver'],
    input: I.CompleteDutyInput,
    guard: (_c, input, { policy }) => {
      const def = dutiesOf(policy).find((x) => x.code === input.code);
      if (!def) return { code: 'not_found', detail: `duty ${input.code} is not in the policy` };
      const fields = recordProblems(def.record, input);
      return fields.length ? { code: 'invalid_input', detail: fields.map((f) => f.path).join(', '), fields } : null;
    },
    effect: (d, input) => {
      d.eventData.duty = { id: input.dutyId, code: input.code };
      if (input.text) d.eventData.text = input.text;
      if (input.attachments.length) d.eventData.attachments = input.attachments;
      return d.c.state;
    },
  }),

  attach: spec({
    label: { 'zh-CN': '添加附件', 'zh-TW': '新增附件', en: 'Attach files' },
    // Evidence may come at intake, during handling, at follow-up — and after closing; not once archived.
    from: { complaint: [...OPEN, 'invalid', 'closed'], inquiry: ['received', 'answered', 'closed'], suggestion: ['received', 'assigned', 'answered', 'closed'] },
    targets: [],
    who: ['first_responder', 'assigned_handler', 'co_handler', 'department_manager', 'specialist', 'followup'],
    input: I.AttachInput,
    effect: (d, input) => {
      d.eventData.attachments = input.attachments;
      if (input.text) d.eventData.text = input.text;
      return d.c.state;
    },
  }),

  supplement: spec({
    label: { 'zh-CN': '客户补充信息', 'zh-TW': '客戶補充資料', en: 'Customer adds information' },
    // Any open case (issue 4: "add information or evidence to an open case"); not after closing.
    from: { complaint: [...OPEN, 'invalid'], inquiry: ['received', 'answered'], suggestion: ['received', 'assigned', 'answered'] },
    targets: [],
    who: ['customer'],
    input: I.SupplementInput,
    effect: (d, input) => {
      d.eventData.text = input.text;
      d.eventData.via = input.via;
      d.eventData.attachments = input.attachments;
      d.happened.push({ type: 'customer_added', attachments: input.attachments.length, via: input.via });
      return d.c.state;
    },
  }),

  add_contact: spec({
    label: { 'zh-CN': '追加来电', 'zh-TW': '追加來電', en: 'Add a contact' },
    // The same customer calls (writes, walks in) again about an open case: staff add the contact to
    // that case instead of creating a duplicate (issue 13 §1). Open cases only, like supplement.
    from: { complaint: [...OPEN, 'invalid'], inquiry: ['received', 'answered'], suggestion: ['received', 'assigned', 'answered'] },
    targets: [],
    who: ['agent', 'first_responder', 'assigned_handler', 'co_handler', 'specialist'],
    input: I.AddContactInput,
    guard: (_c, input, { policy }) =>
      policy.channels.includes(input.channel)
        ? null
        : {
            code: 'invalid_input',
            detail: `channel: unknown channel '${input.channel}'`,
            fields: [fieldProblem('channel', `制度中没有此渠道：${input.channel}`, `Unknown channel in the policy: ${input.channel}`, `制度中沒有此渠道：${input.channel}`)],
          },
    effect: (d, input) => {
      d.eventData.text = input.text;
      d.eventData.channel = input.channel;
      if (input.callId) d.eventData.callId = input.callId;
      d.happened.push({ type: 'customer_added', attachments: 0, via: input.channel });
      return d.c.state;
    },
  }),

  contact_failed: spec({
    label: { 'zh-CN': '联系客户未果', 'zh-TW': '聯繫客戶未果', en: 'Could not reach the customer' },
    // Staff tried to reach the customer during handling and could not: a note on the timeline that
    // re-times the clocks with an `unreachable` limit, rule or grade (002 篇7: 24小时内没有联系上的客户 … 48小时).
    // The states in which clocks run; the follow-up's own attempts are follow_up with reached: false.
    from: { complaint: OPEN, inquiry: ['received'], suggestion: ['received', 'assigned'] },
    targets: [],
    who: ['first_responder', 'assigned_handler', 'co_handler', 'department_manager', 'specialist', 'followup'],
    input: I.ContactFailedInput,
    // The method and note are on the event as its input.
    effect: (d, _input, ctx) => {
      const retimed = customerUnreachable(ctx.policy, d.c, d.clocks, ctx.now);
      if (retimed.length) d.eventData.unreachable = { retimed };
      return d.c.state;
    },
  }),

  warn: spec({
    label: { 'zh-CN': '时限预警', 'zh-TW': '時限預警', en: 'Deadline warning' },
    from: { complaint: OPEN, inquiry: ['received'], suggestion: ['received', 'assigned'] },
    targets: [],
    who: ['system'],
    input: I.ClockInput,
    guard: (_c, input, _ctx, clocks) => clockRunning(clocks, input.clock),
    effect: (d, input, ctx) => {
      d.clocks.markWarned(input.clock, ctx.now);
      const clock = d.clocks.get(input.clock)!;
      d.eventData.dueAt = clock.dueAt;
      d.happened.push({ type: 'deadline_warned', clock: input.clock, dueAt: clock.dueAt });
      return d.c.state;
    },
  }),

  breach: spec({
    label: { 'zh-CN': '超时升级', 'zh-TW': '逾時升級', en: 'Deadline breached' },
    from: { complaint: OPEN, inquiry: ['received'], suggestion: ['received', 'assigned'] },
    targets: [],
    who: ['system'],
    input: I.ClockInput,
    guard: (_c, input, _ctx, clocks) => clockRunning(clocks, input.clock),
    effect: (d, input, ctx) => {
      const p = ctx.policy;
      d.clocks.markBreached(input.clock, ctx.now);
      const rule = ruleOfClock(p, input.clock);
      if (ruleEscalates(p, input.clock) ?? ESCALATING_CLOCKS.has(input.clock)) {
        // Breaching escalates one tier (002 篇6: agent → department manager → general manager).
        d.c.tier = Math.min(d.c.tier + 1, maxTier(p));
        const every = (d.c.emergency ? p.flags.emergency?.escalateEvery : undefined) ?? p.escalation.escalateEvery;
        if (every && d.c.tier < maxTier(p)) d.clocks.start('escalation', every, ctx.now, ctx.now);
      }
      // A rule clock may raise the grade (clockRules[].breach.raiseGrade) and tell more people.
      if (rule?.breach.raiseGrade) raiseGradeTo(d, p, rule.breach.raiseGrade);
      d.eventData.tier = d.c.tier;
      d.happened.push({ type: 'deadline_breached', clock: input.clock, tier: d.c.tier });
      return d.c.state;
    },
  }),

  raise_grade: spec({
    label: { 'zh-CN': '升级为更高等级', 'zh-TW': '升級為更高等級', en: 'Raise the grade' },
    from: { complaint: OPEN },
    targets: [],
    who: ['system'],
    input: I.RaiseGradeInput,
    guard: (_c, input, _ctx, clocks) => clockRunning(clocks, input.clock),
    effect: (d, input, ctx) => {
      d.clocks.stop(input.clock, ctx.now);
      raiseGradeTo(d, ctx.policy, input.to);
      return d.c.state;
    },
  }),

  stand_in: spec({
    label: { 'zh-CN': '缺勤代理', 'zh-TW': '缺勤代理', en: 'Stand in for an absent colleague' },
    // While a primary handler works the case (HANDLING_STATES), or an approval waits (awaiting_approval, an extension request).
    from: HANDLING_STATES,
    targets: [],
    who: ['system'],
    input: I.StandInInput,
    guard: (c, input, ctx) => {
      if (!ctx.staff) return { code: 'illegal_transition', detail: 'stand_in needs the staff' };
      if (input.duty === 'primary_handler') return c.primaryHandlerId === input.absentId ? null : { code: 'illegal_transition', detail: `${input.absentId} is not the primary handler` };
      return awaitedApprovers(c, ctx.policy, ctx.staff).some((u) => u.id === input.absentId) ? null : { code: 'illegal_transition', detail: `no decision waits for ${input.absentId}` };
    },
    effect: (d, input, ctx) => {
      const staff = ctx.staff!;
      const absent = staff.find((u) => u.id === input.absentId);
      const absence = { id: input.absenceId, userId: input.absentId, name: absent?.name ?? null, until: input.until };
      if (input.duty === 'approval') {
        // 001 篇1 二(二): the decision goes to a stand-in of the same level; the case itself does not change hands.
        const level = awaitedLevel(d.c, ctx.policy);
        const { who, by } = approvalStandIn(d.c, ctx.policy, staff, input.absentId, input.standInId);
        d.eventData.standIn = { duty: input.duty, absence, level, to: who?.id ?? null, toName: who?.name ?? null, by };
        d.happened.push({ type: 'approval_stood_in', standInId: who?.id ?? null, standInFor: absent?.name ?? null, until: input.until, level });
        return d.c.state;
      }
      // 002 篇7 §三: the backup takes the case's tasks, notifications and clocks' warnings.
      const { who, by } = handlerStandIn(d.c, staff, input.absentId, input.standInId);
      const previous = { primaryHandlerId: d.c.primaryHandlerId, backupHandlerId: d.c.backupHandlerId };
      d.eventData.standIn = { duty: input.duty, absence, to: who?.id ?? null, toName: who?.name ?? null, by, previous };
      if (!who) {
        d.happened.push({ type: 'handler_stood_in', standInId: null, standInFor: absent?.name ?? null, until: input.until });
        return d.c.state;
      }
      d.c.primaryHandlerId = who.id;
      if (d.c.backupHandlerId === who.id) d.c.backupHandlerId = null;
      // The absent handler keeps seeing the case they know, as a co-handler: no tasks, no handler notices.
      d.c.coHandlerIds = [...new Set([...d.c.coHandlerIds, input.absentId])].filter((x) => x !== who.id && x !== d.c.backupHandlerId);
      d.happened.push({ type: 'handler_stood_in', standInId: who.id, standInFor: absent?.name ?? null, until: input.until });
      return d.c.state;
    },
  }),

  return_from_absence: spec({
    label: { 'zh-CN': '缺勤结束交回', 'zh-TW': '缺勤結束交回', en: 'Returned after the absence' },
    from: HANDLING_STATES,
    targets: [],
    who: ['system'],
    input: I.ReturnFromAbsenceInput,
    guard: (c, input, ctx) => {
      if (!returnsToPrimary(ctx.policy)) return { code: 'illegal_transition', detail: 'the policy keeps the case with the stand-in (absence.returnToPrimary)' };
      if (c.primaryHandlerId !== input.standInId) return { code: 'illegal_transition', detail: 'the case changed hands after the handover' };
      if (avoidingUserIds(c).includes(input.absentId)) return { code: 'avoidance', detail: `${input.absentId} must avoid the case` };
      const back = ctx.staff?.find((u) => u.id === input.absentId);
      if (ctx.staff && (!back || !back.active || back.absent)) return { code: 'illegal_transition', detail: `${input.absentId} is away or inactive` };
      return null;
    },
    effect: (d, input) => {
      const avoiding = avoidingUserIds(d.c);
      const backup = input.backupHandlerId && input.backupHandlerId !== input.absentId && !avoiding.includes(input.backupHandlerId) ? input.backupHandlerId : null;
      d.eventData.returned = { absenceId: input.absenceId, to: input.absentId, from: input.standInId, backupHandlerId: backup };
      d.c.primaryHandlerId = input.absentId;
      d.c.backupHandlerId = backup;
      // The stand-in worked on the case: they stay on it as a co-handler unless they are its backup again.
      d.c.coHandlerIds = [...new Set([...d.c.coHandlerIds, input.standInId])].filter((x) => x !== input.absentId && x !== backup);
      d.happened.push({ type: 'returned_from_absence', to: input.absentId, from: input.standInId });
      return d.c.state;
    },
  }),

  recalculate_clocks: spec({
    label: { 'zh-CN': '节假日变更，时限重算', 'zh-TW': '節假日變更，時限重算', en: 'Deadlines recalculated (holidays changed)' },
    // Wherever the sweeper acts on clocks (warn, breach): the states in which they run.
    from: { complaint: OPEN, inquiry: ['received'], suggestion: ['received', 'assigned'] },
    targets: [],
    who: ['system'],
    input: I.RecalculateClocksInput,
    // A holiday list changed (services/recalculate-clocks.ts): the running clocks count again from
    // their starts; the event keeps each moved clock's old and new times, and the clocks whose
    // missing-holiday-data flag the new list cleared without moving them. The customer hears of a
    // moved promise from apply (a later one: the delay notice; an earlier one: promise_earlier).
    effect: (d, _input, ctx) => {
      const r = d.clocks.recalculate(ctx.now);
      d.eventData.clocks = r.moved;
      if (r.holidayData.length) d.eventData.holidayData = r.holidayData;
      return d.c.state;
    },
  }),
} as const;

export type ActionName = Extract<keyof typeof ACTIONS, string>;
export const ACTION_NAMES = Object.keys(ACTIONS) as ActionName[];

/** Actions only the system performs; never offered to people. */
export const SYSTEM_ACTIONS: readonly ActionName[] = ['warn', 'breach', 'raise_grade', 'stand_in', 'return_from_absence', 'recalculate_clocks'];

/**
 * Actions taken only through their own endpoint, never through POST …/actions/{action}: `attach`
 * carries files (POST /api/v1/complaints/{id}/attachments stores them in the same transaction);
 * `complete_duty` names an open duty (POST /api/v1/complaints/{id}/duties/{dutyId}/complete).
 */
export const ENDPOINT_ACTIONS: readonly ActionName[] = ['attach', 'complete_duty'];

/** Intake is not an action on an existing case, but the flowchart starts with it. */
export const INTAKE = { label: { 'zh-CN': '受理登记', 'zh-TW': '受理登記', en: 'Receive' }, to: 'received' as State };

export function levelAtLeast(p: Policy, held: readonly string[], required: string): boolean {
  const need = levelRank(p, required);
  return held.some((h) => levelRank(p, h) >= need);
}

export function isActionName(x: string): x is ActionName & string {
  return Object.prototype.hasOwnProperty.call(ACTIONS, x);
}
