/**
 * The few counts `/metrics` reads on each scrape (services/metrics.ts). Each one is an index
 * range, never a walk of the whole table: open cases through `complaints_state` (closed and
 * archived cases, the bulk of the table, are not counted), overdue cases through
 * `complaints_overdue`, due clocks through the sweeper's partial index on `next_check_at`, the
 * outbox through `outbox_pending` (status first; delivered rows are not counted).
 */
import { sql } from 'kysely';
import type { Executor } from './db.js';

/** Case count per state, for the given (open) states; states without cases are absent. */
export async function countCasesByState(db: Executor, states: readonly string[]): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('complaints')
    .select(['state', (eb) => eb.fn.countAll().as('n')])
    .where('state', 'in', [...states])
    .groupBy('state')
    .execute();
  return new Map(rows.map((r) => [r.state, Number(r.n)]));
}

/** Cases with a running clock past its deadline (the `overdue` column). */
export async function countOverdueCases(db: Executor): Promise<number> {
  const r = await db
    .selectFrom('complaints')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('overdue', '=', 1)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export interface DueClocks {
  /** What the sweeper will do: warning (before the deadline), deadline (a breach), grade_rise. */
  check: 'warning' | 'deadline' | 'grade_rise';
  count: number;
  /** The earliest `next_check_at` among them. */
  oldest: string;
}

/** Running clocks whose next check has come (`next_check_at <= now`) and that no sweep has handled yet. */
export async function dueClocks(db: Executor, now: string): Promise<DueClocks[]> {
  const check = sql<string>`case when kind like 'grade_rise%' then 'grade_rise' when due_at is not null and due_at <= ${now} then 'deadline' else 'warning' end`;
  const rows = await db
    .selectFrom('clocks')
    .select([check.as('check'), (eb) => eb.fn.countAll().as('n'), (eb) => eb.fn.min('next_check_at').as('oldest')])
    .where('next_check_at', 'is not', null)
    .where('next_check_at', '<=', now)
    .groupBy(sql`1`) // by position: the expression carries a parameter, which PostgreSQL would not match
    .execute();
  return rows.map((r) => ({ check: r.check as DueClocks['check'], count: Number(r.n), oldest: String(r.oldest) }));
}

export interface OutboxStatusCount {
  status: 'pending' | 'sending' | 'dead';
  count: number;
  /** The earliest `created_at` among them. */
  oldest: string;
}

/** Outbox rows waiting (pending), being delivered (sending) and dead-lettered. */
export async function outboxBacklog(db: Executor): Promise<OutboxStatusCount[]> {
  const rows = await db
    .selectFrom('outbox')
    .select(['status', (eb) => eb.fn.countAll().as('n'), (eb) => eb.fn.min('created_at').as('oldest')])
    .where('status', 'in', ['pending', 'sending', 'dead'])
    .groupBy('status')
    .execute();
  return rows.map((r) => ({ status: r.status as OutboxStatusCount['status'], count: Number(r.n), oldest: String(r.oldest) }));
}
