/**
 * The manager dashboard: open cases by state, grade, department, channel and kind; overdue and
 * nearly overdue cases; intake and closures per day over the last days; satisfaction of the
 * follow-up calls. Aggregates run in SQL (portable Kysely; the one dialect difference, reading
 * a field of a JSON text column, is `jsonText` below) on both SQLite and PostgreSQL.
 *
 * Who sees what: counts cover the whole organisation except cases that name the caller as the
 * complained-about person (回避: they must not even learn such a case exists); the overdue and
 * nearly-overdue lists show only cases the caller may open (domain `canSee`), so a manager
 * never gets a link to a case that would answer "not found".
 */
import { sql, type RawBuilder } from 'kysely';
import { DateTime } from 'luxon';
import type { Actor, Complaint } from '../domain/complaint/types.js';
import { canSee } from '../domain/permissions/visibility.js';
import { notAvoiding } from '../store/complaint.repository.js';
import type { Dialect } from '../store/db.js';
import type { App } from './app.js';
import { ruleOfClock } from '../domain/policy/clock-rules.js';

/** States in which a case is no longer open. */
const DONE = ['closed', 'archived'];
export const SATISFACTION_KEYS = ['very_satisfied', 'satisfied', 'neutral', 'unsatisfied', 'unreachable'] as const;

export interface Count {
  key: string | null;
  count: number;
}

export interface DeadlineRow {
  id: string;
  number: string;
  title: string;
  kind: string;
  state: string;
  grade: string | null;
  departmentCode: string | null;
  primaryHandlerId: string | null;
  tier: number;
  /** The clock that is breached or close to it. */
  clock: string;
  /** A clock rule's name (clock `rule:<code>`) in the active policy; absent for the built-in clocks and a rule the policy no longer has. */
  clockName?: { 'zh-CN': string; 'zh-TW'?: string; en?: string };
  dueAt: string;
}

export interface Dashboard {
  at: string;
  timeZone: string;
  open: { total: number; byState: Count[]; byGrade: Count[]; byDepartment: Count[]; byChannel: Count[]; byKind: Count[] };
  /** Overdue cases the caller may open (see the note at the top). */
  overdue: DeadlineRow[];
  /** Nearly overdue cases the caller may open, not already overdue. */
  nearlyOverdue: DeadlineRow[];
  /** How many cases are overdue / nearly overdue in the organisation (the lists may show fewer). */
  counts: { overdue: number; nearlyOverdue: number };
  /** One entry per local day (policy time zone), oldest first. */
  trend: { day: string; received: number; closed: number }[];
  satisfaction: {
    since: string;
    /** Cases followed up since `since`: `counts` and `scores` count each once, by its latest follow-up. */
    cases: number;
    /** Follow-up calls since `since`. */
    calls: number;
    counts: Record<(typeof SATISFACTION_KEYS)[number], number>;
    /** Mean per-dimension score (1–5) of the cases' latest follow-ups that gave one, or null. */
    scores: { attitude: number | null; efficiency: number | null; result: number | null };
  };
}

export interface DashboardOptions {
  /** Days in the intake/closure trend (default 7: this week). */
  days?: number;
  /** Satisfaction over the follow-ups of the last N days (default 30). */
  satisfactionDays?: number;
  /** A running clock due within this many hours counts as nearly overdue (default 24). */
  horizonHours?: number;
  /** Rows per list (default 50). */
  listLimit?: number;
}

/** `data` JSON text, field at `path`, as text: the only dialect-specific SQL here. */
function jsonText(dialect: Dialect, column: string, path: string[]): RawBuilder<string | null> {
  // Literal paths (constants of this file), not parameters: PostgreSQL matches a GROUP BY
  // expression to the selected one only when both are written identically.
  if (dialect === 'postgres') return sql<string | null>`(${sql.ref(column)}::jsonb #>> ${sql.lit(`{${path.join(',')}}`)})`;
  return sql<string | null>`json_extract(${sql.ref(column)}, ${sql.lit(`$.${path.join('.')}`)})`;
}

export async function reportDashboard(app: App, actor: Actor, opts: DashboardOptions = {}): Promise<Dashboard> {
  const db = app.database.reads;
  const dialect = app.database.dialect;
  const now = app.now();
  const nowIso = now.toISOString();
  const policy = await app.activePolicy();
  const zone = policy.calendar.timeZone;
  const days = opts.days ?? 7;
  const listLimit = opts.listLimit ?? 50;

  // --- open cases by dimension: one pass (index complaints_open_dims, migration 0031), summed here ----
  const dims = { byState: 'state', byGrade: 'grade', byDepartment: 'department_code', byChannel: 'channel', byKind: 'kind' } as const;
  const openRows = db
    .selectFrom('complaints')
    .select(['state', 'grade', 'department_code', 'channel', 'kind', (eb) => eb.fn.countAll().as('n')])
    .where('state', 'not in', DONE)
    .where(notAvoiding(actor, 'complaints.id'))
    .groupBy(['state', 'grade', 'department_code', 'channel', 'kind'])
    .execute();
  const openOf = (rows: Awaited<typeof openRows>): Dashboard['open'] => {
    const open = { total: 0 } as Dashboard['open'];
    for (const [name, column] of Object.entries(dims) as [keyof typeof dims, (typeof dims)[keyof typeof dims]][]) {
      const byKey = new Map<string | null, number>();
      for (const r of rows) byKey.set(r[column], (byKey.get(r[column]) ?? 0) + Number(r.n));
      open[name] = [...byKey].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || String(a.key).localeCompare(String(b.key)));
    }
    open.total = open.byState.reduce((s, x) => s + x.count, 0);
    return open;
  };

  // --- trend: intake (received_at) and closures (close events) per local day ------------------
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const bounds = Array.from({ length: days + 1 }, (_, i) =>
    today
      .minus({ days: days - 1 - i })
      .toUTC()
      .toISO()!,
  );
  const dayKeys = Array.from({ length: days }, (_, i) => today.minus({ days: days - 1 - i }).toISODate()!);
  const buckets = (column: string) => dayKeys.map((_, i) => sql<number>`sum(case when ${sql.ref(column)} >= ${bounds[i]} and ${sql.ref(column)} < ${bounds[i + 1]} then 1 else 0 end)`.as(`d${i}`));
  const receivedQ = db.selectFrom('complaints').select(buckets('received_at')).where('received_at', '>=', bounds[0]!).where('received_at', '<', bounds[days]!).where(notAvoiding(actor, 'complaints.id')).executeTakeFirst();
  const closedQ = db
    .selectFrom('complaint_events as e')
    .select(buckets('e.at'))
    .where('e.action', '=', 'close')
    .where('e.at', '>=', bounds[0]!)
    .where('e.at', '<', bounds[days]!)
    .where(notAvoiding(actor, 'e.complaint_id'))
    .executeTakeFirst();
  const cell = (row: Record<string, unknown> | undefined, i: number) => Number(row?.[`d${i}`] ?? 0);

  // --- satisfaction of the cases followed up ------------------------------------------------------
  // Per case, not per call (issue 11 §2/§6): a case answered 不满意 and then 满意 is one satisfied
  // case, so each case counts once, by its latest follow-up (its result now) — the statistics'
  // per-case satisfaction, over the cases followed up in the window. The calls are counted too.
  const since = new Date(now.getTime() - (opts.satisfactionDays ?? 30) * 86_400_000).toISOString();
  const level = jsonText(dialect, 'e.data', ['input', 'satisfaction']);
  const followUps = () => db.selectFrom('complaint_events as e').where('e.action', '=', 'follow_up').where('e.at', '>=', since).where(notAvoiding(actor, 'e.complaint_id'));
  const latestOfCase = sql<boolean>`${sql.ref('e.seq')} = (select max(l.seq) from complaint_events l where l.complaint_id = ${sql.ref('e.complaint_id')} and l.action = 'follow_up')`;
  // One pass: per level the cases, and per dimension the sum and number of the scores given
  // (whole numbers 1–5, so the sums are exact and sum / number is the average SQL would give).
  const score = (dim: string) => sql`cast(${jsonText(dialect, 'e.data', ['input', 'scores', dim])} as ${sql.raw(dialect === 'postgres' ? 'double precision' : 'real')})`;
  const dimsOfScore = ['attitude', 'efficiency', 'result'] as const;
  const satQ = followUps()
    .where(latestOfCase)
    .select([level.as('level'), (eb) => eb.fn.countAll().as('n'), ...dimsOfScore.flatMap((d) => [sql<number | null>`sum(${score(d)})`.as(`${d}_sum`), sql<number>`count(${score(d)})`.as(`${d}_n`)])])
    .groupBy(level)
    .execute();
  const callsQ = followUps()
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  const round = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100);

  // --- overdue and nearly overdue -----------------------------------------------------------------
  const horizon = new Date(now.getTime() + (opts.horizonHours ?? 24) * 3_600_000).toISOString();
  // Breached: a running clock past its due time. Nearly: a running clock due within the horizon,
  // or one the sweeper already warned about (its next check is then the due time itself).
  const dueClocks = (breached: boolean) =>
    db
      .selectFrom('clocks as k')
      .innerJoin('complaints', 'complaints.id', 'k.complaint_id')
      .where('k.status', '=', 'running')
      .where('k.due_at', 'is not', null)
      // Grade-rise and re-escalation timers are the sweeper's, not deadlines anyone must meet.
      .where('k.kind', 'not like', 'grade_rise%')
      .where('k.kind', '!=', 'escalation')
      .where('complaints.state', 'not in', DONE)
      .where(notAvoiding(actor, 'complaints.id'))
      .where((eb) => (breached ? eb('k.due_at', '<=', nowIso) : eb.and([eb('k.due_at', '>', nowIso), eb.or([eb('k.due_at', '<=', horizon), eb('k.next_check_at', '=', eb.ref('k.due_at'))])])));
  const clockRows = (breached: boolean) =>
    dueClocks(breached)
      .select(['k.kind', 'k.due_at', 'complaints.body'])
      .orderBy('k.due_at')
      .limit(listLimit * 4)
      .execute();
  const clockCount = async (breached: boolean) => {
    const r = await dueClocks(breached)
      .select((eb) => eb.fn.count<number>('k.complaint_id').distinct().as('n'))
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  };
  const clockName = (kind: string) => {
    const rule = ruleOfClock(policy, kind);
    return rule ? { clockName: rule.name } : {};
  };
  const toList = (rows: { kind: string; due_at: string | null; body: string }[]): DeadlineRow[] => {
    const seen = new Set<string>();
    const out: DeadlineRow[] = [];
    for (const r of rows) {
      const c = JSON.parse(r.body) as Complaint;
      if (seen.has(c.id) || !canSee(c, actor)) continue;
      seen.add(c.id);
      out.push({
        id: c.id,
        number: c.number,
        title: c.title,
        kind: c.kind,
        state: c.state,
        grade: c.grade,
        departmentCode: c.departmentCode,
        primaryHandlerId: c.primaryHandlerId,
        tier: c.tier,
        clock: r.kind,
        ...clockName(r.kind),
        dueAt: r.due_at!,
      });
      if (out.length >= listLimit) break;
    }
    return out;
  };
  // Counts cover the organisation (less the caller's own avoidance cases), like the open counts.
  // A case both overdue on one clock and close on another counts as overdue only.
  const eitherQ = db
    .selectFrom((eb) => dueClocks(true).select('k.complaint_id').union(dueClocks(false).select('k.complaint_id')).as('u'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();

  // The queries are independent: PostgreSQL runs them side by side on the pool's connections.
  const [openRows_, received, closed, satRows, calls, overdueRows, nearlyRows, overdueCount, eitherCount] = await Promise.all([openRows, receivedQ, closedQ, satQ, callsQ, clockRows(true), clockRows(false), clockCount(true), eitherQ]);
  const open = openOf(openRows_);
  const trend = dayKeys.map((day, i) => ({ day, received: cell(received, i), closed: cell(closed, i) }));
  const counts = Object.fromEntries(SATISFACTION_KEYS.map((k) => [k, 0])) as Dashboard['satisfaction']['counts'];
  for (const r of satRows) {
    const key = (r.level ?? 'unreachable') as keyof typeof counts;
    if (key in counts) counts[key] += Number(r.n);
  }
  const avg = Object.fromEntries(
    dimsOfScore.map((d) => {
      const given = satRows.reduce((t, r) => t + Number((r as Record<string, unknown>)[`${d}_n`] ?? 0), 0);
      const sum = satRows.reduce((t, r) => t + Number((r as Record<string, unknown>)[`${d}_sum`] ?? 0), 0);
      return [d, given ? sum / given : null];
    }),
  ) as Record<(typeof dimsOfScore)[number], number | null>;
  const overdue = toList(overdueRows);
  const overdueIds = new Set(overdue.map((r) => r.id));
  const nearlyOverdue = toList(nearlyRows).filter((r) => !overdueIds.has(r.id));
  const nearlyCount = Number(eitherCount?.n ?? 0) - overdueCount;

  return {
    at: nowIso,
    timeZone: zone,
    open,
    overdue,
    nearlyOverdue,
    counts: { overdue: overdueCount, nearlyOverdue: nearlyCount },
    trend,
    satisfaction: {
      since,
      cases: Object.values(counts).reduce((s, n) => s + n, 0),
      calls: Number(calls?.n ?? 0),
      counts,
      scores: { attitude: round(avg.attitude), efficiency: round(avg.efficiency), result: round(avg.result) },
    },
  };
}
