/**
 * Accountability (考核, issue 11 §4): the entries a reader may see, each step of an entry
 * (confirm, appeal, decide) in one transaction with its history row, and scorecards per person
 * and per department over a period. The rules are in domain/accountability/workflow.ts; the
 * entries themselves are created by the transitions (store/decisions.ts).
 *
 * Avoidance (回避) holds: an entry names its case by number, and says more (title, state, a
 * link) only to a reader who may see the case (domain/permissions/visibility.ts `canSee`) — the
 * person complained about sees their own entry and may appeal it, never the case or its
 * complainant. No answer of this service carries complainant data at all.
 */
import type { z } from 'zod';
import type { App } from './app.js';
import type { Actor, Complaint } from '../domain/complaint/types.js';
import type { Policy } from '../domain/policy/index.js';
import type { I18nText } from '../domain/policy/schema.js';
import { AppError } from '../domain/errors.js';
import { parseInput } from '../domain/validation.js';
import { canSee } from '../domain/permissions/visibility.js';
import { AppealInput, ConfirmInput, DecideInput, appealEntry, canSeeEntry, confirmEntry, decideAppeal, entryActions, entryAccess, type Entry, type EntryAccess, type EntryStatus, type Scorecard } from '../domain/accountability/workflow.js';
import { periodBounds } from '../reports/statistics.js';
import { casesOfEntries, entryPolicyKeys, getEntry, listEntries, listHistory, lockEntry, saveStep, scorecardRows, type EntryFilter, type HistoryRow, type ScorecardRow } from '../store/accountability.repository.js';
import { getUsers } from '../store/user.repository.js';
import type { Executor } from '../store/db.js';

/** What an entry says about its case: more only to a reader who may open the case. */
export interface EntryCase {
  number: string;
  category: string | null;
  grade: string | null;
  /** Present only when the reader may open the case. */
  id?: string;
  title?: string;
  state?: string;
}

export interface EntryView extends Entry {
  personName: string | null;
  ruleName: I18nText | null;
  case: EntryCase;
  actions: ('confirm' | 'appeal' | 'decide')[];
}

export interface PeriodQuery {
  /** Local dates in the active policy's time zone, `to` included. */
  from: string;
  to: string;
  person?: string;
  department?: string;
  status?: EntryStatus[];
  rule?: string;
}

/** Policies by key, read once per request. */
function policies(app: App, db: Executor) {
  const cache = new Map<string, Promise<Policy>>();
  return (key: string) => {
    let p = cache.get(key);
    if (!p) cache.set(key, (p = app.policyByKey(key, db)));
    return p;
  };
}

async function periodFilter(app: App, q: PeriodQuery): Promise<EntryFilter> {
  const policy = await app.activePolicy();
  const { start, end } = periodBounds({ from: q.from, to: q.to, groupBy: 'month' }, policy.calendar.timeZone);
  return {
    from: start.toUTC().toISO()!,
    to: end.toUTC().toISO()!,
    ...(q.person ? { personId: q.person } : {}),
    ...(q.department ? { departmentCode: q.department } : {}),
    ...(q.status?.length ? { status: q.status } : {}),
    ...(q.rule ? { ruleCode: q.rule } : {}),
  };
}

/** The entries the actor may see, of those `rows`, with their policies. */
async function visible(app: App, actor: Actor, rows: Entry[], db: Executor): Promise<{ entry: Entry; policy: Policy }[]> {
  const policyOf = policies(app, db);
  const out: { entry: Entry; policy: Policy }[] = [];
  for (const entry of rows) {
    const policy = await policyOf(entry.policyKey);
    if (canSeeEntry(policy, actor, entry)) out.push({ entry, policy });
  }
  return out;
}

function caseOf(c: Complaint | null, number: string, actor: Actor): EntryCase {
  if (!c) return { number, category: null, grade: null };
  const base = { number: c.number, category: c.category, grade: c.grade };
  return canSee(c, actor) ? { ...base, id: c.id, title: c.title, state: c.state } : base;
}

async function views(app: App, actor: Actor, items: { entry: Entry; policy: Policy }[], db: Executor): Promise<EntryView[]> {
  const personIds = [...new Set(items.map((i) => i.entry.personId).filter((x): x is string => !!x))];
  const names = new Map((personIds.length ? await getUsers(db, personIds) : []).map((u) => [u.id, u.name]));
  const cases = await casesOfEntries(
    db,
    items.map((i) => i.entry.complaintId),
  );
  return items.map(({ entry, policy }) => ({
    ...entry,
    personName: entry.personId ? (names.get(entry.personId) ?? null) : null,
    ruleName: policy.accountability?.rules.find((r) => r.code === entry.ruleCode)?.name ?? null,
    case: caseOf(cases.get(entry.complaintId) ?? null, entry.complaintNumber, actor),
    actions: entryActions(policy, actor, entry),
  }));
}

export async function listAccountabilityEntries(app: App, actor: Actor, q: PeriodQuery, limit = 500): Promise<EntryView[]> {
  const db = app.database.db;
  const rows = await listEntries(db, await periodFilter(app, q));
  return views(app, actor, (await visible(app, actor, rows, db)).slice(0, limit), db);
}

export async function accountabilityEntry(app: App, actor: Actor, id: string): Promise<EntryView & { history: HistoryRow[] }> {
  const db = app.database.db;
  const entry = await getEntry(db, id);
  const seen = entry ? await visible(app, actor, [entry], db) : [];
  // An entry the reader may not see does not exist for them.
  if (!seen.length) throw new AppError('not_found', `accountability entry ${id}`);
  const [view] = await views(app, actor, seen, db);
  return { ...view!, history: await listHistory(db, id) };
}

export interface Scorecards {
  period: { from: string; to: string; fromInstant: string; toInstant: string };
  people: (Scorecard & { name: string | null; departmentCode: string | null })[];
  departments: Scorecard[];
}

/**
 * Scorecards over the period (entries made in it) of the entries the actor may see: a person
 * sees their own card, a manager their department's, those who judge or oversee all. Summed in
 * SQL per person, department and rule (`scorecardRows`); here only those groups are added up
 * into cards — a 200-person department's page reads a few hundred rows, not every entry.
 */
export async function accountabilityScorecards(app: App, actor: Actor, q: PeriodQuery): Promise<Scorecards> {
  const db = app.database.db;
  const f = await periodFilter(app, q);
  const policyOf = policies(app, db);
  const access = new Map<string, EntryAccess>();
  for (const key of await entryPolicyKeys(db, f)) access.set(key, entryAccess(await policyOf(key), actor));
  const rows = await scorecardRows(db, f, actor, access);
  const people = cardsOf(rows, (r) => r.personId);
  const departments = cardsOf(rows, (r) => r.departmentCode);
  const names = new Map(
    (people.length
      ? await getUsers(
          db,
          people.map((p) => p.key),
        )
      : []
    ).map((u) => [u.id, u]),
  );
  // A person's department: that of their earliest entry in the period (as the cards always showed).
  const deptOfPerson = new Map<string, { first: string; departmentCode: string | null }>();
  for (const r of rows) {
    if (!r.personId) continue;
    const seen = deptOfPerson.get(r.personId);
    if (!seen || r.first < seen.first) deptOfPerson.set(r.personId, { first: r.first, departmentCode: r.departmentCode });
  }
  return {
    period: { from: q.from, to: q.to, fromInstant: f.from!, toInstant: f.to! },
    people: people.map((p) => ({ ...p, name: names.get(p.key)?.name ?? null, departmentCode: deptOfPerson.get(p.key)?.departmentCode ?? null })),
    departments,
  };
}

/** The groups' sums per key (`keyOf` null: left out), as `foldScorecards` folds entries. */
function cardsOf(rows: readonly ScorecardRow[], keyOf: (r: ScorecardRow) => string | null): Scorecard[] {
  const cards = new Map<string, Scorecard>();
  for (const r of rows) {
    const key = keyOf(r);
    if (key === null) continue;
    let card = cards.get(key);
    if (!card) cards.set(key, (card = { key, penaltyPoints: 0, rewardPoints: 0, penaltyAmount: 0, rewardAmount: 0, open: 0, overturned: 0, byRule: [] }));
    card.open += r.open;
    card.overturned += r.overturned;
    if (!r.counted) continue;
    card.penaltyPoints += r.penaltyPoints;
    card.penaltyAmount += r.penaltyAmount;
    card.rewardPoints += r.rewardPoints;
    card.rewardAmount += r.rewardAmount;
    let byRule = card.byRule.find((x) => x.rule === r.ruleCode);
    if (!byRule) card.byRule.push((byRule = { rule: r.ruleCode, count: 0, points: 0, amount: 0 }));
    byRule.count += r.counted;
    byRule.points += r.penaltyPoints + r.rewardPoints;
    byRule.amount += r.penaltyAmount + r.rewardAmount;
  }
  for (const c of cards.values()) c.byRule.sort((a, b) => a.rule.localeCompare(b.rule));
  return [...cards.values()].sort((a, b) => a.key.localeCompare(b.key));
}

type Step = { kind: 'confirm'; input: z.output<typeof ConfirmInput> } | { kind: 'appeal'; input: z.output<typeof AppealInput> } | { kind: 'decide'; input: z.output<typeof DecideInput> };

/** One step of an entry, its history row in the same transaction; a refusal writes nothing. */
async function step(app: App, actor: Actor, id: string, s: Step): Promise<EntryView & { history: HistoryRow[] }> {
  await app.database.db.transaction().execute(async (trx) => {
    const before = await lockEntry(trx, app.database.dialect, id);
    const policy = before ? await app.policyByKey(before.policyKey, trx) : null;
    if (!before || !policy || !canSeeEntry(policy, actor, before)) throw new AppError('not_found', `accountability entry ${id}`);
    const at = app.now().toISOString();
    let after: Entry;
    let reason: string | null = null;
    if (s.kind === 'confirm') {
      after = confirmEntry(policy, actor, before, s.input, at);
      reason = s.input.note ?? null;
    } else if (s.kind === 'appeal') {
      after = appealEntry(actor, before, at);
      reason = s.input.reason;
    } else {
      after = decideAppeal(policy, actor, before, s.input, at);
      reason = s.input.reason;
    }
    await saveStep(trx, before, after, actor, reason);
  });
  return accountabilityEntry(app, actor, id);
}

export const confirmAccountabilityEntry = (app: App, actor: Actor, id: string, body: unknown) => step(app, actor, id, { kind: 'confirm', input: parseInput(ConfirmInput, body ?? {}) });
export const appealAccountabilityEntry = (app: App, actor: Actor, id: string, body: unknown) => step(app, actor, id, { kind: 'appeal', input: parseInput(AppealInput, body ?? {}) });
export const decideAccountabilityAppeal = (app: App, actor: Actor, id: string, body: unknown) => step(app, actor, id, { kind: 'decide', input: parseInput(DecideInput, body ?? {}) });
