/**
 * 系统性问题 (issue 13 §2, 003 规范5): subjects ranked by recurrence over a period. A subject is a
 * case's category with the product it names (references.product; none when not given). For each:
 * the visible cases received in the period, how many of them were linked at intake to an earlier
 * case (linking.ts reasons), and the trend — the same count over the previous period of the same
 * length, the difference and the change in percent (null when the previous period had none).
 * Only subjects with at least `minCases` cases in the period are ranked (a subject seen once does
 * not recur). Periods are calendar dates in the policy's time zone, `to` included.
 */
import { DateTime } from 'luxon';
import type { Actor, Complaint } from '../domain/complaint/types.js';
import { AppError, fieldProblem } from '../domain/errors.js';
import { casesBySubject, casesOfSubject } from '../store/repeat.repository.js';
import type { App } from '../services/app.js';

export interface SystemicQuery {
  from: string;
  to: string;
  minCases: number;
}

export interface SystemicSubject {
  category: string | null;
  product: string | null;
  cases: number;
  linked: number;
  previous: number;
  change: number;
  /** (cases − previous) / previous × 100, one decimal; null when previous is 0. */
  changePercent: number | null;
}

export interface SystemicRanking {
  period: { from: string; to: string; previousFrom: string; previousTo: string; timeZone: string };
  subjects: SystemicSubject[];
}

interface Bounds {
  zone: string;
  from: DateTime;
  to: DateTime;
  days: number;
}

async function boundsOf(app: App, from: string, to: string): Promise<Bounds> {
  const zone = (await app.activePolicy()).calendar.timeZone;
  const f = DateTime.fromISO(from, { zone }).startOf('day');
  const t = DateTime.fromISO(to, { zone }).startOf('day');
  if (!f.isValid) throw new AppError('invalid_input', 'bad from', [fieldProblem('from', '开始日期无效', 'Invalid start date', '開始日期無效')]);
  if (!t.isValid || t < f) throw new AppError('invalid_input', 'bad to', [fieldProblem('to', '结束日期无效或早于开始日期', 'Invalid end date, or before the start date', '結束日期無效或早於開始日期')]);
  const days = Math.round(t.diff(f, 'days').days) + 1;
  if (days > 366) throw new AppError('invalid_input', 'too long', [fieldProblem('to', '期间最长 366 天', 'The period is at most 366 days', '期間最長 366 天')]);
  return { zone, from: f, to: t, days };
}

const iso = (d: DateTime) => d.toUTC().toISO()!;
const key = (s: { category: string; product: string }) => `${s.category}\u0000${s.product}`;

export async function systemicRanking(app: App, actor: Actor, q: SystemicQuery): Promise<SystemicRanking> {
  const b = await boundsOf(app, q.from, q.to);
  const end = b.to.plus({ days: 1 });
  const prevFrom = b.from.minus({ days: b.days });
  const db = app.database.db;
  const now = await casesBySubject(db, app.database.dialect, actor, iso(b.from), iso(end));
  const before = new Map((await casesBySubject(db, app.database.dialect, actor, iso(prevFrom), iso(b.from))).map((s) => [key(s), s.cases]));
  const subjects = now
    .filter((s) => s.cases >= q.minCases)
    .map((s) => {
      const previous = before.get(key(s)) ?? 0;
      return {
        category: s.category || null,
        product: s.product || null,
        cases: s.cases,
        linked: s.linked,
        previous,
        change: s.cases - previous,
        changePercent: previous ? Math.round(((s.cases - previous) / previous) * 1000) / 10 : null,
      };
    })
    .sort((x, y) => y.cases - x.cases || y.linked - x.linked || String(x.category).localeCompare(String(y.category)) || String(x.product).localeCompare(String(y.product)));
  return {
    period: { from: b.from.toISODate()!, to: b.to.toISODate()!, previousFrom: prevFrom.toISODate()!, previousTo: b.from.minus({ days: 1 }).toISODate()!, timeZone: b.zone },
    subjects,
  };
}

export interface SubjectCase {
  id: string;
  number: string;
  title: string;
  state: string;
  grade: string | null;
  receivedAt: string;
}

/** Drill-down: the visible cases of one subject in the period, newest first. */
export async function systemicCases(app: App, actor: Actor, q: { from: string; to: string; category: string | null; product: string | null; limit: number }): Promise<SubjectCase[]> {
  const b = await boundsOf(app, q.from, q.to);
  const rows = await casesOfSubject(app.database.db, app.database.dialect, actor, { category: q.category ?? '', product: q.product ?? '' }, iso(b.from), iso(b.to.plus({ days: 1 })), q.limit);
  return rows.map((c: Complaint) => ({ id: c.id, number: c.number, title: c.title, state: c.state, grade: c.grade, receivedAt: c.receivedAt }));
}
