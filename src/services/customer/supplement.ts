/** The customer adds information and files to their case (the `supplement` transition). */
import type { Transaction } from 'kysely';
import { CUSTOMER_ACTOR, type Complaint } from '../../domain/complaint/types.js';
import type { DB } from '../../store/schema.js';
import { insertAttachments } from '../../store/customer.repository.js';
import { actOnComplaint } from '../act-on-complaint.js';
import type { App } from '../app.js';
import { attachmentRows, type StoredUpload } from './attachments.js';

export async function supplementCase(app: App, c: Complaint, text: string, files: StoredUpload[], via: 'portal' | 'email', more?: (trx: Transaction<DB>) => Promise<void>): Promise<Complaint> {
  const at = app.now().toISOString();
  const rows = attachmentRows(c.id, files, via, at);
  return actOnComplaint(
    app,
    CUSTOMER_ACTOR,
    c.id,
    'supplement',
    { text, via, attachments: rows.map((r) => ({ id: r.id, name: r.name, size: r.size, contentType: r.contentType })) },
    {
      inTransaction: async (trx) => {
        await insertAttachments(trx, rows);
        await more?.(trx);
      },
    },
  );
}
