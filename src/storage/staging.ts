/**
 * Files stored before the transaction that names them (issue 15 §5). A file is written to the
 * store BEFORE the database transaction that records its attachment row — never inside it (a
 * transaction never waits on a network or a disk) — so a failed or refused commit, or a process
 * that dies between the two, leaves a stored file that no row names. `file_stages` (migration
 * 0020) says which stored files may be such leftovers, so they can be removed without ever
 * removing a file a committed row names, also with several instances sharing one store:
 *
 * - `holdFile` (before the put): one row per content address counts the uploads in flight
 *   (`holders`) and when the last began (`staged_at`). While a removal of that address is under
 *   way (`sweeping_at`) it waits: the upload then stores the file again after the removal.
 * - `releaseFile` (after the commit or its failure): one holder less; the last one out removes
 *   the file when no attachment row names it (a refused upload leaves nothing behind), else
 *   forgets the stage row.
 * - `sweepStagedFiles` (housekeeping): a stage row whose last hold began more than
 *   `olderThanMs` ago belongs to uploads that ended without releasing (a crash): the same removal.
 *
 * A removal first claims the row (`sweeping_at`, in a short transaction that also looks for an
 * attachment row naming the file), then deletes the object, then the row. Every upload that will
 * ever commit a row naming the file either committed before the claim (its row is seen and the
 * file kept) or holds the row after it — and holding waits for the removal to finish, then stores
 * the file anew. A claim whose remover died is taken over after `SWEEP_LEASE_MS`.
 */
import { sql, type ExpressionBuilder, type UpdateQueryBuilder, type UpdateResult } from 'kysely';
import type { DB } from '../store/schema.js';
import type { App } from '../services/app.js';
import type { FileStore } from './file-store.js';

/** After this long a claimed removal is presumed dead (its remover crashed) and may be taken over. */
export const SWEEP_LEASE_MS = 5 * 60_000;
/** Default age after which a stage row's uploads are presumed ended (sweepStagedFiles). */
export const STAGED_FILE_MAX_AGE_MS = 3_600_000;
const HOLD_WAIT_MS = 100;
const HOLD_TRIES = 300;

type StageUpdate = UpdateQueryBuilder<DB, 'file_stages', 'file_stages', UpdateResult>;
type StageExpressions = ExpressionBuilder<DB, 'file_stages'>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const iso = (app: App, deltaMs = 0) => new Date(app.now().getTime() + deltaMs).toISOString();

/** Registers an upload of `sha256` in flight; call before storing it, outside any transaction. */
export async function holdFile(app: App, sha256: string): Promise<void> {
  const db = app.database.db;
  for (let i = 0; i < HOLD_TRIES; i++) {
    const now = iso(app);
    const stale = iso(app, -SWEEP_LEASE_MS);
    const held = await db
      .insertInto('file_stages')
      .values({ sha256, holders: 1, staged_at: now, sweeping_at: null })
      .onConflict((oc) =>
        oc
          .column('sha256')
          .doUpdateSet({ holders: sql<number>`file_stages.holders + 1`, staged_at: now, sweeping_at: null })
          .where((eb) => eb.or([eb('file_stages.sweeping_at', 'is', null), eb('file_stages.sweeping_at', '<', stale)])),
      )
      .returning('sha256')
      .executeTakeFirst();
    if (held) return;
    await sleep(HOLD_WAIT_MS); // a removal of this very file is under way: store it again after it
  }
  throw new Error(`file ${sha256}: a removal of it did not finish within ${(HOLD_TRIES * HOLD_WAIT_MS) / 1000} s`);
}

/**
 * Claims the removal of `sha256` when `claimable` rows match and no attachment row names the
 * file; otherwise forgets the stage row when nothing holds it. True when the caller must now
 * delete the object and then call `finishRemoval`.
 */
async function claimRemoval(app: App, sha256: string, at: string, claimable: (q: StageUpdate) => StageUpdate): Promise<boolean> {
  return app.database.db.transaction().execute(async (trx) => {
    const claimed = await claimable(trx.updateTable('file_stages').set({ sweeping_at: at }).where('sha256', '=', sha256))
      .returning('sha256')
      .executeTakeFirst();
    if (!claimed) return false;
    const named = await trx.selectFrom('attachments').select('id').where('sha256', '=', sha256).limit(1).executeTakeFirst();
    if (!named) return true;
    // A committed row names it: the file stays, and the stage row has done its job.
    await trx.deleteFrom('file_stages').where('sha256', '=', sha256).where('sweeping_at', '=', at).execute();
    return false;
  });
}

async function remove(app: App, store: FileStore, sha256: string, at: string): Promise<void> {
  await store.delete(sha256);
  await app.database.db.deleteFrom('file_stages').where('sha256', '=', sha256).where('sweeping_at', '=', at).execute();
}

/**
 * Ends one hold of `sha256` (after its transaction committed or failed). The last holder removes
 * the file when no attachment row names it. Returns whether the file was removed.
 */
export async function releaseFile(app: App, store: FileStore, sha256: string): Promise<boolean> {
  const db = app.database.db;
  const left = await db
    .updateTable('file_stages')
    .set({ holders: sql<number>`case when holders > 0 then holders - 1 else 0 end` })
    .where('sha256', '=', sha256)
    .where('sweeping_at', 'is', null)
    .returning('holders')
    .executeTakeFirst();
  if (!left || Number(left.holders) > 0) return false;
  const at = iso(app);
  // Still nobody holding it (an upload may have begun since the decrement).
  if (!(await claimRemoval(app, sha256, at, (q) => q.where('holders', '=', 0).where('sweeping_at', 'is', null)))) return false;
  await remove(app, store, sha256, at);
  return true;
}

export interface StagedSweep {
  /** Stored files no attachment row named, removed. */
  removed: number;
  /** Stage rows of files a row names, forgotten. */
  kept: number;
}

/**
 * Removes files left by uploads that never released them (a process that died between storing
 * a file and committing its row): stage rows whose last hold began more than `olderThanMs` ago.
 * Safe on several instances at once (each removal is claimed first).
 */
export async function sweepStagedFiles(app: App, store: FileStore, opts: { olderThanMs?: number; batch?: number } = {}): Promise<StagedSweep> {
  const cutoff = iso(app, -(opts.olderThanMs ?? STAGED_FILE_MAX_AGE_MS));
  const stale = iso(app, -SWEEP_LEASE_MS);
  const rows = await app.database.db
    .selectFrom('file_stages')
    .select(['sha256', 'staged_at'])
    .where('staged_at', '<', cutoff)
    .where((eb) => eb.or([eb('sweeping_at', 'is', null), eb('sweeping_at', '<', stale)]))
    .orderBy('staged_at')
    .limit(opts.batch ?? 200)
    .execute();
  const result: StagedSweep = { removed: 0, kept: 0 };
  for (const r of rows) {
    const at = iso(app);
    // Claimed only if no upload held it since it was read (staged_at unchanged).
    const claim = (q: StageUpdate) => q.where('staged_at', '=', r.staged_at).where((eb: StageExpressions) => eb.or([eb('sweeping_at', 'is', null), eb('sweeping_at', '<', stale)]));
    if (await claimRemoval(app, r.sha256, at, claim)) {
      await remove(app, store, r.sha256, at);
      result.removed++;
    } else result.kept++;
  }
  return result;
}
