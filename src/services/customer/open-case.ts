/** Opening a case as its customer: number + access code, one answer for every failure. */
import type { Complaint } from '../../domain/complaint/types.js';
import { AppError } from '../../domain/errors.js';
import { findIdByNumber, getComplaint } from '../../store/complaint.repository.js';
import { getAccess } from '../../store/customer.repository.js';
import { verifyAccessCode } from '../../channels/secrets.js';
import type { App } from '../app.js';

/**
 * Opens a case with its number and access code. A wrong number and a wrong code take the same
 * time and give the same answer (null), so the portal cannot be used to find case numbers.
 */
export async function openCase(app: App, number: string, code: string): Promise<Complaint | null> {
  const db = app.database.db;
  const normalized = number.trim().toUpperCase();
  const id = /^KS-\d{4}-\d{1,10}$/.test(normalized) ? await findIdByNumber(db, normalized) : null;
  // The same queries and the same scrypt work whether or not the number exists.
  const access = await getAccess(db, id ?? '00000000-0000-7000-8000-000000000000');
  const ok = await verifyAccessCode(code, access?.codeHash ?? null);
  if (!ok || !id) return null;
  return getComplaint(db, id);
}

/** Re-reads a case (after an action) for the customer's view. */
export async function reloadCase(app: App, id: string): Promise<Complaint> {
  const c = await getComplaint(app.database.db, id);
  if (!c) throw new AppError('not_found', id);
  return c;
}
