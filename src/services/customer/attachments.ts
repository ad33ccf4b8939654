/** Files a customer sent (portal, customer API, e-mail) as the attachment rows that record them. */
import type { AttachmentRecord } from '../../store/customer.repository.js';
import { uuidv7 } from '../ids.js';

/** A file already stored content-addressed (channels/attachments.ts). */
export interface StoredUpload {
  name: string;
  contentType: string;
  size: number;
  sha256: string;
}

export function attachmentRows(complaintId: string, files: StoredUpload[], source: string, at: string): AttachmentRecord[] {
  // Ids made in one millisecond are not ordered among themselves: sorted, they list the files in the order sent.
  const ids = files.map(() => uuidv7()).sort();
  return files.map((f, i) => ({ id: ids[i]!, complaintId, sha256: f.sha256, name: f.name, contentType: f.contentType, size: f.size, source, createdAt: at }));
}
