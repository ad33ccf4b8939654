/**
 * The form of a lifecycle action, built from the action's input schema that GET
 * /api/v1/lifecycle serves (the server's zod schemas in src/domain/lifecycle/inputs.ts as JSON
 * Schema): the fields, their order and nesting, types, enumerations, limits, defaults and which
 * are required all come from there. What a schema cannot say is added here per field, by path:
 * the label when it is not `action.f.<name>`, the widget when the type does not decide it,
 * choices taken from the policy or the staff list, fields shown only for some answers (the
 * server's cross-field rules) and values taken from the case. The server validates again and
 * answers field by field.
 *
 * No runtime imports but the import-free pickers.ts: test/web/action-forms.test.ts builds every
 * action's form in Node.
 */
import type { components } from '../../api/generated/openapi.js';
import { departmentFirst, handlerOptions, subjectEmployeeOptions, without } from './pickers.js';

type CaseView = components['schemas']['CaseView'];
type Policy = components['schemas']['Policy'];
type StaffEntry = components['schemas']['StaffEntry'];
type Lifecycle = components['schemas']['Lifecycle'];

export type NamePath = (string | number)[];
export type FieldKind = 'text' | 'textarea' | 'select' | 'multiselect' | 'checkbox' | 'number' | 'radio' | 'datetime' | 'rate' | 'checkgroup' | 'duration';
export interface Option {
  value: string | boolean | number;
  label: string;
  /** A person's department (people pickers filter and sort by it). */
  department?: string | null;
}
/** The options a field offers for the current values (the backup list without the primary). */
export type OptionsFor = (options: Option[], v: Record<string, any>) => Option[];
/** Units a duration picker offers, in this order: the policy's duration units (`2wd`, `3d`, `8h`). */
export const DURATION_UNITS = ['wd', 'd', 'h', 'wh'] as const;
export interface ActionField {
  name: NamePath;
  label: string;
  kind: FieldKind;
  options?: Option[];
  required?: boolean;
  initial?: unknown;
  help?: string;
  /** Smallest number accepted (number fields). */
  min?: number;
  /** Shown only when this returns true for the current values. */
  show?: (v: Record<string, any>) => boolean;
  /** Narrows or orders `options` by the current values. */
  optionsFor?: OptionsFor;
}

/** The subset of JSON Schema the forms read. */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: (string | number | boolean)[];
  items?: JsonSchema;
  default?: unknown;
  format?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
}

export type Translate = (key: string, options?: Record<string, unknown>) => string;

export interface FieldContext {
  /** The case the form acts on; null when there is none yet (the follow-up console's form). */
  view: CaseView | null;
  policy: Policy | null;
  staff: StaffEntry[];
  t: Translate;
  /** Policy text in the UI language. */
  pick: (text: { 'zh-CN': string; 'zh-TW'?: string; en?: string }) => string;
  /** Open cases per primary handler (GET /api/v1/directory/load), when the form loaded them. */
  loads?: ReadonlyMap<string, number>;
  /** An absence tag per person, when the console knows absences. */
  absence?: (id: string) => string | undefined;
}

/** What the UI adds to one field of a schema. */
export interface FieldHint {
  label?: string;
  kind?: FieldKind;
  /** The choices (replacing the schema's enumeration, or for a plain string). */
  options?: Option[];
  /** i18n prefix naming the schema's enumerated values: `method` → `method.phone`. */
  optionLabels?: string;
  /** Required in the UI where the schema leaves it to a cross-field rule. */
  required?: boolean;
  /** The initial value (else the schema's default). */
  initial?: unknown;
  help?: string;
  show?: (v: Record<string, any>) => boolean;
  optionsFor?: OptionsFor;
  /** Not asked for at all (e.g. `adopted` on anything but a suggestion). */
  omit?: boolean;
}

type Hints = (c: FieldContext) => Record<string, FieldHint>;

const yesNo = (yes: string, no: string): Option[] => [
  { value: true, label: yes },
  { value: false, label: no },
];

const deptNameOf =
  ({ policy, pick }: FieldContext) =>
  (code: string) => {
    const d = policy?.departments.find((x) => x.code === code);
    return d ? pick(d.name) : code;
  };

/** Handlers with department and load; ⚠ on people the case names as complained about. */
const handlers = (c: FieldContext): Option[] =>
  handlerOptions(c.staff, { deptName: deptNameOf(c), loads: c.loads, absence: c.absence, loadText: (n) => c.t('picker.load', { count: n }) }, (id) => !!c.view?.complaint.subject.employeeIds.includes(id));

const departments = ({ policy, pick }: FieldContext): Option[] => (policy?.departments ?? []).map((d) => ({ value: d.code, label: pick(d.name) }));
/** Where a case may be sent: a deactivated department takes no new work (the server's route guard refuses it too). */
const routableDepartments = ({ policy, pick }: FieldContext): Option[] => (policy?.departments ?? []).filter((d) => d.active !== false).map((d) => ({ value: d.code, label: pick(d.name) }));

const route: Hints = (c) => {
  const k = c.view?.complaint;
  const suggested = c.policy?.categories.find((x) => x.code === k?.category)?.department;
  return {
    departmentCode: { label: c.t('field.department'), kind: 'select', required: true, initial: k?.departmentCode ?? suggested, options: routableDepartments(c) },
    primaryHandlerId: { label: c.t('action.f.primary'), kind: 'select', initial: k?.primaryHandlerId ?? undefined, options: handlers(c), optionsFor: (o, v) => departmentFirst(o, v.departmentCode) },
    // The backup and co-handlers are other people than the primary (the server's rule says so too).
    backupHandlerId: { label: c.t('action.f.backup'), kind: 'select', initial: k?.backupHandlerId ?? undefined, options: handlers(c), optionsFor: (o, v) => departmentFirst(without(o, [v.primaryHandlerId]), v.departmentCode) },
    coHandlerIds: { label: c.t('action.f.coHandlers'), initial: k?.coHandlerIds, options: handlers(c), optionsFor: (o, v) => without(o, [v.primaryHandlerId, v.backupHandlerId]) },
  };
};
const reject: Hints = ({ t }) => ({ comment: { label: t('action.f.rejectComment') } });

/** Per action, per field path (`responsibility.type`): what the UI adds to the schema. */
export const HINTS: Record<string, Hints> = {
  judge: ({ t, policy, pick }) => {
    const invalid = (v: Record<string, any>) => v.valid === false;
    return {
      valid: { kind: 'radio', initial: true, options: yesNo(t('action.f.validYes'), t('action.f.validNo')) },
      reason: { label: t('action.f.invalidReason'), kind: 'select', required: true, show: invalid, options: (policy?.validity.invalidReasons ?? []).map((r) => ({ value: r.code, label: pick(r.name) })) },
      explanation: { required: true, show: invalid, help: t('action.f.explanationHelp') },
      malicious: { show: invalid },
    };
  },
  classify: ({ t, policy, pick, view }) => ({
    category: { label: t('field.category'), kind: 'select', options: (policy?.categories ?? []).map((x) => ({ value: x.code, label: pick(x.name) })) },
    grade: { label: t('field.grade'), kind: 'radio', initial: policy?.defaultGrade, options: (policy?.grades ?? []).map((g) => ({ value: g.code, label: pick(g.name) })) },
    customerClass: { label: t('field.customerClass'), kind: 'select', initial: view?.complaint.complainant.customerClass, options: ['A', 'B', 'C', 'D'].map((x) => ({ value: x, label: x })) },
  }),
  route,
  reroute: route,
  investigate: (c) => {
    const k = c.view?.complaint;
    return {
      'responsibility.type': { label: c.t('action.f.responsibility'), kind: 'radio', initial: k?.findings?.responsibility.type, optionLabels: 'responsibility' },
      'responsibility.departmentCode': {
        label: c.t('action.f.responsibleDepartment'),
        kind: 'select',
        initial: k?.departmentCode ?? undefined,
        options: departments(c),
        show: (v) => ['department', 'employee'].includes(v.responsibility?.type),
      },
      'responsibility.employeeId': {
        label: c.t('action.f.responsibleEmployee'),
        kind: 'select',
        options: subjectEmployeeOptions(c.staff, null, deptNameOf(c)),
        // Among the people of the responsible department, once one is chosen.
        optionsFor: (o, v) => (v.responsibility?.departmentCode ? o.filter((x) => x.department === v.responsibility.departmentCode) : o),
        show: (v) => v.responsibility?.type === 'employee',
      },
      'responsibility.note': { kind: 'text' },
    };
  },
  propose: ({ t, view }) => {
    // After a 驳回 the case keeps the rejected proposal: the new one starts from it (issue 14 §4).
    const before = view?.complaint.proposal;
    return {
      solutions: { optionLabels: 'solution', ...(before ? { initial: before.solutions } : {}) },
      amount: { label: t('field.amount'), ...(before ? { initial: before.amount } : {}) },
      description: { label: t('action.f.solutionText'), ...(before ? { initial: before.description } : {}) },
    };
  },
  reject,
  refuse_extension: reject,
  answer: ({ t, view }) => ({
    text: { label: t('action.f.answerText') },
    method: { optionLabels: 'method', initial: 'phone' },
    adopted: { kind: 'radio', required: true, options: yesNo(t('common.yes'), t('common.no')), omit: view?.complaint.kind !== 'suggestion' },
  }),
  pend: ({ t }) => ({ reason: { label: t('action.f.pendReason') } }),
  request_extension: ({ t, policy, view }) => ({
    reason: { label: t('action.f.extensionReason') },
    duration: { kind: 'duration', help: extensionHelp(t, policy, view) },
  }),
  follow_up: ({ t, policy }) => {
    const reached = (v: Record<string, any>) => v.reached !== false;
    return {
      reached: { kind: 'radio', initial: true, options: yesNo(t('action.f.reachedYes'), t('action.f.reachedNo')) },
      method: { options: (policy?.followUp.methods ?? ['phone']).map((x) => ({ value: x, label: t(`method.${x}`) })) },
      satisfaction: { label: t('field.satisfaction'), kind: 'radio', required: true, show: reached, optionLabels: 'satisfaction' },
      'scores.attitude': { label: t('score.attitude'), show: reached },
      'scores.efficiency': { label: t('score.efficiency'), show: reached },
      'scores.result': { label: t('score.result'), show: reached },
    };
  },
  close: ({ t }) => ({ note: { label: t('action.f.closeNote') } }),
  note: ({ t }) => ({ text: { label: t('action.f.noteText') } }),
  urge: ({ t }) => ({ comment: { label: t('action.f.urgeComment'), kind: 'textarea' } }),
  add_contact: ({ t, policy }) => ({
    text: { label: t('action.f.contactText') },
    channel: { kind: 'select', initial: 'phone', options: (policy?.channels ?? ['phone']).map((x) => ({ value: x, label: t(`channel.${x}`, { defaultValue: x }) })) },
    callId: { label: t('action.f.callId') },
  }),
  contact_failed: () => ({ method: { optionLabels: 'method', initial: 'phone' } }),
};

/** The limits of the next extension: the single form's two maxima, or the stage the case is at (issue 10 §5). */
function extensionHelp(t: Translate, policy: Policy | null | undefined, view: CaseView | null | undefined): string {
  const ext = policy?.extension;
  if (!ext?.stages) return t('action.f.durationLimits', { max: durationText(t, ext?.max), special: durationText(t, ext?.specialMax) });
  const n = view?.complaint.extensions.length ?? 0;
  const stage = ext.stages[n];
  if (!stage) return t('action.f.durationStagesUsed');
  return t(stage.special ? 'action.f.durationStageSpecial' : 'action.f.durationStage', { n: n + 1, max: durationText(t, stage.max) });
}

/** A policy duration code in words ("2wd" → "2 个工作日"); '—' when there is none. */
function durationText(t: Translate, code: string | undefined): string {
  const m = code ? /^(\d+(?:\.\d+)?)(m|h|d|w|wd|wh)$/.exec(code) : null;
  return m ? t(`policyUnit.${m[2]}`, { count: Number(m[1]) }) : (code ?? '—');
}

/** The duration code a picker's number and unit make ("2" + "wd" → "2wd"); undefined until both are given. */
export function durationCode(amount: number | null | undefined, unit: string | null | undefined): string | undefined {
  if (amount === null || amount === undefined || !Number.isFinite(amount) || !unit) return undefined;
  return `${Number(amount.toFixed(2))}${unit}`;
}

/** The picker's number and unit for a duration code ("2wd" → 2, "wd"); the unit alone for anything else. */
export function splitDuration(code: unknown): { amount: number | null; unit: string } {
  const m = typeof code === 'string' ? /^(\d+(?:\.\d+)?)([a-z]+)$/.exec(code) : null;
  return m ? { amount: Number(m[1]), unit: m[2]! } : { amount: null, unit: DURATION_UNITS[0] };
}

/** The widget a schema asks for when no hint names one. */
function kindOf(s: JsonSchema): FieldKind {
  if (s.type === 'boolean') return 'checkbox';
  if (s.type === 'array') return s.items?.enum ? 'checkgroup' : 'multiselect';
  if (s.enum) return 'select';
  if (s.type === 'integer' && s.minimum === 1 && s.maximum === 5) return 'rate';
  if (s.type === 'number' || s.type === 'integer') return 'number';
  if (s.format === 'date-time') return 'datetime';
  return s.maxLength !== undefined && s.maxLength <= 200 ? 'text' : 'textarea';
}

/** Leaves of an object schema in order, with whether each is required (a nested one only when its parent is). */
export function schemaFields(schema: JsonSchema, path: string[] = [], required = true): { path: string[]; schema: JsonSchema; required: boolean }[] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, s]) => {
    const here = [...path, name];
    const req = required && (schema.required ?? []).includes(name);
    return s.type === 'object' && s.properties ? schemaFields(s, here, req) : [{ path: here, schema: s, required: req }];
  });
}

/** The input schema of an action in the lifecycle table. */
export function inputOf(lifecycle: Lifecycle | null, action: string): JsonSchema | null {
  return (lifecycle?.actions.find((a) => a.name === action)?.input as JsonSchema | undefined) ?? null;
}

/** The fields of an action's form. */
export function actionFields(action: string, input: JsonSchema | null, c: FieldContext): ActionField[] {
  if (!input) return [];
  const hints = HINTS[action]?.(c) ?? {};
  return schemaFields(input).flatMap(({ path, schema, required }): ActionField[] => {
    const h = hints[path.join('.')] ?? {};
    if (h.omit) return [];
    const values = schema.enum ?? schema.items?.enum;
    const options = h.options ?? values?.map((v) => ({ value: v, label: h.optionLabels ? c.t(`${h.optionLabels}.${String(v)}`) : String(v) }));
    return [
      {
        name: path,
        label: h.label ?? c.t(`action.f.${path[path.length - 1]}`),
        kind: h.kind ?? kindOf(schema),
        ...(options ? { options } : {}),
        required: h.required ?? required,
        initial: 'initial' in h ? h.initial : schema.default,
        ...(h.help ? { help: h.help } : {}),
        ...(schema.minimum !== undefined ? { min: schema.minimum } : {}),
        ...(h.show ? { show: h.show } : {}),
        ...(h.optionsFor ? { optionsFor: h.optionsFor } : {}),
      },
    ];
  });
}
