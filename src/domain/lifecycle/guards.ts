/**
 * Guard helpers the lifecycle table's actions share (machine.ts): an unknown policy code, the
 * single-form extension maximum, a system action's clock still running. Each answers a
 * `GuardRefusal` (or whether the rule holds); the table's own guards combine them.
 */
import { fieldProblem } from '../errors.js';
import type { Complaint } from '../complaint/types.js';
import type { ClockSet } from './clocks.js';
import { withinMaximum } from './extension-stages.js';
import type { Ctx, GuardRefusal } from './action-spec.js';

export function unknownCode(path: string, what: string, value: string): GuardRefusal {
  return {
    code: 'invalid_input',
    detail: `${path}: unknown ${what} '${value}'`,
    fields: [fieldProblem(path, `制度中没有此${what === 'category' ? '类别' : what === 'grade' ? '等级' : what === 'department' ? '部门' : '代码'}：${value}`, `Unknown ${what} in the policy: ${value}`)],
  };
}

/** Total extension granted so far plus `extra` within the single form's maximum (the schema requires it without stages). */
export function extensionWithinLimit(c: Complaint, extra: string, special: boolean, ctx: Ctx): boolean {
  const ext = ctx.policy.extension;
  if (!ext) return false;
  return withinMaximum(c, extra, (special ? ext.specialMax : ext.max)!, ctx.now, ctx.calendar);
}

/** System actions act on one running clock; a stale sweep (clock already stopped) is refused. */
export function clockRunning(clocks: ClockSet, kind: string): GuardRefusal | null {
  const clock = clocks.get(kind);
  return clock && clock.status === 'running' ? null : { code: 'illegal_transition', detail: `clock ${kind} is not running` };
}
