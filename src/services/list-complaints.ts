/** Queues and search: filters, need-to-know visibility and keyset pagination (store). */
import type { Actor } from '../domain/complaint/types.js';
import { AppError, fieldProblem } from '../domain/errors.js';
import { decodeCursor, listComplaints as listRows, type ListFilters, type ListOrder, type ListRow } from '../store/complaint.repository.js';
import type { App } from './app.js';
import { contactKeysForQuery } from './contact-keys.js';
import { caseIdsByContactKeys } from '../store/contact-key.repository.js';

export async function listComplaints(app: App, actor: Actor, filters: ListFilters, page: { limit: number; cursor?: string; order?: ListOrder }): Promise<{ items: ListRow[]; nextCursor: string | null }> {
  const order = page.order ?? 'received';
  const cursor = page.cursor ? decodeCursor(page.cursor) : undefined;
  if (page.cursor && (!cursor || cursor.order !== order)) throw new AppError('invalid_input', 'bad cursor', [fieldProblem('cursor', '分页游标无效', 'Invalid cursor')]);
  // A search text that is a known contact (a phone in any format, an e-mail, last four + name …)
  // lists that contact's cases; any other text searches the words. One index probe decides.
  const contactIds = filters.text ? await caseIdsByContactKeys(app.database.db, contactKeysForQuery(app, filters.text)) : [];
  const f = contactIds.length ? { ...filters, text: undefined, caseIds: contactIds } : filters;
  return listRows(app.database.db, app.database.dialect, actor, f, { limit: page.limit, order, cursor: cursor ?? undefined });
}
