/**
 * Purging cases (issue 15 §2), a group per short transaction, so a crash leaves each case either
 * wholly purged or untouched, and a second instance or a re-run never purges it twice:
 * - the case row is locked (`FOR UPDATE SKIP LOCKED` on PostgreSQL: a case another instance is
 *   purging is left to it; SQLite has one writer), then re-checked inside the transaction —
 *   still archived, not purged yet (its purge record is the marker), no legal hold set since the
 *   listing;
 * - `anonymise`: personal data and free text leave the case row, the search index, the timeline
 *   (each event's `data` becomes a redaction its purge record vouches for: src/audit/purge.ts),
 *   contact keys, portal codes, survey tokens, outbox messages and remembered answers; the
 *   attachment rows go; a `purged` event is appended and the head re-anchored;
 * - `remove`: the case and everything of it goes — but for `case_facts` / `clock_facts`;
 * - both keep the anonymous statistics (case_facts, clock_facts) and write the signed, chained
 *   purge record;
 * - files whose last attachment row went are staged in `purge_files` in the same transaction and
 *   deleted after the commit (`deleteStagedFiles`), never inside it.
 * The group's statements are set-based — one per table for all its cases — so the cost per case
 * is the rows it has, not ~25 round trips (docs/performance.md, issue 15).
 */
import { rmSync } from 'node:fs';
import { sql, type Selectable, type Transaction } from 'kysely';
import type { App } from '../services/app.js';
import type { ComplaintsTable, DB } from '../store/schema.js';
import type { Clock, Complaint } from '../domain/complaint/types.js';
import type { RetentionMode } from '../domain/policy/retention.js';
import { saveComplaints } from '../store/complaint.repository.js';
import { chainedRows } from '../store/event.repository.js';
import { heldIds } from '../store/legal-hold.repository.js';
import { markRollupsStaleMany, reach } from '../store/facts.repository.js';
import { appendPurgeRecords, redactedData, redactedDigest, withPurgePermit, type PurgeRow, type Redaction } from '../audit/purge.js';
import { writeHeads } from '../audit/heads.js';
import { caseDigest } from '../audit/records.js';
import type { AuditKeyring } from '../audit/keys.js';
import { attachmentPath } from '../channels/attachments.js';
import { uuidv7 } from '../services/ids.js';
import { anonymisedComplaint } from './retention-anonymise.js';

export interface PurgeOrder {
  complaintId: string;
  mode: RetentionMode;
  /** Why: the rule that made it expire (kept in the purge record). */
  reason: string;
  /** The policy version whose retention applied. */
  policyKey: string;
}

/** Purges one case; null when there was nothing to do (purged already, held, not archived, taken by another instance). */
export async function purgeCase(app: App, order: PurgeOrder): Promise<PurgeRow | null> {
  return (await purgeCases(app, [order]))[0]!;
}

/** A case of the group that passed the checks inside the transaction. */
interface Target {
  order: PurgeOrder;
  row: Selectable<ComplaintsTable>;
  purgeId: string;
  counts: Record<string, number>;
  redactions: Redaction[];
  /** The timeline's last record before the purge (anonymise), which the `purged` event follows. */
  last?: { seq: number; hash: string };
}

/**
 * Purges several cases in one transaction, set-based: one statement per table for the whole
 * group (`… where complaint_id in (…)`), not the same statements once per case — so a group of 50
 * costs about 25 statements instead of 50 × 25. Each case ends exactly as if purged alone, in
 * order (their purge records follow each other on the chain; a file two cases of the group
 * shared is counted by the last of them, as one-by-one purges would). All or none: when one
 * fails the whole group rolls back (runPurge then purges that group one case at a time, so one
 * bad case fails alone). Returns, per order, its purge record or null.
 */
export async function purgeCases(app: App, orders: readonly PurgeOrder[]): Promise<(PurgeRow | null)[]> {
  const at = app.now().toISOString();
  return app.database.db.transaction().execute(async (trx) => {
    const targets = await lockTargets(app, trx, orders);
    const records = targets.length ? await purgeTargets(app, trx, targets, at) : [];
    const byOrder = new Map(records.map((r, i) => [targets[i]!.order, r]));
    return orders.map((o) => byOrder.get(o) ?? null);
  });
}

/**
 * The orders' cases locked and re-checked inside the transaction: still archived (the row lock:
 * `FOR UPDATE SKIP LOCKED` on PostgreSQL, a case another instance is purging is left to it;
 * SQLite has one writer), not purged yet (its purge record is the marker), no legal hold set
 * since the listing. A case ordered twice is purged once.
 */
async function lockTargets(app: App, trx: Transaction<DB>, orders: readonly PurgeOrder[]): Promise<Target[]> {
  const ids = [...new Set(orders.map((o) => o.complaintId))];
  let q = trx.selectFrom('complaints').selectAll().where('id', 'in', ids).where('state', '=', 'archived');
  if (app.database.dialect === 'postgres') q = q.forUpdate().skipLocked();
  const rows = new Map((await q.execute()).map((r) => [r.id, r]));
  if (!rows.size) return [];
  const live = [...rows.keys()];
  const purged = new Set((await trx.selectFrom('purge_records').select('complaint_id').where('complaint_id', 'in', live).execute()).map((r) => r.complaint_id));
  const held = await heldIds(trx, live);
  const seen = new Set<string>();
  const out: Target[] = [];
  for (const order of orders) {
    const row = rows.get(order.complaintId);
    if (!row || purged.has(row.id) || held.has(row.id) || seen.has(row.id)) continue;
    seen.add(row.id);
    out.push({ order, row, purgeId: uuidv7(), counts: {}, redactions: [] });
  }
  return out;
}

async function purgeTargets(app: App, trx: Transaction<DB>, targets: Target[], at: string): Promise<PurgeRow[]> {
  const { database } = app;
  const pg = database.dialect === 'postgres';
  const ring = database.audit.keys();
  const ids = targets.map((t) => t.row.id);
  const byId = new Map(targets.map((t) => [t.row.id, t]));
  const removed = targets.filter((t) => t.order.mode === 'remove');
  const anonymised = targets.filter((t) => t.order.mode === 'anonymise');
  /** Sets `name` in every target's counts: how many of the rows `rows` name belong to it. */
  const tally = (name: string, rows: readonly { complaint_id: string | null }[], of: readonly Target[] = targets) => {
    for (const t of of) t.counts[name] = 0;
    for (const r of rows) byId.get(r.complaint_id!)!.counts[name]! += 1;
  };

  const attachments = await trx.selectFrom('attachments').select(['complaint_id', 'sha256']).where('complaint_id', 'in', ids).execute();
  // The cases leave the figures (removed) or their keys do (the repeat figure of the complaints after them).
  await markRollupsStaleMany(
    trx,
    targets.map((t) => ({ from: t.row.received_at, to: reach(t.row.received_at) })),
    at,
  );
  tally('contactKeys', await trx.deleteFrom('contact_keys').where('complaint_id', 'in', ids).returning('complaint_id').execute());
  tally('portalAccess', await trx.deleteFrom('customer_access').where('complaint_id', 'in', ids).returning('complaint_id').execute());
  tally('surveyTokens', await trx.deleteFrom('survey_tokens').where('complaint_id', 'in', ids).returning('complaint_id').execute());
  // Messages that hold addresses and texts; one still to be sent (there should be none on an archived case) is left to its dispatcher.
  tally('outbox', await trx.deleteFrom('outbox').where('complaint_id', 'in', ids).where('status', 'not in', ['pending', 'sending']).returning('complaint_id').execute());
  tally('idempotencyKeys', await trx.deleteFrom('idempotency_keys').where('complaint_id', 'in', ids).where('status', '!=', 'in_progress').returning('complaint_id').execute());
  await trx.updateTable('inbound_emails').set({ detail: null }).where('complaint_id', 'in', ids).execute();
  tally('attachments', await trx.deleteFrom('attachments').where('complaint_id', 'in', ids).returning('complaint_id').execute());
  if (pg) await sql`delete from complaint_search where complaint_id in (${sql.join(ids)})`.execute(trx);
  else {
    const rowids = targets.map((t) => t.row.search_rowid).filter((r): r is number => r !== null);
    if (rowids.length) await sql`delete from complaint_search where rowid in (${sql.join(rowids)})`.execute(trx);
  }
  // The match tokens are the case's words too: gone with its text.
  await trx.deleteFrom('complaint_terms').where('complaint_id', 'in', ids).execute();
  const gone = await stageFiles(
    trx,
    attachments.map((a) => a.sha256),
    at,
  );
  // A file two cases shared is the purge of the later one (the earlier left it in use).
  const lastUser = new Map<string, string>();
  for (const t of targets) for (const a of attachments) if (a.complaint_id === t.row.id) lastUser.set(a.sha256, t.row.id);
  tally(
    'files',
    [...gone].map((sha) => ({ complaint_id: lastUser.get(sha)! })),
  );

  await withPurgePermit(trx, `retention purge ${targets.map((t) => t.purgeId).join(' ')}`, async () => {
    if (removed.length) {
      const rid = removed.map((t) => t.row.id);
      tally('events', await trx.deleteFrom('complaint_events').where('complaint_id', 'in', rid).returning('complaint_id').execute(), removed);
      tally('accessLog', await trx.deleteFrom('pii_access_log').where('complaint_id', 'in', rid).returning('complaint_id').execute(), removed);
      await trx.deleteFrom('audit_heads').where('complaint_id', 'in', rid).execute();
      await trx.deleteFrom('clocks').where('complaint_id', 'in', rid).execute();
      await trx.deleteFrom('complaint_participants').where('complaint_id', 'in', rid).execute();
      await trx.deleteFrom('complaints').where('id', 'in', rid).execute();
    }
    if (anonymised.length) await redactTimelines(trx, anonymised);
  });
  if (anonymised.length) await anonymiseCases(trx, ring, anonymised, at);

  return appendPurgeRecords(
    trx,
    pg,
    ring,
    targets.map((t) => ({
      id: t.purgeId,
      complaint_id: t.row.id,
      complaint_number: t.row.number,
      mode: t.order.mode,
      reason: t.order.reason,
      policy_key: t.order.policyKey,
      at,
      counts: JSON.stringify(t.counts),
      redactions: JSON.stringify(t.redactions),
    })),
  );
}

/**
 * Anonymise, the timeline: every record keeps its place, links and MAC; only `data` becomes the
 * redaction its purge record vouches for (one UPDATE for the group: `data` by case).
 */
async function redactTimelines(trx: Transaction<DB>, targets: Target[]): Promise<void> {
  const ids = targets.map((t) => t.row.id);
  const events = await trx.selectFrom('complaint_events').selectAll().where('complaint_id', 'in', ids).orderBy('complaint_id').orderBy('seq').execute();
  const data = new Map(targets.map((t) => [t.row.id, redactedData(t.purgeId)]));
  await trx
    .updateTable('complaint_events')
    .set({
      data: sql<string>`case complaint_id ${sql.join(
        targets.map((t) => sql`when ${t.row.id} then ${data.get(t.row.id)!}`),
        sql` `,
      )} end`,
    })
    .where('complaint_id', 'in', ids)
    .execute();
  const byId = new Map(targets.map((t) => [t.row.id, t]));
  for (const t of targets) t.counts.events = 0;
  for (const e of events) {
    const t = byId.get(e.complaint_id)!;
    t.redactions.push([Number(e.seq), e.hash, redactedDigest({ ...e, seq: Number(e.seq), data: data.get(e.complaint_id)! })]);
    t.counts.events! += 1;
    t.last = { seq: Number(e.seq), hash: e.hash };
  }
}

/**
 * Anonymise, the case: its row without personal data or free text (retention-anonymise.ts), then
 * a `purged` event on its timeline, MACed as usual, and its head moved onto the anonymised row —
 * for the group: one UPDATE of the rows, one insert of the events, one upsert of the heads.
 */
async function anonymiseCases(trx: Transaction<DB>, ring: AuditKeyring, targets: Target[], at: string): Promise<void> {
  const ids = targets.map((t) => t.row.id);
  const clocks = new Map<string, Clock[]>(ids.map((id) => [id, []]));
  for (const k of await trx.selectFrom('clocks').select(['complaint_id', 'body']).where('complaint_id', 'in', ids).execute()) clocks.get(k.complaint_id)!.push(JSON.parse(k.body) as Clock);
  await saveComplaints(
    trx,
    targets.map((t) => {
      const c = JSON.parse(t.row.body) as Complaint;
      return { complaint: { ...anonymisedComplaint(c), version: c.version + 1 }, expectedVersion: c.version, clocks: clocks.get(t.row.id)!, stored: t.row };
    }),
  );
  const events = targets.flatMap((t) =>
    chainedRows(
      t.row.id,
      [{ complaintId: t.row.id, type: 'purged', action: null, actorId: 'system', actorName: 'Kesu', at, fromState: null, toState: null, data: { purge: t.purgeId, mode: t.order.mode, reason: t.order.reason, policy: t.order.policyKey } }],
      ring,
      t.last ?? null,
    ),
  );
  for (let i = 0; i < events.length; i += 500)
    await trx
      .insertInto('complaint_events')
      .values(events.slice(i, i + 500))
      .execute();
  const rows = new Map((await trx.selectFrom('complaints').selectAll().where('id', 'in', ids).execute()).map((r) => [r.id, r]));
  await writeHeads(
    trx,
    ring,
    events.map((e) => ({ complaint_id: e.complaint_id, log: 'events', seq: e.seq, hash: e.hash, case_digest: caseDigest(rows.get(e.complaint_id)!) })),
    at,
  );
}

/** Stages the files no attachment row uses any more; returns them. */
async function stageFiles(trx: Transaction<DB>, shas: string[], at: string): Promise<Set<string>> {
  const unique = [...new Set(shas)];
  if (!unique.length) return new Set();
  const still = new Set((await trx.selectFrom('attachments').select('sha256').where('sha256', 'in', unique).execute()).map((r) => r.sha256));
  const gone = unique.filter((s) => !still.has(s));
  if (gone.length)
    await trx
      .insertInto('purge_files')
      .values(gone.map((sha256) => ({ sha256, staged_at: at })))
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
  return new Set(gone);
}

/**
 * Deletes the staged files (after the purges that staged them committed): each file only if still
 * no attachment row uses it (the same content may have been uploaded again), then its staged row.
 * Idempotent: a crash midway leaves the rest staged for the next run.
 */
export async function deleteStagedFiles(app: App, dataDir: string, limit = 500): Promise<number> {
  const staged = await app.database.db.selectFrom('purge_files').select('sha256').orderBy('sha256').limit(limit).execute();
  let n = 0;
  for (const { sha256 } of staged) {
    const used = await app.database.db.selectFrom('attachments').select('id').where('sha256', '=', sha256).limit(1).executeTakeFirst();
    if (!used) {
      rmSync(attachmentPath(dataDir, sha256), { force: true });
      n += 1;
    }
    await app.database.db.deleteFrom('purge_files').where('sha256', '=', sha256).execute();
  }
  return n;
}
