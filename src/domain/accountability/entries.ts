/**
 * Which accountability entries (考核记录) a transition creates, read from the policy's
 * `accountability` rules (domain/policy/accountability.ts). Pure: the decision writer
 * (store/decisions.ts) calls it for each decision with the case as it stood before, and writes
 * what it returns in the transition's transaction (store/accountability.repository.ts).
 *
 * An entry names a person (`personId`) or, for a finding against a department, only a
 * department; the person's department is filled in by the writer from the staff table, as it
 * stands when the entry is made (the scorecard counts it there).
 */
import type { Complaint, Satisfaction } from '../complaint/types.js';
import type { Decision } from '../lifecycle/apply.js';
import type { Policy } from '../policy/index.js';
import type { AccountabilityRule } from '../policy/accountability.js';
import type { Entry } from './workflow.js';
import { isDeadlineClock } from '../lifecycle/clocks.js';

/** An entry as the rules propose it: the stored entry's own fields (workflow.ts `Entry`), before it has an id and a status. */
export type ProposedEntry = Pick<
  Entry,
  'complaintId' | 'complaintNumber' | 'sourceVersion' | 'sourceAction' | 'ruleCode' | 'trigger' | 'effect' | 'points' | 'amount' | 'amountMin' | 'amountMax' | 'personId' | 'departmentCode' | 'detail'
> & {
  /** Once per case and target: a re-investigation or a retried sweep makes no second entry. */
  dedupeKey: string;
  at: string;
};

type Target = { personId: string | null; departmentCode: string | null; key: string; detail?: Record<string, unknown> };

const PRAISE_DEFAULT: readonly Satisfaction[] = ['very_satisfied'];

/** The people or departments a rule's happening points at, or none when it did not happen. */
function targets(rule: AccountabilityRule, before: Complaint, after: Complaint, action: string, input: Record<string, unknown>): Target[] {
  const subjects = (prefix: string): Target[] => {
    const ids = before.subject.employeeIds;
    if (ids.length) return ids.map((id) => ({ personId: id, departmentCode: null, key: `${prefix}:person:${id}` }));
    return before.subject.departmentCode ? [{ personId: null, departmentCode: before.subject.departmentCode, key: `${prefix}:department:${before.subject.departmentCode}` }] : [];
  };
  /** Who answered the customer in the cycle the follow-up judged (before re-handling cleared it). */
  const answerer = (): string | null => before.answer?.answeredBy ?? before.primaryHandlerId;
  switch (rule.on) {
    case 'valid_complaint':
      return action === 'judge' && input.valid === true ? subjects('valid') : [];
    case 'malicious_complaint':
      return action === 'judge' && input.valid === false && input.malicious === true ? subjects('malicious') : [];
    case 'responsibility': {
      if (action !== 'investigate' || !after.findings) return [];
      const r = after.findings.responsibility;
      const against = rule.against ?? ['employee', 'department'];
      if (r.type === 'employee' && r.employeeId && against.includes('employee')) return [{ personId: r.employeeId, departmentCode: null, key: `responsibility:person:${r.employeeId}` }];
      const dept = r.departmentCode ?? after.departmentCode;
      if (r.type === 'department' && dept && against.includes('department')) return [{ personId: null, departmentCode: dept, key: `responsibility:department:${dept}` }];
      return [];
    }
    case 'breach': {
      const clock = typeof input.clock === 'string' ? input.clock : null;
      if (action !== 'breach' || !clock) return [];
      if (rule.clocks ? !rule.clocks.includes(clock) : !isDeadlineClock(clock)) return [];
      const key = `breach:${clock}:${before.cycle}`;
      const detail = { clock, cycle: before.cycle };
      if (before.primaryHandlerId) return [{ personId: before.primaryHandlerId, departmentCode: null, key, detail }];
      return before.departmentCode ? [{ personId: null, departmentCode: before.departmentCode, key, detail }] : [];
    }
    case 'reopen': {
      const who = answerer();
      if (action !== 'follow_up' || after.cycle <= before.cycle || !who) return [];
      return [{ personId: who, departmentCode: null, key: `reopen:${before.cycle}`, detail: { cycle: before.cycle } }];
    }
    case 'praise': {
      const who = answerer();
      const level = after.followUp.satisfaction;
      if (action !== 'follow_up' || input.reached !== true || !level || !who || !(rule.levels ?? PRAISE_DEFAULT).includes(level)) return [];
      return [{ personId: who, departmentCode: null, key: `praise:${before.cycle}`, detail: { satisfaction: level } }];
    }
  }
}

/** The entries one decision creates under `policy`, given the case before it. */
export function entriesForDecision(policy: Policy, before: Complaint, d: Decision): ProposedEntry[] {
  const section = policy.accountability;
  const event = d.events[0];
  if (!section || !event?.action) return [];
  const input = ((event.data as { input?: unknown }).input ?? {}) as Record<string, unknown>;
  const after = d.complaint;
  const grade = after.grade ?? policy.defaultGrade;
  const out: ProposedEntry[] = [];
  for (const rule of section.rules) {
    if (rule.grades && !rule.grades.includes(grade)) continue;
    const range = typeof rule.amount === 'object' ? rule.amount : null;
    for (const t of targets(rule, before, after, event.action, input))
      out.push({
        complaintId: after.id,
        complaintNumber: after.number,
        sourceVersion: after.version,
        sourceAction: event.action,
        ruleCode: rule.code,
        trigger: rule.on,
        effect: rule.effect,
        points: rule.points,
        amount: typeof rule.amount === 'number' ? rule.amount : null,
        amountMin: range?.min ?? null,
        amountMax: range?.max ?? null,
        personId: t.personId,
        departmentCode: t.departmentCode,
        dedupeKey: t.key,
        detail: t.detail ?? {},
        at: event.at,
      });
  }
  return out;
}
