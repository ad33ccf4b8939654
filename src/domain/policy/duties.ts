/**
 * Duties (issue 10 §2): tasks a regulation asks for that are not state changes of a case — the
 * report back to the front desk within 2 h after finishing (001 篇2 §5/§8), the written report
 * within 24 h and the verification 8 h after completion (001 篇2 §6/§7), the investigation report
 * to the general manager (001 篇6), the pending-ledger reminder on the 4th of every month (002 篇7).
 *
 * A duty is created by a lifecycle action of a case (`on`) or by the calendar (`schedule`, an
 * organisation duty not tied to a case). Optional: a policy stored before this section existed
 * has none, and then no duty is ever created (`dutiesOf`).
 */
import { z } from 'zod';
import { isDurationText } from '../calendar/index.js';

const label = z.strictObject({ 'zh-CN': z.string().min(1).max(200), 'zh-TW': z.string().min(1).max(200), en: z.string().min(1).max(200) });
const duration = z.string().refine((s) => isDurationText(s), { message: '不是有效的时长（如 2h、1wd、3wd）|not a duration (e.g. 2h, 1wd, 3wd)|不是有效的時長（如 2h、1wd、3wd）' });

/** Who owns a duty: a role (any member), or a relation to the case resolved when it is created. */
export const DUTY_RELATIONS = ['primary_handler', 'backup_handler', 'first_responder', 'department_manager'] as const;
export type DutyRelation = (typeof DUTY_RELATIONS)[number];

/** What completing a duty must record: a note, a written report (text + an attachment), a verification (ok / not ok + text). */
export const DUTY_RECORDS = ['note', 'report', 'verification'] as const;
export type DutyRecordKind = (typeof DUTY_RECORDS)[number];

export const dutyDefinition = z
  .strictObject({
    code: z.string().regex(/^[a-z][a-z0-9_]{0,47}$/),
    name: label,
    /** The lifecycle action that creates it on the case (e.g. `answer`, `close`, `investigate`) … */
    on: z.string().min(1).max(64).optional(),
    /** … or a monthly schedule on the policy calendar (an organisation duty). */
    schedule: z
      .strictObject({
        monthDay: z.number().int().min(1).max(28),
        at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
        /** A monthDay that is not a working day moves to the next working day (default true). */
        nextWorkingDay: z.boolean().default(true),
      })
      .optional(),
    /** Only for cases of these grades (a case duty; absent: every grade). */
    grades: z.array(z.string().min(1).max(32)).min(1).optional(),
    /** `role:<role>` or one of DUTY_RELATIONS (a case duty only). */
    owner: z.string().min(1).max(64),
    /**
     * What `due` counts from (a case duty only): absent, the transition that creates the duty;
     * `receive`, the case's time of receipt (`receivedAt`) — a duty that can only be created once
     * its owner is known (e.g. `on: route`, the department concerned) but whose limit the
     * regulation counts from receipt (001 篇6 §6.1). Created after its due time, it is late at once.
     */
    from: z.enum(['receive']).optional(),
    /** Due after creation (or after `from`), on the policy calendar. */
    due: duration,
    record: z.enum(DUTY_RECORDS),
    /** Reminders: durations before the due time. */
    remind: z.array(duration).max(5).default([]),
    /** When late: notify this role. */
    escalateTo: z.string().min(1).max(32).optional(),
    /** Seed reference, for people reading the policy. */
    source: z.string().max(200).optional(),
  })
  .refine((d) => (d.on === undefined) !== (d.schedule === undefined), { message: '须且只能设置 on 或 schedule 之一|exactly one of `on` and `schedule`|須且只能設定 on 或 schedule 之一', path: ['on'] });

export const dutiesSection = z.array(dutyDefinition).max(50);
export type DutyDefinition = z.infer<typeof dutyDefinition>;

/** The policy's duties; none for a policy stored before the section existed. */
export function dutiesOf(policy: { duties?: DutyDefinition[] | undefined }): DutyDefinition[] {
  return policy.duties ?? [];
}
