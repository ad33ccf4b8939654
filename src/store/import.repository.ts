/**
 * The history import's tables (migration 0019): saved column mappings per organisation, and the
 * key of every imported ledger row (UNIQUE(org, key)) with the case it became.
 */
import type { Executor } from './db.js';
import type { CaseFactsTable } from './schema.js';

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

/** The facts row of an imported case (folded before the batch's transaction by reports/facts.ts). */
export async function insertImportedFacts(db: Executor, row: CaseFactsTable): Promise<void> {
  await db.insertInto('case_facts').values(row).execute();
}
