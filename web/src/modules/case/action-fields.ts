/**
 * What each lifecycle action asks for, as form fields (the server's input schemas in
 * src/domain/lifecycle/inputs.ts; the server validates again and answers field by field).
 */
import type { TFunction } from 'i18next';
import type { CaseView, Policy, User } from '../../api/types';
import type { NamePath } from '../../shared/forms';
import { pick } from '../../i18n';
import type { Lookups } from '../../app/session';

export type FieldKind = 'text' | 'textarea' | 'select' | 'multiselect' | 'checkbox' | 'number' | 'radio' | 'datetime' | 'rate' | 'checkgroup';
export interface Option {
  value: string | boolean | number;
  label: string;
}
export interface ActionField {
  name: NamePath;
  label: string;
  kind: FieldKind;
  options?: Option[];
  required?: boolean;
  initial?: unknown;
  help?: string;
  /** Shown only when this returns true for the current values. */
  show?: (v: Record<string, any>) => boolean;
}

const handlers = (staff: User[], view: CaseView) =>
  staff
    .filter((u) => u.active && u.roles.includes('handler'))
    .map((u) => ({ value: u.id, label: u.name + (view.complaint.subject.employeeIds.includes(u.id) ? ' ⚠' : '') }));

export function actionFields(action: string, view: CaseView, policy: Policy | null, staff: User[], lk: Lookups, t: TFunction): ActionField[] {
  const c = view.complaint;
  const depts = (policy?.departments ?? []).map((d) => ({ value: d.code, label: pick(d.name) }));
  const text = (name: string, label: string, required = false, kind: FieldKind = 'textarea'): ActionField => ({ name: [name], label, kind, required });
  switch (action) {
    case 'judge':
      return [
        { name: ['valid'], label: t('action.f.valid'), kind: 'radio', required: true, initial: true, options: [{ value: true, label: t('action.f.validYes') }, { value: false, label: t('action.f.validNo') }] },
        { name: ['reason'], label: t('action.f.invalidReason'), kind: 'select', required: true, show: (v) => v.valid === false, options: (policy?.validity.invalidReasons ?? []).map((r) => ({ value: r.code, label: pick(r.name) })) },
        { name: ['explanation'], label: t('action.f.explanation'), kind: 'textarea', required: true, show: (v) => v.valid === false, help: t('action.f.explanationHelp') },
        { name: ['malicious'], label: t('action.f.malicious'), kind: 'checkbox', show: (v) => v.valid === false },
      ];
    case 'classify':
      return [
        { name: ['category'], label: t('field.category'), kind: 'select', required: true, options: (policy?.categories ?? []).map((x) => ({ value: x.code, label: pick(x.name) })) },
        { name: ['grade'], label: t('field.grade'), kind: 'radio', required: true, initial: policy?.defaultGrade, options: (policy?.grades ?? []).map((g) => ({ value: g.code, label: pick(g.name) })) },
        { name: ['vicious'], label: t('action.f.vicious'), kind: 'checkbox' },
        { name: ['emergency'], label: t('action.f.emergency'), kind: 'checkbox' },
        { name: ['customerClass'], label: t('field.customerClass'), kind: 'select', initial: c.complainant.customerClass, options: ['A', 'B', 'C', 'D'].map((x) => ({ value: x, label: x })) },
      ];
    case 'route':
    case 'reroute': {
      const suggested = policy?.categories.find((x) => x.code === c.category)?.department;
      return [
        { name: ['departmentCode'], label: t('field.department'), kind: 'select', required: true, initial: c.departmentCode ?? suggested, options: depts },
        { name: ['primaryHandlerId'], label: t('action.f.primary'), kind: 'select', required: true, initial: c.primaryHandlerId ?? undefined, options: handlers(staff, view) },
        { name: ['backupHandlerId'], label: t('action.f.backup'), kind: 'select', initial: c.backupHandlerId ?? undefined, options: handlers(staff, view) },
        { name: ['coHandlerIds'], label: t('action.f.coHandlers'), kind: 'multiselect', initial: c.coHandlerIds, options: handlers(staff, view) },
      ];
    }
    case 'accept':
      return [text('note', t('action.f.note'))];
    case 'investigate':
      return [
        text('facts', t('action.f.facts'), true),
        text('cause', t('action.f.cause'), true),
        {
          name: ['responsibility', 'type'],
          label: t('action.f.responsibility'),
          kind: 'radio',
          required: true,
          initial: c.findings?.responsibility.type,
          options: ['department', 'employee', 'customer', 'misunderstanding', 'none'].map((x) => ({ value: x, label: t(`responsibility.${x}`) })),
        },
        { name: ['responsibility', 'departmentCode'], label: t('action.f.responsibleDepartment'), kind: 'select', initial: c.departmentCode ?? undefined, options: depts, show: (v) => ['department', 'employee'].includes(v.responsibility?.type) },
        { name: ['responsibility', 'employeeId'], label: t('action.f.responsibleEmployee'), kind: 'select', options: staff.map((u) => ({ value: u.id, label: u.name })), show: (v) => v.responsibility?.type === 'employee' },
        { name: ['responsibility', 'note'], label: t('action.f.note'), kind: 'text' },
      ];
    case 'propose':
      return [
        { name: ['solutions'], label: t('action.f.solutions'), kind: 'checkgroup', required: true, options: ['refund', 'exchange', 'compensation', 'apology', 'repair', 'training', 'improvement', 'other'].map((x) => ({ value: x, label: t(`solution.${x}`) })) },
        { name: ['amount'], label: t('field.amount'), kind: 'number', initial: 0 },
        text('description', t('action.f.solutionText'), true),
      ];
    case 'approve':
    case 'grant_extension':
      return [text('comment', t('action.f.comment'))];
    case 'reject':
    case 'refuse_extension':
      return [text('comment', t('action.f.rejectComment'), true)];
    case 'answer':
      return [
        text('text', t('action.f.answerText'), true),
        { name: ['method'], label: t('action.f.method'), kind: 'select', required: true, initial: 'phone', options: ['phone', 'sms', 'email', 'letter', 'in_person', 'portal'].map((x) => ({ value: x, label: t(`method.${x}`) })) },
        { name: ['written'], label: t('action.f.written'), kind: 'checkbox' },
        ...(c.kind === 'suggestion'
          ? [{ name: ['adopted'], label: t('action.f.adopted'), kind: 'radio' as const, required: true, options: [{ value: true, label: t('common.yes') }, { value: false, label: t('common.no') }] }]
          : []),
      ];
    case 'pend':
      return [text('reason', t('action.f.pendReason'), true), { name: ['expectedBy'], label: t('action.f.expectedBy'), kind: 'datetime' }];
    case 'request_extension':
      return [
        text('reason', t('action.f.extensionReason'), true),
        { name: ['duration'], label: t('action.f.duration'), kind: 'text', required: true, help: t('action.f.durationHelp', { max: policy?.extension.max ?? '', special: policy?.extension.specialMax ?? '' }) },
        { name: ['special'], label: t('action.f.special'), kind: 'checkbox' },
      ];
    case 'follow_up':
      return followUpFields(policy, t);
    case 'close':
      return [text('note', t('action.f.closeNote'))];
    case 'note':
      return [text('text', t('action.f.noteText'), true), { name: ['internal'], label: t('action.f.internal'), kind: 'checkbox', initial: true }];
    default:
      void lk;
      return [];
  }
}

export function followUpFields(policy: Policy | null, t: TFunction): ActionField[] {
  const reached = (v: Record<string, any>) => v.reached !== false;
  return [
    { name: ['reached'], label: t('action.f.reached'), kind: 'radio', required: true, initial: true, options: [{ value: true, label: t('action.f.reachedYes') }, { value: false, label: t('action.f.reachedNo') }] },
    { name: ['method'], label: t('action.f.method'), kind: 'select', initial: 'phone', options: (policy?.followUp.methods ?? ['phone']).map((x) => ({ value: x, label: t(`method.${x}`) })) },
    { name: ['satisfaction'], label: t('field.satisfaction'), kind: 'radio', required: true, show: reached, options: ['very_satisfied', 'satisfied', 'neutral', 'unsatisfied'].map((x) => ({ value: x, label: t(`satisfaction.${x}`) })) },
    { name: ['scores', 'attitude'], label: t('score.attitude'), kind: 'rate', show: reached },
    { name: ['scores', 'efficiency'], label: t('score.efficiency'), kind: 'rate', show: reached },
    { name: ['scores', 'result'], label: t('score.result'), kind: 'rate', show: reached },
    { name: ['comment'], label: t('action.f.comment'), kind: 'textarea' },
  ];
}
