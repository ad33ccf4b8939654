/**
 * The policy's `exports` section (issue 11 §5): which columns the case ledger (台账) export has,
 * in which order. Optional: without it the ledger has `DEFAULT_LEDGER_COLUMNS` (the registration
 * table of 001 篇2 / 篇4: number, time, channel, customer, contents, handling and result).
 * Personal-data columns (`phone`, `email`, `address`, `idNumber`) follow the reader's masking
 * and are written to the personal-data access log when shown unmasked (reports/ledger.ts).
 */
import { z } from 'zod';

/** Every column the ledger can have; the header texts live with the export (reports/ledger-columns.ts). */
export const LEDGER_COLUMNS = [
  'number',
  'receivedAt',
  'channel',
  'kind',
  'title',
  'description',
  'complainantName',
  'phone',
  'email',
  'address',
  'idNumber',
  'customerClass',
  'category',
  'grade',
  'department',
  'handler',
  'firstResponder',
  'state',
  'validity',
  'invalidReason',
  'demands',
  'demandAmount',
  'promisedAt',
  'answeredAt',
  'answer',
  'closedAt',
  'handlingMode',
  'handlingHours',
  'resolveBreached',
  'extensions',
  'reopens',
  'tier',
  'satisfaction',
  'responsibility',
  'compensation',
] as const;
export type LedgerColumn = (typeof LEDGER_COLUMNS)[number];

export const DEFAULT_LEDGER_COLUMNS: readonly LedgerColumn[] = [
  'number',
  'receivedAt',
  'channel',
  'kind',
  'complainantName',
  'phone',
  'customerClass',
  'title',
  'category',
  'grade',
  'department',
  'handler',
  'state',
  'promisedAt',
  'answeredAt',
  'closedAt',
  'handlingMode',
  'handlingHours',
  'resolveBreached',
  'satisfaction',
  'reopens',
];

export const exportsSection = z.strictObject({
  /** Columns of the ledger export, in order; each at most once. */
  ledgerColumns: z
    .array(z.enum(LEDGER_COLUMNS))
    .min(1)
    .superRefine((cols, ctx) => {
      const seen = new Set<string>();
      for (const [i, c] of cols.entries()) {
        if (seen.has(c)) ctx.addIssue({ code: 'custom', path: [i], params: { 'zh-CN': `台账列 ${c} 重复`, en: `ledger column ${c} is listed twice` } });
        seen.add(c);
      }
    })
    .default(() => [...DEFAULT_LEDGER_COLUMNS]),
});
export type PolicyExports = z.infer<typeof exportsSection>;

/** The ledger columns of a policy; a policy stored before this section existed has the default. */
export function ledgerColumnsOf(policy: { exports?: PolicyExports }): readonly LedgerColumn[] {
  return policy.exports?.ledgerColumns ?? DEFAULT_LEDGER_COLUMNS;
}
