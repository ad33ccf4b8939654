/**
 * The cases' stored match tokens (migration 0040, `src/knowledge/case-terms.ts`): insert-only, like
 * the full-text index beside them — a case's title and description are fixed at intake.
 */
import { caseMatchTerms, storeTerms } from '../knowledge/case-terms.js';
import type { Complaint } from '../domain/complaint/types.js';
import type { Executor } from './db.js';

/** The row of a new case (its tokens cut here, or handed in when already cut). */
export function caseTermsRow(c: Pick<Complaint, 'id' | 'title' | 'description'>, terms?: readonly string[]): { complaint_id: string; terms: string } {
  return { complaint_id: c.id, terms: storeTerms(terms ?? caseMatchTerms(c)) };
}

export async function insertCaseTerms(db: Executor, rows: readonly { complaint_id: string; terms: string }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('complaint_terms')
      .values(rows.slice(i, i + 500))
      .execute();
}
