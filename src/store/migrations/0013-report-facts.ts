/**
 * Facts kept for analysis (issue 11): `case_facts`, one row per case, and `clock_facts`, one row
 * per clock instance, which the decision writer keeps from now on in each transition's
 * transaction (store/facts.repository.ts). Reports read them with SQL aggregates.
 *
 * Existing cases are back-filled here by folding their stored timeline (the events in order)
 * and their current clock rows with the same fold the decision writer uses (reports/facts.ts),
 * under the working calendar of the policy version each case keeps. Unlike 0011 this imports the
 * fold rather than freezing a copy: the facts are derived data that the current code defines.
 * What the timeline cannot tell: earlier instances of a clock that was later restarted (a
 * reopened case's first resolve clock) are not in `clocks` any more, so only the current instance
 * of each kind gets a `clock_facts` row; a breach of the resolve clock is still read from the
 * breach events into `case_facts.resolve_breached`.
 */
import type { Kysely } from 'kysely';
import { WorkingCalendar, builtInHolidayYears, type HolidayYear } from '../../domain/calendar/index.js';
import { calendarNames, calendarSpec, type Policy } from '../../domain/policy/index.js';
import type { Clock, Complaint } from '../../domain/complaint/types.js';
import { clockFactRows, foldCaseFacts } from '../../reports/facts.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_facts')
    .addColumn('complaint_id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('policy_key', 'text', (c) => c.notNull())
    .addColumn('category', 'text')
    .addColumn('grade', 'text')
    .addColumn('department_code', 'text')
    .addColumn('customer_class', 'text')
    .addColumn('handler_id', 'text')
    .addColumn('first_responder_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('first_answered_at', 'text')
    .addColumn('answered_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('valid', 'integer')
    .addColumn('invalid_reason', 'text')
    .addColumn('malicious', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('routed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_answer_by_responder', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_contact', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('handling_mode', 'text')
    .addColumn('handling_cycles', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tier', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('max_tier', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('escalations', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('breaches', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('resolve_breached', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('extensions', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('special_extensions', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pend_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pending_since', 'text')
    .addColumn('paused_wms', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('handling_wms', 'double precision')
    .addColumn('satisfaction', 'text')
    .addColumn('final_satisfaction', 'text')
    .addColumn('followup_outcome', 'text')
    .addColumn('score_attitude', 'double precision')
    .addColumn('score_efficiency', 'double precision')
    .addColumn('score_result', 'double precision')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_facts_received').on('case_facts').columns(['received_at', 'complaint_id']).execute();
  await db.schema.createIndex('case_facts_closed').on('case_facts').columns(['closed_at']).execute();
  await db.schema
    .createTable('clock_facts')
    .addColumn('complaint_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('cycle', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text')
    .addColumn('warned_at', 'text')
    .addColumn('breached_at', 'text')
    .addColumn('stopped_at', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('extensions', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pauses', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('elapsed_wms', 'double precision')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('clock_facts_pk', ['complaint_id', 'kind', 'started_at'])
    .execute();

  // --- back-fill, a batch of cases at a time in id order -------------------------------------
  const policies = new Map<string, Policy>();
  for (const r of (await db.selectFrom('policies').select(['key', 'document']).execute()) as { key: string; document: string }[]) policies.set(r.key, JSON.parse(r.document) as Policy);
  const adminYears = ((await db.selectFrom('calendar_years').select('data').orderBy('year').execute()) as { data: string }[]).map((r) => JSON.parse(r.data) as HolidayYear);
  const calendars = new Map<string, WorkingCalendar | null>();
  const calendarOf = (key: string): WorkingCalendar | null => {
    if (calendars.has(key)) return calendars.get(key)!;
    const p = policies.get(key);
    let cal: WorkingCalendar | null = null;
    try {
      if (p) {
        const build = (name?: string) => {
          const spec = calendarSpec(p, name);
          const years = spec.holidays === 'none' ? [] : [...(spec.holidays === 'CN' ? builtInHolidayYears('CN') : []), ...adminYears.filter((y) => y.region === spec.holidays)];
          return new WorkingCalendar(spec, years);
        };
        cal = build();
        for (const name of calendarNames(p)) cal.named[name] = build(name);
      }
    } catch {
      cal = null;
    }
    calendars.set(key, cal);
    return cal;
  };

  let after = '';
  for (;;) {
    const rows = (await db
      .selectFrom('complaints')
      .select(['id', 'body', 'number', 'kind', 'channel', 'state', 'grade', 'category', 'department_code', 'primary_handler_id', 'first_responder_id', 'tier', 'cycle', 'policy_key', 'received_at', 'updated_at'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(200)
      .execute()) as ({ id: string; body: string } & Record<string, unknown>)[];
    if (!rows.length) break;
    after = rows[rows.length - 1]!.id;
    const ids = rows.map((r) => r.id);
    const events = (await db.selectFrom('complaint_events').select(['complaint_id', 'action', 'at', 'actor_id', 'data']).where('complaint_id', 'in', ids).orderBy('complaint_id').orderBy('seq').execute()) as {
      complaint_id: string;
      action: string | null;
      at: string;
      actor_id: string;
      data: string;
    }[];
    const clocks = (await db.selectFrom('clocks').select(['complaint_id', 'body']).where('complaint_id', 'in', ids).execute()) as { complaint_id: string; body: string }[];
    for (const r of rows) {
      const c = fromRow(r);
      const cal = calendarOf(c.policyKey);
      const own = events.filter((e) => e.complaint_id === r.id).map((e) => ({ action: e.action, at: e.at, actorId: e.actor_id, data: JSON.parse(e.data) as Record<string, unknown> }));
      const ks = clocks.filter((k) => k.complaint_id === r.id).map((k) => JSON.parse(k.body) as Clock);
      const facts = foldCaseFacts(null, c, own, ks, cal);
      await db.insertInto('case_facts').values(facts).execute();
      const clockRows = clockFactRows(ks, c.cycle, new Map(), cal, c.updatedAt);
      if (clockRows.length) await db.insertInto('clock_facts').values(clockRows).execute();
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('clock_facts').ifExists().execute();
  await db.schema.dropTable('case_facts').ifExists().execute();
}

/**
 * The case as the fold reads it: its stored body over the row's own columns and empty parts, so
 * a body written by an older build (or a partial one) still gets its facts row instead of
 * stopping the upgrade.
 */
function fromRow(r: { id: string; body: string } & Record<string, unknown>): Complaint {
  let body: Partial<Complaint> = {};
  try {
    body = JSON.parse(r.body) as Partial<Complaint>;
  } catch {
    body = {};
  }
  const base = {
    id: r.id,
    number: r.number,
    kind: r.kind,
    channel: r.channel,
    state: r.state,
    grade: r.grade ?? null,
    category: r.category ?? null,
    departmentCode: r.department_code ?? null,
    primaryHandlerId: r.primary_handler_id ?? null,
    firstResponderId: r.first_responder_id,
    tier: Number(r.tier ?? 1),
    cycle: Number(r.cycle ?? 1),
    policyKey: r.policy_key,
    receivedAt: r.received_at,
    updatedAt: r.updated_at,
    coHandlerIds: [],
  };
  return {
    ...base,
    ...body,
    complainant: { ...(body.complainant ?? {}) },
    followUp: { attempts: 0, ...(body.followUp ?? {}) },
  } as Complaint;
}
