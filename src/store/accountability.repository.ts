/**
 * Accountability entries and their history (migration 0016). Entries are written by the
 * decision writer in the transition's transaction (`recordEntries`), and changed only by the
 * accountability service, one step at a time, each step appended to `accountability_history`.
 */
import type { Actor, Complaint } from '../domain/complaint/types.js';
import type { ProposedEntry } from '../domain/accountability/entries.js';
import { EFFECTIVE_STATUSES, OPEN_STATUSES, type Entry, type EntryAccess, type EntryStatus } from '../domain/accountability/workflow.js';
import { AppError } from '../domain/errors.js';
import { uuidv7 } from './ids.js';
import { PostgresAdapter, sql, type ExpressionBuilder, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Dialect, Executor } from './db.js';
import type { AccountabilityEntriesTable, AccountabilityHistoryTable, DB } from './schema.js';

export type HistoryStep = EntryStatus;

export interface HistoryRow {
  seq: number;
  step: HistoryStep;
  at: string;
  actorId: string;
  actorName: string;
  amount: number | null;
  reason: string | null;
}

function toEntry(r: AccountabilityEntriesTable): Entry {
  return {
    id: r.id,
    complaintId: r.complaint_id,
    complaintNumber: r.complaint_number,
    policyKey: r.policy_key,
    sourceVersion: Number(r.source_version),
    sourceAction: r.source_action,
    ruleCode: r.rule_code,
    trigger: r.trigger as Entry['trigger'],
    effect: r.effect as Entry['effect'],
    points: Number(r.points),
    amount: r.amount === null ? null : Number(r.amount),
    amountMin: r.amount_min === null ? null : Number(r.amount_min),
    amountMax: r.amount_max === null ? null : Number(r.amount_max),
    personId: r.person_id,
    departmentCode: r.department_code,
    status: r.status as EntryStatus,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

async function appendStep(db: Executor, entryId: string, step: HistoryStep, at: string, actor: Pick<Actor, 'id' | 'name'>, amount: number | null, reason: string | null): Promise<void> {
  const last = await db
    .selectFrom('accountability_history')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('entry_id', '=', entryId)
    .executeTakeFirst();
  const row: AccountabilityHistoryTable = { entry_id: entryId, seq: Number(last?.seq ?? 0) + 1, step, at, actor_id: actor.id, actor_name: actor.name, amount, reason };
  await db.insertInto('accountability_history').values(row).execute();
}

/**
 * Stores the entries one transaction's transitions created (in that transaction): each person's
 * department as the staff table has it now, a `proposed` step by the actor of the transition.
 * An entry already made for the same case, rule and target is left as it is.
 */
export async function recordEntries(db: Executor, policyKey: string, entries: readonly ProposedEntry[], actor: Pick<Actor, 'id' | 'name'>): Promise<void> {
  if (!entries.length) return;
  const personIds = [...new Set(entries.map((e) => e.personId).filter((x): x is string => !!x))];
  const users = personIds.length ? await db.selectFrom('users').select(['id', 'department_code']).where('id', 'in', personIds).execute() : [];
  const deptOf = new Map(users.map((u) => [u.id, u.department_code]));
  for (const e of entries) {
    const id = uuidv7(Date.parse(e.at));
    const inserted = await db
      .insertInto('accountability_entries')
      .values({
        id,
        complaint_id: e.complaintId,
        complaint_number: e.complaintNumber,
        policy_key: policyKey,
        source_version: e.sourceVersion,
        source_action: e.sourceAction,
        rule_code: e.ruleCode,
        trigger: e.trigger,
        effect: e.effect,
        points: e.points,
        amount: e.amount,
        amount_min: e.amountMin,
        amount_max: e.amountMax,
        person_id: e.personId,
        department_code: e.departmentCode ?? (e.personId ? (deptOf.get(e.personId) ?? null) : null),
        status: 'proposed',
        dedupe_key: e.dedupeKey,
        detail: JSON.stringify(e.detail),
        created_at: e.at,
        updated_at: e.at,
      })
      .onConflict((oc) => oc.columns(['complaint_id', 'rule_code', 'dedupe_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) await appendStep(db, id, 'proposed', e.at, actor, e.amount, null);
  }
}

/** The entry, locked for a step on PostgreSQL (SQLite serialises writers). */
export async function lockEntry(db: Executor, dialect: Dialect, id: string): Promise<Entry | null> {
  let q = db.selectFrom('accountability_entries').selectAll().where('id', '=', id);
  if (dialect === 'postgres') q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? toEntry(row) : null;
}

export async function getEntry(db: Executor, id: string): Promise<Entry | null> {
  const row = await db.selectFrom('accountability_entries').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toEntry(row) : null;
}

/** Writes one step: the entry's new status and amount (only if it is still as `before`), and its history row. */
export async function saveStep(db: Executor, before: Entry, after: Entry, actor: Pick<Actor, 'id' | 'name'>, reason: string | null): Promise<void> {
  const r = await db.updateTable('accountability_entries').set({ status: after.status, amount: after.amount, updated_at: after.updatedAt }).where('id', '=', before.id).where('status', '=', before.status).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new AppError('conflict', `entry ${before.id} changed meanwhile`);
  await appendStep(db, before.id, after.status, after.updatedAt, actor, after.amount, reason);
}

export interface EntryFilter {
  /** Instants: created_at in [from, to). */
  from?: string;
  to?: string;
  personId?: string;
  departmentCode?: string;
  status?: EntryStatus[];
  complaintId?: string;
  ruleCode?: string;
}

type EntriesQuery<O> = SelectQueryBuilder<DB, 'accountability_entries', O>;

function filtered<O>(q: EntriesQuery<O>, f: EntryFilter): EntriesQuery<O> {
  if (f.from) q = q.where('created_at', '>=', f.from);
  if (f.to) q = q.where('created_at', '<', f.to);
  if (f.personId) q = q.where('person_id', '=', f.personId);
  if (f.departmentCode) q = q.where('department_code', '=', f.departmentCode);
  if (f.status?.length) q = q.where('status', 'in', f.status);
  if (f.complaintId) q = q.where('complaint_id', '=', f.complaintId);
  if (f.ruleCode) q = q.where('rule_code', '=', f.ruleCode);
  return q;
}

export async function listEntries(db: Executor, f: EntryFilter, limit = 5000): Promise<Entry[]> {
  const rows = await filtered(db.selectFrom('accountability_entries').selectAll(), f).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toEntry);
}

/**
 * The policy keys of the entries `f` selects (the scorecards' visibility is decided per policy),
 * in order. A skip scan over `(policy_key, created_at)` (migration 0037): each step asks for the
 * first key after the last one found, so a month of 100 000 entries under a few policies costs a
 * few index probes instead of reading every entry (`select distinct` did).
 */
export async function entryPolicyKeys(db: Executor, f: EntryFilter): Promise<string[]> {
  // SQLite has no statistics (no ANALYZE) and would walk the period by `created_at` and sort it at
  // every step: `+created_at` keeps it from choosing that index for the bounds.
  const created = db.getExecutor().adapter instanceof PostgresAdapter ? sql<string>`${sql.ref('created_at')}` : sql<string>`+${sql.ref('created_at')}`;
  const { from, to, ...rest } = f;
  const firstAfter = (last: RawBuilder<string> | null) => {
    let q = filtered(db.selectFrom('accountability_entries').select('policy_key'), rest);
    if (from) q = q.where(created, '>=', from);
    if (to) q = q.where(created, '<', to);
    if (last) q = q.where('policy_key', '>', last);
    return q.orderBy('policy_key').limit(1);
  };
  const rows = await sql<{ policy_key: string | null }>`with recursive k(policy_key) as (
      select (${firstAfter(null)})
      union all
      select (${firstAfter(sql<string>`${sql.ref('k.policy_key')}`)}) from k where k.policy_key is not null
    ) select policy_key from k where policy_key is not null`.execute(db);
  return rows.rows.map((r) => r.policy_key!);
}

/** One group of entries: one person (or none) of one department (or none), one rule. */
export interface ScorecardRow {
  personId: string | null;
  departmentCode: string | null;
  ruleCode: string;
  /** Confirmed or upheld entries, their points and amounts by effect. */
  counted: number;
  penaltyPoints: number;
  penaltyAmount: number;
  rewardPoints: number;
  rewardAmount: number;
  open: number;
  overturned: number;
  /** The group's earliest entry, `created_at` then `id` (the person's department is their earliest entry's). */
  first: string;
}

/**
 * The entries `f` selects that the reader may see (`canSeeEntry`, as `EntryAccess` per policy
 * key), summed in SQL per person, department and rule — the scorecards' figures without reading
 * the entries one by one.
 */
export async function scorecardRows(db: Executor, f: EntryFilter, reader: { id: string; managerOf: readonly string[] }, access: ReadonlyMap<string, EntryAccess>): Promise<ScorecardRow[]> {
  const sees = (eb: ExpressionBuilder<DB, 'accountability_entries'>) => {
    const any = [eb('person_id', '=', reader.id)];
    if (reader.managerOf.length) any.push(eb('department_code', 'in', [...reader.managerOf]));
    for (const [key, a] of access) {
      if (a.all) {
        any.push(eb('policy_key', '=', key));
        continue;
      }
      const rules = [];
      if (a.visibleRules.length) rules.push(eb('rule_code', 'in', a.visibleRules));
      if (a.otherRules) rules.push(a.ruleCodes.length ? eb('rule_code', 'not in', a.ruleCodes) : eb.lit(true));
      if (rules.length) any.push(eb.and([eb('policy_key', '=', key), eb.or(rules)]));
    }
    return eb.or(any);
  };
  const inList = (list: readonly string[]) => sql.join(list.map((x) => sql`${x}`));
  const effective = sql`${sql.ref('status')} in (${inList(EFFECTIVE_STATUSES)})`;
  const sumWhen = (cond: ReturnType<typeof sql>, value: ReturnType<typeof sql>) => sql<number>`coalesce(sum(case when ${cond} then ${value} else 0 end), 0)`;
  const penalty = sql`${effective} and ${sql.ref('effect')} = 'penalty'`;
  const reward = sql`${effective} and ${sql.ref('effect')} <> 'penalty'`;
  const amount = sql`coalesce(${sql.ref('amount')}, 0)`;
  const rows = await filtered(db.selectFrom('accountability_entries'), f)
    .where(sees)
    .select([
      'person_id',
      'department_code',
      'rule_code',
      sumWhen(effective, sql`1`).as('counted'),
      sumWhen(penalty, sql.ref('points')).as('penalty_points'),
      sumWhen(penalty, amount).as('penalty_amount'),
      sumWhen(reward, sql.ref('points')).as('reward_points'),
      sumWhen(reward, amount).as('reward_amount'),
      sumWhen(sql`${sql.ref('status')} in (${inList(OPEN_STATUSES)})`, sql`1`).as('open'),
      sumWhen(sql`${sql.ref('status')} = 'overturned'`, sql`1`).as('overturned'),
      sql<string>`min(${sql.ref('created_at')} || ' ' || ${sql.ref('id')})`.as('first'),
    ])
    .groupBy(['person_id', 'department_code', 'rule_code'])
    .execute();
  return rows.map((r) => ({
    personId: r.person_id,
    departmentCode: r.department_code,
    ruleCode: r.rule_code,
    counted: Number(r.counted),
    penaltyPoints: Number(r.penalty_points),
    penaltyAmount: Number(r.penalty_amount),
    rewardPoints: Number(r.reward_points),
    rewardAmount: Number(r.reward_amount),
    open: Number(r.open),
    overturned: Number(r.overturned),
    first: String(r.first),
  }));
}

export async function listHistory(db: Executor, entryId: string): Promise<HistoryRow[]> {
  const rows = await db.selectFrom('accountability_history').selectAll().where('entry_id', '=', entryId).orderBy('seq').execute();
  return rows.map((r) => ({ seq: Number(r.seq), step: r.step as HistoryStep, at: r.at, actorId: r.actor_id, actorName: r.actor_name, amount: r.amount === null ? null : Number(r.amount), reason: r.reason }));
}

/** The cases behind entries, by id, in one query (the service decides what the reader is shown of each). */
export async function casesOfEntries(db: Executor, complaintIds: readonly string[]): Promise<Map<string, Complaint>> {
  if (!complaintIds.length) return new Map();
  const rows = await db
    .selectFrom('complaints')
    .select(['id', 'body'])
    .where('id', 'in', [...new Set(complaintIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, JSON.parse(r.body) as Complaint]));
}
