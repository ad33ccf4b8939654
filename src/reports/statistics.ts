/**
 * Statistics over a period and filters (issue 11 §2), read from the analysis facts
 * (`case_facts`, `clock_facts`, written by the decision writer) with SQL aggregates on both
 * engines — never by replaying timelines. Every figure's definition: docs/reports.md.
 *
 * The cohort is the cases received in the period (local dates of the active policy's time
 * zone, `to` inclusive) that match the filters; every figure but the closure trend describes
 * that cohort. The base table is `complaints` (a case received and not yet acted on has no facts
 * row until its first transition), left-joined with its facts.
 *
 * Who sees what: the figures are aggregates over the organisation except the cases the caller
 * must avoid (回避, as the dashboard); the drill-down list (`statisticsCases`) shows only cases
 * the caller may open (`visibleTo`).
 */
import { sql, type ExpressionBuilder, type Kysely, type RawBuilder, type SelectQueryBuilder, type Transaction } from 'kysely';
import { DateTime } from 'luxon';
import type { Actor } from '../domain/complaint/types.js';
import { AppError, fieldProblem } from '../domain/errors.js';
import { notAvoiding, visibleTo } from '../store/complaint.repository.js';
import { ruleOfClock } from '../domain/policy/clock-rules.js';
import type { DB } from '../store/schema.js';
import type { App } from '../services/app.js';
import { rollupPart, rollupPlan, straddleDays } from './rollups.js';

export const GROUP_BYS = ['day', 'week', 'month'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];
export const HANDLING_MODES = ['immediate', 'within_limit', 'overdue', 'repeated'] as const;
export const SATISFACTION_LEVELS = ['very_satisfied', 'satisfied', 'neutral', 'unsatisfied'] as const;
/** Clocks that are deadlines (the sweeper's escalation and grade-rise timers are not). */
export const STAGES = ['triage', 'dispatch', 'first_response', 'resolve', 'approval', 'follow_up', 'regulator'] as const;
/** Age buckets of the open cases and the pending-ledger items, in calendar days: [0, 1), [1, 3), [3, 7), [7, ∞). */
export const AGE_BUCKETS = ['lt1d', 'd1to3', 'd3to7', 'ge7d'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];
const AGE_BOUNDS_DAYS = [1, 3, 7] as const;

/** The instants `AGE_BOUNDS_DAYS` before `asOf`, newest first: bucket i holds the ages whose start t lies in (edges[i], edges[i − 1]]. */
export function ageEdges(asOf: Date): string[] {
  return AGE_BOUNDS_DAYS.map((d) => new Date(asOf.getTime() - d * 86_400_000).toISOString());
}

/** The bucket of an age that started at `t` (the same rule as the SQL of `ageOf`; the roll-ups use it for whole days). */
export function ageBucketAt(t: string, asOf: Date): AgeBucket {
  const at = Date.parse(t);
  const i = ageEdges(asOf).findIndex((e) => at > Date.parse(e));
  return AGE_BUCKETS[i < 0 ? AGE_BUCKETS.length - 1 : i]!;
}

const isOpen = sql`${sql.ref('complaints.state')} not in ('closed', 'archived')`;

/** The condition that the age started at `column` falls in `bucket` at `asOf`: [lo, hi) days when its start lies in (asOf − hi, asOf − lo]. */
function ageBand(asOf: Date, column: string, bucket: AgeBucket): RawBuilder<unknown> {
  const edges = ageEdges(asOf);
  const i = AGE_BUCKETS.indexOf(bucket);
  const conds = [sql`${sql.ref(column)} is not null`];
  if (i > 0) conds.push(sql`${sql.ref(column)} <= ${edges[i - 1]!}`);
  if (i < edges.length) conds.push(sql`${sql.ref(column)} > ${edges[i]!}`);
  return sql`${sql.join(conds, sql` and `)}`;
}

/**
 * The two series of the backlog: which cases each counts, and the column its age starts at —
 * the figures (`ageOf`) and the drill-down (`statisticsCases` with an age) both read this.
 */
export const BACKLOG_SERIES = {
  /** Open cases (not closed or archived, pending ones included) by the time since receipt. */
  open: { cases: isOpen, since: 'complaints.received_at' },
  /** Pending-ledger items (state pending) by the time since they were pended. */
  pending: { cases: sql`${isOpen} and ${sql.ref('complaints.state')} = 'pending'`, since: 'f.pending_since' },
} as const;
export type BacklogSeries = keyof typeof BACKLOG_SERIES;

/** A backlog series by the age bucket at `asOf`: one sum per bucket, named `<prefix>_<bucket>`. */
function ageOf(asOf: Date, series: BacklogSeries, prefix: string) {
  const { cases, since } = BACKLOG_SERIES[series];
  return AGE_BUCKETS.map((b) => sql<number>`sum(case when ${cases} and ${ageBand(asOf, since, b)} then 1 else 0 end)`.as(`${prefix}_${b}`));
}
/** A case duty's clock_facts kind: `duty:<code>` (store/duty.repository.ts). */
export const DUTY_KIND_PREFIX = 'duty:';

/** Built-in stages in their order, then rule clocks. */
function stageOrder(stage: string): number {
  const i = STAGES.indexOf(stage as never);
  return i < 0 ? STAGES.length : i;
}

export interface StatisticsFilters {
  departmentCode?: string[];
  category?: string[];
  grade?: string[];
  kind?: string[];
  channel?: string[];
  customerClass?: string[];
  handlerId?: string[];
  policyKey?: string[];
}

export interface StatisticsQuery {
  /** Local dates (YYYY-MM-DD) in the active policy's time zone; `to` is included. */
  from: string;
  to: string;
  groupBy: GroupBy;
  filters: StatisticsFilters;
  /** Repeat complaints: an earlier complaint of the same customer within this many days. */
  repeatWindowDays: number;
}

export interface Count {
  key: string | null;
  count: number;
}

export interface Rate {
  count: number;
  of: number;
  /** count / of, rounded to 4 places; null when `of` is 0. */
  rate: number | null;
}

export interface Statistics {
  period: { from: string; to: string; timeZone: string; fromInstant: string; toInstant: string; groupBy: GroupBy };
  filters: StatisticsFilters;
  intake: {
    total: number;
    byKind: Count[];
    byChannel: Count[];
    byCategory: Count[];
    byDepartment: Count[];
    byGrade: Count[];
    byCustomerClass: Count[];
    /** One bucket per day / ISO week / month of the period: cases received, and cases closed (whenever received). */
    trend: { bucket: string; start: string; received: number; closed: number }[];
  };
  validity: { judged: number; unjudged: number; valid: Rate; invalid: Rate; malicious: Rate; byReason: { reason: string | null; count: number; malicious: number }[] };
  handling: {
    closed: number;
    /** Closed cases that were not invalid, by 002 篇2 handling mode. */
    modes: Record<(typeof HANDLING_MODES)[number], Rate>;
    firstContactResolution: Rate;
    /** Working hours from receipt to closing, pending time excluded, over the moded cases. */
    time: { cases: number; averageHours: number | null; p90Hours: number | null };
    pendingNow: number;
  };
  onTime: {
    /** `name`: a clock rule's name (stage `rule:<code>`) in the active policy; absent for the built-in stages and for a rule the policy no longer has. */
    byStage: { stage: string; name?: { 'zh-CN': string; 'zh-TW'?: string; en?: string }; met: number; breached: number; rate: number | null }[];
    byGrade: { grade: string | null; met: number; breached: number; rate: number | null }[];
    /** Case duties (issue 10) per duty code, counted like the clocks: met when completed in time, breached once late. */
    byDuty: { code: string; met: number; breached: number; rate: number | null }[];
  };
  /** The cohort's cases open now (not closed or archived) and those in the pending ledger, by calendar age at `asOf`. */
  backlog: {
    asOf: string;
    /** Open cases by the time since receipt. */
    open: Record<AgeBucket, number>;
    /** Pending-ledger items (state pending) by the time since they were pended. */
    pending: Record<AgeBucket, number>;
  };
  satisfaction: {
    /** Cases with a final follow-up result. */
    cases: number;
    satisfied: Rate;
    byLevel: Record<(typeof SATISFACTION_LEVELS)[number], number>;
    /** Mean 1–5 score per dimension over the final results that gave one. */
    scores: { attitude: number | null; efficiency: number | null; result: number | null };
  };
  reopen: { reopened: Rate; reopens: number };
  repeat: { windowDays: number; repeated: Rate };
  extensions: { extended: Rate; total: number; special: number };
  escalations: { escalated: Rate; total: number; byMaxTier: { tier: number; count: number }[] };
}

const HOUR = 3_600_000;

function rate(count: number, of: number): Rate {
  return { count, of, rate: of ? Math.round((count / of) * 10_000) / 10_000 : null };
}

const n = (v: unknown): number => Number(v ?? 0);
const round2 = (v: unknown): number | null => (v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100);

/** The period as UTC instants, checked: 4xx naming the field on bad input. */
export function periodBounds(q: Pick<StatisticsQuery, 'from' | 'to' | 'groupBy'>, zone: string): { start: DateTime; end: DateTime } {
  const start = DateTime.fromISO(q.from, { zone }).startOf('day');
  const last = DateTime.fromISO(q.to, { zone }).startOf('day');
  if (!start.isValid || !/^\d{4}-\d{2}-\d{2}$/.test(q.from)) throw new AppError('invalid_input', 'from: not a date', [fieldProblem('from', '开始日期须为 YYYY-MM-DD', 'from must be a date YYYY-MM-DD')]);
  if (!last.isValid || !/^\d{4}-\d{2}-\d{2}$/.test(q.to)) throw new AppError('invalid_input', 'to: not a date', [fieldProblem('to', '结束日期须为 YYYY-MM-DD', 'to must be a date YYYY-MM-DD')]);
  if (last < start) throw new AppError('invalid_input', 'to: before from', [fieldProblem('to', '结束日期不能早于开始日期', 'to must not be before from')]);
  const end = last.plus({ days: 1 });
  if (end.diff(start, 'days').days > 3660) throw new AppError('invalid_input', 'to: period over ten years', [fieldProblem('to', '统计期间不能超过十年', 'The period may not exceed ten years')]);
  if (q.groupBy === 'day' && end.diff(start, 'days').days > 400)
    throw new AppError('invalid_input', 'groupBy: too many days', [fieldProblem('groupBy', '按日统计的期间不能超过 400 天，请按周或按月', 'Group a period over 400 days by week or month')]);
  return { start, end };
}

/** Bucket starts of the trend (local), the first at the period start, then each day / ISO week / month. */
function buckets(start: DateTime, end: DateTime, groupBy: GroupBy): { label: string; from: DateTime; to: DateTime }[] {
  const out: { label: string; from: DateTime; to: DateTime }[] = [];
  let cur = start;
  while (cur < end) {
    const unitStart = groupBy === 'day' ? cur : groupBy === 'week' ? cur.startOf('week') : cur.startOf('month');
    let next = groupBy === 'day' ? unitStart.plus({ days: 1 }) : groupBy === 'week' ? unitStart.plus({ weeks: 1 }) : unitStart.plus({ months: 1 });
    if (next > end) next = end;
    const label = groupBy === 'day' ? cur.toISODate()! : groupBy === 'week' ? `${unitStart.weekYear}-W${String(unitStart.weekNumber).padStart(2, '0')}` : unitStart.toFormat('yyyy-MM');
    out.push({ label, from: cur, to: next });
    cur = next;
  }
  return out;
}

type Q = SelectQueryBuilder<DB & { f: DB['case_facts'] }, 'complaints' | 'f', object>;

function applyFilters<T extends SelectQueryBuilder<any, any, any>>(q: T, f: StatisticsFilters): T {
  let r = q as SelectQueryBuilder<any, any, any>;
  if (f.departmentCode?.length) r = r.where('complaints.department_code', 'in', f.departmentCode);
  if (f.category?.length) r = r.where('complaints.category', 'in', f.category);
  if (f.grade?.length) r = r.where('complaints.grade', 'in', f.grade);
  if (f.kind?.length) r = r.where('complaints.kind', 'in', f.kind);
  if (f.channel?.length) r = r.where('complaints.channel', 'in', f.channel);
  if (f.handlerId?.length) r = r.where('complaints.primary_handler_id', 'in', f.handlerId);
  if (f.policyKey?.length) r = r.where('complaints.policy_key', 'in', f.policyKey);
  if (f.customerClass?.length) r = r.where('f.customer_class', 'in', f.customerClass);
  return r as T;
}

const ref = (c: string) => sql.ref(c);
const sumIf = (cond: RawBuilder<unknown>) => sql<number>`sum(case when ${cond} then 1 else 0 end)`;

/** The drill-down figures: which cases of the cohort a figure counts. */
export const FIGURES = {
  received: sql`1 = 1`,
  valid: sql`${ref('f.valid')} = 1`,
  invalid: sql`${ref('f.valid')} = 0 and ${ref('f.malicious')} = 0`,
  malicious: sql`${ref('f.malicious')} = 1`,
  immediate: sql`${ref('f.handling_mode')} = 'immediate'`,
  within_limit: sql`${ref('f.handling_mode')} = 'within_limit'`,
  overdue: sql`${ref('f.handling_mode')} = 'overdue'`,
  repeated: sql`${ref('f.handling_mode')} = 'repeated'`,
  first_contact: sql`${ref('f.first_contact')} = 1 and coalesce(${ref('f.valid')}, 1) = 1`,
  satisfied: sql`${ref('f.final_satisfaction')} is not null and ${ref('f.followup_outcome')} = 'satisfied'`,
  reopened: sql`${ref('f.reopen_count')} > 0`,
  extended: sql`${ref('f.extensions')} > 0`,
  escalated: sql`${ref('f.escalations')} > 0`,
  resolve_breached: sql`${ref('f.resolve_breached')} = 1`,
  pending: BACKLOG_SERIES.pending.cases,
  open: BACKLOG_SERIES.open.cases,
} as const;
export type CohortFigure = keyof typeof FIGURES;
/** The closure trend's cases: closed in the period, whenever received (`closuresOf`), not a cohort figure. */
export const CLOSED_IN_PERIOD = 'closed_in_period';
export type Figure = CohortFigure | typeof CLOSED_IN_PERIOD;
export const FIGURE_NAMES = [...(Object.keys(FIGURES) as CohortFigure[]), CLOSED_IN_PERIOD] as const;
/** The figures whose cases are listed by their backlog age (`age`): the backlog chart's two series. */
export const AGED_FIGURES: readonly Figure[] = Object.keys(BACKLOG_SERIES) as BacklogSeries[];

async function context(app: App, q: StatisticsQuery) {
  const policy = await app.activePolicy();
  const zone = policy.calendar.timeZone;
  const { start, end } = periodBounds(q, zone);
  return { policy, zone, start, end, fromI: start.toUTC().toISO()!, toI: end.toUTC().toISO()! };
}

/**
 * Which cases of the cohort a query reads (docs/reports.md "Roll-ups"): `all` of them; those
 * received in `spans` (instants, [from, to)) — the days not rolled up, or stale; the facts rows
 * not rolled up received in `spans` (the rolled-up days' live tail); or the rolled-up cases of
 * `spans` the caller avoids (their roll-up sums are taken off again).
 */
export type Scope = { kind: 'all' } | { kind: 'received' | 'unrolled' | 'avoided' | 'marked'; spans: (readonly [string, string])[] };

/** The rolled-up open cases changed since (migration 0036): their parts are taken off, their facts read. */
const markedCases = (app: App) => app.database.reads.selectFrom('report_rollup_case_marks as cm').select('cm.complaint_id');

function spansWhere(column: string, spans: readonly (readonly [string, string])[]) {
  return sql<boolean>`(${sql.join(
    spans.map(([a, b]) => sql`(${ref(column)} >= ${a} and ${ref(column)} < ${b})`),
    sql` or `,
  )})`;
}

function scoped<T extends SelectQueryBuilder<any, any, any>>(app: App, actor: Actor, q: T, scope: Scope): T {
  if (scope.kind === 'all') return q;
  let r = q as SelectQueryBuilder<any, any, any>;
  const db = app.database.reads;
  if (scope.kind === 'received') r = r.where(spansWhere('complaints.received_at', scope.spans));
  else if (scope.kind === 'marked') r = r.where('complaints.id', 'in', markedCases(app)).where(spansWhere('complaints.received_at', scope.spans));
  else if (scope.kind === 'unrolled') r = r.where('complaints.id', 'in', db.selectFrom('case_facts as u').select('u.complaint_id').where('u.rolled_day', 'is', null).where(spansWhere('u.received_at', scope.spans)));
  else
    r = r
      // Driven by the caller's own cases (few), then only those they must avoid.
      .where('complaints.id', 'in', db.selectFrom('complaint_participants as ap').select('ap.complaint_id').where('ap.user_id', '=', actor.id))
      .where((eb: ExpressionBuilder<any, any>) => eb.not(notAvoiding(actor, 'complaints.id')(eb) as never))
      .where('f.rolled_day', 'is not', null)
      .where('complaints.id', 'not in', markedCases(app))
      .where(spansWhere('complaints.received_at', scope.spans));
  return r as T;
}

/** The cohort (cases received in the period matching the filters, not avoided by the caller), left-joined with its facts; also the ledger export's rows. */
export function cohortOf(app: App, actor: Actor, q: StatisticsQuery, fromI: string, toI: string, scope: Scope = { kind: 'all' }): Q {
  const base = app.database.reads.selectFrom('complaints').leftJoin('case_facts as f', 'f.complaint_id', 'complaints.id').where('complaints.received_at', '>=', fromI).where('complaints.received_at', '<', toI);
  // The avoided part is the complement of the avoidance filter.
  const visible = scope.kind === 'avoided' ? base : base.where(notAvoiding(actor, 'complaints.id'));
  return scoped(app, actor, applyFilters(visible, q.filters), scope) as unknown as Q;
}

/** Which closures (cases closed in the period, whenever received) a query reads: all; those not rolled up; those rolled up under `days` (stale); or the rolled-up ones the caller avoids outside `days`. */
export type ClosureScope = { kind: 'all' } | { kind: 'unrolled' } | { kind: 'stale'; days: string[] } | { kind: 'avoided' | 'marked'; staleDays: string[] };

const HOURS_100 = (wms: number) => Math.round((wms / HOUR) * 100);

/** The counters every part sums (the roll-up's columns, migration 0032): each a SQL aggregate over the cohort's rows. */
export function counterAggregates(): [string, RawBuilder<number>][] {
  const notInvalid = sql`coalesce(${ref('f.valid')}, 1) = 1`;
  const moded = sql`${ref('f.handling_mode')} is not null`;
  const isComplaint = sql`${ref('complaints.kind')} = 'complaint'`;
  const keyed = sql`exists (select 1 from contact_keys ck where ck.complaint_id = ${ref('complaints.id')} and ck.kind in ('phone', 'email'))`;
  const sum = (v: RawBuilder<unknown>) => sql<number>`coalesce(sum(${v}), 0)`;
  const final = sql`${ref('f.final_satisfaction')} is not null`;
  return [
    ['total', sql<number>`count(*)`],
    ['judged', sumIf(sql`${ref('f.valid')} is not null`)],
    ['unjudged', sumIf(sql`${ref('complaints.kind')} = 'complaint' and ${ref('f.valid')} is null`)],
    ['valid', sumIf(FIGURES.valid)],
    ['invalid', sumIf(FIGURES.invalid)],
    ['malicious', sumIf(FIGURES.malicious)],
    ['v0', sumIf(sql`${ref('f.valid')} = 0`)],
    ['v0_malicious', sumIf(sql`${ref('f.valid')} = 0 and ${FIGURES.malicious}`)],
    ['closed', sumIf(sql`${ref('f.closed_at')} is not null`)],
    ['moded', sumIf(moded)],
    ...HANDLING_MODES.map((m) => [`mode_${m}`, sumIf(FIGURES[m])] as [string, RawBuilder<number>]),
    ['answered', sumIf(sql`${ref('f.first_answered_at')} is not null and ${notInvalid}`)],
    ['first_contact', sumIf(FIGURES.first_contact)],
    ['timed', sumIf(sql`${moded} and ${ref('f.handling_wms')} is not null`)],
    ['sum_wms', sum(sql`case when ${moded} then ${ref('f.handling_wms')} end`)],
    ['sat_cases', sumIf(final)],
    ['satisfied', sumIf(FIGURES.satisfied)],
    ...SATISFACTION_LEVELS.map((l) => [`sat_${l}`, sumIf(sql`${ref('f.final_satisfaction')} = ${l}`)] as [string, RawBuilder<number>]),
    ...(['attitude', 'efficiency', 'result'] as const).flatMap((d) => [
      [`score_${d}_sum`, sum(sql`case when ${final} then ${ref(`f.score_${d}`)} end`)] as [string, RawBuilder<number>],
      [`score_${d}_n`, sumIf(sql`${final} and ${ref(`f.score_${d}`)} is not null`)] as [string, RawBuilder<number>],
    ]),
    ['reopened', sumIf(FIGURES.reopened)],
    ['reopens', sum(ref('f.reopen_count'))],
    ['extended', sumIf(FIGURES.extended)],
    ['extensions', sum(ref('f.extensions'))],
    ['special_extensions', sum(ref('f.special_extensions'))],
    ['escalated', sumIf(FIGURES.escalated)],
    ['escalations', sum(ref('f.escalations'))],
    ['rep_keyed', sumIf(sql`${isComplaint} and ${keyed}`)],
    // Settled cases are never pending: a roll-up of settled cases only (before 0036) has 0 here.
    ['pending', sumIf(FIGURES.pending)],
  ];
}
export const COUNTER_NAMES = counterAggregates().map(([name]) => name);

/** The intake dimensions (and the highest tier): the grouped pass's columns. */
export const DIMS = { byKind: 'complaints.kind', byChannel: 'complaints.channel', byCategory: 'complaints.category', byDepartment: 'complaints.department_code', byGrade: 'complaints.grade', byCustomerClass: 'f.customer_class' } as const;
export const tierOf = () => sql<number>`coalesce(${ref('f.max_tier')}, ${ref('complaints.tier')})`;
/** A clock_facts kind that is a deadline (a built-in stage or a policy's clock rule), or a case duty. */
export const deadlineKind = () => sql`(${ref('k.kind')} in (${sql.join([...STAGES])}) or ${ref('k.kind')} like 'rule:%')`;
export const dutyKind = () => sql`${ref('k.kind')} like ${`${DUTY_KIND_PREFIX}%`}`;

/**
 * The clock instances on-time figures count: the settled (met or breached) deadlines and duties of
 * the cases received in [from, to). The live statistics and the roll-up job both read this, so a
 * rolled-up day and a live day can never count different clocks.
 */
export function settledClocksOfPeriod(db: Kysely<DB> | Transaction<DB>, from: string, to: string) {
  return db
    .selectFrom('clock_facts as k')
    .innerJoin('complaints', 'complaints.id', 'k.complaint_id')
    .leftJoin('case_facts as f', 'f.complaint_id', 'complaints.id')
    .where('complaints.received_at', '>=', from)
    .where('complaints.received_at', '<', to)
    .where(sql<boolean>`(${deadlineKind()} or ${dutyKind()})`)
    .where('k.outcome', 'in', ['met', 'breached']);
}

/** Per group of clock instances: whether the kind is a deadline or a duty, and how many were met and breached. */
export const clockOutcomeSums = () => [
  sql<number>`case when ${deadlineKind()} then 1 else 0 end`.as('deadline'),
  sql<number>`case when ${dutyKind()} then 1 else 0 end`.as('duty'),
  sumIf(sql`${ref('k.outcome')} = 'met'`).as('met'),
  sumIf(sql`${ref('k.outcome')} = 'breached'`).as('breached'),
];

/** Additive pieces of the figures: the live queries' results, the roll-ups', and (subtracted) the avoided rolled-up cases'. */
interface Part {
  sign: 1 | -1;
  c: Record<string, number>;
  received: number[];
  closed: number[];
  open: Record<AgeBucket, number>;
  pend: Record<AgeBucket, number>;
  repeated: number;
  dims: { key: (string | number | null)[]; n: number }[];
  reasons: { reason: string | null; n: number; m: number }[];
  clocks: { kind: string; grade: string | null; deadline: number; duty: number; met: number; breached: number }[];
  /** Handling times by `HOURS_100` (the p90's nearest rank); null: the p90 is read by the exact query (`all`). */
  wms: Map<number, number> | null;
}

function emptyPart(sign: 1 | -1, nb: number): Part {
  const zeros = () => Object.fromEntries(AGE_BUCKETS.map((b) => [b, 0])) as Record<AgeBucket, number>;
  return { sign, c: {}, received: Array(nb).fill(0), closed: Array(nb).fill(0), open: zeros(), pend: zeros(), repeated: 0, dims: [], reasons: [], clocks: [], wms: null };
}

interface Ctx {
  app: App;
  actor: Actor;
  q: StatisticsQuery;
  fromI: string;
  toI: string;
  bounds: (readonly [string, string])[];
  asOf: Date;
}

/** The live queries over one scope of the cohort: counters, trend, ages, repeat, dimensions, reasons, clocks (and the p90's values unless `all`). */
async function cohortPart(x: Ctx, scope: Scope, sign: 1 | -1): Promise<Part> {
  const { app, actor, q, fromI, toI, bounds, asOf } = x;
  const db = app.database.reads;
  const dialect = app.database.dialect;
  const cohort = () => cohortOf(app, actor, q, fromI, toI, scope);
  const part = emptyPart(sign, bounds.length);
  const inBucket = (column: string) => bounds.map(([a, b], i) => sumIf(sql`${ref(column)} >= ${a} and ${ref(column)} < ${b}`).as(`b${i}`));
  // Repeat complaints: an earlier complaint of the same customer (phone or e-mail key).
  const windowStart =
    dialect === 'postgres'
      ? sql`to_char((${ref('complaints.received_at')}::timestamptz - make_interval(days => ${q.repeatWindowDays})) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
      : sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${ref('complaints.received_at')}, ${`-${q.repeatWindowDays} days`})`;
  const isComplaint = sql`${ref('complaints.kind')} = 'complaint'`;
  // CROSS JOIN keeps SQLite's join order: the case's few keys, then the cases sharing each key, then
  // those cases' rows by id. Left to itself (no statistics), SQLite walked every complaint of the
  // window for each case — quadratic in the month's cases (9.3 s at 20,000, bench/reports.ts).
  // PostgreSQL reorders a cross join freely, so the text serves both engines.
  const repeated = sql`exists (select 1 from contact_keys ck
      cross join contact_keys o
      cross join complaints oc
      where ck.complaint_id = ${ref('complaints.id')} and ck.kind in ('phone', 'email')
        and o.key = ck.key and o.complaint_id <> ck.complaint_id
        and oc.id = o.complaint_id and oc.kind = 'complaint'
        and oc.received_at < ${ref('complaints.received_at')} and oc.received_at >= ${windowStart})`;

  // --- one pass for the cohort's counters ------------------------------------------------------
  // The queries below are independent of each other: PostgreSQL runs them side by side on the
  // pool's connections; SQLite one after the other.
  const countersQ = cohort()
    .select([
      ...counterAggregates().map(([name, agg]) => agg.as(name)),
      ...inBucket('complaints.received_at'),
      ...ageOf(asOf, 'open', 'open'),
      ...ageOf(asOf, 'pending', 'pend'),
      sumIf(sql`${isComplaint} and ${repeated}`).as('rep_repeated'),
    ])
    .executeTakeFirst() as Promise<Record<string, unknown>>;

  // --- intake by dimension and escalations by the highest tier reached: one grouped pass ----------
  const dimsQ = cohort()
    .select([...Object.entries(DIMS).map(([name, column]) => sql<string | null>`${ref(column)}`.as(name)), tierOf().as('tier'), sql<number>`count(*)`.as('n')])
    .groupBy([...Object.values(DIMS).map((c) => ref(c)), tierOf()])
    .execute() as Promise<Record<string, unknown>[]>;

  // --- validity by reason --------------------------------------------------------------------------
  const reasonsQ = cohort()
    .select(['f.invalid_reason as reason', sql<number>`count(*)`.as('n'), sumIf(FIGURES.malicious).as('m')])
    .where('f.valid', '=', 0)
    .groupBy('f.invalid_reason')
    .execute() as Promise<{ reason: string | null; n: unknown; m: unknown }[]>;

  // --- on time per stage, per grade and per duty (clock instances of the cohort): one grouped pass -------
  // A policy's clock rules (`rule:<code>`, issue 10 §1) are deadlines too, after the built-in stages;
  // case duties (`duty:<code>`) are counted apart. The two predicates are read in SQL, as before.
  let clocksBase = settledClocksOfPeriod(db, fromI, toI);
  if (scope.kind !== 'avoided') clocksBase = clocksBase.where(notAvoiding(actor, 'complaints.id'));
  const clocksQ = scoped(app, actor, applyFilters(clocksBase, q.filters), scope)
    .select(['k.kind as kind', 'complaints.grade as grade', ...clockOutcomeSums()])
    // The two flags depend on the kind alone, so grouping by it groups them too.
    .groupBy(['k.kind', 'complaints.grade'])
    .execute() as Promise<{ kind: string; grade: string | null; deadline: unknown; duty: unknown; met: unknown; breached: unknown }[]>;

  // --- the handling times themselves, for a part that is summed with roll-ups (few rows: the live tail) --
  const moded = sql<boolean>`${ref('f.handling_mode')} is not null`;
  const wmsQ = scope.kind === 'all' ? Promise.resolve([]) : (cohort().select('f.handling_wms as w').where(moded).where('f.handling_wms', 'is not', null).execute() as Promise<{ w: unknown }[]>);

  const [s, dimRows, reasons, clockRows, wmsRows] = await Promise.all([countersQ, dimsQ, reasonsQ, clocksQ, wmsQ]);
  for (const name of COUNTER_NAMES) part.c[name] = n(s[name]);
  part.received = bounds.map((_, i) => n(s[`b${i}`]));
  for (const b of AGE_BUCKETS) ((part.open[b] = n(s[`open_${b}`])), (part.pend[b] = n(s[`pend_${b}`])));
  part.repeated = n(s.rep_repeated);
  part.dims = dimRows.map((r) => ({ key: [...Object.keys(DIMS).map((k) => r[k] as string | null), n(r.tier)], n: n(r.n) }));
  part.reasons = reasons.map((r) => ({ reason: r.reason, n: n(r.n), m: n(r.m) }));
  part.clocks = clockRows.map((r) => ({ kind: r.kind, grade: r.grade, deadline: n(r.deadline), duty: n(r.duty), met: n(r.met), breached: n(r.breached) }));
  if (scope.kind !== 'all') {
    part.wms = new Map();
    for (const r of wmsRows) {
      const h = HOURS_100(Number(r.w));
      part.wms.set(h, (part.wms.get(h) ?? 0) + 1);
    }
  }
  return part;
}

/** The cases closed in [fromI, toI), whenever received: the closure trend (`closurePart`) and its drill-down read this. */
function closuresOf(app: App, fromI: string, toI: string) {
  return app.database.reads.selectFrom('complaints').innerJoin('case_facts as f', 'f.complaint_id', 'complaints.id').where('f.closed_at', '>=', fromI).where('f.closed_at', '<', toI);
}

/** Closures in the period (whenever received) of one closure scope, per trend bucket. */
async function closurePart(x: Ctx, scope: ClosureScope, sign: 1 | -1): Promise<Part> {
  const { app, actor, q, fromI, toI, bounds } = x;
  const db = app.database.reads;
  const part = emptyPart(sign, bounds.length);
  let base = closuresOf(app, fromI, toI);
  if (scope.kind === 'avoided') {
    base = base
      .where('complaints.id', 'in', db.selectFrom('complaint_participants as ap').select('ap.complaint_id').where('ap.user_id', '=', actor.id))
      .where((eb) => eb.not(notAvoiding(actor, 'complaints.id')(eb) as never))
      .where('f.rolled_day', 'is not', null)
      .where('complaints.id', 'not in', markedCases(app));
    if (scope.staleDays.length) base = base.where('f.rolled_day', 'not in', scope.staleDays);
  } else if (scope.kind === 'marked') {
    base = base.where(notAvoiding(actor, 'complaints.id')).where('complaints.id', 'in', markedCases(app)).where('f.rolled_day', 'is not', null);
    if (scope.staleDays.length) base = base.where('f.rolled_day', 'not in', scope.staleDays);
  } else {
    base = base.where(notAvoiding(actor, 'complaints.id'));
    if (scope.kind === 'unrolled') base = base.where('f.rolled_day', 'is', null);
    if (scope.kind === 'stale') base = base.where('f.rolled_day', 'in', scope.days);
  }
  const row = (await applyFilters(base, q.filters)
    .select(bounds.map(([a, b], i) => sumIf(sql`${ref('f.closed_at')} >= ${a} and ${ref('f.closed_at')} < ${b}`).as(`b${i}`)))
    .executeTakeFirst()) as Record<string, unknown> | undefined;
  part.closed = bounds.map((_, i) => n(row?.[`b${i}`]));
  return part;
}

/**
 * The backlog ages the roll-ups cannot give: the roll-up counts open and pending cases per day of
 * their age's start (`report_rollup_ages`), which puts a whole day in one bucket unless an age
 * bound falls inside it. For those few days (`straddle`, one per bound) the exact ages of the
 * rolled-up cases of the clean days, unchanged since (not marked), avoided ones included (the
 * roll-up counted them; the avoided part takes them off again), are read from the facts.
 */
async function straddlePart(x: Ctx, rolledSpans: (readonly [string, string])[], straddle: (readonly [string, string])[]): Promise<Part> {
  const { app, q, fromI, toI, bounds, asOf } = x;
  const part = emptyPart(1, bounds.length);
  const base = (from: string, to: string) =>
    applyFilters(
      app.database.reads
        .selectFrom('complaints')
        .innerJoin('case_facts as f', 'f.complaint_id', 'complaints.id')
        .where('complaints.received_at', '>=', from)
        .where('complaints.received_at', '<', to)
        .where(spansWhere('complaints.received_at', rolledSpans))
        .where('f.rolled_day', 'is not', null)
        .where('complaints.id', 'not in', markedCases(app)),
      q.filters,
    );
  // One query per day for the open cases, its receipt range the only one (SQLite then searches
  // its index by it, not by the period's); the facts' copy of the receipt instant (written from
  // the case's, never changed) lets PostgreSQL read case_facts by its index too instead of
  // hash-joining all of it. The pending cases (few) by their state.
  const days = straddle.map(([a, b]) => [a > fromI ? a : fromI, b < toI ? b : toI] as const).filter(([a, b]) => a < b);
  const rows = (await Promise.all([
    ...days.map(([a, b]) =>
      base(a, b)
        .where('f.received_at', '>=', a)
        .where('f.received_at', '<', b)
        .select(ageOf(asOf, 'open', 'open'))
        .executeTakeFirst(),
    ),
    base(fromI, toI)
      .where('complaints.state', '=', 'pending')
      .where(spansWhere('f.pending_since', straddle))
      .select(ageOf(asOf, 'pending', 'pend'))
      .executeTakeFirst(),
  ])) as (Record<string, unknown> | undefined)[];
  for (const r of rows) for (const b of AGE_BUCKETS) ((part.open[b] += n(r?.[`open_${b}`])), (part.pend[b] += n(r?.[`pend_${b}`])));
  return part;
}

/** Adds the parts (a negative part is taken off) into one. */
function sumParts(parts: Part[], nb: number): Part {
  const t = emptyPart(1, nb);
  const dims = new Map<string, { key: (string | number | null)[]; n: number }>();
  const reasons = new Map<string, { reason: string | null; n: number; m: number }>();
  const clocks = new Map<string, Part['clocks'][number]>();
  for (const p of parts) {
    const k = p.sign;
    for (const [name, v] of Object.entries(p.c)) t.c[name] = (t.c[name] ?? 0) + k * v;
    p.received.forEach((v, i) => (t.received[i]! += k * v));
    p.closed.forEach((v, i) => (t.closed[i]! += k * v));
    for (const b of AGE_BUCKETS) ((t.open[b] += k * p.open[b]), (t.pend[b] += k * p.pend[b]));
    t.repeated += k * p.repeated;
    for (const d of p.dims) {
      const key = JSON.stringify(d.key);
      const e = dims.get(key) ?? { key: d.key, n: 0 };
      e.n += k * d.n;
      dims.set(key, e);
    }
    for (const r of p.reasons) {
      const key = JSON.stringify(r.reason);
      const e = reasons.get(key) ?? { reason: r.reason, n: 0, m: 0 };
      ((e.n += k * r.n), (e.m += k * r.m));
      reasons.set(key, e);
    }
    for (const r of p.clocks) {
      const key = JSON.stringify([r.kind, r.grade]);
      const e = clocks.get(key) ?? { ...r, met: 0, breached: 0 };
      ((e.met += k * r.met), (e.breached += k * r.breached));
      clocks.set(key, e);
    }
    if (p.wms) {
      t.wms ??= new Map();
      for (const [h, v] of p.wms) t.wms.set(h, (t.wms.get(h) ?? 0) + k * v);
    }
  }
  // A group that sums to nothing was never there (a case taken off again).
  t.dims = [...dims.values()].filter((d) => d.n !== 0);
  t.reasons = [...reasons.values()].filter((r) => r.n !== 0);
  t.clocks = [...clocks.values()].filter((r) => r.met !== 0 || r.breached !== 0);
  return t;
}

export async function statistics(app: App, actor: Actor, q: StatisticsQuery): Promise<Statistics> {
  const { policy, zone, start, end, fromI, toI } = await context(app, q);
  const bs = buckets(start, end, q.groupBy);
  const bounds = bs.map((b) => [b.from.toUTC().toISO()!, b.to.toUTC().toISO()!] as const);
  const asOf = app.now();
  const x: Ctx = { app, actor, q, fromI, toI, bounds, asOf };

  // The rolled-up days of the period (reports/rollups.ts) count from the roll-up tables; the
  // rest of the cohort is read from the facts as it stands. Without roll-ups: all from the facts.
  const plan = await rollupPlan(app, zone, q, start, end);
  let t: Part;
  let p90Exact: number | null = null;
  if (!plan) {
    t = sumParts(await Promise.all([cohortPart(x, { kind: 'all' }, 1), closurePart(x, { kind: 'all' }, 1)]), bounds.length);
    const timed = n(t.c.timed);
    if (timed) {
      const row = await cohortOf(app, actor, q, fromI, toI)
        .select('f.handling_wms as w')
        .where(sql<boolean>`${ref('f.handling_mode')} is not null`)
        .where('f.handling_wms', 'is not', null)
        .orderBy('f.handling_wms')
        .limit(1)
        .offset(Math.ceil(0.9 * timed) - 1)
        .executeTakeFirst();
      p90Exact = row ? Number(row.w) : null;
    }
  } else {
    const avoids = actor.kind !== 'system';
    const straddle = straddleDays(asOf, zone);
    const parts = await Promise.all([
      plan.liveSpans.length ? cohortPart(x, { kind: 'received', spans: plan.liveSpans }, 1) : null,
      plan.rolledSpans.length ? cohortPart(x, { kind: 'unrolled', spans: plan.rolledSpans }, 1) : null,
      plan.rolledSpans.length && plan.marked ? cohortPart(x, { kind: 'marked', spans: plan.rolledSpans }, 1) : null,
      avoids && plan.rolledSpans.length ? cohortPart(x, { kind: 'avoided', spans: plan.rolledSpans }, -1) : null,
      plan.rolledSpans.length ? straddlePart(x, plan.rolledSpans, straddle.spans) : null,
      closurePart(x, { kind: 'unrolled' }, 1),
      plan.staleDays.length ? closurePart(x, { kind: 'stale', days: plan.staleDays }, 1) : null,
      plan.marked ? closurePart(x, { kind: 'marked', staleDays: plan.staleDays }, 1) : null,
      avoids ? closurePart(x, { kind: 'avoided', staleDays: plan.staleDays }, -1) : null,
      rollupPart(
        app,
        q,
        plan,
        bs.map((b) => [b.from.toISODate()!, b.to.toISODate()!] as const),
        asOf,
        straddle.days,
      ),
    ]);
    t = sumParts(
      parts.filter((p): p is Part => p !== null),
      bounds.length,
    );
  }
  return figures(q, policy, zone, fromI, toI, bs, asOf, t, p90Exact);
}

function figures(q: StatisticsQuery, policy: Awaited<ReturnType<App['activePolicy']>>, zone: string, fromI: string, toI: string, bs: ReturnType<typeof buckets>, asOf: Date, t: Part, p90Exact: number | null): Statistics {
  const s = t.c;
  const total = n(s.total);
  const timed = n(s.timed);
  // --- p90 of the handling time: the nearest-rank value (⌈0.9 n⌉-th smallest) ---------------------
  let p90Hours: number | null = p90Exact === null ? null : round2(p90Exact / HOUR);
  if (t.wms && timed) {
    let rank = Math.ceil(0.9 * timed);
    for (const h of [...t.wms.keys()].sort((a, b) => a - b)) {
      rank -= t.wms.get(h)!;
      if (rank <= 0) {
        p90Hours = h / 100;
        break;
      }
    }
  }

  const by = (i: number): Count[] => {
    const counts = new Map<string | null, number>();
    for (const r of t.dims) {
      const key = r.key[i] as string | null;
      counts.set(key, (counts.get(key) ?? 0) + r.n);
    }
    return [...counts].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || String(a.key).localeCompare(String(b.key)));
  };
  const tiers = (() => {
    const counts = new Map<number, number>();
    for (const r of t.dims) counts.set(n(r.key[6]), (counts.get(n(r.key[6])) ?? 0) + r.n);
    return [...counts].map(([tier, count]) => ({ tier, count }));
  })();

  const onTimeRow = (met: number, breached: number) => ({ met, breached, rate: rate(met, met + breached).rate });
  const sumBy = <K>(rows: Part['clocks'], key: (r: Part['clocks'][number]) => K) => {
    const m = new Map<K, { met: number; breached: number }>();
    for (const r of rows) {
      const x = m.get(key(r)) ?? { met: 0, breached: 0 };
      x.met += r.met;
      x.breached += r.breached;
      m.set(key(r), x);
    }
    return [...m];
  };
  const deadlineRows = t.clocks.filter((r) => r.deadline === 1);
  const byStage = sumBy(deadlineRows, (r) => r.kind)
    .map(([stage, x]) => {
      const rule = ruleOfClock(policy, stage);
      return { stage, ...(rule ? { name: rule.name } : {}), ...onTimeRow(x.met, x.breached) };
    })
    .sort((a, b) => stageOrder(a.stage) - stageOrder(b.stage) || a.stage.localeCompare(b.stage));
  const byGrade = sumBy(deadlineRows, (r) => r.grade)
    .map(([grade, x]) => ({ grade, ...onTimeRow(x.met, x.breached) }))
    .sort((a, b) => String(a.grade).localeCompare(String(b.grade)));
  const byDuty = sumBy(
    t.clocks.filter((r) => r.duty === 1),
    (r) => r.kind,
  )
    .map(([kind, x]) => ({ code: kind.slice(DUTY_KIND_PREFIX.length), ...onTimeRow(x.met, x.breached) }))
    .sort((a, b) => a.code.localeCompare(b.code));

  const answered = n(s.answered);
  const moded_ = n(s.moded);
  const mean = (sum: unknown, count: unknown) => (n(count) ? round2(n(sum) / n(count)) : null);
  return {
    period: { from: q.from, to: q.to, timeZone: zone, fromInstant: fromI, toInstant: toI, groupBy: q.groupBy },
    filters: q.filters,
    intake: {
      total,
      byKind: by(0),
      byChannel: by(1),
      byCategory: by(2),
      byDepartment: by(3),
      byGrade: by(4),
      byCustomerClass: by(5),
      trend: bs.map((b, i) => ({ bucket: b.label, start: b.from.toISODate()!, received: t.received[i]!, closed: t.closed[i]! })),
    },
    validity: {
      judged: n(s.judged),
      unjudged: n(s.unjudged),
      valid: rate(n(s.valid), n(s.judged)),
      invalid: rate(n(s.invalid), n(s.judged)),
      malicious: rate(n(s.malicious), n(s.judged)),
      byReason: t.reasons.map((r) => ({ reason: r.reason, count: r.n, malicious: r.m })).sort((a, b) => b.count - a.count || String(a.reason).localeCompare(String(b.reason))),
    },
    handling: {
      closed: n(s.closed),
      modes: Object.fromEntries(HANDLING_MODES.map((m) => [m, rate(n(s[`mode_${m}`]), moded_)])) as Statistics['handling']['modes'],
      firstContactResolution: rate(n(s.first_contact), answered),
      time: { cases: timed, averageHours: timed ? round2(n(s.sum_wms) / timed / HOUR) : null, p90Hours },
      pendingNow: n(s.pending),
    },
    onTime: { byStage, byGrade, byDuty },
    backlog: { asOf: asOf.toISOString(), open: t.open, pending: t.pend },
    satisfaction: {
      cases: n(s.sat_cases),
      satisfied: rate(n(s.satisfied), n(s.sat_cases)),
      byLevel: Object.fromEntries(SATISFACTION_LEVELS.map((l) => [l, n(s[`sat_${l}`])])) as Statistics['satisfaction']['byLevel'],
      scores: { attitude: mean(s.score_attitude_sum, s.score_attitude_n), efficiency: mean(s.score_efficiency_sum, s.score_efficiency_n), result: mean(s.score_result_sum, s.score_result_n) },
    },
    reopen: { reopened: rate(n(s.reopened), answered), reopens: n(s.reopens) },
    repeat: { windowDays: q.repeatWindowDays, repeated: rate(t.repeated, n(s.rep_keyed)) },
    extensions: { extended: rate(n(s.extended), total), total: n(s.extensions), special: n(s.special_extensions) },
    escalations: {
      escalated: rate(n(s.escalated), total),
      total: n(s.escalations),
      byMaxTier: tiers.sort((a, b) => a.tier - b.tier),
    },
  };
}

export interface StatisticsCase {
  id: string;
  number: string;
  kind: string;
  state: string;
  grade: string | null;
  receivedAt: string;
}

/**
 * The cases a figure counts, that the caller may open (need to know, avoidance), newest first:
 * the cohort's cases of a cohort figure — of a backlog series with `age`, only those of that age
 * bucket now — or, for `closed_in_period`, the cases closed in the period whenever received.
 */
export async function statisticsCases(app: App, actor: Actor, q: StatisticsQuery, figure: Figure, limit = 200, age?: AgeBucket): Promise<StatisticsCase[]> {
  if (age && !AGED_FIGURES.includes(figure))
    throw new AppError('invalid_input', 'age: only with a backlog figure', [fieldProblem('age', '账龄只能与积压（open、pending）一同使用', 'age goes only with a backlog figure (open, pending)', '帳齡只能與積壓（open、pending）一同使用')]);
  const { fromI, toI } = await context(app, q);
  const visible = visibleTo(actor) as unknown as (eb: ExpressionBuilder<any, any>) => RawBuilder<boolean>;
  const base = figure === CLOSED_IN_PERIOD ? applyFilters(closuresOf(app, fromI, toI).where(notAvoiding(actor, 'complaints.id')), q.filters) : cohortOf(app, actor, q, fromI, toI).where(FIGURES[figure] as RawBuilder<boolean>);
  const aged = age ? base.where(ageBand(app.now(), BACKLOG_SERIES[figure as BacklogSeries].since, age) as RawBuilder<boolean>) : base;
  const rows = await (aged as Q)
    .where(visible)
    .select(['complaints.id', 'complaints.number', 'complaints.kind', 'complaints.state', 'complaints.grade', 'complaints.received_at'])
    .orderBy('complaints.received_at', 'desc')
    .orderBy('complaints.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, number: r.number, kind: r.kind, state: r.state, grade: r.grade, receivedAt: r.received_at }));
}
