/**
 * Stored reports (`report_runs`, migration 0017). A run is *claimed* before anything is
 * generated — by inserting its row, which UNIQUE (scope, kind, period) lets only one instance
 * do, or by taking over a row whose lease lapsed (its generator crashed or lost the database) —
 * and *finished* by the lease holder only. Each statement is a single atomic INSERT or UPDATE
 * whose WHERE re-checks the lease, so on PostgreSQL two instances racing for one row end with
 * one winner (the loser's UPDATE re-reads the committed row and matches nothing), and on
 * SQLite the one writer serialises them. A `done` row is never written again.
 */
import { randomUUID } from 'node:crypto';
import type { Executor } from './db.js';
import type { ReportRunsTable } from './schema.js';

export interface NewReportRun {
  scope: string;
  kind: string;
  period: string;
  periodFrom: string;
  periodTo: string;
  timeZone: string;
  policyKey: string;
  trigger: 'schedule' | 'manual';
  requestedBy: string | null;
  scheduledAt: string | null;
  sections: string[];
}

export interface ReportRun {
  id: string;
  scope: string;
  kind: string;
  period: string;
  periodFrom: string;
  periodTo: string;
  timeZone: string;
  policyKey: string;
  trigger: string;
  requestedBy: string | null;
  scheduledAt: string | null;
  status: 'running' | 'failed' | 'done';
  attempts: number;
  leaseOwner: string | null;
  leaseUntil: string | null;
  progress: number;
  step: string | null;
  sections: string[];
  contentHash: string | null;
  headline: Record<string, unknown> | null;
  deliveries: number;
  deliveryNote: string | null;
  error: string | null;
  createdAt: string;
  startedAt: string;
  finishedAt: string | null;
}

const META = [
  'id',
  'scope',
  'kind',
  'period',
  'period_from',
  'period_to',
  'time_zone',
  'policy_key',
  'trigger',
  'requested_by',
  'scheduled_at',
  'status',
  'attempts',
  'lease_owner',
  'lease_until',
  'progress',
  'step',
  'sections',
  'content_hash',
  'headline',
  'deliveries',
  'delivery_note',
  'error',
  'created_at',
  'started_at',
  'finished_at',
] as const;

function toRun(r: Pick<ReportRunsTable, (typeof META)[number]>): ReportRun {
  return {
    id: r.id,
    scope: r.scope,
    kind: r.kind,
    period: r.period,
    periodFrom: r.period_from,
    periodTo: r.period_to,
    timeZone: r.time_zone,
    policyKey: r.policy_key,
    trigger: r.trigger,
    requestedBy: r.requested_by,
    scheduledAt: r.scheduled_at,
    status: r.status as ReportRun['status'],
    attempts: Number(r.attempts),
    leaseOwner: r.lease_owner,
    leaseUntil: r.lease_until,
    progress: Number(r.progress),
    step: r.step,
    sections: JSON.parse(r.sections) as string[],
    contentHash: r.content_hash,
    headline: r.headline ? (JSON.parse(r.headline) as Record<string, unknown>) : null,
    deliveries: Number(r.deliveries),
    deliveryNote: r.delivery_note,
    error: r.error,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

export async function findRun(db: Executor, scope: string, kind: string, period: string): Promise<ReportRun | null> {
  const r = await db.selectFrom('report_runs').select(META).where('scope', '=', scope).where('kind', '=', kind).where('period', '=', period).executeTakeFirst();
  return r ? toRun(r) : null;
}

export async function getRun(db: Executor, id: string): Promise<ReportRun | null> {
  const r = await db.selectFrom('report_runs').select(META).where('id', '=', id).executeTakeFirst();
  return r ? toRun(r) : null;
}

/** The stored statistics of a done run (JSON text), or null. */
export async function runContent(db: Executor, id: string): Promise<string | null> {
  const r = await db.selectFrom('report_runs').select('content').where('id', '=', id).where('status', '=', 'done').executeTakeFirst();
  return r?.content ?? null;
}

/**
 * Claims the run of (scope, kind, period) for `owner` until `leaseUntil`: a new row, or a
 * running / failed row whose lease lapsed before `now` and that has attempts left. Returns the
 * row as it stands and whether this owner holds it.
 */
export async function claimRun(db: Executor, r: NewReportRun, o: { owner: string; now: string; leaseUntil: string; maxAttempts: number }): Promise<{ run: ReportRun; claimed: boolean }> {
  const inserted = await db
    .insertInto('report_runs')
    .values({
      id: randomUUID(),
      scope: r.scope,
      kind: r.kind,
      period: r.period,
      period_from: r.periodFrom,
      period_to: r.periodTo,
      time_zone: r.timeZone,
      policy_key: r.policyKey,
      trigger: r.trigger,
      requested_by: r.requestedBy,
      scheduled_at: r.scheduledAt,
      status: 'running',
      attempts: 1,
      lease_owner: o.owner,
      lease_until: o.leaseUntil,
      progress: 0,
      step: 'claimed',
      sections: JSON.stringify(r.sections),
      content: null,
      content_hash: null,
      headline: null,
      deliveries: 0,
      delivery_note: null,
      error: null,
      created_at: o.now,
      started_at: o.now,
      finished_at: null,
    })
    .onConflict((oc) => oc.columns(['scope', 'kind', 'period']).doNothing())
    .executeTakeFirst();
  let claimed = Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
  if (!claimed) {
    const taken = await db
      .updateTable('report_runs')
      .set((eb) => ({ status: 'running', lease_owner: o.owner, lease_until: o.leaseUntil, attempts: eb('attempts', '+', 1), progress: 0, step: 'claimed', error: null, started_at: o.now }))
      .where('scope', '=', r.scope)
      .where('kind', '=', r.kind)
      .where('period', '=', r.period)
      .where('status', 'in', ['running', 'failed'])
      .where('lease_until', '<', o.now)
      .where('attempts', '<', o.maxAttempts)
      .executeTakeFirst();
    claimed = Number(taken.numUpdatedRows) === 1;
  }
  const run = await findRun(db, r.scope, r.kind, r.period);
  if (!run) throw new Error(`report run ${r.scope} ${r.kind} ${r.period} vanished`);
  return { run, claimed };
}

/** Records progress and extends the lease; false when the lease was lost to another instance. */
export async function recordProgress(db: Executor, id: string, owner: string, p: { progress: number; step: string; leaseUntil: string }): Promise<boolean> {
  const r = await db.updateTable('report_runs').set({ progress: p.progress, step: p.step, lease_until: p.leaseUntil }).where('id', '=', id).where('status', '=', 'running').where('lease_owner', '=', owner).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Stores the content and marks the run done (the caller's transaction also queues its delivery); false when the lease was lost. */
export async function finishRun(db: Executor, id: string, owner: string, f: { content: string; contentHash: string; headline: Record<string, unknown>; deliveries: number; deliveryNote: string | null; now: string }): Promise<boolean> {
  const r = await db
    .updateTable('report_runs')
    .set({
      status: 'done',
      content: f.content,
      content_hash: f.contentHash,
      headline: JSON.stringify(f.headline),
      deliveries: f.deliveries,
      delivery_note: f.deliveryNote,
      progress: 100,
      step: 'done',
      lease_owner: null,
      lease_until: null,
      finished_at: f.now,
    })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A failed attempt: retried by whoever claims it after `retryAt` (while attempts are left). */
export async function failRun(db: Executor, id: string, owner: string, error: string, retryAt: string): Promise<void> {
  await db
    .updateTable('report_runs')
    .set({ status: 'failed', error: error.slice(0, 1000), lease_until: retryAt, step: 'failed' })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('lease_owner', '=', owner)
    .execute();
}

/** Runs not done whose lease lapsed (a crashed or failed generator), to take over. */
export async function lapsedRuns(db: Executor, scope: string, now: string, maxAttempts: number): Promise<ReportRun[]> {
  const rows = await db
    .selectFrom('report_runs')
    .select(META)
    .where('scope', '=', scope)
    .where('status', 'in', ['running', 'failed'])
    .where('lease_until', '<', now)
    .where('attempts', '<', maxAttempts)
    .orderBy('created_at')
    .limit(20)
    .execute();
  return rows.map(toRun);
}

export async function listRuns(db: Executor, q: { scope?: string; kind?: string; limit: number }): Promise<ReportRun[]> {
  let s = db.selectFrom('report_runs').select(META);
  if (q.scope) s = s.where('scope', '=', q.scope);
  if (q.kind) s = s.where('kind', '=', q.kind);
  const rows = await s.orderBy('period_from', 'desc').orderBy('kind').limit(q.limit).execute();
  return rows.map(toRun);
}

/** One delivery of a report, written in the transaction that marks the run done. */
export interface ReportDelivery {
  channel: 'email' | 'bot';
  recipient: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/** Queues delivery rows in the outbox (physical rows: the dispatcher sends them as they are). */
export async function queueReportDeliveries(db: Executor, template: string, deliveries: ReportDelivery[], now: string): Promise<void> {
  if (!deliveries.length) return;
  await db
    .insertInto('outbox')
    .values(
      deliveries.map((d) => ({
        id: randomUUID(),
        complaint_id: null,
        channel: d.channel,
        template,
        recipient: JSON.stringify(d.recipient),
        payload: JSON.stringify(d.payload),
        status: 'pending',
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
        delivered_at: null,
        last_error: null,
        parent_id: null,
        lease_owner: null,
        last_attempt_at: null,
      })),
    )
    .execute();
}

/** Ids of the active users with these user names (report recipients are named by user name in the policy). */
export async function activeUserIdsByName(db: Executor, usernames: string[]): Promise<string[]> {
  if (!usernames.length) return [];
  const rows = await db.selectFrom('users').select('id').where('username', 'in', usernames).where('active', '=', 1).execute();
  return rows.map((r) => r.id);
}

/** When the organisation's first policy version was stored: scheduled reports start from there. */
export async function firstPolicyStoredAt(db: Executor, scope: string): Promise<string | null> {
  const r = await db.selectFrom('policies').select('created_at').where('policy_id', '=', scope).orderBy('created_at').limit(1).executeTakeFirst();
  return r?.created_at ?? null;
}
