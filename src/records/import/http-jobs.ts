/**
 * Ledger imports started from the console (issue 15 §4, docs/operations.md "Importing a ledger
 * from the console"). The request that uploads a ledger only checks what it can check at once
 * (the file's type, the mapping) and answers 202 with a job; the work — reading the workbook,
 * the dry run's checks, the batches of the real import — is the same code the CLI runs
 * (ledger-import.ts `importLedger`), run after the answer, and writes its progress to the job's
 * `import_jobs` row (rows done / total, after each batch), which the console polls.
 *
 * A process that dies mid-import leaves its job `running` with its last progress; nothing is
 * lost or doubled: each batch committed its row keys, so uploading the same file again resumes
 * where it stopped and creates only the rest (and a finished import run again creates nothing).
 * A job not updated for STALE_MS is reported `interrupted`.
 */
import type { Actor } from '../../domain/complaint/types.js';
import type { App } from '../../services/app.js';
import { uuidv7 } from '../../services/ids.js';
import type { ImportJobsTable } from '../../store/schema.js';
import { listMappings, findMapping } from '../../store/import.repository.js';
import type { LedgerMapping } from './mapping.js';
import { readCsv, readXlsx, SheetError, type Sheet } from './sheet.js';
import { importLedger, ORGANISATION } from './ledger-import.js';
import type { ImportProblem } from './problems.js';

/** A job whose row has not moved for this long belongs to a process that stopped. */
export const STALE_MS = 5 * 60_000;

export type JobStatus = 'running' | 'done' | 'refused' | 'failed' | 'interrupted';

export interface ImportJob {
  id: string;
  dryRun: boolean;
  status: JobStatus;
  source: string;
  mappingName: string;
  /** Data rows in the file (known once it has been read). */
  rows: number;
  /** Rows this run imports (the real import), done so far. */
  total: number;
  done: number;
  created: number;
  alreadyImported: number;
  problems: ImportProblem[];
  error: string | null;
  startedBy: string;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface JobInput {
  file: Buffer;
  /** The uploaded file's name: its ending (.xlsx, .csv) says how to read it. */
  source: string;
  mapping: LedgerMapping;
  dryRun: boolean;
  /** Save the mapping under its name (a pasted or uploaded one) when the real import starts. */
  saveMapping: boolean;
}

/** Runs still in this process (tests and shutdown wait for them). */
const running = new WeakMap<App, Set<Promise<void>>>();

function toJob(r: ImportJobsTable, now: Date): ImportJob {
  const stale = r.status === 'running' && now.getTime() - Date.parse(r.updated_at) > STALE_MS;
  return {
    id: r.id,
    dryRun: !!Number(r.dry_run),
    status: stale ? 'interrupted' : (r.status as JobStatus),
    source: r.source,
    mappingName: r.mapping_name,
    rows: Number(r.rows),
    total: Number(r.total),
    done: Number(r.done),
    created: Number(r.created),
    alreadyImported: Number(r.already_imported),
    problems: JSON.parse(r.problems) as ImportProblem[],
    error: r.error,
    startedBy: r.started_by,
    startedAt: r.started_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
  };
}

async function readUpload(input: JobInput): Promise<Sheet> {
  if (/\.xlsx$/i.test(input.source)) return readXlsx(input.file, input.mapping.sheet);
  return readCsv(input.file.toString('utf8'));
}

/** Creates the job row and starts the work after the caller has answered; returns the job. */
export async function startImportJob(app: App, actor: Actor, input: JobInput): Promise<ImportJob> {
  const db = app.database.db;
  const at = app.now().toISOString();
  const row: ImportJobsTable = {
    id: uuidv7(),
    dry_run: input.dryRun ? 1 : 0,
    status: 'running',
    source: input.source,
    mapping_name: input.mapping.name,
    rows: 0,
    total: 0,
    done: 0,
    created: 0,
    already_imported: 0,
    problems: '[]',
    error: null,
    started_by: actor.id,
    started_at: at,
    updated_at: at,
    finished_at: null,
  };
  await db.insertInto('import_jobs').values(row).execute();
  const set = running.get(app) ?? new Set();
  running.set(app, set);
  const work = new Promise<void>((resolve) => setImmediate(resolve)).then(() => runJob(app, row.id, input));
  set.add(work);
  void work.finally(() => set.delete(work));
  return toJob(row, app.now());
}

/** The cases are registered by the import (IMPORT_ACTOR, as from the CLI); the job row names who started it. */
async function runJob(app: App, id: string, input: JobInput): Promise<void> {
  const db = app.database.db;
  const update = (values: Partial<ImportJobsTable>) =>
    db
      .updateTable('import_jobs')
      .set({ ...values, updated_at: app.now().toISOString() })
      .where('id', '=', id)
      .execute();
  try {
    const sheet = await readUpload(input);
    await update({ rows: sheet.rows.length });
    let writes = Promise.resolve();
    const r = await importLedger(app, sheet, input.source, {
      mapping: input.mapping,
      dryRun: input.dryRun,
      saveMapping: input.saveMapping,
      // After each batch (its transaction has committed): one small update, in order.
      onProgress: (p) => void (writes = writes.then(() => update({ total: p.total, done: p.done }).then(() => undefined))),
    });
    await writes;
    await update({
      status: r.problems.length ? 'refused' : 'done',
      rows: r.rows,
      total: r.dryRun ? r.toImport : r.created,
      done: r.dryRun ? 0 : r.created,
      created: r.created,
      already_imported: r.alreadyImported,
      problems: JSON.stringify(r.problems),
      finished_at: app.now().toISOString(),
    });
  } catch (e) {
    // No personal data in the message: a sheet error names the file's shape, others their kind.
    const error = e instanceof SheetError ? e.message : `import failed: ${e instanceof Error ? e.name : 'error'}`;
    await update({ status: 'failed', error, finished_at: app.now().toISOString() }).catch(() => undefined);
    if (!(e instanceof SheetError)) app.log.error({ err: e, job: id }, 'ledger import job failed');
  }
}

export async function getImportJob(app: App, id: string): Promise<ImportJob | null> {
  const r = await app.database.db.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toJob(r, app.now()) : null;
}

/** The latest jobs, newest first (without their problems: open a job for those). */
export async function recentImportJobs(app: App, limit = 20): Promise<ImportJob[]> {
  const rows = await app.database.db.selectFrom('import_jobs').selectAll().orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ ...toJob(r, app.now()), problems: [] }));
}

/** Waits for this process's running jobs (tests; a graceful shutdown). */
export async function settleImportJobs(app: App): Promise<void> {
  await Promise.all([...(running.get(app) ?? [])]);
}

export async function savedMappings(app: App): Promise<{ name: string; updatedAt: string; document: unknown }[]> {
  const list = await listMappings(app.database.db, ORGANISATION);
  return Promise.all(list.map(async (m) => ({ ...m, document: await findMapping(app.database.db, ORGANISATION, m.name) })));
}
