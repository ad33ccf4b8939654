/**
 * The one-step triage form (issue 14 §2): the fields of the actions judge, classify and route —
 * each built from its own input schema as the separate forms are (action-fields.ts) — nested
 * under the step (`classify.grade`), the way POST /api/v1/complaints/{id}/actions/triage takes
 * them and names its errors. The classification and routing steps are shown only while the
 * complaint is judged valid (an invalid one gets only the judgement, on the server too).
 *
 * No runtime imports but action-fields.ts (the Node tests import it).
 */
import { actionFields, inputOf, type ActionField, type FieldContext } from './action-fields.js';
import type { components } from '../../api/generated/openapi.js';

type Lifecycle = components['schemas']['Lifecycle'];

export const TRIAGE_STEPS = ['judge', 'classify', 'route'] as const;
export type TriageStep = (typeof TRIAGE_STEPS)[number];

/** Whether a step's fields are asked for, given the form's values. */
function stepShown(step: TriageStep, v: Record<string, any>): boolean {
  return step === 'judge' || v.judge?.valid !== false;
}

/** One step's fields under its name; its rules read the step's own values. */
function underStep(step: TriageStep, fields: ActionField[]): ActionField[] {
  return fields.map((f) => ({
    ...f,
    name: [step, ...f.name],
    show: (v: Record<string, any>) => stepShown(step, v) && (f.show ? f.show(v[step] ?? {}) : true),
    ...(f.optionsFor ? { optionsFor: (o: NonNullable<ActionField['options']>, v: Record<string, any>) => f.optionsFor!(o, v[step] ?? {}) } : {}),
  }));
}

/** The triage form's fields: judge, then classify, then route. */
export function triageFields(lifecycle: Lifecycle | null, c: FieldContext): ActionField[] {
  return TRIAGE_STEPS.flatMap((step) => underStep(step, actionFields(step, inputOf(lifecycle, step), c)));
}

/** The department the policy routes a category to (the route step's suggestion). */
export function routedDepartment(policy: FieldContext['policy'], category: unknown): string | undefined {
  return policy?.categories.find((x) => x.code === category)?.department ?? undefined;
}

/**
 * What the form sends: the steps that apply (only the judgement for an invalid complaint), each
 * with its own fields.
 */
export function triageBody(values: Record<string, any>): Record<string, unknown> {
  const body: Record<string, unknown> = { judge: values.judge ?? {} };
  if (values.judge?.valid === false) return body;
  body.classify = values.classify ?? {};
  body.route = values.route ?? {};
  return body;
}
