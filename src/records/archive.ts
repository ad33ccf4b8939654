/**
 * The yearly archive (案宗, issue 15 §1; 001 篇1 §三: 处理完结后的所有材料由行政人员归档备查，
 * 应按年度建立案宗). An archived case is filed under the year its handling ended — the local year
 * (the active policy's time zone) of its closing, as archival practice files a case that spans
 * two years under the year it was concluded (办结年度) — and, inside the year, under the group the
 * policy's `archive.groupBy` sets (department by default; policy/archive.ts).
 *
 * Counting reads only `case_facts` (state, closed_at and the grouping codes, kept by every
 * transition), one range query per year, so a year's files are counted without reading a case.
 * The case list joins `complaints` for the title only, one page at a time.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { DateTime } from 'luxon';
import { AppError, fieldProblem, type Locale } from '../domain/errors.js';
import { archiveGroupingOf, type ArchiveGrouping } from '../domain/policy/archive.js';
import type { Policy } from '../domain/policy/index.js';
import type { DB } from '../store/schema.js';
import type { App } from '../services/app.js';
import { policyNames, staffNames } from '../reports/pdf/names.js';

/** The key of the group of cases without the grouping's code (not routed, not graded, …). */
export const NO_GROUP = '-';

type Eb = ExpressionBuilder<DB, 'case_facts'>;

/** The instant a case's handling ended; a case archived without a closing time falls back to receipt. */
const filedAt = sql<string>`coalesce(case_facts.closed_at, case_facts.received_at)`;

export interface ArchiveYear {
  year: number;
  count: number;
}

export interface ArchiveGroup {
  key: string;
  name: string;
  count: number;
}

export interface ArchiveCase {
  id: string;
  number: string;
  title: string;
  kind: string;
  category: string | null;
  grade: string | null;
  departmentCode: string | null;
  receivedAt: string;
  closedAt: string | null;
}

/** The UTC instants bounding a local year: [from, to). */
export function yearBounds(year: number, timeZone: string): { from: string; to: string } {
  const start = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: timeZone });
  return { from: start.toUTC().toISO()!, to: start.plus({ years: 1 }).toUTC().toISO()! };
}

function inYear(eb: Eb, year: number, timeZone: string): Expression<SqlBool> {
  const { from, to } = yearBounds(year, timeZone);
  return eb.and([eb('case_facts.state', '=', 'archived'), eb(filedAt, '>=', from), eb(filedAt, '<', to)]);
}

/** The years holding archived cases, newest first, with their counts. */
export async function archiveYears(app: App): Promise<ArchiveYear[]> {
  const db = app.database.db;
  const zone = (await app.activePolicy()).calendar.timeZone;
  const span = await db
    .selectFrom('case_facts')
    .select((eb) => [eb.fn.min(filedAt).as('first'), eb.fn.max(filedAt).as('last')])
    .where('state', '=', 'archived')
    .executeTakeFirst();
  if (!span?.first || !span.last) return [];
  const yearOf = (iso: string) => DateTime.fromISO(iso, { zone }).year;
  const out: ArchiveYear[] = [];
  for (let year = yearOf(span.last); year >= yearOf(span.first); year--) {
    const r = await db
      .selectFrom('case_facts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => inYear(eb, year, zone))
      .executeTakeFirst();
    const count = Number(r?.n ?? 0);
    if (count > 0) out.push({ year, count });
  }
  return out;
}

/** How the policy's grouping reads a case: the facts column and the key a code files under. */
interface Grouping {
  by: ArchiveGrouping;
  column: 'department_code' | 'category' | 'grade';
  keyOf(code: string | null): string;
  nameOf(key: string): string;
  /** Every key the policy defines (the groups a caller may ask for, besides those holding cases). */
  known: string[];
  /** The condition selecting a group's cases. */
  where(eb: Eb, key: string): Expression<SqlBool>;
}

const NONE_NAME: Record<Locale, string> = { 'zh-CN': '未指定', 'zh-TW': '未指定', en: 'Unassigned' };

export async function groupingFor(app: App, policy: Policy, lang: Locale): Promise<Grouping> {
  const by = archiveGroupingOf(policy);
  const names = policyNames(policy, lang, await staffNames(app));
  const none = NONE_NAME[lang];
  if (by === 'categoryGroup') {
    const groupOf = new Map(policy.categories.map((c) => [c.code, c.group ?? null]));
    const grouped = policy.categories.filter((c) => c.group);
    return {
      by,
      column: 'category',
      keyOf: (code) => (code && groupOf.get(code)) || NO_GROUP,
      nameOf: (key) => (key === NO_GROUP ? none : key),
      known: [...new Set(grouped.map((c) => c.group!))],
      where: (eb, key) => {
        if (key !== NO_GROUP)
          return eb(
            'case_facts.category',
            'in',
            grouped.filter((c) => c.group === key).map((c) => c.code),
          );
        const codes = grouped.map((c) => c.code);
        return codes.length ? eb.or([eb('case_facts.category', 'is', null), eb('case_facts.category', 'not in', codes)]) : eb.lit(true);
      },
    };
  }
  const column = by === 'department' ? 'department_code' : by;
  const list = by === 'department' ? policy.departments : by === 'category' ? policy.categories : policy.grades;
  const name = by === 'department' ? names.department : by === 'category' ? names.category : names.grade;
  return {
    by,
    column,
    keyOf: (code) => code ?? NO_GROUP,
    nameOf: (key) => (key === NO_GROUP ? none : name(key)),
    known: list.map((x) => x.code),
    where: (eb, key) => (key === NO_GROUP ? eb(`case_facts.${column}`, 'is', null) : eb(`case_facts.${column}`, '=', key)),
  };
}

/** A year's files: one group per key holding archived cases of the year, with its count. */
export async function archiveGroups(app: App, year: number, lang: Locale): Promise<{ groupBy: ArchiveGrouping; groups: ArchiveGroup[]; total: number }> {
  const policy = await app.activePolicy();
  const g = await groupingFor(app, policy, lang);
  const rows = await app.database.db
    .selectFrom('case_facts')
    .select((eb) => [eb.ref(`case_facts.${g.column}`).as('code'), eb.fn.countAll<number>().as('n')])
    .where((eb) => inYear(eb, year, policy.calendar.timeZone))
    .groupBy(`case_facts.${g.column}`)
    .execute();
  const counts = new Map<string, number>();
  for (const r of rows) {
    const key = g.keyOf(r.code);
    counts.set(key, (counts.get(key) ?? 0) + Number(r.n));
  }
  const groups = [...counts].map(([key, count]) => ({ key, name: g.nameOf(key), count }));
  // The policy's order (departments, categories, grades as listed), the unassigned last.
  const order = (k: string) => (k === NO_GROUP ? Infinity : g.known.indexOf(k) === -1 ? g.known.length : g.known.indexOf(k));
  groups.sort((a, b) => order(a.key) - order(b.key) || a.key.localeCompare(b.key));
  return { groupBy: g.by, groups, total: groups.reduce((s, x) => s + x.count, 0) };
}

/** A year number a caller sent: four digits, within the archive's plausible range. */
export function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 1900 || year > 9999)
    throw new AppError('invalid_input', 'year: not a year', [fieldProblem('year', '年度应为四位数字的年份，如 2026', 'year is a four-digit year, e.g. 2026', '年度應為四位數字的年份，如 2026')]);
}

/** Throws a 400 naming `group` unless the key is one the policy's grouping knows or one holding cases. */
export async function checkGroup(app: App, year: number, key: string, lang: Locale): Promise<Grouping> {
  const g = await groupingFor(app, await app.activePolicy(), lang);
  if (key === NO_GROUP || g.known.includes(key)) return g;
  const { groups } = await archiveGroups(app, year, lang);
  if (groups.some((x) => x.key === key)) return g;
  throw new AppError('invalid_input', `group: unknown ${key}`, [fieldProblem('group', `未知的案宗分组“${key}”`, `unknown archive group "${key}"`, `未知的案宗分組「${key}」`)]);
}

/**
 * One page of a year's archived cases (of one group, or all), in filing order (closing time, then
 * number). `after` is keyset paging for the download; `offset` is for the console's pages.
 */
export async function archiveCases(
  app: App,
  q: { year: number; group?: string; lang: Locale; limit: number; offset?: number; after?: { at: string; id: string } },
): Promise<{ cases: (ArchiveCase & { filedAt: string; group: string })[]; total: number }> {
  const policy = await app.activePolicy();
  const zone = policy.calendar.timeZone;
  const g = q.group === undefined ? await groupingFor(app, policy, q.lang) : await checkGroup(app, q.year, q.group, q.lang);
  const filter = (eb: Eb) => eb.and([inYear(eb, q.year, zone), ...(q.group === undefined ? [] : [g.where(eb, q.group)])]);
  const db = app.database.db;
  let page = db
    .selectFrom('case_facts')
    .innerJoin('complaints', 'complaints.id', 'case_facts.complaint_id')
    .select([
      'case_facts.complaint_id as id',
      'case_facts.number',
      'complaints.title',
      'case_facts.kind',
      'case_facts.category',
      'case_facts.grade',
      'case_facts.department_code',
      'case_facts.received_at',
      'case_facts.closed_at',
      filedAt.as('filed_at'),
    ])
    .where(filter)
    .orderBy(filedAt)
    .orderBy('case_facts.complaint_id')
    .limit(q.limit);
  if (q.after) {
    const { at, id } = q.after;
    page = page.where((eb) => eb.or([eb(filedAt, '>', at), eb.and([eb(filedAt, '=', at), eb('case_facts.complaint_id', '>', id)])]));
  }
  if (q.offset) page = page.offset(q.offset);
  const [rows, total] = await Promise.all([
    page.execute(),
    q.after
      ? Promise.resolve(null)
      : db
          .selectFrom('case_facts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where(filter)
          .executeTakeFirst(),
  ]);
  return {
    total: Number(total?.n ?? 0),
    cases: rows.map((r) => ({
      id: r.id,
      number: r.number,
      title: r.title,
      kind: r.kind,
      category: r.category,
      grade: r.grade,
      departmentCode: r.department_code,
      receivedAt: r.received_at,
      closedAt: r.closed_at,
      filedAt: r.filed_at,
      group: g.nameOf(g.keyOf(g.column === 'department_code' ? r.department_code : g.column === 'category' ? r.category : r.grade)),
    })),
  };
}
