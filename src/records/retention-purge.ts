/**
 * Purging one case (issue 15 §2), in its own short transaction, so a crash leaves each case either
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
 */
import { rmSync } from 'node:fs';
import { sql, type Transaction } from 'kysely';
import type { App } from '../services/app.js';
import type { DB } from '../store/schema.js';
import type { Clock, Complaint } from '../domain/complaint/types.js';
import type { RetentionMode } from '../domain/policy/retention.js';
import { saveComplaint } from '../store/complaint.repository.js';
import { appendEvents } from '../store/event.repository.js';
import { heldIds } from '../store/legal-hold.repository.js';
import { markRollupsStale, reach } from '../store/facts.repository.js';
import { appendPurgeRecord, redactedData, redactedDigest, withPurgePermit, type PurgeRow, type Redaction } from '../audit/purge.js';
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

/**
 * Purges several cases in one transaction — one commit for the lot instead of one each, the
 * purge's main cost on a durable disk — each exactly as `purgeCase` would, in order (so their
 * purge records follow each other on the chain). All or none: when one fails the whole group
 * rolls back (runPurge then purges that group one case at a time, so one bad case fails alone).
 */
export async function purgeCases(app: App, orders: readonly PurgeOrder[]): Promise<(PurgeRow | null)[]> {
  const at = app.now().toISOString();
  return app.database.db.transaction().execute(async (trx) => {
    const out: (PurgeRow | null)[] = [];
    for (const order of orders) out.push(await purgeInTransaction(app, trx, order, at));
    return out;
  });
}

async function purgeInTransaction(app: App, trx: Transaction<DB>, order: PurgeOrder, at: string): Promise<PurgeRow | null> {
  const { database } = app;
  const pg = database.dialect === 'postgres';
  const ring = database.audit.keys();
  const purgeId = uuidv7();
  let q = trx.selectFrom('complaints').selectAll().where('id', '=', order.complaintId).where('state', '=', 'archived');
  if (pg) q = q.forUpdate().skipLocked();
  const row = await q.executeTakeFirst();
  if (!row) return null;
  if (await trx.selectFrom('purge_records').select('seq').where('complaint_id', '=', row.id).executeTakeFirst()) return null;
  if ((await heldIds(trx, [row.id])).size) return null;
  const c = JSON.parse(row.body) as Complaint;
  const id = row.id;

  const attachments = await trx.selectFrom('attachments').select(['id', 'sha256']).where('complaint_id', '=', id).execute();
  const counts: Record<string, number> = {};
  const del = async (name: string, q: { executeTakeFirst(): Promise<{ numDeletedRows: bigint }> }) => (counts[name] = Number((await q.executeTakeFirst()).numDeletedRows));

  // The case leaves the figures (removed) or its keys do (the repeat figure of the complaints after it).
  await markRollupsStale(trx, row.received_at, reach(row.received_at), at);
  await del('contactKeys', trx.deleteFrom('contact_keys').where('complaint_id', '=', id));
  await del('portalAccess', trx.deleteFrom('customer_access').where('complaint_id', '=', id));
  await del('surveyTokens', trx.deleteFrom('survey_tokens').where('complaint_id', '=', id));
  // Messages that hold addresses and texts; one still to be sent (there should be none on an archived case) is left to its dispatcher.
  await del('outbox', trx.deleteFrom('outbox').where('complaint_id', '=', id).where('status', 'not in', ['pending', 'sending']));
  await del('idempotencyKeys', trx.deleteFrom('idempotency_keys').where('complaint_id', '=', id).where('status', '!=', 'in_progress'));
  await trx.updateTable('inbound_emails').set({ detail: null }).where('complaint_id', '=', id).execute();
  await del('attachments', trx.deleteFrom('attachments').where('complaint_id', '=', id));
  if (pg) await sql`delete from complaint_search where complaint_id = ${id}`.execute(trx);
  else if (row.search_rowid !== null) await sql`delete from complaint_search where rowid = ${row.search_rowid}`.execute(trx);
  counts.files = await stageFiles(trx, attachments.map((a) => a.sha256), at);

  let redactions: Redaction[] = [];
  await withPurgePermit(trx, `retention purge ${purgeId}`, async () => {
    if (order.mode === 'remove') {
      await del('events', trx.deleteFrom('complaint_events').where('complaint_id', '=', id));
      await del('accessLog', trx.deleteFrom('pii_access_log').where('complaint_id', '=', id));
      await trx.deleteFrom('audit_heads').where('complaint_id', '=', id).execute();
      await trx.deleteFrom('clocks').where('complaint_id', '=', id).execute();
      await trx.deleteFrom('complaint_participants').where('complaint_id', '=', id).execute();
      await trx.deleteFrom('complaints').where('id', '=', id).execute();
      return;
    }
    // Anonymise: the timeline keeps its records, links and MACs; only `data` is redacted.
    const events = await trx.selectFrom('complaint_events').selectAll().where('complaint_id', '=', id).orderBy('seq').execute();
    const data = redactedData(purgeId);
    await trx.updateTable('complaint_events').set({ data }).where('complaint_id', '=', id).execute();
    redactions = events.map((e) => [Number(e.seq), e.hash, redactedDigest({ ...e, seq: Number(e.seq), data })]);
    counts.events = events.length;
  });

  if (order.mode === 'anonymise') {
    const clocks = (await trx.selectFrom('clocks').select('body').where('complaint_id', '=', id).execute()).map((k) => JSON.parse(k.body) as Clock);
    const anon = { ...anonymisedComplaint(c), version: c.version + 1 };
    await saveComplaint(trx, anon, c.version, clocks);
    // The purge on the timeline, MACed as usual; the head moves onto the anonymised row.
    await appendEvents(trx, id, [{ complaintId: id, type: 'purged', action: null, actorId: 'system', actorName: 'Kesu', at, fromState: null, toState: null, data: { purge: purgeId, mode: order.mode, reason: order.reason, policy: order.policyKey } }], ring);
  }

  return appendPurgeRecord(trx, pg, ring, {
    id: purgeId,
    complaint_id: id,
    complaint_number: row.number,
    mode: order.mode,
    reason: order.reason,
    policy_key: order.policyKey,
    at,
    counts: JSON.stringify(counts),
    redactions: JSON.stringify(redactions),
  });
}

/** Stages the files no attachment row uses any more; returns how many. */
async function stageFiles(trx: Transaction<DB>, shas: string[], at: string): Promise<number> {
  const unique = [...new Set(shas)];
  if (!unique.length) return 0;
  const still = new Set((await trx.selectFrom('attachments').select('sha256').where('sha256', 'in', unique).execute()).map((r) => r.sha256));
  const gone = unique.filter((s) => !still.has(s));
  if (gone.length) await trx.insertInto('purge_files').values(gone.map((sha256) => ({ sha256, staged_at: at }))).onConflict((oc) => oc.column('sha256').doNothing()).execute();
  return gone.length;
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
