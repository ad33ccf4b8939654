/**
 * Complaints: the full domain object as JSON in `body`, plus the columns lists filter and sort
 * on. Visibility and avoidance are applied in SQL so a list never loads rows the caller may not
 * see: the SQL is derived from the relation rules (domain/permissions/relations.ts) that
 * `canSee` reads, over the `complaint_participants` rows and columns written from the same rules.
 */
import { expressionBuilder, sql, type Expression, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Actor, Clock, Complaint } from '../domain/complaint/types.js';
import { RELATION_RULES, needsApproval, participantsOf, relationsGranting, type ParticipantRow, type Person, type Relation, type RelationSource } from '../domain/permissions/relations.js';
import { AppError } from '../domain/errors.js';
import type { DB, ComplaintsTable } from './schema.js';
import type { Dialect, Executor } from './db.js';
import { isCommonText, matchesText, matchesTextDense } from './search.repository.js';

/** The text a case is found by (full-text index and the number/substring fallback). */
export function searchText(c: Complaint): string {
  return [c.number, c.title, c.description, c.references.order, c.references.product, c.references.plate, c.complainant.name, c.subject.description].filter(Boolean).join('\n');
}

/** The running clock that falls due first; grade-rise clocks are not handling deadlines. */
export function nextDueClock(clocks: Clock[]): Clock | undefined {
  return clocks.filter((k) => k.status === 'running' && k.dueAt && !k.kind.startsWith('grade_rise')).sort((a, b) => (a.dueAt! < b.dueAt! ? -1 : a.dueAt! > b.dueAt! ? 1 : 0))[0];
}

/** Columns derived from the case and its clocks. */
function columns(c: Complaint, clocks: Clock[]): Omit<ComplaintsTable, 'id' | 'body' | 'search_rowid'> {
  const resolve = clocks.find((k) => k.kind === 'resolve' && k.status !== 'stopped');
  const next = nextDueClock(clocks);
  return {
    number: c.number,
    kind: c.kind,
    channel: c.channel,
    state: c.state,
    grade: c.grade,
    category: c.category,
    department_code: c.departmentCode,
    primary_handler_id: c.primaryHandlerId,
    first_responder_id: c.firstResponderId,
    tier: c.tier,
    cycle: c.cycle,
    policy_key: c.policyKey,
    title: c.title,
    search_text: searchText(c).toLowerCase(),
    received_at: c.receivedAt,
    updated_at: c.updatedAt,
    resolve_due_at: resolve?.dueAt ?? null,
    overdue: clocks.some((k) => k.status === 'running' && k.breachedAt) ? 1 : 0,
    next_due_kind: next?.kind ?? null,
    next_due_at: next?.dueAt ?? null,
    next_warn_at: next?.warnAt ?? null,
    needs_approval: needsApproval(c) ? 1 : 0,
    version: c.version,
  };
}

function participants(c: Complaint): { complaint_id: string; user_id: string; relation: ParticipantRow }[] {
  return participantsOf(c).map((p) => ({ complaint_id: c.id, user_id: p.userId, relation: p.row }));
}

export async function insertComplaint(db: Executor, c: Complaint, clocks: Clock[]): Promise<void> {
  await db
    .insertInto('complaints')
    .values({ id: c.id, body: JSON.stringify(c), ...columns(c, clocks) })
    .execute();
  const rows = participants(c);
  if (rows.length) await db.insertInto('complaint_participants').values(rows).execute();
}

/**
 * Inserts many new cases at once (the history import's batches): multi-row inserts of the case
 * rows and their participants, in chunks. `searchRowids` (SQLite) sets each case's FTS row.
 */
/** The `complaints` row a new case is inserted as (the columns the table does not default). */
export function newComplaintRow(c: Complaint, clocks: Clock[], searchRowid?: number | null): Omit<ComplaintsTable, 'search_rowid'> & { search_rowid?: number } {
  return { id: c.id, body: JSON.stringify(c), ...columns(c, clocks), ...(searchRowid != null ? { search_rowid: searchRowid } : {}) };
}

export async function insertComplaints(db: Executor, cases: readonly { complaint: Complaint; clocks: Clock[]; searchRowid?: number | null }[]): Promise<void> {
  await insertComplaintRows(
    db,
    cases.map((x) => ({ complaint: x.complaint, row: newComplaintRow(x.complaint, x.clocks, x.searchRowid) })),
  );
}

/** New cases as rows built by `newComplaintRow` (the history import digests the same rows). */
export async function insertComplaintRows(db: Executor, cases: readonly { complaint: Complaint; row: ReturnType<typeof newComplaintRow> }[]): Promise<void> {
  for (let i = 0; i < cases.length; i += 200) {
    const chunk = cases.slice(i, i + 200);
    await db
      .insertInto('complaints')
      .values(chunk.map((x) => x.row))
      .execute();
    const rows = chunk.flatMap((x) => participants(x.complaint));
    for (let j = 0; j < rows.length; j += 500)
      await db
        .insertInto('complaint_participants')
        .values(rows.slice(j, j + 500))
        .execute();
  }
}

/** Saves a transition's result; refuses if someone else saved a newer version meanwhile. */
export async function saveComplaint(db: Executor, c: Complaint, expectedVersion: number, clocks: Clock[]): Promise<void> {
  const r = await db
    .updateTable('complaints')
    .set({ body: JSON.stringify(c), ...columns(c, clocks) })
    .where('id', '=', c.id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new AppError('conflict', `complaint ${c.id} changed concurrently`);
  await db.deleteFrom('complaint_participants').where('complaint_id', '=', c.id).execute();
  const rows = participants(c);
  if (rows.length) await db.insertInto('complaint_participants').values(rows).execute();
}

/**
 * Saves several cases' new versions at once (the retention purge's groups): one UPDATE whose
 * changed columns are `case id when … then … end` over the cases, one delete and one insert of
 * their participants — the same rows `saveComplaint` writes one case at a time (`columns` is the
 * one rule of what a case row holds). `stored` are the rows as read in this transaction: only the
 * columns that differ from them are written. Refuses, changing nothing it can be blamed for (the
 * caller's transaction rolls back), if any case is no longer at its expected version.
 */
export async function saveComplaints(db: Executor, cases: readonly { complaint: Complaint; expectedVersion: number; clocks: Clock[]; stored: Record<string, unknown> }[]): Promise<void> {
  if (!cases.length) return;
  const rows = cases.map((x) => ({ id: x.complaint.id, body: JSON.stringify(x.complaint), ...columns(x.complaint, x.clocks) }) as Record<string, unknown>);
  const changed = Object.keys(rows[0]!).filter((k) => k !== 'id' && rows.some((r, i) => r[k] !== cases[i]!.stored[k]));
  // Typed parameters: PostgreSQL resolves an untyped CASE to text, which an integer column refuses.
  const param = (v: unknown) => (v === null ? sql`null` : typeof v === 'number' ? sql`cast(${v} as integer)` : sql`cast(${v} as text)`);
  const caseOf = (values: unknown[]) =>
    sql`case id ${sql.join(
      cases.map((x, i) => sql`when ${x.complaint.id} then ${param(values[i])}`),
      sql` `,
    )} end`;
  const ids = cases.map((x) => x.complaint.id);
  if (changed.length) {
    const r = await db
      .updateTable('complaints')
      .set(Object.fromEntries(changed.map((k) => [k, caseOf(rows.map((row) => row[k]))])))
      .where('id', 'in', ids)
      .where(sql<boolean>`version = ${caseOf(cases.map((x) => x.expectedVersion))}`)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== cases.length) throw new AppError('conflict', `${cases.length - Number(r.numUpdatedRows)} of ${cases.length} complaints changed concurrently`);
  }
  await db.deleteFrom('complaint_participants').where('complaint_id', 'in', ids).execute();
  const people = cases.flatMap((x) => participants(x.complaint));
  for (let j = 0; j < people.length; j += 500)
    await db
      .insertInto('complaint_participants')
      .values(people.slice(j, j + 500))
      .execute();
}

export async function getComplaint(db: Executor, id: string): Promise<Complaint | null> {
  const row = await db.selectFrom('complaints').select('body').where('id', '=', id).executeTakeFirst();
  return row ? (JSON.parse(row.body) as Complaint) : null;
}

/**
 * Reads a case inside a transaction and locks it: `FOR UPDATE` on PostgreSQL (`SKIP LOCKED`
 * when `skipLocked`, for the sweeper: a case another instance holds is left to it). SQLite
 * serialises writers itself, so a plain read is enough there.
 */
export async function lockComplaint(db: Executor, dialect: Dialect, id: string, skipLocked = false): Promise<Complaint | null> {
  let q = db.selectFrom('complaints').select('body').where('id', '=', id);
  if (dialect === 'postgres') q = skipLocked ? q.forUpdate().skipLocked() : q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? (JSON.parse(row.body) as Complaint) : null;
}

export async function findIdByNumber(db: Executor, number: string): Promise<string | null> {
  const row = await db.selectFrom('complaints').select('id').where('number', '=', number).executeTakeFirst();
  return row?.id ?? null;
}

export interface ListFilters {
  state?: string[];
  grade?: string[];
  kind?: string[];
  channel?: string[];
  departmentCode?: string[];
  handlerId?: string;
  overdue?: boolean;
  needsApproval?: boolean;
  text?: string;
  /** Only these cases (a search text that is a known contact: contact-key.repository.ts). */
  caseIds?: string[];
  /** Queue shortcuts: cases where the caller has this relation. */
  mine?: 'first_responder' | 'handler' | 'followup' | 'approver';
  /** About to breach: the running clock due next has passed its warning time (not yet breached). */
  warnedBy?: string;
  /**
   * Urged (催办) and not answered: an `urge` on the timeline after which the primary handler has
   * recorded nothing (any event of theirs answers it).
   */
  urged?: boolean;
}

export interface ListRow {
  id: string;
  number: string;
  kind: string;
  channel: string;
  state: string;
  grade: string | null;
  category: string | null;
  departmentCode: string | null;
  primaryHandlerId: string | null;
  tier: number;
  cycle: number;
  title: string;
  receivedAt: string;
  updatedAt: string;
  resolveDueAt: string | null;
  /** The running clock due next, for countdowns; null when no clock runs (paused or done). */
  nextDue: { kind: string; dueAt: string; warnAt: string | null } | null;
  overdue: boolean;
}

/** `received`: newest first (default); `due`: the running clock due soonest first (cases without one are left out). */
export type ListOrder = 'received' | 'due';

function encodeCursor(order: ListOrder, key: string, id: string): string {
  return Buffer.from(`${order}|${key}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { order: ListOrder; key: string; id: string } | null {
  const [order, key, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if ((order !== 'received' && order !== 'due') || !key || !id || Number.isNaN(Date.parse(key))) return null;
  return { order, key, id };
}

/**
 * The id columns a relation filter can stand on: the case itself, or a row that names it
 * (`e.complaint_id`: participant rules only, the others read columns of `complaints`).
 */
type CaseIdColumn = 'complaints.id' | 'e.complaint_id';

/**
 * How a "cases where the person has a participants row" condition is to be read:
 * - `set`: `id IN (…)` rather than correlated EXISTS, so both engines can start from the
 *   participants index for people who see few cases, instead of walking every case in date order;
 * - `probe`: correlated to the case (one index probe per case), for a query already narrowed to a
 *   few cases by something else (a contact key): listing the person's cases first would cost as
 *   many as they take part in — an agent's thousands of intakes — per query;
 * - `walk` (SQLite only): the same set, but SQLite may not start from it (`+id`, no index term):
 *   a list page then walks its order index and checks each case against the set, stopping at the
 *   page size. For someone with thousands of cases that is far cheaper than fetching every one of
 *   them and sorting (an agent's "mine" page: 45 → 3 ms at 1,500 cases; see listComplaints).
 */
type SetUse = 'set' | 'probe' | 'walk';

/** Ids of the cases where `userId` has a participants row of one of these relations (participants_user). */
function casesWhere(eb: ExpressionBuilder<any, any>, userId: string, rows: readonly ParticipantRow[], idColumn: CaseIdColumn = 'complaints.id', use: SetUse = 'set') {
  let sub = eb.selectFrom('complaint_participants as p').select('p.complaint_id').where('p.user_id', '=', userId).where('p.relation', 'in', rows);
  if (use === 'probe') sub = sub.whereRef('p.complaint_id', '=', idColumn);
  return use === 'walk' ? eb(sql<string>`+${sql.ref(idColumn)}`, 'in', sub) : eb(idColumn, 'in', sub);
}

/** A condition that is the same for every case: the person holds the relation always, or never. */
type Constant = boolean;

/**
 * "The person holds one of these relations" in SQL, derived from each rule's source like
 * `holds` in the domain: participant rules as one `id IN (participants rows)`, the managed
 * department as `department_code IN (managerOf)`, role rules as their column condition when the
 * person has the role. `true` / `false` when the answer does not depend on the case.
 */
function anyOf(eb: ExpressionBuilder<any, any>, p: Person, relations: readonly Relation[], idColumn: CaseIdColumn, use: SetUse = 'set'): Expression<SqlBool> | Constant {
  const branches = branchesOf(eb, p, relations, idColumn, use);
  return typeof branches === 'boolean' ? branches : branches.length === 1 ? branches[0]! : branches.length ? eb.or(branches) : false;
}

/**
 * `anyOf` as its separate conditions (each managed department its own), for a list that reads each
 * branch apart: one condition per branch lets each walk its own index in the list's order.
 */
function branchesOf(eb: ExpressionBuilder<any, any>, p: Person, relations: readonly Relation[], idColumn: CaseIdColumn, use: SetUse = 'set'): Expression<SqlBool>[] | Constant {
  if (p.kind === 'system') return false;
  const rows: ParticipantRow[] = [];
  const ors: Expression<SqlBool>[] = [];
  const column = (name: keyof ComplaintsTable) => {
    if (idColumn !== 'complaints.id') throw new Error(`a relation rule reads complaints.${name}: it needs the complaints table, not ${idColumn}`);
    return `complaints.${name}` as const;
  };
  for (const r of relations) {
    const s: RelationSource = RELATION_RULES[r].source;
    switch (s.by) {
      case 'participant':
        rows.push(s.row);
        break;
      case 'managed':
        for (const dept of p.managerOf) ors.push(eb(column('department_code'), '=', dept));
        break;
      case 'role':
        if (!p.roles.some((x) => s.roles.includes(x))) break;
        if (!s.where) return true;
        ors.push(eb(column(s.where.column), 'in', s.where.in));
        break;
    }
  }
  if (rows.length) ors.unshift(casesWhere(eb, p.id, rows, idColumn, use));
  return ors;
}

function expression(eb: ExpressionBuilder<any, any>, e: Expression<SqlBool> | Constant): Expression<SqlBool> {
  return e === true ? sql<SqlBool>`1 = 1` : e === false ? sql<SqlBool>`1 = 0` : e;
}

/** The cases where the person holds one of these relations (the SQL reading of `holds`). */
export function holdsAny(p: Person, relations: readonly Relation[], use: SetUse = 'set') {
  return (eb: ExpressionBuilder<DB, 'complaints'>) => expression(eb, anyOf(eb, p, relations, 'complaints.id', use));
}

/**
 * Not a case the person must avoid (回避), for queries over cases or over rows that name a case
 * (`e.complaint_id`). Reads only participants rows, so it suits counts over the whole table.
 */
export function notAvoiding(p: Person, idColumn: CaseIdColumn = 'complaints.id', use: SetUse = 'set') {
  return (eb: ExpressionBuilder<any, any>) => {
    const bars = anyOf(eb, p, relationsGranting('bars'), idColumn, use);
    return expression(eb, bars === false ? true : bars === true ? false : eb.not(bars));
  };
}

/**
 * The need-to-know rule in SQL: the rows `canSee` (domain/permissions/visibility.ts) accepts.
 * `probe` / `walk`: how its participants sets are read (see SetUse); the same rows.
 */
export function visibleTo(actor: Actor, opts: { probe?: boolean; walk?: boolean } = {}) {
  const use: SetUse = opts.probe ? 'probe' : opts.walk ? 'walk' : 'set';
  return (eb: ExpressionBuilder<DB, 'complaints'>) => {
    if (actor.kind === 'system') return expression(eb, true);
    const sees = anyOf(eb, actor, relationsGranting('see'), 'complaints.id', use);
    if (sees === false) return expression(eb, false);
    const allowed = notAvoiding(actor, 'complaints.id', use)(eb);
    return sees === true ? allowed : eb.and([allowed, sees]);
  };
}

/**
 * `visibleTo` as branches whose union is the visible set (each already with the avoidance rule), or
 * null when it is one condition. A department manager sees the cases they take part in OR their
 * departments' cases: as one OR both engines gather every case of the department and sort them
 * for a first page (28 ms at 20k cases on SQLite, growing with the department); branch by branch
 * each walks its index in the list's order and stops at the page size.
 */
function visibleBranches(actor: Actor): ((eb: ExpressionBuilder<DB, 'complaints'>) => Expression<SqlBool>)[] | null {
  if (actor.kind === 'system' || !actor.managerOf.length) return null;
  // Built once: an expression does not belong to the builder that made it.
  const branches = branchesOf(expressionBuilder<DB, 'complaints'>(), actor, relationsGranting('see'), 'complaints.id');
  if (typeof branches === 'boolean' || branches.length < 2) return null;
  return (branches as Expression<SqlBool>[]).map((branch) => (eb) => eb.and([notAvoiding(actor, 'complaints.id')(eb), branch]));
}

/** The case's urges the primary handler has not answered since (both reads walk the events' primary key). */
function unansweredUrge(eb: ExpressionBuilder<DB, 'complaints'>) {
  return eb
    .selectFrom('complaint_events as u')
    .select(sql<number>`1`.as('one'))
    .whereRef('u.complaint_id', '=', 'complaints.id')
    .where('u.type', '=', 'urge')
    .where((e) =>
      e.not(
        e.exists(
          e
            .selectFrom('complaint_events as l')
            .select(sql<number>`1`.as('one'))
            .whereRef('l.complaint_id', '=', 'u.complaint_id')
            .whereRef('l.seq', '>', 'u.seq')
            .whereRef('l.actor_id', '=', 'complaints.primary_handler_id'),
        ),
      ),
    );
}

/**
 * Every filter but the text search (which needs a probe first), over the visible cases. One
 * reading of a queue's filter for the list and for the workbench's counts.
 */
function whereFilters(q: SelectQueryBuilder<DB, 'complaints', any>, actor: Actor, f: ListFilters, use: SetUse = 'set'): SelectQueryBuilder<DB, 'complaints', any> {
  if (f.state?.length) q = q.where('state', 'in', f.state);
  if (f.grade?.length) q = q.where('grade', 'in', f.grade);
  if (f.kind?.length) q = q.where('kind', 'in', f.kind);
  if (f.channel?.length) q = q.where('channel', 'in', f.channel);
  if (f.departmentCode?.length) q = q.where('department_code', 'in', f.departmentCode);
  if (f.handlerId) q = q.where('primary_handler_id', '=', f.handlerId);
  if (f.overdue !== undefined) q = q.where('overdue', '=', f.overdue ? 1 : 0);
  if (f.needsApproval !== undefined) q = q.where('needs_approval', '=', f.needsApproval ? 1 : 0);
  if (f.caseIds) q = f.caseIds.length ? q.where('complaints.id', 'in', f.caseIds) : q.where(sql<SqlBool>`1 = 0`);
  if (f.mine) {
    const relation = f.mine;
    q = q.where(holdsAny(actor, [relation], use));
  }
  if (f.warnedBy) q = q.where('overdue', '=', 0).where('next_warn_at', 'is not', null).where('next_warn_at', '<=', f.warnedBy);
  if (f.urged !== undefined) q = q.where((eb) => (f.urged ? eb.exists(unansweredUrge(eb)) : eb.not(eb.exists(unansweredUrge(eb)))));
  return q;
}

/** How many visible cases a filter selects (the workbench's counts); the text search is not offered here. */
export async function countComplaints(db: Executor, actor: Actor, f: Omit<ListFilters, 'text'>): Promise<number> {
  const row = await whereFilters(db.selectFrom('complaints').where(visibleTo(actor)), actor, f)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const LIST_COLUMNS = [
  'id',
  'number',
  'kind',
  'channel',
  'state',
  'grade',
  'category',
  'department_code',
  'primary_handler_id',
  'tier',
  'cycle',
  'title',
  'received_at',
  'updated_at',
  'resolve_due_at',
  'overdue',
  'next_due_kind',
  'next_due_at',
  'next_warn_at',
] as const;

/** The list's order (newest first, or soonest due first; id breaks ties) and its page cut. */
function sortedPage<Q extends SelectQueryBuilder<any, any, any>>(q: Q, order: ListOrder, limit: number): Q {
  const sorted = order === 'due' ? q.orderBy('next_due_at', 'asc').orderBy('id', 'asc') : q.orderBy('received_at', 'desc').orderBy('id', 'desc');
  return sorted.limit(limit) as Q;
}

/**
 * Above this many participants rows a person's list walks its order index (SetUse `walk`) on
 * SQLite instead of fetching all their cases and sorting them. Where the two cost the same for a
 * page of 50: about √(50 × cases) rows if the person's cases were spread evenly over all of them
 * (~1,000 at 20,000 cases, ~7,000 at 1 M); people with many cases are mostly the agents whose
 * own cases are the newest, for whom the walk stops after about a page, so the lower figure.
 */
const WALK_ABOVE = 1000;

/** Whether the person has more than `above` participants rows (counted up to the bound only). */
async function takesPartInMany(db: Executor, actor: Actor, above: number): Promise<boolean> {
  if (actor.kind === 'system') return false;
  const row = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('complaint_participants')
        .select('complaint_id')
        .where('user_id', '=', actor.id)
        .limit(above + 1)
        .as('x'),
    )
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n) > above;
}

export async function listComplaints(
  db: Executor,
  dialect: Dialect,
  actor: Actor,
  f: ListFilters,
  /** `walkAbove`: WALK_ABOVE for tests (0: every person's list walks). */
  page: { limit: number; order?: ListOrder; cursor?: { order: ListOrder; key: string; id: string }; denseTextAbove?: number; walkAbove?: number },
): Promise<{ items: ListRow[]; nextCursor: string | null }> {
  const order = page.order ?? 'received';
  const dense = f.text ? await isCommonText(db, dialect, f.text, page.denseTextAbove) : false;
  const use: SetUse = dialect === 'sqlite' && !f.text && (await takesPartInMany(db, actor, page.walkAbove ?? WALK_ABOVE)) ? 'walk' : 'set';
  // One query over the visible cases, with every filter, in the list's order and cut at the page.
  const ordered = (visible: (eb: ExpressionBuilder<DB, 'complaints'>) => Expression<SqlBool>) => {
    let q = whereFilters(db.selectFrom('complaints').where(visible), actor, f, use);
    if (f.text) {
      // Words through the full-text index; a case number by exact match. A rare word builds its
      // (small) matching set; a common one is checked row by row as the list walks its order.
      const text = f.text;
      q = q.where((eb) => (dense ? matchesTextDense(eb, dialect, text) : matchesText(eb, dialect, text)));
    }
    // Keyset pagination: newest first on (received_at, id), or soonest due first on (next_due_at, id).
    if (order === 'due') q = q.where('next_due_at', 'is not', null);
    if (page.cursor) {
      const { key, id } = page.cursor;
      q =
        order === 'due'
          ? q.where((eb) => eb.or([eb('next_due_at', '>', key), eb.and([eb('next_due_at', '=', key), eb('id', '>', id)])]))
          : q.where((eb) => eb.or([eb('received_at', '<', key), eb.and([eb('received_at', '=', key), eb('id', '<', id)])]));
    }
    return sortedPage(q.select(LIST_COLUMNS), order, page.limit + 1);
  };
  const branches = visibleBranches(actor);
  // Each branch cut at the page size, then their union (a case in two branches once) cut again.
  const rows = branches
    ? await sortedPage(
        branches.map((b, i) => db.selectFrom(ordered(b).as(`b${i}`)).selectAll()).reduce((all, next) => all.union(next)),
        order,
        page.limit + 1,
      ).execute()
    : await ordered(visibleTo(actor, { walk: use === 'walk' })).execute();
  const more = rows.length > page.limit;
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1] as { received_at: string; next_due_at: string | null; id: string } | undefined;
  return {
    items: items.map((r) => ({
      id: r.id,
      number: r.number,
      kind: r.kind,
      channel: r.channel,
      state: r.state,
      grade: r.grade,
      category: r.category,
      departmentCode: r.department_code,
      primaryHandlerId: r.primary_handler_id,
      tier: Number(r.tier),
      cycle: Number(r.cycle),
      title: r.title,
      receivedAt: r.received_at,
      updatedAt: r.updated_at,
      resolveDueAt: r.resolve_due_at,
      nextDue: r.next_due_kind && r.next_due_at ? { kind: r.next_due_kind, dueAt: r.next_due_at, warnAt: r.next_warn_at } : null,
      overdue: Number(r.overdue) === 1,
    })),
    nextCursor: more && last ? encodeCursor(order, order === 'due' ? last.next_due_at! : last.received_at, last.id) : null,
  };
}
