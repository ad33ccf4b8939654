/**
 * Names for the codes and ids a case carries (category, grade, department, invalid reason,
 * tier, approval level, staff), in the reader's language, for the exports. Read once per export:
 * the policy the case (or the ledger) is read under and the staff list.
 */
import type { Locale } from '../../domain/errors.js';
import type { Policy } from '../../domain/policy/index.js';
import { dutiesOf } from '../../domain/policy/duties.js';
import { ruleOfClock } from '../../domain/policy/clock-rules.js';
import { listUsers } from '../../store/user.repository.js';
import type { App } from '../../services/app.js';
import { pickText, word } from './labels.js';

export interface Names {
  category(code: string | null | undefined): string;
  grade(code: string | null | undefined): string;
  department(code: string | null | undefined): string;
  reason(code: string | null | undefined): string;
  tier(level: number): string;
  level(code: string | null | undefined): string;
  user(id: string | null | undefined): string;
  /** A duty (issue 10) by its code; the code itself when the policy does not list it. */
  duty(code: string): string;
  /** A clock by its kind: a policy clock rule (`rule:<code>`) by its name, a built-in clock by its word (reportNames). */
  clock(kind: string): string;
  /** The organisation's name as customer messages sign it (the policy's name otherwise). */
  organisation: string;
}

type Coded = { code: string; name: { 'zh-CN': string; 'zh-TW'?: string; en?: string } };

/** The policy's duty names in the reader's language, as the console's 报表 page names them; an unlisted code shows as itself. */
export function dutyNames(policy: Policy, lang: Locale): (code: string) => string {
  const m = new Map(dutiesOf(policy).map((d) => [d.code, pickText(d.name, lang)]));
  return (code) => m.get(code) ?? code;
}

/**
 * A clock kind in the reader's language, as the case page names it: a clock rule of the policy
 * (`rule:<code>`, issue 10 §1) by the rule's name, a built-in clock (`triage`, `resolve`, …) by
 * its word; a rule the policy no longer has, or an unknown kind, shows as the stored kind.
 */
export function clockNames(policy: Policy, lang: Locale): (kind: string) => string {
  return (kind) => {
    const rule = ruleOfClock(policy, kind);
    return rule ? pickText(rule.name, lang) : word('clockKind', kind, lang);
  };
}

/** The names the statistics exports need (workbook and PDF), from the active policy. */
export interface ReportNames {
  duty(code: string): string;
  clock(kind: string): string;
}

export function reportNames(policy: Policy, lang: Locale): ReportNames {
  return { duty: dutyNames(policy, lang), clock: clockNames(policy, lang) };
}

export function policyNames(policy: Policy, lang: Locale, users: ReadonlyMap<string, string>): Names {
  const of = (list: readonly Coded[] | undefined) => {
    const m = new Map((list ?? []).map((x) => [x.code, pickText(x.name, lang)]));
    return (code: string | null | undefined) => (code ? (m.get(code) ?? code) : '');
  };
  const tiers = new Map(policy.escalation.tiers.map((t) => [t.level, pickText(t.name, lang)]));
  return {
    category: of(policy.categories),
    grade: of(policy.grades),
    department: of(policy.departments),
    reason: of(policy.validity?.invalidReasons),
    level: of(policy.approval?.levels),
    tier: (n) => tiers.get(n) ?? String(n),
    user: (id) => (id ? (users.get(id) ?? id) : ''),
    ...reportNames(policy, lang),
    organisation: pickText(policy.messages?.organisation, lang) || pickText(policy.name, lang),
  };
}

/** Staff names by id (every account, also inactive ones: old cases name them). */
export async function staffNames(app: App): Promise<Map<string, string>> {
  return new Map((await listUsers(app.database.db)).map((u) => [u.id, u.name]));
}
