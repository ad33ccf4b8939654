/**
 * The history import (issue 15 §4): a ledger (.xlsx or CSV) with a column mapping becomes cases
 * in their historical state. Always a dry run first — every row checked against the mapping and
 * the active policy (validate.ts) — and the real import refuses to start while it finds a problem
 * (all or nothing). Then batches of rows (500 by default), each in one transaction with all it
 * writes, cut from the rows in their order of receipt (`inOrderOfReceipt`: neighbouring index
 * pages per batch, whatever the file's order): the row keys (UNIQUE(org, key): a batch that committed is skipped by the next run, so
 * a crashed import resumes without duplicates and a re-run creates nothing), the case rows, the
 * full-text row, the contact keys, the `imported` event with its chain head, and the facts.
 *
 * Everything slow happens before a batch's transaction: reading the file, hashing row keys and
 * contact keys, tokenising the search text, MACing the events, folding the facts, digesting the
 * case rows for the chain heads (confirmed inside by one row read back); the case numbers are
 * drawn for many batches at once (`NUMBERS_AHEAD` rows) in a short transaction of their own per
 * year (numbers are gap-tolerant: a crash leaves the unused ones unused), so a batch costs one
 * commit, not two — on SQLite with `synchronous=FULL` each commit is a flush to the disk. Inside
 * it, multi-row inserts per table, so a batch costs a few dozen statements, not a few per row.
 * No clocks, no outbox rows.
 */
import { basename } from 'node:path';
import type { Actor } from '../../domain/complaint/types.js';
import type { App } from '../../services/app.js';
import { uuidv7 } from '../../services/ids.js';
import { contactKeysForIntake } from '../../services/contact-keys.js';
import { searchTokens } from '../../search/tokenize.js';
import { insertComplaintRows, newComplaintRow, searchText } from '../../store/complaint.repository.js';
import { indexNewComplaintsTokens } from '../../store/search.repository.js';
import { caseTermsRow, insertCaseTerms } from '../../store/case-terms.repository.js';
import { chainedRows } from '../../store/event.repository.js';
import { insertNewHeads } from '../../audit/heads.js';
import { ensureCaseNumbers, formatCaseNumber, nextCaseNumbers } from '../../store/counter.repository.js';
import { NewCaseDigests, importedKeys, insertContactKeysOf, insertEventRows, insertImportedFacts, markImported, saveMapping } from '../../store/import.repository.js';
import { foldCaseFacts, localDay } from '../../reports/facts.js';
import { withWalWindow } from '../../store/wal-window.js';
import type { Transaction } from 'kysely';
import type { DB } from '../../store/schema.js';
import type { LedgerMapping } from './mapping.js';
import { readSheet, type Sheet } from './sheet.js';
import { checkLedger, type LedgerRecord } from './validate.js';
import { buildImportedCase } from './build.js';
import type { ImportProblem } from './problems.js';

/**
 * The organisation a mapping and a row key belong to. Kesu serves one organisation per database
 * today; the column keeps keys and mappings apart should that change.
 */
export const ORGANISATION = 'default';

/** Who an import's cases were registered by (the first responder of record, the event's actor). */
export const IMPORT_ACTOR: Actor = { id: 'ledger-import', kind: 'system', name: '台账导入', roles: [], managerOf: [], approvalLevels: [] };

export const DEFAULT_BATCH = 500;

/** Rows whose case numbers are drawn together (rounded up to whole batches). */
const NUMBERS_AHEAD = 10_000;

export interface ImportProgress {
  done: number;
  total: number;
  elapsedMs: number;
}

export interface LedgerImportOptions {
  mapping: LedgerMapping;
  dryRun?: boolean;
  /** Save the mapping under its name for the next import (when the real import starts). */
  saveMapping?: boolean;
  actor?: Actor;
  batchSize?: number;
  onProgress?: (p: ImportProgress) => void;
  /** Runs inside each batch's transaction after its writes (tests inject a crash here). */
  inBatch?: (trx: Transaction<DB>, batch: number) => Promise<void>;
}

export interface LedgerImportReport {
  dryRun: boolean;
  /** Data rows in the file. */
  rows: number;
  problems: ImportProblem[];
  /** Rows an earlier run imported already (skipped). */
  alreadyImported: number;
  /** Rows this run imports (dry run: would import). */
  toImport: number;
  /** Cases created by this run. */
  created: number;
  /** True when the real import did not start because of problems. */
  refused: boolean;
}

/** Reads and checks a ledger file, then imports it unless `dryRun` or a problem stops it. */
export async function importLedgerFile(app: App, file: string, opts: LedgerImportOptions): Promise<LedgerImportReport> {
  const sheet = await readSheet(file, opts.mapping.sheet);
  return importLedger(app, sheet, basename(file), opts);
}

export async function importLedger(app: App, sheet: Sheet, source: string, opts: LedgerImportOptions): Promise<LedgerImportReport> {
  const database = app.database;
  const db = database.db;
  const now = app.now();
  const policy = await app.activePolicy();
  const calendar = await app.calendarFor(policy);
  const users = await db.selectFrom('users').select(['id', 'username', 'name']).execute();
  const check = checkLedger(sheet, opts.mapping, { policy, users, now });
  const existing = await importedKeys(
    db,
    ORGANISATION,
    check.records.map((r) => r.key),
  );
  const pending = inOrderOfReceipt(check.records.filter((r) => !existing.has(r.key)));
  const report: LedgerImportReport = {
    dryRun: !!opts.dryRun,
    rows: check.rows,
    problems: check.problems,
    alreadyImported: existing.size,
    toImport: check.problems.length ? 0 : pending.length,
    created: 0,
    refused: !opts.dryRun && check.problems.length > 0,
  };
  if (opts.dryRun || check.problems.length) return report;
  if (opts.saveMapping) await saveMapping(db, ORGANISATION, opts.mapping.name, opts.mapping, now.toISOString());

  const actor = opts.actor ?? IMPORT_ACTOR;
  const zone = policy.calendar.timeZone;
  const size = Math.max(1, opts.batchSize ?? DEFAULT_BATCH);
  const ring = database.audit.keys();
  const provenance = { source, mapping: opts.mapping.name };
  const digester = new NewCaseDigests();
  const started = performance.now();
  const ahead = Math.ceil(NUMBERS_AHEAD / size) * size;
  let drawn: string[] = [];
  opts.onProgress?.({ done: 0, total: pending.length, elapsedMs: 0 });
  // Checkpoints between batches, every 16 (8 000 rows at 500), not in each batch's commit (store/wal-window.ts).
  await withWalWindow(database, Math.max(1, Math.round(8000 / size)), async (afterBatch) => {
    for (let b = 0, at = 0; at < pending.length; b++, at += size) {
      const batch = pending.slice(at, at + size);
      // --- before the transaction: numbers, ids, the cases, hashes, tokens, facts ----------------
      if (at % ahead === 0) drawn = await drawNumbers(app, pending.slice(at, at + ahead), zone);
      const numbers = drawn.slice(at % ahead, (at % ahead) + batch.length);
      const prepared = batch.map((r, i) => {
        const id = uuidv7(r.receivedAt.getTime());
        const built = buildImportedCase(r, { id, number: numbers[i]! }, { actor, now, policy, provenance });
        const c = built.complaint;
        return {
          record: r,
          ...built,
          tokens: searchTokens([searchText(c), r.externalId].filter(Boolean).join('\n')).join(' '),
          contactKeys: contactKeysForIntake(app, { channel: c.channel, description: c.description, complainant: c.complainant }),
          eventRows: chainedRows(id, [built.event], ring, null),
          facts: foldCaseFacts(null, c, built.factEvents, [], calendar),
          row: newComplaintRow(c, []),
          terms: caseTermsRow(c),
        };
      });
      const early = digester.before(prepared.map((p) => p.row));
      const stamp = new Date().toISOString();
      await db.transaction().execute(async (trx) => {
        // The keys first: a row another run committed meanwhile fails this batch instead of doubling.
        await markImported(
          trx,
          ORGANISATION,
          prepared.map((p) => ({ key: p.record.key, complaintId: p.complaint.id, externalId: p.record.externalId, source, rowNumber: p.record.row })),
          stamp,
        );
        const rowids = await indexNewComplaintsTokens(
          trx,
          database.dialect,
          prepared.map((p) => ({ complaintId: p.complaint.id, tokens: p.tokens })),
        );
        await insertComplaintRows(
          trx,
          prepared.map((p) => ({ complaint: p.complaint, row: { ...p.row, ...(rowids.has(p.complaint.id) ? { search_rowid: rowids.get(p.complaint.id)! } : {}) } })),
        );
        await insertContactKeysOf(
          trx,
          prepared.flatMap((p) => p.contactKeys.map((k) => ({ key: k.key, complaint_id: p.complaint.id, kind: k.kind }))),
        );
        await insertCaseTerms(
          trx,
          prepared.map((p) => p.terms),
        );
        await insertEventRows(
          trx,
          prepared.flatMap((p) => p.eventRows),
        );
        // Each new chain's head holds the digest of its case row as stored: computed before the
        // transaction from the rows as inserted, confirmed by one row read back (so every column
        // counts, whatever migration added it).
        const digests = await digester.confirm(
          trx,
          prepared.map((p) => p.row),
          early,
        );
        await insertNewHeads(
          trx,
          ring,
          prepared.map((p) => {
            const last = p.eventRows[p.eventRows.length - 1]!;
            return { complaint_id: p.complaint.id, log: 'events' as const, seq: last.seq, hash: last.hash, case_digest: digests.get(p.complaint.id) ?? null };
          }),
          stamp,
        );
        await insertImportedFacts(
          trx,
          prepared.map((p) => p.facts),
        );
        await opts.inBatch?.(trx, b);
      });
      report.created += batch.length;
      opts.onProgress?.({ done: report.created, total: pending.length, elapsedMs: performance.now() - started });
      await afterBatch();
    }
  });
  return report;
}

/**
 * The rows to import in the order they were received (then file order): the batches are cut from
 * this order, so a batch's cases are neighbours in every index keyed by the case id (a UUIDv7 of
 * the receipt time: `complaints`, its events, heads, facts, terms, keys by case) or by the
 * receipt time. In file order a ledger sorted by anything else (department, grade, a month's
 * sheets one after another) makes each 500-row batch write ~500 scattered leaf pages per such
 * index, more pages per row the larger the tables grow: measured (docs/performance.md,
 * 2026-12-06) the WAL written per row grew ~3.5× over 24 k rows and the import slowed to ~a
 * quarter of its first rate at 100 k rows. Deterministic, so a resumed import cuts the same
 * batches from what is left.
 */
export function inOrderOfReceipt(records: readonly LedgerRecord[]): LedgerRecord[] {
  return records
    .map((r) => ({ r, t: r.receivedAt.getTime() }))
    .sort((a, b) => a.t - b.t || a.r.row - b.r.row)
    .map((x) => x.r);
}

/** The batch's case numbers, by the year each case was received in (the policy's time zone). */
async function drawNumbers(app: App, batch: readonly LedgerRecord[], zone: string): Promise<string[]> {
  // The local year through the facts' cached local day (luxon's, tested: test/reports/facts-local-day.test.ts), not a luxon DateTime per row.
  const years = batch.map((r) => Number(localDay(r.receivedAt.toISOString(), zone).slice(0, 4)));
  const count = new Map<number, number>();
  for (const y of years) count.set(y, (count.get(y) ?? 0) + 1);
  const drawn = new Map<number, number[]>();
  for (const [year, n] of [...count].sort((a, b) => a[0] - b[0])) {
    await ensureCaseNumbers(app.database, year);
    drawn.set(year, await app.database.db.transaction().execute((trx) => nextCaseNumbers(trx, app.database.dialect, year, n)));
  }
  // Numbers in the batches' order within each year: the order of receipt (inOrderOfReceipt).
  const next = new Map<number, number>();
  return years.map((y) => {
    const i = next.get(y) ?? 0;
    next.set(y, i + 1);
    return formatCaseNumber(y, drawn.get(y)![i]!);
  });
}
