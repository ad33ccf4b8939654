/** Queues and search: filters, need-to-know visibility and keyset pagination (store). */
import type { Actor } from '../domain/complaint/types.js';
import { AppError, fieldProblem } from '../domain/errors.js';
import { decodeCursor, listComplaints as listRows, type ListFilters, type ListOrder, type ListRow } from '../store/complaint.repository.js';
import type { App } from './app.js';
import { contactKeysForQuery } from './contact-keys.js';

export async function listComplaints(
  app: App,
  actor: Actor,
  filters: ListFilters,
  page: { limit: number; cursor?: string; order?: ListOrder },
): Promise<{ items: ListRow[]; nextCursor: string | null }> {
  const order = page.order ?? 'received';
  const cursor = page.cursor ? decodeCursor(page.cursor) : undefined;
  if (page.cursor && (!cursor || cursor.order !== order)) throw new AppError('invalid_input', 'bad cursor', [fieldProblem('cursor', '分页游标无效', 'Invalid cursor')]);
  // A search text may be a contact (a phone in any format, an e-mail, last four + name): its keyed hashes match too.
  const contactKeys = filters.text ? contactKeysForQuery(app, filters.text) : [];
  return listRows(app.database.db, app.database.dialect, actor, { ...filters, contactKeys }, { limit: page.limit, order, cursor: cursor ?? undefined });
}
