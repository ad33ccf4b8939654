/**
 * Rules of a policy that relate several fields (references between codes, orderings, time limits
 * that contradict each other), the problem type and its formatting for the CLI, and the small
 * pure lookups the lifecycle engine uses (grade and level ranks, required approval level,
 * effective limits).
 *
 * `checkPolicy` only runs on a policy whose shape is already valid (see `load.ts`).
 */
import { AppError, type Locale } from '../errors.js';
import { message } from '../messages/index.js';
import { checkAccountability } from '../accountability/check.js';
import { checkDuties } from '../duties/check.js';
import { checkClockRules } from '../lifecycle/clock-rules.js';
import { CLOCK_NAMES, SATISFACTION_LEVELS, TIER_ROLES, splitDuration, type ClockLimits, type Policy } from './schema.js';

/** One thing wrong with a policy document. */
export interface PolicyProblem {
  /** Where: `grades[2].limits.resolve`, `categories[3].department`, `line 4, column 7`, or `''` for the whole document. */
  path: string;
  /** `zh-TW` is filled in by the reader (`load.ts`) from the simplified text when a rule gives none. */
  message: { 'zh-CN': string; 'zh-TW'?: string; en: string };
  /** 1-based line in the source text, when the problem could be located there. */
  line?: number;
  /** 1-based column in the source text, when known. */
  column?: number;
}

export function problem(path: string, zh: string, en: string): PolicyProblem {
  return { path, message: { 'zh-CN': zh, en } };
}

/** One line per problem, `path: message`, followed by the source line when known. */
export function formatProblems(problems: PolicyProblem[], locale: Locale): string {
  return problems
    .map((p) => {
      const where = p.path === '' ? message('policy.document', locale) : p.path;
      const located = p.line !== undefined && !p.path.startsWith('line ') ? message('policy.at_line', locale, { line: p.line }) : '';
      // zh-TW is filled in by the reader (load.ts); a problem made elsewhere falls back to zh-CN.
      const text = locale === 'zh-TW' ? (p.message['zh-TW'] ?? p.message['zh-CN']) : p.message[locale];
      return `${where}: ${text}${located}`;
    })
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// Lookups
// ---------------------------------------------------------------------------------------------

/** The key a complaint stores to remember the policy it started under. */
export function policyKey(p: Policy): string {
  return `${p.id}@${p.version}`;
}

/** Position of a grade from least (0) to most severe; -1 when the policy has no such grade. */
export function gradeRank(p: Policy, grade: string): number {
  return p.grades.findIndex((g) => g.code === grade);
}

/** Position of an approval level from least (0) to most authority; -1 when unknown. */
export function levelRank(p: Policy, level: string): number {
  return p.approval.levels.findIndex((l) => l.code === level);
}

/**
 * The approval level a proposal needs: the highest level among the rules that match (a rule
 * matches when the grade is in its `grades`, if given, and `amount >= minAmount`, if given);
 * `null` when no rule matches, i.e. no approval is needed.
 */
export function requiredApprovalLevel(p: Policy, grade: string, amount: number): string | null {
  let best: string | null = null;
  let bestRank = -1;
  for (const rule of p.approval.rules) {
    if (rule.grades !== undefined && !rule.grades.includes(grade)) continue;
    if (rule.minAmount !== undefined && !(amount >= rule.minAmount)) continue;
    const rank = levelRank(p, rule.level);
    if (rank > bestRank) {
      best = rule.level;
      bestRank = rank;
    }
  }
  return best;
}

/**
 * The grade whose limits apply: a vicious case is raised to at least `flags.vicious.minGrade`
 * (a policy without `flags.vicious` raises nothing).
 */
export function effectiveGrade(p: Policy, grade: string, flags: { vicious?: boolean } = {}): string {
  if (gradeRank(p, grade) < 0) throw new AppError('invalid_input', `policy ${policyKey(p)} has no grade "${grade}"`);
  const min = p.flags.vicious?.minGrade;
  if (flags.vicious && min !== undefined && gradeRank(p, min) > gradeRank(p, grade)) return min;
  return grade;
}

/**
 * The clock limits of a case: the limits of its grade (raised to `flags.vicious.minGrade` when
 * vicious), then `flags.vicious.limits` (when vicious) and `flags.emergency.limits` (when an
 * emergency) override them clock by clock. A clock absent from the result is not limited.
 */
export function limitsFor(p: Policy, grade: string, flags: { vicious?: boolean; emergency?: boolean }): ClockLimits {
  const code = effectiveGrade(p, grade, flags);
  const g = p.grades.find((x) => x.code === code);
  const out: ClockLimits = { ...g?.limits };
  if (flags.vicious && p.flags.vicious?.limits) overlay(out, p.flags.vicious.limits);
  if (flags.emergency && p.flags.emergency) overlay(out, p.flags.emergency.limits);
  return out;
}

function overlay(target: ClockLimits, over: ClockLimits): void {
  for (const k of CLOCK_NAMES) {
    const v = over[k];
    if (v !== undefined) target[k] = v;
  }
}

// ---------------------------------------------------------------------------------------------
// Comparing durations
// ---------------------------------------------------------------------------------------------

/**
 * Durations of the same family can be compared: calendar time (m, h, d, w, mo) — a month as 28 to
 * 31 days, so `1mo` is known to be longer than `27d` and shorter than `32d` but not compared with
 * `30d`; working time (wh, wd) with a working day as long as the policy's working hours. Calendar
 * time and working time are not compared (how they relate depends on when the clock starts), nor
 * are aligned durations (`2h@eod`, `eod`: how far the alignment moves depends on the instant).
 */
function measure(text: string, workdayMinutes: number): { family: 'calendar' | 'working'; min: number; max: number } | null {
  const d = splitDuration(text);
  if (!d || d.align !== undefined) return null;
  const exact = (family: 'calendar' | 'working', minutes: number) => ({ family, min: minutes, max: minutes });
  switch (d.unit) {
    case 'm':
      return exact('calendar', d.amount);
    case 'h':
      return exact('calendar', d.amount * 60);
    case 'd':
      return exact('calendar', d.amount * 1440);
    case 'w':
      return exact('calendar', d.amount * 10080);
    case 'mo':
      return { family: 'calendar', min: d.amount * 28 * 1440, max: d.amount * 31 * 1440 };
    case 'wh':
      return exact('working', d.amount * 60);
    case 'wd':
      return exact('working', d.amount * workdayMinutes);
  }
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

// ---------------------------------------------------------------------------------------------
// Cross-field checks
// ---------------------------------------------------------------------------------------------

const CLOCK_ZH: Record<(typeof CLOCK_NAMES)[number], string> = {
  triage: '判定分级时限 (triage)',
  dispatch: '分派时限 (dispatch)',
  first_response: '签收时限 (first_response)',
  resolve: '答复时限 (resolve)',
  approval: '审批时限 (approval)',
};

/** Every problem a valid-shaped policy has; empty when the policy is sound. */
export function checkPolicy(p: Policy): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  const add = (path: string, zh: string, en: string) => out.push(problem(path, zh, en));

  // --- codes -----------------------------------------------------------------------------------
  const unique = (items: readonly string[], path: (i: number) => string, what: [string, string]) => {
    const seen = new Map<string, number>();
    items.forEach((code, i) => {
      const first = seen.get(code);
      if (first !== undefined) add(path(i), `${what[0]}“${code}”重复（与第 ${first + 1} 项相同）`, `duplicate ${what[1]} "${code}" (same as item ${first + 1})`);
      else seen.set(code, i);
    });
  };
  const codes = <T extends { code: string }>(xs: readonly T[]) => xs.map((x) => x.code);
  const gradeCodes = codes(p.grades);
  const deptCodes = codes(p.departments);
  const levelCodes = codes(p.approval.levels);
  const list = (xs: readonly string[]) => xs.join(', ');
  const mustBeGrade = (path: string, code: string) => {
    if (!gradeCodes.includes(code)) add(path, `未定义的等级“${code}”（已定义：${list(gradeCodes)}）`, `no grade "${code}" is defined (grades: ${list(gradeCodes)})`);
  };
  const mustBeLevel = (path: string, code: string) => {
    if (!levelCodes.includes(code)) add(path, `未定义的审批级别“${code}”（已定义：${list(levelCodes)}）`, `no approval level "${code}" is defined (levels: ${list(levelCodes)})`);
  };

  unique(deptCodes, (i) => `departments[${i}].code`, ['部门代码', 'department code']);
  unique(codes(p.categories), (i) => `categories[${i}].code`, ['类别代码', 'category code']);
  unique(gradeCodes, (i) => `grades[${i}].code`, ['等级代码', 'grade code']);
  unique(levelCodes, (i) => `approval.levels[${i}].code`, ['审批级别代码', 'approval level code']);
  unique(codes(p.validity.invalidReasons), (i) => `validity.invalidReasons[${i}].code`, ['无效原因代码', 'invalid reason code']);
  unique(p.channels, (i) => `channels[${i}]`, ['渠道', 'channel']);

  // --- calendar --------------------------------------------------------------------------------
  unique(p.calendar.workingWeekdays.map(String), (i) => `calendar.workingWeekdays[${i}]`, ['工作日', 'working weekday']);
  const hoursInOrder = (path: string, hours: readonly { start: string; end: string }[]) => {
    let prevEnd = -1;
    hours.forEach((h, i) => {
      const s = minutesOf(h.start);
      const e = minutesOf(h.end);
      if (s === 24 * 60) add(`${path}[${i}].start`, '开始时间不能是 24:00', 'a working period cannot start at 24:00');
      if (s >= e) add(`${path}[${i}].end`, `结束时间 ${h.end} 必须晚于开始时间 ${h.start}`, `the end ${h.end} must be after the start ${h.start}`);
      else if (s < prevEnd) add(`${path}[${i}].start`, `工作时段须按时间先后排列且不重叠（${h.start} 早于上一时段的结束时间）`, `working periods must be in order and not overlap (${h.start} is before the end of the previous period)`);
      prevEnd = Math.max(prevEnd, e);
    });
  };
  hoursInOrder('calendar.workingHours', p.calendar.workingHours);
  const calendarNames = Object.keys(p.calendars ?? {});
  const clockOwner = new Map<string, string>();
  for (const [name, c] of Object.entries(p.calendars ?? {})) {
    if (c.workingHours) hoursInOrder(`calendars.${name}.workingHours`, c.workingHours);
    if (c.workingWeekdays) unique(c.workingWeekdays.map(String), (i) => `calendars.${name}.workingWeekdays[${i}]`, ['工作日', 'working weekday']);
    unique(
      (c.holidayList ?? []).map((d) => d.date),
      (i) => `calendars.${name}.holidayList[${i}].date`,
      ['日期', 'date'],
    );
    c.clocks.forEach((k, i) => {
      const other = clockOwner.get(k);
      if (other !== undefined) add(`calendars.${name}.clocks[${i}]`, `时钟“${k}”已归属日历“${other}”：一个时钟只能按一个日历计时`, `clock "${k}" is already counted on calendar "${other}": a clock counts on one calendar`);
      else clockOwner.set(k, name);
    });
  }
  unique(
    p.calendar.holidayList.map((d) => d.date),
    (i) => `calendar.holidayList[${i}].date`,
    ['日期', 'date'],
  );
  const realDates = (path: string, days: readonly { date: string }[]) =>
    days.forEach((d, i) => {
      const [y, m, day] = d.date.split('-').map(Number) as [number, number, number];
      if (new Date(Date.UTC(y, m - 1, day)).getUTCDate() !== day) add(`${path}[${i}].date`, `${d.date} 不是真实的日期`, `${d.date} is not a real date`);
    });
  realDates('calendar.holidayList', p.calendar.holidayList);
  for (const [name, c] of Object.entries(p.calendars ?? {})) realDates(`calendars.${name}.holidayList`, c.holidayList ?? []);
  const deskName = p.flags.emergency?.calendar;
  if (deskName !== undefined && !calendarNames.includes(deskName))
    add('flags.emergency.calendar', `未定义的日历“${deskName}”（已定义：${list(calendarNames) || '无'}）`, `no calendar "${deskName}" is defined under calendars (calendars: ${list(calendarNames) || 'none'})`);
  const workdayMinutes = p.calendar.workingHours.reduce((sum, h) => sum + Math.max(0, minutesOf(h.end) - minutesOf(h.start)), 0);
  /** a − b in minutes, or null when the two cannot be compared. */
  const diff = (a: string, b: string): number | null => {
    const x = measure(a, workdayMinutes);
    const y = measure(b, workdayMinutes);
    if (!x || !y || x.family !== y.family) return null;
    // Certainly longer, certainly not longer, or unknown (ranges overlap: 1mo against 30d).
    if (x.min > y.max) return x.min - y.max;
    if (x.max <= y.min) return x.max - y.min;
    return null;
  };

  // --- kinds -----------------------------------------------------------------------------------
  if (!p.kinds.complaint.enabled && !p.kinds.inquiry.enabled && !p.kinds.suggestion.enabled) add('kinds', '投诉、咨询、建议至少要启用一种', 'at least one of complaint, inquiry and suggestion must be enabled');

  // --- categories ------------------------------------------------------------------------------
  p.categories.forEach((c, i) => {
    if (c.department !== undefined && !deptCodes.includes(c.department))
      add(`categories[${i}].department`, `未定义的部门“${c.department}”（已定义：${list(deptCodes)}）`, `no department "${c.department}" is defined (departments: ${list(deptCodes)})`);
  });

  // --- limits ----------------------------------------------------------------------------------
  /** Each stage clock must fit inside the promised time. */
  const limitsInOrder = (path: string, l: ClockLimits) => {
    if (l.resolve === undefined) return;
    for (const k of ['triage', 'dispatch', 'first_response', 'approval'] as const) {
      const v = l[k];
      if (v === undefined) continue;
      const d = diff(v, l.resolve);
      if (d !== null && d > 0) add(`${path}.${k}`, `${CLOCK_ZH[k]} ${v} 长于答复时限 ${l.resolve}：该阶段是答复时限的一部分`, `${k} ${v} is longer than resolve ${l.resolve}, which it is part of`);
    }
  };
  p.grades.forEach((g, i) => limitsInOrder(`grades[${i}].limits`, g.limits));
  // The limit for a customer not reached is the longer one (002 篇7: 24 h → 48 h): a shorter one would punish the attempt.
  p.grades.forEach((g, i) => {
    for (const k of CLOCK_NAMES) {
      const v = g.unreachable?.[k];
      const base = g.limits[k];
      if (v === undefined || base === undefined) continue;
      const d = diff(v, base);
      if (d !== null && d < 0) add(`grades[${i}].unreachable.${k}`, `联系不上客户时的${CLOCK_ZH[k]} ${v} 短于平时的 ${base}：应写更长的时限`, `${k} ${v} for a customer not reached is shorter than the usual ${base}: write the longer limit`);
    }
  });
  const vicious = p.flags.vicious;
  const emergency = p.flags.emergency;
  if (vicious?.limits) limitsInOrder('flags.vicious.limits', vicious.limits);
  if (emergency) limitsInOrder('flags.emergency.limits', emergency.limits);

  mustBeGrade('defaultGrade', p.defaultGrade);
  p.highlights.signals.forEach((sig, i) => {
    if (sig.suggests.grade !== undefined && sig.suggests.grade !== 'higher') mustBeGrade(`highlights.signals[${i}].suggests.grade`, sig.suggests.grade);
  });
  if (vicious) {
    mustBeGrade('flags.vicious.minGrade', vicious.minGrade);
    if (gradeCodes.length > 1 && vicious.minGrade === gradeCodes[0] && !vicious.limits)
      add(
        'flags.vicious.minGrade',
        `“${vicious.minGrade}”是最轻的等级，且未设 flags.vicious.limits：恶性标记不会产生任何效果`,
        `"${vicious.minGrade}" is the least severe grade and flags.vicious.limits is not set: the vicious flag would change nothing`,
      );
  }

  /** Override limits that are longer than what they override make the flagged case slower. */
  const notSlower = (path: string, over: ClockLimits, against: { code: string; limits: ClockLimits }[], what: [string, string]) => {
    for (const k of CLOCK_NAMES) {
      const v = over[k];
      if (v === undefined) continue;
      for (const g of against) {
        const base = g.limits[k];
        if (base === undefined) continue;
        const d = diff(v, base);
        if (d !== null && d > 0) {
          add(`${path}.${k}`, `${what[0]}的${CLOCK_ZH[k]} ${v} 长于等级“${g.code}”的 ${base}：加标记后反而更慢`, `${what[1]} ${k} ${v} is longer than grade "${g.code}"'s ${base}: flagging a case would slow it down`);
          break;
        }
      }
    }
  };
  if (emergency) notSlower('flags.emergency.limits', emergency.limits, p.grades, ['紧急事项', 'emergency']);
  if (vicious?.limits) {
    const from = Math.max(0, gradeRank(p, vicious.minGrade));
    notSlower('flags.vicious.limits', vicious.limits, p.grades.slice(from), ['恶性投诉', 'vicious']);
  }

  // --- escalation ------------------------------------------------------------------------------
  const tiers = p.escalation.tiers;
  if (tiers.length < 3)
    add('escalation.tiers', `至少需要 3 级升级层级（现有 ${tiers.length} 级），如 客服代表 → 部门经理 → 总经理`, `at least 3 escalation tiers are needed (found ${tiers.length}), e.g. agent → department manager → general manager`);
  tiers.forEach((t, i) => {
    if (t.level !== i + 1) add(`escalation.tiers[${i}].level`, `层级须从 1 开始连续编号并按顺序排列：此处应为 ${i + 1}，实际为 ${t.level}`, `tiers are numbered 1, 2, 3, … in order: expected ${i + 1} here, found ${t.level}`);
    const prev = tiers[i - 1];
    if (prev && TIER_ROLES.indexOf(t.role) <= TIER_ROLES.indexOf(prev.role))
      add(`escalation.tiers[${i}].role`, `升级后的角色须高于上一级：${t.role} 不高于 ${prev.role}`, `each tier's role must rank above the previous one's: ${t.role} is not above ${prev.role}`);
  });

  // --- grade rise ------------------------------------------------------------------------------
  p.gradeRise.forEach((r, i) => {
    mustBeGrade(`gradeRise[${i}].to`, r.to);
    if (gradeCodes.length > 1 && r.to === gradeCodes[0]) add(`gradeRise[${i}].to`, `“${r.to}”是最轻的等级，升至该等级不会产生任何效果`, `"${r.to}" is the least severe grade: rising to it changes nothing`);
    const prev = p.gradeRise[i - 1];
    if (!prev) return;
    const d = diff(r.after, prev.after);
    if (d !== null && d <= 0) add(`gradeRise[${i}].after`, `升级规则须按时间先后排列：${r.after} 不晚于上一条的 ${prev.after}`, `grade rises must be in order of time: ${r.after} is not after the previous ${prev.after}`);
    if (gradeRank(p, r.to) >= 0 && gradeRank(p, prev.to) >= 0 && gradeRank(p, r.to) < gradeRank(p, prev.to))
      add(`gradeRise[${i}].to`, `时间越久等级应越高：“${r.to}”低于上一条的“${prev.to}”`, `a later rise cannot go to a lower grade: "${r.to}" is below the previous "${prev.to}"`);
  });

  // --- approval --------------------------------------------------------------------------------
  p.approval.rules.forEach((r, i) => {
    mustBeLevel(`approval.rules[${i}].level`, r.level);
    if (r.grades !== undefined) {
      if (r.grades.length === 0) add(`approval.rules[${i}].grades`, '空的等级列表不匹配任何投诉；要匹配所有等级请删去 grades', 'an empty grade list matches nothing; leave grades out to match every grade');
      r.grades.forEach((g, j) => mustBeGrade(`approval.rules[${i}].grades[${j}]`, g));
      unique(r.grades, (j) => `approval.rules[${i}].grades[${j}]`, ['等级', 'grade']);
    }
  });

  // --- re-handling tiers, routing of major cases ---------------------------------------------------
  p.escalation.tiers.forEach((t, i) => {
    if (t.approvalLevel !== undefined) mustBeLevel(`escalation.tiers[${i}].approvalLevel`, t.approvalLevel);
    if (t.handler !== undefined && t.handler !== 'department_manager') mustBeLevel(`escalation.tiers[${i}].handler.approvalLevel`, t.handler.approvalLevel);
  });
  if (p.routing.majorTo !== undefined && p.routing.majorTo !== 'department_manager') mustBeLevel('routing.majorTo.approvalLevel', p.routing.majorTo.approvalLevel);
  if (p.routing.majorDepartment !== undefined && !deptCodes.includes(p.routing.majorDepartment)) add('routing.majorDepartment', `未定义的部门“${p.routing.majorDepartment}”`, `no department "${p.routing.majorDepartment}" is defined`);

  // --- validity, extension ---------------------------------------------------------------------
  const extension = p.extension;
  // Staged extensions (issue 10 §5): existing levels, grades and categories, cumulative maxima that grow, no single-form field beside them.
  extension?.stages?.forEach((st, i, stages) => {
    const at = `extension.stages[${i}]`;
    if (i === 0)
      for (const key of ['max', 'specialMax', 'approvalLevel'] as const)
        if (extension[key] !== undefined) add(`extension.${key}`, `写了 stages 时不再写 ${key}：每个阶段有自己的上限和审批级别`, `leave ${key} out when stages are given: each stage has its own maximum and approval level`);
    mustBeLevel(`${at}.approvalLevel`, st.approvalLevel);
    st.grades?.forEach((g, j) => mustBeGrade(`${at}.grades[${j}]`, g));
    st.categories?.forEach((c, j) => {
      if (!p.categories.some((x) => x.code === c)) add(`${at}.categories[${j}]`, `未定义的类别“${c}”`, `no category "${c}" is defined`);
    });
    for (const key of ['grades', 'categories'] as const) if (st[key]?.length === 0) add(`${at}.${key}`, '空列表不适用于任何投诉；要适用于全部请删去此项', 'an empty list applies to no case; leave it out to apply to every case');
    const prev = stages[i - 1];
    const grows = prev ? diff(st.max, prev.max) : null;
    if (prev && grows !== null && grows <= 0)
      add(`${at}.max`, `阶段上限是累计的，须逐级增加：${st.max} 不长于上一阶段的 ${prev.max}`, `stage maxima are cumulative and must increase: ${st.max} is not longer than the previous stage's ${prev.max}`);
  });
  if (extension?.max !== undefined && extension.specialMax !== undefined && extension.approvalLevel !== undefined) {
    mustBeLevel('extension.approvalLevel', extension.approvalLevel);
    const ext = diff(extension.specialMax, extension.max);
    if (ext !== null && ext < 0)
      add('extension.specialMax', `特殊情况的延期上限 ${extension.specialMax} 不能短于一般延期上限 ${extension.max}`, `the special-case extension ${extension.specialMax} cannot be shorter than the ordinary maximum ${extension.max}`);
  }

  // --- follow-up -------------------------------------------------------------------------------
  const f = p.followUp;
  if (f.closeWhenUnreachable && f.retries.length === 0)
    add('followUp.retries', '设置了“联系不上即结案”（closeWhenUnreachable）时，至少要重试一次（如 [24h, 48h]）', 'closeWhenUnreachable needs at least one retry (e.g. [24h, 48h]) before giving up on the customer');
  unique(f.methods, (i) => `followUp.methods[${i}]`, ['回访方式', 'follow-up method']);
  unique(f.acceptedLevels, (i) => `followUp.acceptedLevels[${i}]`, ['满意度', 'satisfaction level']);
  const unsatIndex = f.acceptedLevels.indexOf('unsatisfied');
  if (unsatIndex >= 0) add(`followUp.acceptedLevels[${unsatIndex}]`, '“不满意”不能算作接受：否则不满意的投诉永远不会再次处理', '"unsatisfied" cannot count as accepted, or an unsatisfied customer would never be handled again');
  else {
    const worst = Math.max(...f.acceptedLevels.map((l) => SATISFACTION_LEVELS.indexOf(l)));
    const missing = SATISFACTION_LEVELS.slice(0, worst).filter((l) => !f.acceptedLevels.includes(l));
    if (missing.length > 0) add('followUp.acceptedLevels', `接受较低的满意度时也须接受更高的：缺少 ${missing.join(', ')}`, `accepting a lower satisfaction level means accepting the higher ones too: missing ${missing.join(', ')}`);
  }

  // --- unsatisfied -----------------------------------------------------------------------------
  // (no cross-field rule: the engine stops at the top tier when cycles outnumber tiers)

  // --- retention -------------------------------------------------------------------------------
  const retention = p.retention;
  for (const code of Object.keys(retention?.byGrade ?? {})) mustBeGrade(`retention.byGrade.${code}`, code);
  let keep = 0;
  let keptBy = '';
  for (const g of retention ? p.grades : []) {
    const days = retention!.byGrade[g.code] ?? retention!.defaultDays;
    if (days < keep)
      add(
        `retention.byGrade.${g.code}`,
        `较重等级的保存期不能短于较轻等级：“${g.code}”${days} 天短于“${keptBy}”${keep} 天`,
        `a more severe grade cannot be kept for less time: "${g.code}" ${days} days is less than "${keptBy}" ${keep} days`,
      );
    if (days >= keep) {
      keep = days;
      keptBy = g.code;
    }
  }

  out.push(...checkAccountability(p));
  out.push(...checkDuties(p));
  out.push(...checkClockRules(p));

  return out;
}
