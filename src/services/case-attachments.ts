/**
 * Files on a case (issue 3 §2): photos and documents staff add — at intake (the console uploads
 * them right after the case is created) or later — beside those the customer sent through the
 * portal or e-mail (customer-portal.ts, receive-email.ts).
 *
 * Adding files is the lifecycle action `attach`: the case keeps its state, the timeline records
 * each file's name, size, type and SHA-256, and who may do it is the machine's table (the people
 * involved and specialists). The staged files are stored (the app's file store, storage/) BEFORE
 * the transition's transaction, which writes their rows; a refusal — the case not visible
 * (avoidance included: 404), a role or state that does not allow it — leaves neither a row nor a
 * file behind: the files' holds are released after the transaction, and a file no row names is
 * removed then (storage/staging.ts).
 */
import type { Actor, Complaint } from '../domain/complaint/types.js';
import { AppError } from '../domain/errors.js';
import { canSee } from '../domain/permissions/visibility.js';
import type { Executor } from '../store/db.js';
import { findIdByNumber, getComplaint } from '../store/complaint.repository.js';
import { insertAttachments, listAttachments, type AttachmentRecord } from '../store/customer.repository.js';
import { discardStaged, releaseStored, storeStaged, type StagedUpload } from '../channels/attachments.js';
import { fileStoreOf } from '../storage/stores.js';
import type { Readable } from 'node:stream';
import { actOnComplaint, type ActHooks } from './act-on-complaint.js';
import { attachmentRows } from './customer-portal.js';
import type { App } from './app.js';

/** One file as the API lists it. `source`: portal, email (the customer) or staff. */
export type AttachmentView = Omit<AttachmentRecord, 'complaintId'>;

/** The case by id or number when the actor may see it; otherwise not_found (also for the complained-about person). */
export async function visibleCase(app: App, actor: Actor, idOrNumber: string): Promise<Complaint> {
  const db = app.database.db;
  const id = /^KS-\d{4}-\d+$/i.test(idOrNumber) ? await findIdByNumber(db, idOrNumber.toUpperCase()) : idOrNumber;
  const c = id ? await getComplaint(db, id) : null;
  if (!c || !canSee(c, actor)) throw new AppError('not_found', `complaint ${idOrNumber}`);
  return c;
}

/**
 * The files of a case, oldest first. No visibility check: for a case the caller has already been
 * allowed to see (the case view merges this in; `listVisibleAttachments` checks).
 */
export async function caseAttachments(db: Executor, complaintId: string): Promise<AttachmentView[]> {
  return (await listAttachments(db, complaintId)).map(({ complaintId: _, ...a }) => a);
}

/** A case view (view-complaint.ts) with the case's files; the view has checked visibility. */
export async function withAttachments<V extends { complaint: { id: string } }>(app: App, view: V): Promise<V & { attachments: AttachmentView[] }> {
  return { ...view, attachments: await caseAttachments(app.database.db, view.complaint.id) };
}

export async function listVisibleAttachments(app: App, actor: Actor, idOrNumber: string): Promise<AttachmentView[]> {
  const c = await visibleCase(app, actor, idOrNumber);
  return caseAttachments(app.database.db, c.id);
}

/**
 * One file of a visible case and its bytes, streamed from the file store (whichever instance
 * stored it); not_found when the case, the row or the stored file is missing.
 */
export async function attachmentFile(app: App, actor: Actor, idOrNumber: string, attachmentId: string): Promise<{ record: AttachmentRecord; body: Readable }> {
  const c = await visibleCase(app, actor, idOrNumber);
  const record = (await listAttachments(app.database.db, c.id)).find((a) => a.id === attachmentId);
  if (!record) throw new AppError('not_found', `attachment ${attachmentId}`);
  const body = await (await fileStoreOf(app)).get(record.sha256);
  if (!body) throw new AppError('not_found', `attachment ${attachmentId}: file missing`);
  return { record, body };
}

/**
 * Adds staged files to a case as the `attach` transition: the files are stored first, then the
 * transition's transaction writes their rows; whatever happens the staged copies are discarded
 * and the holds released (a file no committed row names is removed).
 */
export async function attachToCase(app: App, actor: Actor, complaintId: string, files: StagedUpload[], text?: string, more?: ActHooks['inTransaction']): Promise<Complaint> {
  const stored: StagedUpload[] = [];
  try {
    const rows = attachmentRows(complaintId, files, 'staff', app.now().toISOString());
    const attachments = rows.map((r) => ({ id: r.id, name: r.name, size: r.size, contentType: r.contentType, sha256: r.sha256 }));
    for (const f of files) {
      await storeStaged(app, f);
      stored.push(f);
    }
    return await actOnComplaint(
      app,
      actor,
      complaintId,
      'attach',
      { attachments, text: text || undefined },
      {
        inTransaction: async (trx, saved) => {
          await insertAttachments(trx, rows);
          await more?.(trx, saved); // e.g. the request's Idempotency-Key marked applied
        },
      },
    );
  } finally {
    files.forEach(discardStaged);
    // A release that fails leaves the holds to the staging sweep (housekeeping).
    await releaseStored(app, stored).catch((e) => app.log.warn({ err: e }, 'attachments: releasing stored files failed'));
  }
}
