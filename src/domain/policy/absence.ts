/**
 * The policy's rule for absences (issue 10 §3; 002 篇7 §三 主要/次要责任人, 001 篇1 二(二)): who
 * stands in is fixed by Kesu (the backup handler, else the absence's stand-in, else the
 * department head; an approver's stand-in holds the same level); what the policy chooses is
 * where a handed-over case goes when the absence ends. Optional: without it a case stays with
 * the stand-in, who knows it by then.
 */
import { z } from 'zod';

export const absencePolicy = z
  .strictObject({
    /**
     * When the absence ends, cases handed to a stand-in go back to the primary handler (the
     * stand-in stays on them as a co-handler). Default `false`: they stay with the stand-in.
     */
    returnToPrimary: z.boolean().default(false),
  })
  .prefault({});
export type AbsencePolicy = z.infer<typeof absencePolicy>;

/**
 * Whether the policy sends handed-over cases back to the primary handler. A policy stored before
 * this section existed has none (stored documents are not re-validated): it keeps the default.
 */
export function returnsToPrimary(policy: { absence?: Partial<AbsencePolicy> }): boolean {
  return policy.absence?.returnToPrimary ?? false;
}
