/**
 * Duties as data (issue 10 §2): which duties a transition creates on its case, when each is due
 * and reminded on the policy calendar, what its completion must record, and which monthly
 * organisation duties are due in a period. Pure: the decision writer (store/decisions.ts) and
 * the duty job (jobs/duties.ts) persist what these functions return.
 */
import { addDuration, parseDuration, type WorkingCalendar } from '../calendar/index.js';
import { dayNumToIsoDate, isoDateToDayNum, parseHhMm } from '../calendar/dates.js';
import type { Complaint } from '../complaint/types.js';
import type { Decision } from '../lifecycle/apply.js';
import { fieldProblem, type FieldProblem } from '../errors.js';
import { dutiesOf, type DutyDefinition } from '../policy/duties.js';
import type { Policy } from '../policy/index.js';

/** One duty as stored (case duty: complaintId set; organisation duty: period set). */
export interface Duty {
  id: string;
  code: string;
  complaintId: string | null;
  /** `YYYY-MM` of a scheduled duty; null for a case duty. */
  period: string | null;
  policyKey: string;
  createdAt: string;
  /** The transition that created a case duty (`answer` …) or `schedule`. */
  createdBy: string;
  ownerRole: string | null;
  ownerUserId: string | null;
  /** department_manager: the case's department, whose manager owns it. */
  ownerDepartment: string | null;
  dueAt: string;
  /** Reminder instants still to send, ascending. */
  remindAt: string[];
  /** The next time the job looks at it: the first reminder, else the due time; null when done or breached. */
  nextCheckAt: string | null;
  status: 'open' | 'done';
  breachedAt: string | null;
  completedAt: string | null;
  completedBy: string | null;
  record: DutyRecord | null;
}

/** What a completion records. */
export interface DutyRecord {
  text?: string | undefined;
  result?: 'ok' | 'not_ok' | undefined;
  attachments?: { name: string; sha256?: string | undefined }[] | undefined;
}

/** Due and reminder instants of a duty created at `start`. Reminders fall at start + (due − before), same unit (policy check). */
export function dutyTimes(def: DutyDefinition, start: Date, cal: WorkingCalendar): { dueAt: string; remindAt: string[] } {
  const due = parseDuration(def.due);
  const dueAt = addDuration(start, due, cal).due!.toISOString();
  const remindAt = def.remind
    .map((r) => parseDuration(r))
    .filter((r) => r.unit === due.unit && r.amount < due.amount)
    .map((r) => addDuration(start, `${due.amount - r.amount}${due.unit}`, cal).due!.toISOString())
    .filter((t) => t > start.toISOString() && t < dueAt)
    .sort();
  return { dueAt, remindAt: [...new Set(remindAt)] };
}

export function nextCheck(remindAt: readonly string[], dueAt: string): string {
  return remindAt[0] ?? dueAt;
}

/** The owner of a new case duty: a role, or the relation's person (the department's manager by department). */
function owner(def: DutyDefinition, c: Complaint): Pick<Duty, 'ownerRole' | 'ownerUserId' | 'ownerDepartment'> {
  const none = { ownerRole: null, ownerUserId: null, ownerDepartment: null };
  if (def.owner.startsWith('role:')) return { ...none, ownerRole: def.owner.slice(5) };
  switch (def.owner) {
    case 'primary_handler':
      return { ...none, ownerUserId: c.primaryHandlerId ?? null, ownerRole: c.primaryHandlerId ? null : 'specialist' };
    case 'backup_handler':
      return { ...none, ownerUserId: c.backupHandlerId ?? c.primaryHandlerId ?? null, ownerRole: (c.backupHandlerId ?? c.primaryHandlerId) ? null : 'specialist' };
    case 'first_responder':
      return { ...none, ownerUserId: c.firstResponderId };
    case 'department_manager':
      return { ...none, ownerDepartment: c.departmentCode ?? null, ownerRole: c.departmentCode ? null : 'specialist' };
    default:
      return { ...none, ownerRole: 'specialist' };
  }
}

/**
 * The case duties a decision creates: one per policy duty whose `on` is the decision's action,
 * owned as the case stands after it. `newId` names them (ids are minted outside the domain).
 */
export function dutiesForDecision(policy: Policy, d: Decision, cal: WorkingCalendar, newId: () => string): Duty[] {
  const action = d.events[0]?.action;
  if (!action) return [];
  const at = new Date(d.events[0]!.at);
  return dutiesOf(policy)
    .filter((def) => def.on === action && (!def.grades || def.grades.includes(d.complaint.grade ?? policy.defaultGrade)))
    .map((def) => {
      // Counted from receipt when the policy says so; a reminder that would fall before the duty exists is dropped.
      const from = def.from === 'receive' ? new Date(d.complaint.receivedAt) : at;
      const times = dutyTimes(def, from, cal);
      const dueAt = times.dueAt;
      const remindAt = times.remindAt.filter((t) => t > at.toISOString());
      return {
        id: newId(),
        code: def.code,
        complaintId: d.complaint.id,
        period: null,
        policyKey: d.complaint.policyKey,
        createdAt: at.toISOString(),
        createdBy: action,
        ...owner(def, d.complaint),
        dueAt,
        remindAt,
        nextCheckAt: nextCheck(remindAt, dueAt),
        status: 'open',
        breachedAt: null,
        completedAt: null,
        completedBy: null,
        record: null,
      };
    });
}

/**
 * Problems of a completion record for a duty of kind `kind` (paths are the input's fields): a
 * note needs text, a report text and at least one attachment, a verification a result and text.
 */
export function recordProblems(kind: DutyDefinition['record'], r: DutyRecord): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (!r.text?.trim())
    out.push(
      kind === 'report'
        ? fieldProblem('text', '书面报告须填写内容', 'A written report needs its text', '書面報告須填寫內容')
        : kind === 'verification'
          ? fieldProblem('text', '验证须填写说明', 'A verification needs its text', '驗證須填寫說明')
          : fieldProblem('text', '须填写说明', 'A note needs its text', '須填寫說明'),
    );
  if (kind === 'report' && !r.attachments?.length) out.push(fieldProblem('attachmentIds', '书面报告须附上本案的文件', 'A written report needs a file of the case', '書面報告須附上本案的檔案'));
  if (kind === 'verification' && r.result === undefined) out.push(fieldProblem('result', '须选择验证结果（合格 / 不合格）', 'Choose the verification result (ok / not ok)', '須選擇驗證結果（合格／不合格）'));
  return out;
}

/**
 * The instant a monthly duty is created in `period` (`YYYY-MM`): `monthDay` at `at` in the policy
 * calendar's zone, moved to the next working day when the policy says so.
 */
export function scheduledAt(def: DutyDefinition, period: string, cal: WorkingCalendar): Date {
  const s = def.schedule!;
  let day = isoDateToDayNum(`${period}-${String(s.monthDay).padStart(2, '0')}`);
  if (s.nextWorkingDay) for (let i = 0; i < 40 && !cal.isWorkingDate(dayNumToIsoDate(day)); i++) day += 1;
  return new Date(cal.instantAt(day, parseHhMm(s.at)!));
}

/** The `YYYY-MM` period of an instant in the calendar's zone. */
export function periodOf(now: Date, cal: WorkingCalendar): string {
  return dayNumToIsoDate(cal.dayOf(now.getTime())).slice(0, 7);
}

/** Scheduled duties whose creation time in the current period has come (the job inserts each once per period). */
export function scheduledDutiesDue(policy: Policy, now: Date, cal: WorkingCalendar, newId: () => string): Duty[] {
  const period = periodOf(now, cal);
  return dutiesOf(policy)
    .filter((def) => def.schedule && scheduledAt(def, period, cal).getTime() <= now.getTime())
    .map((def) => {
      const at = scheduledAt(def, period, cal);
      const { dueAt, remindAt } = dutyTimes(def, at, cal);
      return {
        id: newId(),
        code: def.code,
        complaintId: null,
        period,
        policyKey: '',
        createdAt: at.toISOString(),
        createdBy: 'schedule',
        ownerRole: def.owner.startsWith('role:') ? def.owner.slice(5) : 'specialist',
        ownerUserId: null,
        ownerDepartment: null,
        dueAt,
        remindAt: remindAt.filter((t) => t > now.toISOString()),
        nextCheckAt: nextCheck(
          remindAt.filter((t) => t > now.toISOString()),
          dueAt,
        ),
        status: 'open',
        breachedAt: null,
        completedAt: null,
        completedBy: null,
        record: null,
      };
    });
}
