/**
 * What each action needs from the caller, as zod schemas. The HTTP layer publishes these in the
 * OpenAPI document and the web console builds its forms from the same field names.
 */
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);
const id = z.string().min(1).max(64);

export const JudgeInput = z
  .object({
    valid: z.boolean(),
    /** Invalid-reason code from policy.validity.invalidReasons. */
    reason: z.string().max(64).optional(),
    /** What the customer is told about why the complaint is not valid (做好解释工作). */
    explanation: z.string().trim().max(4000).optional(),
    malicious: z.boolean().default(false),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.valid) return;
    if (!v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: '判定无效时必须选择原因|A reason is required when the complaint is invalid|判定無效時必須選擇原因' });
    if (!v.explanation) ctx.addIssue({ code: 'custom', path: ['explanation'], message: '判定无效时必须填写对客户的解释|An explanation to the customer is required when the complaint is invalid|判定無效時必須填寫對客戶的解釋' });
  });

export const ClassifyInput = z
  .object({
    category: text(64),
    grade: text(32),
    vicious: z.boolean().default(false),
    emergency: z.boolean().default(false),
    customerClass: z.string().max(8).optional(),
  })
  .strict();

export const RouteInput = z
  .object({
    /** Defaults to the category's department in the policy's routing rules. */
    departmentCode: text(64).optional(),
    primaryHandlerId: id,
    backupHandlerId: id.optional(),
    coHandlerIds: z.array(id).max(20).default([]),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.backupHandlerId && v.backupHandlerId === v.primaryHandlerId)
      ctx.addIssue({ code: 'custom', path: ['backupHandlerId'], message: '次要责任人不能与主要责任人相同|The backup handler must differ from the primary handler|次要責任人不能與主要責任人相同' });
  });

export const AcceptInput = z.object({ note: z.string().max(2000).optional() }).strict();

export const InvestigateInput = z
  .object({
    facts: text(8000),
    cause: text(4000),
    responsibility: z
      .object({
        type: z.enum(['department', 'employee', 'customer', 'misunderstanding', 'none']),
        departmentCode: z.string().max(64).optional(),
        employeeId: id.optional(),
        note: z.string().max(2000).optional(),
      })
      .strict(),
  })
  .strict();

export const ProposeInput = z
  .object({
    solutions: z.array(z.enum(['refund', 'exchange', 'compensation', 'apology', 'repair', 'training', 'improvement', 'other'])).min(1),
    amount: z.number().min(0).max(100_000_000).default(0),
    description: text(8000),
  })
  .strict();

export const DecisionInput = z.object({ comment: z.string().trim().max(4000).optional() }).strict();
export const RejectInput = z.object({ comment: text(4000) }).strict();

export const AnswerInput = z
  .object({
    text: text(8000),
    method: z.enum(['phone', 'sms', 'email', 'letter', 'in_person', 'portal']),
    written: z.boolean().default(false),
    /** Suggestions only: whether the suggestion was adopted. */
    adopted: z.boolean().optional(),
  })
  .strict();

export const PendInput = z.object({ reason: text(2000), expectedBy: z.iso.datetime({ offset: true }).optional() }).strict();

export const EmptyInput = z.object({}).strict();

export const RequestExtensionInput = z
  .object({
    reason: text(2000),
    duration: z.string().regex(/^\d+(\.\d+)?(m|h|d|w|wd|wh)$/, '时长格式如 2wd、3d、8h|Duration like 2wd, 3d or 8h|時長格式如 2wd、3d、8h'),
    special: z.boolean().default(false),
  })
  .strict();

const score = z.number().int().min(1).max(5);
export const FollowUpInput = z
  .object({
    reached: z.boolean(),
    method: z.enum(['phone', 'sms', 'email', 'survey', 'visit']).default('phone'),
    satisfaction: z.enum(['very_satisfied', 'satisfied', 'neutral', 'unsatisfied']).optional(),
    scores: z.object({ attitude: score.optional(), efficiency: score.optional(), result: score.optional() }).strict().optional(),
    comment: z.string().max(4000).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.reached && !v.satisfaction) ctx.addIssue({ code: 'custom', path: ['satisfaction'], message: '联系上客户时必须记录满意度|Satisfaction is required when the customer was reached|聯繫上客戶時必須記錄滿意度' });
  });

export const CloseInput = z.object({ note: z.string().max(4000).optional() }).strict();
export const NoteInput = z.object({ text: text(8000), internal: z.boolean().default(true) }).strict();
/** 催办: a manager urges the handler of a case on; what they ask for, optional (the event says who and when). */
export const UrgeInput = z.object({ comment: z.string().trim().max(2000).optional() }).strict();

/** Inputs of the system actions the deadline sweeper performs. */
export const ClockInput = z.object({ clock: z.string().min(1) }).strict();
export const RaiseGradeInput = z.object({ clock: z.string().min(1), to: z.string().min(1) }).strict();

/** A stored file as a transition records it (the bytes live content-addressed by `sha256`). */
const fileRef = z.object({ id, name: z.string().min(1).max(255), size: z.number().int().min(0), contentType: z.string().max(100) });

/**
 * What the customer adds to an open case (portal or e-mail reply). Attachments are stored by the
 * channel before the transition; the event records their ids and names.
 */
export const SupplementInput = z
  .object({
    text: z.string().trim().max(8000).default(''),
    via: z.enum(['portal', 'email']),
    attachments: z.array(fileRef.strict()).max(20).default([]),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (!v.text && v.attachments.length === 0) ctx.addIssue({ code: 'custom', path: ['text'], message: '请填写补充内容或添加附件|Write something or attach a file|請填寫補充內容或添加附件' });
  });

/**
 * The customer contacted Kesu again about an open case and staff add that contact to it instead of
 * opening a duplicate (issue 13 §1, intake "add this call to that case"): what was said, the
 * channel (one of the policy's) and, for a call, the telephony call id.
 */
export const AddContactInput = z
  .object({
    text: text(8000),
    channel: z.string().trim().min(1).max(40),
    callId: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

/**
 * Staff tried to reach the customer during handling and could not (联系客户未果): how they tried and
 * an optional note. A rule clock with an `unreachable` limit is re-timed by it (002 篇7: 24 h → 48 h).
 */
export const ContactFailedInput = z
  .object({
    method: z.enum(['phone', 'sms', 'email', 'letter', 'visit']),
    note: z.string().trim().max(2000).optional(),
  })
  .strict();

/**
 * Files staff add to a case (photos, documents). Only the upload endpoint builds this input
 * (POST /api/v1/complaints/{id}/attachments): the files are stored and their rows written in the
 * transition's transaction; the event records each file's name, size, type and SHA-256.
 */
export const AttachInput = z
  .object({
    attachments: z
      .array(fileRef.extend({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict())
      .min(1)
      .max(20),
    /** What the files show, e.g. "破损外包装照片" (optional). */
    text: z.string().trim().max(2000).optional(),
  })
  .strict();

/**
 * Inputs of the absence job's transitions (services/absences.ts): a case passes to a stand-in
 * while its primary handler or an approver it waits for is away, and — when the policy says so —
 * back to the primary handler when the absence ends.
 */
export const StandInInput = z
  .object({
    absenceId: id,
    /** The person away. */
    absentId: id,
    duty: z.enum(['primary_handler', 'approval']),
    /** The stand-in the absence names, if any (tried after the backup handler). */
    standInId: id.optional(),
    /** When the absence ends. */
    until: z.iso.datetime({ offset: true }),
  })
  .strict();

export const ReturnFromAbsenceInput = z
  .object({
    absenceId: id,
    /** The primary handler coming back. */
    absentId: id,
    /** Who stood in (the case's primary handler now). */
    standInId: id,
    /** The backup handler before the handover, restored beside the primary. */
    backupHandlerId: id.nullable(),
  })
  .strict();

/**
 * Completing a duty of the case (issue 10 §2). Only its endpoint builds this input
 * (POST /api/v1/complaints/{id}/duties/{dutyId}/complete): it reads the open duty (`dutyId`, its
 * `code`) and the case's files named in `attachmentIds`; the record each duty needs
 * (domain/duties/duties.ts `recordProblems`) is the guard's.
 */
export const CompleteDutyInput = z
  .object({
    dutyId: id,
    code: text(48),
    text: z.string().trim().max(4000).optional(),
    result: z.enum(['ok', 'not_ok']).optional(),
    attachments: z
      .array(fileRef.extend({ sha256: z.string() }).strict())
      .max(20)
      .default([]),
  })
  .strict();

/** What a caller sends to complete a duty (the endpoint adds the duty and resolves the files). */
export const CompleteDutyBody = z
  .object({
    text: z.string().trim().max(4000).optional(),
    result: z.enum(['ok', 'not_ok']).optional(),
    attachmentIds: z.array(id).max(20).default([]),
  })
  .strict();

/**
 * `recalculate_clocks` (system): the running clocks counted again after a holiday list changed
 * (services/recalculate-clocks.ts). `region`: the holiday region whose list changed; `revision`:
 * its change counter at the time, so the timeline can say which change moved the times.
 */
export const RecalculateClocksInput = z.object({ region: z.string().min(1).max(16), revision: z.number().int().min(0) }).strict();
