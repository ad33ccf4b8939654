/**
 * Test fixture for clock rules (issue 10 §1): seed 000 (policies/kesu-default.yaml) with the limits
 * of 001 篇3 §16 and the chain of 002 篇7 written as `clockRules`, and a 24-hour desk calendar.
 * The preset files are not changed; `clockRulesPolicyFile` writes the fixture for `startKesu`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

const name = (zh: string, tw: string, en: string) => ({ 'zh-CN': zh, 'zh-TW': tw, en });

export const CLOCK_RULES = [
  // 001 篇3 §16: 在接到投诉30分钟内提出处理方案 — counted from receipt, whenever the case is routed.
  {
    code: 'propose_30m',
    name: name('受理后30分钟内提出方案', '受理後30分鐘內提出方案', 'Solution within 30 min of receipt'),
    start: 'receive',
    stop: 'propose',
    limit: '30m',
    breach: { escalate: false, notify: ['first_responder', 'role:approver'] },
    source: '001 篇3 §16',
  },
  // 002 篇7: responsibility determined within 24 h (12 h for a major case, 2 h in an emergency) …
  { code: 'responsibility', name: name('责任认定', '責任認定', 'Responsibility determined'), start: 'receive', stop: 'investigate', limit: '24h', grades: { major: '12h' }, flags: { emergency: '2h' }, source: '002 篇7' },
  // … then management review 4 h …
  { code: 'review', name: name('管理审核', '管理審核', 'Management review'), start: 'investigate', stop: 'propose', limit: '4h', source: '002 篇7' },
  // … the general manager 4 h (a breach raises the case to important) …
  {
    code: 'gm_decision',
    name: name('总经理审批', '總經理審批', 'General manager decides'),
    start: 'state:awaiting_approval',
    stop: ['approve', 'reject'],
    limit: '4h',
    breach: { raiseGrade: 'important', notify: ['primary_handler'] },
    source: '002 篇7',
  },
  // … and implementation 8 working hours, counted on the 24-hour desk (every hour counts).
  { code: 'implementation', name: name('落实整改', '落實整改', 'Implementation'), start: 'approve', stop: 'answer', limit: '8wh', calendar: 'desk', source: '002 篇7' },
  // A case sent back after an unsatisfied follow-up: answered again within a working day; never paused.
  { code: 'rehandle', name: name('再次处理', '再次處理', 'Handled again'), start: 'reopen', stop: 'answer', limit: '1wd', pause: false },
];

export const DESK_CALENDAR = { holidays: 'none', workingWeekdays: [1, 2, 3, 4, 5, 6, 7], workingHours: [{ start: '00:00', end: '24:00' }] };

/** Seed 000 as parsed YAML data, with `change` applied (the rules by default). */
export function clockRulesPolicyData(
  change: (p: any) => void = (p) => {
    p.clockRules = structuredClone(CLOCK_RULES);
    p.calendars = { desk: DESK_CALENDAR };
  },
): any {
  const p = parse(readFileSync(new URL('../../../policies/kesu-default.yaml', import.meta.url), 'utf8'));
  p.version = '2026.1-clockrules';
  change(p);
  return p;
}

/**
 * The fixture with 002 篇7's conditional limit (clockRules[].unreachable): a customer not reached
 * within the responsibility's 24 h gives 48 h; the review's 4 h become 8 h.
 */
export function unreachablePolicyData(): any {
  const conditional: Record<string, string> = { responsibility: '48h', review: '8h' };
  return clockRulesPolicyData((p) => {
    p.version = '2026.1-unreachable';
    p.clockRules = structuredClone(CLOCK_RULES).map((r) => (conditional[r.code] ? { ...r, unreachable: conditional[r.code] } : r));
    p.calendars = { desk: DESK_CALENDAR };
  });
}

export function clockRulesPolicyFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kesu-policy-')), 'clockrules.yaml');
  writeFileSync(file, stringify(clockRulesPolicyData()));
  return file;
}
