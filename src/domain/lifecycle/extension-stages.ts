/**
 * Extensions (延期) of the promised time (the `resolve` clock), in the policy's single form or in
 * stages (issue 10 §5). The single form is one cumulative maximum (`max`, `specialMax` for a
 * request marked special) granted at one level, any number of times. With `stages`, the n-th
 * extension granted on a case is at stage n: the stage names its cumulative maximum, the level
 * that grants it, the grades and categories it is for and whether the request must be special;
 * and no stage is requested or granted once the promised time has passed.
 */
import { addDuration, parseDuration, tickingBetween, type WorkingCalendar } from '../calendar/index.js';
import type { ExtensionStage, Policy } from '../policy/index.js';
import type { Clock, Complaint } from '../complaint/types.js';
import { fieldProblem, type FieldProblem } from '../errors.js';

/**
 * Whether the extensions granted on `c` plus `extra` together stay within `max`, measured in the
 * unit of `max` on the case's calendar (from now: `2wd` is two working days wherever it falls).
 */
export function withinMaximum(c: Pick<Complaint, 'extensions'>, extra: string, max: string, now: Date, calendar: WorkingCalendar): boolean {
  const limit = parseDuration(max);
  let due = now;
  for (const e of [...c.extensions, extra]) due = addDuration(due, e, calendar).due!;
  const used = tickingBetween(now, due, limit.unit, calendar);
  const allowed = tickingBetween(now, addDuration(now, limit, calendar).due!, limit.unit, calendar);
  return used <= allowed + 1000;
}

/** The stage `c`'s next extension (or the one waiting) is at, numbered from 1; undefined without stages or when all are used. */
export function extensionStage(c: Pick<Complaint, 'extensions'>, policy: Policy): { number: number; stage: ExtensionStage } | undefined {
  const stage = policy.extension?.stages?.[c.extensions.length];
  return stage && { number: c.extensions.length + 1, stage };
}

/** The approval level that decides on `c`'s extension request: its stage's, else the single form's; null when none can. */
export function extensionLevel(c: Pick<Complaint, 'extensions'>, policy: Policy): string | null {
  const ext = policy.extension;
  if (!ext) return null;
  return ext.stages ? (extensionStage(c, policy)?.stage.approvalLevel ?? null) : (ext.approvalLevel ?? null);
}

/**
 * The promised time has passed: the resolve clock was marked breached, or runs past its due
 * time (the sweeper may not have marked it yet). A paused clock has no due time and has not passed.
 */
export function promisePassed(resolve: Clock | undefined, now: Date): boolean {
  if (!resolve) return false;
  if (resolve.breachedAt !== null) return true;
  return resolve.status === 'running' && resolve.dueAt !== null && Date.parse(resolve.dueAt) <= now.getTime();
}

/**
 * Why a staged policy refuses extending `c` by `duration` now (at request and again at grant);
 * null when it may. Only for a policy with `extension.stages`.
 */
export function stageRefusal(
  c: Pick<Complaint, 'extensions' | 'grade' | 'category'>,
  resolve: Clock | undefined,
  request: { duration: string; special: boolean },
  ctx: { policy: Policy; now: Date; calendar: WorkingCalendar },
): { detail: string; fields: FieldProblem[] } | null {
  const stages = ctx.policy.extension?.stages ?? [];
  if (promisePassed(resolve, ctx.now))
    return { detail: 'the promised time has passed', fields: [fieldProblem('duration', '承诺时限已过，不能再延期', 'The promised time has passed: it can no longer be extended', '承諾時限已過，不能再延期')] };
  const next = extensionStage(c, ctx.policy);
  if (!next)
    return { detail: `all ${stages.length} stages used`, fields: [fieldProblem('duration', `${stages.length} 个阶段的延期都已用完`, `All ${stages.length} extension stages have been used`, `${stages.length} 個階段的延期都已用完`)] };
  const { number, stage } = next;
  const grade = c.grade ?? ctx.policy.defaultGrade;
  if (stage.grades && !stage.grades.includes(grade))
    return {
      detail: `stage ${number} is for grades ${stage.grades.join(', ')}`,
      fields: [
        fieldProblem('duration', `第 ${number} 阶段延期只适用于等级 ${stage.grades.join('、')}`, `Extension stage ${number} is only for grades ${stage.grades.join(', ')}`, `第 ${number} 階段延期只適用於等級 ${stage.grades.join('、')}`),
      ],
    };
  if (stage.categories && !(c.category !== null && stage.categories.includes(c.category)))
    return {
      detail: `stage ${number} is for categories ${stage.categories.join(', ')}`,
      fields: [
        fieldProblem(
          'duration',
          `第 ${number} 阶段延期只适用于类别 ${stage.categories.join('、')}`,
          `Extension stage ${number} is only for categories ${stage.categories.join(', ')}`,
          `第 ${number} 階段延期只適用於類別 ${stage.categories.join('、')}`,
        ),
      ],
    };
  if (stage.special && !request.special)
    return {
      detail: `stage ${number} needs a special case`,
      fields: [fieldProblem('special', `第 ${number} 阶段延期须为特殊情况，并说明理由`, `Extension stage ${number} is for special cases only: mark it special and give the reason`, `第 ${number} 階段延期須為特殊情況，並說明理由`)],
    };
  if (!withinMaximum(c, request.duration, stage.max, ctx.now, ctx.calendar))
    return {
      detail: `stage ${number} max ${stage.max}`,
      fields: [fieldProblem('duration', `到第 ${number} 阶段为止延期累计不得超过 ${stage.max}`, `Through stage ${number}, extensions may not exceed ${stage.max} in total`, `到第 ${number} 階段為止延期累計不得超過 ${stage.max}`)],
    };
  return null;
}
