/**
 * Per-day roll-ups of the report statistics (issue 11 scale: a monthly report over 1 M cases in
 * under 1 s; docs/reports.md "Roll-ups", migration 0032).
 *
 * The job (`rollUpReports`, run by `kesu serve` beside the report scheduler, never inside a
 * transition) sums, for each local day before today, every case of the day, settled or open,
 * with the statistics' own SQL aggregates (`counterAggregates`, the clock and dimension
 * groupings of statistics.ts), grouped by the filter columns, and marks those cases
 * `case_facts.rolled_day`. Open cases are also counted per day their backlog age starts
 * (`_ages`) and each keeps its own part (`_parts`, `rolled_part = 1`, migration 0036). The
 * statistics then read a rolled-up day from these few rows, plus the day's cases not rolled up
 * (through a partial index), minus the parts of the open cases changed since (case marks, read
 * from the facts instead), minus the rolled-up cases the caller must avoid.
 *
 * A rolled-up open case that a transition changes leaves a case mark (`report_rollup_case_marks`).
 * Any other rolled-up case that changes afterwards (a transition, a duty, a purge, an import that makes
 * it a repeat complaint) leaves a mark (`report_rollup_marks`, written in that transaction —
 * store/facts.repository.ts `markRollupsStale`); the statistics read a marked day from the facts
 * as they stand until the job has rebuilt it. The figures are the same either way: tested by
 * test/reports/rollups.test.ts against the plain computation on randomized cases.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { DateTime } from 'luxon';
import type { App } from '../services/app.js';
import type { DB } from '../store/schema.js';
import { localDay } from './facts.js';
import { ROLLUP_MAX_WINDOW_DAYS, SETTLED_STATES } from '../store/facts.repository.js';

export { ROLLUP_MAX_WINDOW_DAYS };
import { AGE_BUCKETS, COUNTER_NAMES, ageBucketAt, ageEdges, clockOutcomeSums, counterAggregates, settledClocksOfPeriod, tierOf, type AgeBucket, type StatisticsQuery } from './statistics.js';

const SETTLED = [...SETTLED_STATES];
const META_ID = 'rollups';
const DAY_MS = 86_400_000;
const HOUR = 3_600_000;
/** The filter columns a roll-up row is grouped by (the statistics' filters but the handler). */
const DIM_COLUMNS = ['policy_key', 'kind', 'channel', 'category', 'department_code', 'grade', 'customer_class'] as const;
type DimColumn = (typeof DIM_COLUMNS)[number];
const DIM_SOURCE: Record<DimColumn, string> = {
  policy_key: 'complaints.policy_key',
  kind: 'complaints.kind',
  channel: 'complaints.channel',
  category: 'complaints.category',
  department_code: 'complaints.department_code',
  grade: 'complaints.grade',
  customer_class: 'f.customer_class',
};

const any = (db: Kysely<DB> | Transaction<DB>) => db as unknown as Kysely<any>;

function dayBounds(day: string, zone: string): [string, string] {
  const s = DateTime.fromISO(day, { zone }).startOf('day');
  return [s.toUTC().toISO()!, s.plus({ days: 1 }).toUTC().toISO()!];
}

function daysBetween(from: DateTime, to: DateTime): string[] {
  const out: string[] = [];
  for (let d = from; d < to; d = d.plus({ days: 1 })) out.push(d.toISODate()!);
  return out;
}

/** Contiguous runs of `days` (sorted) as instant spans [from, to). */
function spansOf(days: string[], zone: string): [string, string][] {
  const out: [string, string][] = [];
  for (const d of days) {
    const [a, b] = dayBounds(d, zone);
    const last = out[out.length - 1];
    if (last && last[1] === a) last[1] = b;
    else out.push([a, b]);
  }
  return out;
}

export interface RollupPlan {
  /** Rolled-up days of the period that are not stale: read from the roll-up tables (and their live tail). */
  cleanDays: string[];
  /** Every rolled-up day that is stale (marked), in or out of the period. */
  staleDays: string[];
  /** The period's other days, read from the facts. */
  liveSpans: [string, string][];
  /** The clean days as instant spans. */
  rolledSpans: [string, string][];
  /** Some rolled-up open case changed since (a case mark, migration 0036). */
  marked: boolean;
  /** The time zone the days are local to. */
  zone: string;
}

/** The local days an age bound falls in at `asOf` (one per bound), and as instant spans: their backlog ages are read from the facts. */
export function straddleDays(asOf: Date, zone: string): { days: string[]; spans: [string, string][] } {
  const days = [...new Set(ageEdges(asOf).map((e) => localDay(e, zone)))].sort();
  return { days, spans: spansOf(days, zone) };
}

/** How a statistics query reads the roll-ups, or null when it reads everything from the facts. */
export async function rollupPlan(app: App, zone: string, q: StatisticsQuery, start: DateTime, end: DateTime): Promise<RollupPlan | null> {
  if (q.filters.handlerId?.length || q.repeatWindowDays > ROLLUP_MAX_WINDOW_DAYS) return null;
  const db = app.database.reads;
  const meta = await db.selectFrom('report_rollup_meta').select('zone').where('id', '=', META_ID).executeTakeFirst();
  if (!meta || meta.zone !== zone) return null;
  const days = daysBetween(start, end);
  const rolled = await db.selectFrom('report_rollup_days').select('day').execute();
  const inPeriod = new Set(days);
  if (!rolled.some((r) => inPeriod.has(r.day))) return null;
  const marks = await db.selectFrom('report_rollup_marks').select(['from_at', 'to_at']).execute();
  const stale = new Set<string>();
  if (marks.length)
    for (const { day } of rolled) {
      const [s, e] = dayBounds(day, zone);
      if (marks.some((m) => m.from_at < e && m.to_at >= s)) stale.add(day);
    }
  const rolledSet = new Set(rolled.map((r) => r.day));
  const cleanDays = days.filter((d) => rolledSet.has(d) && !stale.has(d));
  const marked = !!(await db.selectFrom('report_rollup_case_marks').select('complaint_id').limit(1).executeTakeFirst());
  return {
    marked,
    zone,
    cleanDays,
    staleDays: [...stale].sort(),
    liveSpans: spansOf(
      days.filter((d) => !cleanDays.includes(d)),
      zone,
    ),
    rolledSpans: spansOf(cleanDays, zone),
  };
}

function filtered<T>(qb: T, f: StatisticsQuery['filters']): T {
  let r = qb as any;
  const map: [DimColumn, string[] | undefined][] = [
    ['department_code', f.departmentCode],
    ['category', f.category],
    ['grade', f.grade],
    ['kind', f.kind],
    ['channel', f.channel],
    ['customer_class', f.customerClass],
    ['policy_key', f.policyKey],
  ];
  for (const [column, values] of map) if (values?.length) r = r.where(column, 'in', values);
  return r as T;
}

/** The roll-ups' share of the figures: the clean days' sums, and the closures of every clean day's cases. */
export async function rollupPart(app: App, q: StatisticsQuery, plan: RollupPlan, bucketDays: readonly (readonly [string, string])[], asOf: Date, straddle: string[]) {
  const db = any(app.database.reads);
  const f = q.filters;
  const clean = plan.cleanDays;
  const bucketOf = (day: string) => bucketDays.findIndex(([a, b]) => day >= a && day < b);
  const none = Promise.resolve([] as Record<string, unknown>[]);
  const [cases, clocks, wms, repeat, closures, ages, parts] = await Promise.all([
    clean.length ? filtered(db.selectFrom('report_rollup_cases').selectAll().where('day', 'in', clean), f).execute() : none,
    clean.length
      ? filtered(db.selectFrom('report_rollup_clocks').where('day', 'in', clean), f)
          .select(['clock_kind', 'grade', 'deadline', 'duty', sql<number>`sum(met)`.as('met'), sql<number>`sum(breached)`.as('breached')])
          .groupBy(['clock_kind', 'grade', 'deadline', 'duty'])
          .execute()
      : none,
    clean.length
      ? filtered(db.selectFrom('report_rollup_wms').where('day', 'in', clean), f)
          .select(['r', sql<number>`sum(n)`.as('n')])
          .groupBy('r')
          .execute()
      : none,
    clean.length
      ? filtered(db.selectFrom('report_rollup_repeat').where('day', 'in', clean).where('gap_days', '<=', q.repeatWindowDays), f)
          .select(sql<number>`sum(n)`.as('n'))
          .execute()
      : none,
    (() => {
      let c = db.selectFrom('report_rollup_closures').where('closed_day', '>=', q.from).where('closed_day', '<=', q.to);
      if (plan.staleDays.length) c = c.where('day', 'not in', plan.staleDays);
      return filtered(c, f)
        .select(['closed_day', sql<number>`sum(n)`.as('n')])
        .groupBy('closed_day')
        .execute();
    })(),
    clean.length
      ? filtered(db.selectFrom('report_rollup_ages').where('day', 'in', clean), f)
          .select(['basis', 'at_day', sql<number>`sum(n)`.as('n')])
          .groupBy(['basis', 'at_day'])
          .execute()
      : none,
    plan.marked ? filtered(db.selectFrom('report_rollup_parts').selectAll().where('complaint_id', 'in', db.selectFrom('report_rollup_case_marks').select('complaint_id')), f).execute() : none,
  ]);
  const num = (v: unknown) => Number(v ?? 0);
  const c: Record<string, number> = {};
  for (const name of COUNTER_NAMES) c[name] = 0;
  const received = bucketDays.map(() => 0);
  const closed = bucketDays.map(() => 0);
  const dims = new Map<string, { key: (string | number | null)[]; n: number }>();
  const reasons = new Map<string, { reason: string | null; n: number; m: number }>();
  for (const r of cases) {
    for (const name of COUNTER_NAMES) c[name]! += num(r[name]);
    const i = bucketOf(String(r.day));
    if (i >= 0) received[i]! += num(r.total);
    const key = [r.kind, r.channel, r.category, r.department_code, r.grade, r.customer_class, num(r.tier)] as (string | number | null)[];
    const k = JSON.stringify(key);
    const d = dims.get(k) ?? { key, n: 0 };
    d.n += num(r.total);
    dims.set(k, d);
    if (num(r.v0)) {
      const rk = JSON.stringify(r.reason ?? null);
      const e = reasons.get(rk) ?? { reason: (r.reason as string | null) ?? null, n: 0, m: 0 };
      e.n += num(r.v0);
      e.m += num(r.v0_malicious);
      reasons.set(rk, e);
    }
  }
  for (const r of closures) {
    const i = bucketOf(String(r.closed_day));
    if (i >= 0) closed[i]! += num(r.n);
  }
  const clockList = clocks.map((r) => ({ kind: String(r.clock_kind), grade: (r.grade as string | null) ?? null, deadline: num(r.deadline), duty: num(r.duty), met: num(r.met), breached: num(r.breached) }));
  const wmsMap = new Map(wms.map((r) => [num(r.r), num(r.n)]));
  let repeated = num(repeat[0]?.n);
  const ageCounts = new Map<string, number>();
  for (const r of ages) ageCounts.set(`${String(r.basis)} ${String(r.at_day)}`, num(r.n));
  // The changed open cases (marked) come off as the roll-up counted them; cohortPart reads them again.
  const cleanSet = new Set(clean);
  const staleSet = new Set(plan.staleDays);
  for (const p of parts) {
    const day = String(p.day);
    const d = JSON.parse(String(p.data)) as CasePart;
    if (!staleSet.has(day) && d.closedDay && d.closedDay >= q.from && d.closedDay <= q.to) {
      const i = bucketOf(d.closedDay);
      if (i >= 0) closed[i]! -= 1;
    }
    if (!cleanSet.has(day)) continue;
    for (const name of COUNTER_NAMES) c[name]! -= d.c[name] ?? 0;
    const i = bucketOf(day);
    if (i >= 0) received[i]! -= d.c.total ?? 0;
    const key = [p.kind, p.channel, p.category, p.department_code, p.grade, p.customer_class, d.tier] as (string | number | null)[];
    const k = JSON.stringify(key);
    const e = dims.get(k) ?? { key, n: 0 };
    e.n -= d.c.total ?? 0;
    dims.set(k, e);
    if (d.c.v0) {
      const rk = JSON.stringify(d.reason);
      const x = reasons.get(rk) ?? { reason: d.reason, n: 0, m: 0 };
      x.n -= d.c.v0;
      x.m -= d.c.v0_malicious ?? 0;
      reasons.set(rk, x);
    }
    for (const k of d.clocks) clockList.push({ kind: k.kind, grade: (p.grade as string | null) ?? null, deadline: k.deadline, duty: k.duty, met: -k.met, breached: -k.breached });
    if (d.r !== null) wmsMap.set(d.r, (wmsMap.get(d.r) ?? 0) - 1);
    if (d.gap !== null && d.gap <= q.repeatWindowDays) repeated -= 1;
    for (const [basis, atDay] of d.ages) ageCounts.set(`${basis} ${atDay}`, (ageCounts.get(`${basis} ${atDay}`) ?? 0) - 1);
  }
  // Backlog ages: a day wholly inside one bucket at `asOf` counts there; the days a bound falls in are read from the facts (straddlePart).
  const zeros = (): Record<AgeBucket, number> => Object.fromEntries(AGE_BUCKETS.map((b) => [b, 0])) as Record<AgeBucket, number>;
  const open = zeros();
  const pend = zeros();
  for (const [key, count] of ageCounts) {
    const [basis, atDay] = key.split(' ') as [string, string];
    if (!count || straddle.includes(atDay)) continue;
    const b = ageBucketAt(dayBounds(atDay, plan.zone)[0], asOf);
    (basis === 'open' ? open : pend)[b] += count;
  }
  return {
    sign: 1 as const,
    c,
    received,
    closed,
    open,
    pend,
    repeated,
    dims: [...dims.values()],
    reasons: [...reasons.values()],
    clocks: clockList,
    wms: wmsMap,
  };
}

/** What one case rolled up while open added to its day's rows (`report_rollup_parts.data`; its filter columns are the row's). */
interface CasePart {
  c: Record<string, number>;
  tier: number;
  reason: string | null;
  clocks: { kind: string; deadline: number; duty: number; met: number; breached: number }[];
  closedDay: string | null;
  /** The handling time's p90 rank (`_wms.r`), and the gap to the customer's previous complaint (`_repeat`, within the widest window). */
  r: number | null;
  gap: number | null;
  /** `[basis, at_day]` of `_ages`. */
  ages: [string, string][];
}

// ---------------------------------------------------------------------------------------------
// The job
// ---------------------------------------------------------------------------------------------

export interface RollupPass {
  zone: string;
  /** Days rebuilt, and days left as they were (a case without facts, or a conflict with a transition: next pass). */
  rebuilt: string[];
  skipped: string[];
  cases: number;
}

/**
 * When the changed open cases of a rolled-up day (case marks) make the job rebuild it: at least
 * `min` of them and at least `share` of the day's cases. Below that the statistics keep reading
 * them from the facts (their parts taken off), which costs a report one row per changed case.
 */
export interface CaseMarkThreshold {
  min: number;
  share: number;
}
export const CASE_MARK_THRESHOLD: CaseMarkThreshold = { min: 50, share: 0.05 };

/** How many changed open cases make a day of `cases` cases worth rebuilding. */
export function caseMarkLimit(cases: number, t: CaseMarkThreshold): number {
  return Math.max(1, t.min, Math.ceil(cases * t.share));
}

/** PostgreSQL: a serialization failure or deadlock (a transition changed the day's cases meanwhile), or another instance rolled the day up first. */
const isConflict = (e: unknown) => ['40001', '40P01', '23505'].includes(String((e as { code?: string })?.code));

/**
 * One pass: starts over when the policy's time zone changed; rebuilds every rolled-up day a
 * mark covers, every rolled-up day with enough changed open cases (`caseMarks`, default
 * CASE_MARK_THRESHOLD) and every day before today with cases not yet rolled up (at most
 * `maxDays`, oldest first); then drops the marks read at the start whose days were all rebuilt.
 * Each day in its own short transaction (REPEATABLE READ on PostgreSQL: a transition that
 * changes one of the day's cases meanwhile makes it fail, and the day waits for the next pass).
 */
export async function rollUpReports(app: App, opts: { maxDays?: number; caseMarks?: Partial<CaseMarkThreshold> } = {}): Promise<RollupPass> {
  const db = app.database.db;
  const policy = await app.activePolicy();
  const zone = policy.calendar.timeZone;
  const at = app.now().toISOString();
  const meta = await db.selectFrom('report_rollup_meta').select('zone').where('id', '=', META_ID).executeTakeFirst();
  if (!meta || meta.zone !== zone) {
    await db.transaction().execute(async (trx) => {
      for (const t of ['cases', 'clocks', 'closures', 'wms', 'repeat', 'ages', 'parts', 'days', 'marks', 'case_marks']) await any(trx).deleteFrom(`report_rollup_${t}`).execute();
      await trx.updateTable('case_facts').set({ rolled_day: null, rolled_part: 0 }).where('rolled_day', 'is not', null).execute();
      await trx.deleteFrom('report_rollup_meta').execute();
      await trx.insertInto('report_rollup_meta').values({ id: META_ID, zone, updated_at: at }).execute();
    });
  }
  const today = localDay(at, zone);
  const marks = await db.selectFrom('report_rollup_marks').select(['id', 'from_at', 'to_at']).execute();
  const rolledDays = await db.selectFrom('report_rollup_days').select(['day', 'cases']).execute();
  const rolled = rolledDays.map((r) => r.day);
  const todo = new Set<string>();
  const markDays = new Map<string, string[]>();
  for (const day of rolled) {
    const [s, e] = dayBounds(day, zone);
    for (const m of marks)
      if (m.from_at < e && m.to_at >= s) {
        todo.add(day);
        markDays.set(m.id, [...(markDays.get(m.id) ?? []), day]);
      }
  }
  // Changed open cases (case marks): the statistics already take their parts off and read them
  // from the facts, so a day is rebuilt (which takes its marks away) only once enough of it has
  // changed — or when it is rebuilt anyway (a day mark). A few changed cases on a busy day cost
  // the reports a few rows, not the job the whole day.
  const casesOf = new Map(rolledDays.map((r) => [r.day, Number(r.cases)]));
  const changed = new Map<string, number>();
  for (const m of await db.selectFrom('report_rollup_case_marks').select('received_at').execute()) {
    const day = localDay(m.received_at, zone);
    if (casesOf.has(day)) changed.set(day, (changed.get(day) ?? 0) + 1);
  }
  const threshold = { ...CASE_MARK_THRESHOLD, ...opts.caseMarks };
  for (const [day, n] of changed) if (n >= caseMarkLimit(casesOf.get(day)!, threshold)) todo.add(day);
  const unrolled = await db.selectFrom('case_facts as f').innerJoin('complaints', 'complaints.id', 'f.complaint_id').select('complaints.received_at').distinct().where('f.rolled_day', 'is', null).execute();
  for (const r of unrolled) {
    const day = localDay(r.received_at, zone);
    if (day < today) todo.add(day);
  }
  const days = [...todo].sort().slice(0, opts.maxDays ?? Infinity);
  const pass: RollupPass = { zone, rebuilt: [], skipped: [...todo].sort().slice(days.length), cases: 0 };
  for (const day of days) {
    try {
      const n = await rebuildDay(app, day, zone, at);
      if (n === null) pass.skipped.push(day);
      else (pass.rebuilt.push(day), (pass.cases += n));
    } catch (e) {
      if (!isConflict(e)) throw e;
      pass.skipped.push(day);
    }
  }
  const done = new Set(pass.rebuilt);
  const settledMarks = marks.filter((m) => (markDays.get(m.id) ?? []).every((d) => done.has(d)) && !pass.skipped.some((d) => (markDays.get(m.id) ?? []).includes(d)));
  for (let i = 0; i < settledMarks.length; i += 500)
    await db
      .deleteFrom('report_rollup_marks')
      .where(
        'id',
        'in',
        settledMarks.slice(i, i + 500).map((m) => m.id),
      )
      .execute();
  return pass;
}

/** Rebuilds one day's roll-up rows from its cases, settled and open; null when the day has a case without facts (left unrolled). */
async function rebuildDay(app: App, day: string, zone: string, at: string): Promise<number | null> {
  const [s, e] = dayBounds(day, zone);
  const run = async (trx: Transaction<DB>): Promise<number | null> => {
    const t = any(trx);
    // Writes first: SQLite takes the write lock now, so the day is read as it is written.
    for (const name of ['cases', 'clocks', 'closures', 'wms', 'repeat', 'ages', 'parts', 'days']) await t.deleteFrom(`report_rollup_${name}`).where('day', '=', day).execute();
    await trx.deleteFrom('report_rollup_case_marks').where('received_at', '>=', s).where('received_at', '<', e).execute();
    await trx.updateTable('case_facts').set({ rolled_day: null, rolled_part: 0 }).where('rolled_day', '=', day).execute();
    const orphan = await trx
      .selectFrom('complaints')
      .select('complaints.id')
      .where('complaints.received_at', '>=', s)
      .where('complaints.received_at', '<', e)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('case_facts as o').select('o.complaint_id').whereRef('o.complaint_id', '=', 'complaints.id'))))
      .limit(1)
      .executeTakeFirst();
    if (orphan) return null;
    const ofDay = () => trx.selectFrom('complaints').innerJoin('case_facts as f', 'f.complaint_id', 'complaints.id').where('complaints.received_at', '>=', s).where('complaints.received_at', '<', e);
    const openOfDay = () => ofDay().where('complaints.state', 'not in', SETTLED);
    const dimSelect = DIM_COLUMNS.map((c) => sql.ref(DIM_SOURCE[c]).as(c));
    const dimGroup = DIM_COLUMNS.map((c) => sql.ref(DIM_SOURCE[c]));
    const reason = sql<string | null>`case when ${sql.ref('f.valid')} = 0 then ${sql.ref('f.invalid_reason')} end`;

    const counters = () => counterAggregates().map(([name, agg]) => agg.as(name));
    const caseRows = (await ofDay()
      .select([...dimSelect, tierOf().as('tier'), reason.as('reason'), ...counters()])
      .groupBy([...dimGroup, tierOf(), reason])
      .execute()) as Record<string, unknown>[];
    // The open cases' own parts (taken off again by a report once one changes): the same sums per case.
    const openRows = (await openOfDay()
      .select(['complaints.id as id', tierOf().as('tier'), reason.as('reason'), ...counters()])
      .groupBy(['complaints.id', tierOf(), reason])
      .execute()) as Record<string, unknown>[];
    const clocksOf = (open: boolean) => {
      const q = settledClocksOfPeriod(trx, s, e);
      return open ? q.where('complaints.state', 'not in', SETTLED) : q;
    };
    const clockSums = clockOutcomeSums();
    const clockRows = (await clocksOf(false)
      .select([...dimSelect, 'k.kind as clock_kind', ...clockSums])
      .groupBy([...dimGroup, 'k.kind'])
      .execute()) as Record<string, unknown>[];
    const openClockRows = (await clocksOf(true)
      .select(['complaints.id as id', 'k.kind as clock_kind', ...clockSums])
      .groupBy(['complaints.id', 'k.kind'])
      .execute()) as Record<string, unknown>[];
    // Per case: the closing day, the handling time's p90 rank and the gap to the customer's previous complaint.
    const perCase = (await ofDay()
      .select([
        ...dimSelect,
        'complaints.id as id',
        'complaints.state as state',
        'complaints.received_at as received_at',
        'f.pending_since as pending_since',
        'f.closed_at as closed_at',
        sql<number | null>`case when ${sql.ref('f.handling_mode')} is not null then ${sql.ref('f.handling_wms')} end`.as('wms'),
        sql<string | null>`case when ${sql.ref('complaints.kind')} = 'complaint' then (select max(oc.received_at) from contact_keys ck
            cross join contact_keys o
            cross join complaints oc
            where ck.complaint_id = ${sql.ref('complaints.id')} and ck.kind in ('phone', 'email')
              and o.key = ck.key and o.complaint_id <> ck.complaint_id
              and oc.id = o.complaint_id and oc.kind = 'complaint'
              and oc.received_at < ${sql.ref('complaints.received_at')}) end`.as('previous'),
      ])
      .execute()) as Record<string, unknown>[];
    const closures = new Map<string, Record<string, unknown>>();
    const wms = new Map<string, Record<string, unknown>>();
    const repeat = new Map<string, Record<string, unknown>>();
    const add = (m: Map<string, Record<string, unknown>>, r: Record<string, unknown>, extra: Record<string, unknown>) => {
      const row = { day, ...Object.fromEntries(DIM_COLUMNS.map((c) => [c, r[c] ?? null])), ...extra };
      const k = JSON.stringify(row);
      const x = m.get(k) ?? { ...row, n: 0 };
      x.n = Number(x.n) + 1;
      m.set(k, x);
    };
    const ages = new Map<string, Record<string, unknown>>();
    const parts = new Map<string, CasePart & { dims: Record<string, unknown> }>();
    const openCounters = new Map(openRows.map((r) => [String(r.id), r]));
    for (const r of perCase) {
      const closedDay = r.closed_at ? localDay(String(r.closed_at), zone) : null;
      const rank = r.wms !== null && r.wms !== undefined ? Math.round((Number(r.wms) / HOUR) * 100) : null;
      let gap: number | null = null;
      if (closedDay) add(closures, r, { closed_day: closedDay });
      if (rank !== null) add(wms, r, { r: rank });
      if (r.previous) {
        gap = Math.ceil((Date.parse(String(r.received_at)) - Date.parse(String(r.previous))) / DAY_MS);
        if (gap <= ROLLUP_MAX_WINDOW_DAYS) add(repeat, r, { gap_days: gap });
        else gap = null;
      }
      if (SETTLED.includes(String(r.state))) continue;
      // Open: counted by the day its age starts (statistics.ts ageOf: open by receipt, pending by when pended).
      const caseAges: [string, string][] = [['open', localDay(String(r.received_at), zone)]];
      if (r.state === 'pending' && r.pending_since) caseAges.push(['pend', localDay(String(r.pending_since), zone)]);
      for (const [basis, at_day] of caseAges) add(ages, r, { basis, at_day });
      const own = openCounters.get(String(r.id));
      const c = Object.fromEntries(COUNTER_NAMES.map((name) => [name, Number(own?.[name] ?? 0)]));
      parts.set(String(r.id), {
        dims: Object.fromEntries(DIM_COLUMNS.map((col) => [col, r[col] ?? null])),
        c,
        tier: Number(own?.tier ?? 0),
        reason: (own?.reason as string | null | undefined) ?? null,
        clocks: [],
        closedDay,
        r: rank,
        gap,
        ages: caseAges,
      });
    }
    for (const k of openClockRows) parts.get(String(k.id))?.clocks.push({ kind: String(k.clock_kind), deadline: Number(k.deadline), duty: Number(k.duty), met: Number(k.met), breached: Number(k.breached) });
    const insert = async (table: string, rows: Record<string, unknown>[]) => {
      for (let i = 0; i < rows.length; i += 200)
        await t
          .insertInto(table)
          .values(rows.slice(i, i + 200))
          .execute();
    };
    await insert(
      'report_rollup_cases',
      caseRows.map((r) => ({ day, ...Object.fromEntries(Object.entries(r).map(([k, v]) => [k, COUNTER_NAMES.includes(k) || k === 'tier' ? Number(v ?? 0) : v])) })),
    );
    await insert(
      'report_rollup_clocks',
      clockRows.map((r) => ({ day, ...r, deadline: Number(r.deadline), duty: Number(r.duty), met: Number(r.met), breached: Number(r.breached) })),
    );
    await insert('report_rollup_closures', [...closures.values()]);
    await insert('report_rollup_wms', [...wms.values()]);
    await insert('report_rollup_repeat', [...repeat.values()]);
    await insert('report_rollup_ages', [...ages.values()]);
    await insert(
      'report_rollup_parts',
      [...parts].map(([id, { dims, ...data }]) => ({ complaint_id: id, day, ...dims, data: JSON.stringify(data) })),
    );
    await trx
      .updateTable('case_facts')
      .set({ rolled_day: day, rolled_part: 0 })
      .where('complaint_id', 'in', ofDay().where('complaints.state', 'in', SETTLED).select('complaints.id'))
      .execute();
    await trx.updateTable('case_facts').set({ rolled_day: day, rolled_part: 1 }).where('complaint_id', 'in', openOfDay().select('complaints.id')).execute();
    await trx.insertInto('report_rollup_days').values({ day, cases: perCase.length, rolled_at: at }).execute();
    return perCase.length;
  };
  const tx = app.database.db.transaction();
  return app.database.dialect === 'postgres' ? tx.setIsolationLevel('repeatable read').execute(run) : tx.execute(run);
}

/** Keeps the roll-ups current: a pass now and then every `intervalMs` (0: never); stop() waits for a running pass. */
export function startRollups(app: App, intervalMs: number): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = () => {
    running = rollUpReports(app)
      .catch((e: unknown) => app.log.warn({ err: e }, 'report roll-ups: pass failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  if (intervalMs > 0) timer = setTimeout(tick, Math.min(10_000, intervalMs));
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
