/**
 * Per-day roll-ups of the report statistics (issue 11 scale: a monthly report over 1 M cases in
 * under 1 s; docs/reports.md "Roll-ups", migration 0032).
 *
 * The job (`rollUpReports`, run by `kesu serve` beside the report scheduler, never inside a
 * transition) sums, for each local day before today, the day's *settled* cases (closed or
 * archived) with the statistics' own SQL aggregates (`counterAggregates`, the clock and dimension
 * groupings of statistics.ts), grouped by the filter columns, and marks those cases
 * `case_facts.rolled_day`. The statistics then read a rolled-up day from these few rows, plus the
 * day's cases not rolled up (the live tail, through a partial index), minus the rolled-up cases
 * the caller must avoid.
 *
 * A rolled-up case that changes afterwards (a transition, a duty, a purge, an import that makes
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
import { ROLLUP_MAX_WINDOW_DAYS } from '../store/facts.repository.js';

export { ROLLUP_MAX_WINDOW_DAYS };
import { COUNTER_NAMES, counterAggregates, deadlineKind, dutyKind, tierOf, type StatisticsQuery } from './statistics.js';

const SETTLED = ['closed', 'archived'];
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
}

/** How a statistics query reads the roll-ups, or null when it reads everything from the facts. */
export async function rollupPlan(app: App, zone: string, q: StatisticsQuery, start: DateTime, end: DateTime): Promise<RollupPlan | null> {
  if (q.filters.handlerId?.length || q.repeatWindowDays > ROLLUP_MAX_WINDOW_DAYS) return null;
  const db = app.database.db;
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
  return {
    cleanDays,
    staleDays: [...stale].sort(),
    liveSpans: spansOf(days.filter((d) => !cleanDays.includes(d)), zone),
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
export async function rollupPart(app: App, q: StatisticsQuery, plan: RollupPlan, bucketDays: readonly (readonly [string, string])[]) {
  const db = any(app.database.db);
  const f = q.filters;
  const clean = plan.cleanDays;
  const bucketOf = (day: string) => bucketDays.findIndex(([a, b]) => day >= a && day < b);
  const none = Promise.resolve([] as Record<string, unknown>[]);
  const [cases, clocks, wms, repeat, closures] = await Promise.all([
    clean.length ? filtered(db.selectFrom('report_rollup_cases').selectAll().where('day', 'in', clean), f).execute() : none,
    clean.length
      ? filtered(db.selectFrom('report_rollup_clocks').where('day', 'in', clean), f)
          .select(['clock_kind', 'grade', 'deadline', 'duty', sql<number>`sum(met)`.as('met'), sql<number>`sum(breached)`.as('breached')])
          .groupBy(['clock_kind', 'grade', 'deadline', 'duty'])
          .execute()
      : none,
    clean.length ? filtered(db.selectFrom('report_rollup_wms').where('day', 'in', clean), f).select(['r', sql<number>`sum(n)`.as('n')]).groupBy('r').execute() : none,
    clean.length ? filtered(db.selectFrom('report_rollup_repeat').where('day', 'in', clean).where('gap_days', '<=', q.repeatWindowDays), f).select(sql<number>`sum(n)`.as('n')).execute() : none,
    (() => {
      let c = db.selectFrom('report_rollup_closures').where('closed_day', '>=', q.from).where('closed_day', '<=', q.to);
      if (plan.staleDays.length) c = c.where('day', 'not in', plan.staleDays);
      return filtered(c, f).select(['closed_day', sql<number>`sum(n)`.as('n')]).groupBy('closed_day').execute();
    })(),
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
  const zeros = { lt1d: 0, d1to3: 0, d3to7: 0, ge7d: 0 };
  return {
    sign: 1 as const,
    c,
    received,
    closed,
    open: { ...zeros },
    pend: { ...zeros },
    repeated: num(repeat[0]?.n),
    dims: [...dims.values()],
    reasons: [...reasons.values()],
    clocks: clocks.map((r) => ({ kind: String(r.clock_kind), grade: (r.grade as string | null) ?? null, deadline: num(r.deadline), duty: num(r.duty), met: num(r.met), breached: num(r.breached) })),
    wms: new Map(wms.map((r) => [num(r.r), num(r.n)])),
  };
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

/** PostgreSQL: a serialization failure or deadlock (a transition changed the day's cases meanwhile), or another instance rolled the day up first. */
const isConflict = (e: unknown) => ['40001', '40P01', '23505'].includes(String((e as { code?: string })?.code));

/**
 * One pass: starts over when the policy's time zone changed; rebuilds every rolled-up day a
 * mark covers and every day before today with settled cases not yet rolled up (at most
 * `maxDays`, oldest first); then drops the marks read at the start whose days were all rebuilt.
 * Each day in its own short transaction (REPEATABLE READ on PostgreSQL: a transition that
 * changes one of the day's cases meanwhile makes it fail, and the day waits for the next pass).
 */
export async function rollUpReports(app: App, opts: { maxDays?: number } = {}): Promise<RollupPass> {
  const db = app.database.db;
  const policy = await app.activePolicy();
  const zone = policy.calendar.timeZone;
  const at = app.now().toISOString();
  const meta = await db.selectFrom('report_rollup_meta').select('zone').where('id', '=', META_ID).executeTakeFirst();
  if (!meta || meta.zone !== zone) {
    await db.transaction().execute(async (trx) => {
      for (const t of ['cases', 'clocks', 'closures', 'wms', 'repeat', 'days', 'marks']) await any(trx).deleteFrom(`report_rollup_${t}`).execute();
      await trx.updateTable('case_facts').set({ rolled_day: null }).where('rolled_day', 'is not', null).execute();
      await trx.deleteFrom('report_rollup_meta').execute();
      await trx.insertInto('report_rollup_meta').values({ id: META_ID, zone, updated_at: at }).execute();
    });
  }
  const today = localDay(at, zone);
  const marks = await db.selectFrom('report_rollup_marks').select(['id', 'from_at', 'to_at']).execute();
  const rolled = (await db.selectFrom('report_rollup_days').select('day').execute()).map((r) => r.day);
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
  const unrolled = await db
    .selectFrom('case_facts as f')
    .innerJoin('complaints', 'complaints.id', 'f.complaint_id')
    .select('complaints.received_at')
    .distinct()
    .where('f.rolled_day', 'is', null)
    .where('complaints.state', 'in', SETTLED)
    .execute();
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

/** Rebuilds one day's roll-up rows from its settled cases; null when the day has a case without facts (left unrolled). */
async function rebuildDay(app: App, day: string, zone: string, at: string): Promise<number | null> {
  const [s, e] = dayBounds(day, zone);
  const run = async (trx: Transaction<DB>): Promise<number | null> => {
    const t = any(trx);
    // Writes first: SQLite takes the write lock now, so the day is read as it is written.
    for (const name of ['cases', 'clocks', 'closures', 'wms', 'repeat', 'days']) await t.deleteFrom(`report_rollup_${name}`).where('day', '=', day).execute();
    await trx.updateTable('case_facts').set({ rolled_day: null }).where('rolled_day', '=', day).execute();
    const orphan = await trx
      .selectFrom('complaints')
      .select('complaints.id')
      .where('complaints.received_at', '>=', s)
      .where('complaints.received_at', '<', e)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('case_facts as o').select('o.complaint_id').whereRef('o.complaint_id', '=', 'complaints.id'))))
      .limit(1)
      .executeTakeFirst();
    if (orphan) return null;
    const settled = () =>
      trx
        .selectFrom('complaints')
        .innerJoin('case_facts as f', 'f.complaint_id', 'complaints.id')
        .where('complaints.received_at', '>=', s)
        .where('complaints.received_at', '<', e)
        .where('complaints.state', 'in', SETTLED);
    const dimSelect = DIM_COLUMNS.map((c) => sql.ref(DIM_SOURCE[c]).as(c));
    const dimGroup = DIM_COLUMNS.map((c) => sql.ref(DIM_SOURCE[c]));
    const reason = sql<string | null>`case when ${sql.ref('f.valid')} = 0 then ${sql.ref('f.invalid_reason')} end`;

    const caseRows = (await settled()
      .select([...dimSelect, tierOf().as('tier'), reason.as('reason'), ...counterAggregates().map(([name, agg]) => agg.as(name))])
      .groupBy([...dimGroup, tierOf(), reason])
      .execute()) as Record<string, unknown>[];
    const deadline = deadlineKind();
    const duty = dutyKind();
    const clockRows = (await trx
      .selectFrom('clock_facts as k')
      .innerJoin('complaints', 'complaints.id', 'k.complaint_id')
      .innerJoin('case_facts as f', 'f.complaint_id', 'complaints.id')
      .where('complaints.received_at', '>=', s)
      .where('complaints.received_at', '<', e)
      .where('complaints.state', 'in', SETTLED)
      .where(sql<boolean>`(${deadline} or ${duty})`)
      .where('k.outcome', 'in', ['met', 'breached'])
      .select([
        ...dimSelect,
        'k.kind as clock_kind',
        sql<number>`case when ${deadline} then 1 else 0 end`.as('deadline'),
        sql<number>`case when ${duty} then 1 else 0 end`.as('duty'),
        sql<number>`sum(case when ${sql.ref('k.outcome')} = 'met' then 1 else 0 end)`.as('met'),
        sql<number>`sum(case when ${sql.ref('k.outcome')} = 'breached' then 1 else 0 end)`.as('breached'),
      ])
      .groupBy([...dimGroup, 'k.kind'])
      .execute()) as Record<string, unknown>[];
    // Per case: the closing day, the handling time's p90 rank and the gap to the customer's previous complaint.
    const perCase = (await settled()
      .select([
        ...dimSelect,
        'complaints.id as id',
        'complaints.received_at as received_at',
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
    for (const r of perCase) {
      if (r.closed_at) add(closures, r, { closed_day: localDay(String(r.closed_at), zone) });
      if (r.wms !== null && r.wms !== undefined) add(wms, r, { r: Math.round((Number(r.wms) / HOUR) * 100) });
      if (r.previous) {
        const gap = Math.ceil((Date.parse(String(r.received_at)) - Date.parse(String(r.previous))) / DAY_MS);
        if (gap <= ROLLUP_MAX_WINDOW_DAYS) add(repeat, r, { gap_days: gap });
      }
    }
    const insert = async (table: string, rows: Record<string, unknown>[]) => {
      for (let i = 0; i < rows.length; i += 200) await t.insertInto(table).values(rows.slice(i, i + 200)).execute();
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
    await trx
      .updateTable('case_facts')
      .set({ rolled_day: day })
      .where('complaint_id', 'in', settled().select('complaints.id'))
      .execute();
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

