/**
 * The history import's tables (migration 0019): saved column mappings per organisation, and the
 * key of every imported ledger row (UNIQUE(org, key)) with the case it became.
 */
import type { Executor } from './db.js';
import type { CaseFactsTable, EventsTable } from './schema.js';
import { markRollupsStale, reach } from './facts.repository.js';
import { caseDigest } from '../audit/records.js';

export async function saveMapping(db: Executor, org: string, name: string, document: unknown, at: string): Promise<void> {
  const json = JSON.stringify(document);
  await db
    .insertInto('import_mappings')
    .values({ org, name, document: json, created_at: at, updated_at: at })
    .onConflict((oc) => oc.columns(['org', 'name']).doUpdateSet({ document: json, updated_at: at }))
    .execute();
}

export async function findMapping(db: Executor, org: string, name: string): Promise<unknown | null> {
  const row = await db.selectFrom('import_mappings').select('document').where('org', '=', org).where('name', '=', name).executeTakeFirst();
  return row ? (JSON.parse(row.document) as unknown) : null;
}

export async function listMappings(db: Executor, org: string): Promise<{ name: string; updatedAt: string }[]> {
  const rows = await db.selectFrom('import_mappings').select(['name', 'updated_at']).where('org', '=', org).orderBy('name').execute();
  return rows.map((r) => ({ name: r.name, updatedAt: r.updated_at }));
}

/** Which of `keys` were imported already (probed in chunks, one primary-key lookup each). */
export async function importedKeys(db: Executor, org: string, keys: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += 500) {
    const chunk = keys.slice(i, i + 500);
    const rows = await db.selectFrom('import_rows').select('key').where('org', '=', org).where('key', 'in', chunk).execute();
    for (const r of rows) found.add(r.key);
  }
  return found;
}

export interface ImportRowMark {
  key: string;
  complaintId: string;
  externalId: string | null;
  source: string;
  rowNumber: number;
}

/** Marks rows imported (inside the batch's transaction; a key imported meanwhile fails the batch). */
export async function markImported(db: Executor, org: string, rows: readonly ImportRowMark[], at: string): Promise<void> {
  if (!rows.length) return;
  await db
    .insertInto('import_rows')
    .values(rows.map((r) => ({ org, key: r.key, complaint_id: r.complaintId, external_id: r.externalId, source: r.source, row_number: r.rowNumber, imported_at: at })))
    .execute();
}

/** The facts rows of imported cases (folded before the batch's transaction by reports/facts.ts). */
export async function insertImportedFacts(db: Executor, rows: readonly CaseFactsTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200)
    await db
      .insertInto('case_facts')
      .values(rows.slice(i, i + 200))
      .execute();
  // Imported cases received in the past can make rolled-up complaints after them repeat complaints.
  if (rows.length) {
    const times = rows.map((r) => r.received_at).sort();
    await markRollupsStale(db, times[0]!, reach(times[times.length - 1]!), new Date().toISOString());
  }
}

/** Contact keys of new cases, many at once (hashed before the transaction). */
export async function insertContactKeysOf(db: Executor, rows: readonly { key: string; complaint_id: string; kind: string }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('contact_keys')
      .values(rows.slice(i, i + 500))
      .execute();
}

/** Timeline rows MACed before the transaction (store/event.repository.ts `chainedRows`), many at once. */
export async function insertEventRows(db: Executor, rows: readonly EventsTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200)
    await db
      .insertInto('complaint_events')
      .values(rows.slice(i, i + 200))
      .execute();
}

/** The audit digest (audit/records.ts `caseDigest`) of each case row as stored. */
export async function caseDigests(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('complaints')
      .selectAll()
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.id, caseDigest(r));
  }
  return out;
}

/**
 * Audit digests of new case rows without reading each back: the digest of the row as inserted
 * plus the columns the table fills itself (defaults of later migrations, learnt from one stored
 * row). Computed before the batch's transaction once the defaults are known; inside it one row
 * of the batch is read back and its digest as stored must equal the computed one — so every
 * column counts, and a column the driver returns differently from how it went in is noticed
 * (then the whole batch is read back, as `caseDigests` does).
 */
export class NewCaseDigests {
  private defaults: Record<string, unknown> | null = null;

  /** Before the transaction: the digests, when an earlier batch taught the defaults. */
  before(rows: readonly Record<string, unknown>[]): Map<string, string> | null {
    const d = this.defaults;
    return d ? new Map(rows.map((r) => [r.id as string, caseDigest(r, d)])) : null;
  }

  /** Inside the transaction, after the insert: `early` confirmed by one stored row, or computed now. */
  async confirm(db: Executor, rows: readonly Record<string, unknown>[], early: Map<string, string> | null): Promise<Map<string, string>> {
    const first = rows[0];
    if (!first) return new Map();
    const stored = await db
      .selectFrom('complaints')
      .selectAll()
      .where('id', '=', first.id as string)
      .executeTakeFirstOrThrow();
    const digest = caseDigest(stored);
    if (early && early.get(first.id as string) === digest) return early;
    const defaults: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(stored)) if (!(k in first)) defaults[k] = v;
    if (caseDigest(first, defaults) !== digest) {
      this.defaults = null;
      return caseDigests(
        db,
        rows.map((r) => r.id as string),
      );
    }
    this.defaults = defaults;
    return this.before(rows)!;
  }
}
