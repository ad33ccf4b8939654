/**
 * The column mapping of a ledger import: which column of the ledger holds which fact, plus the
 * defaults for facts the ledger does not record. Written as YAML or JSON by the operator, saved
 * per organisation under its name (store/import.repository.ts) so the next import of the same
 * ledger reuses it: `--mapping FILE` saves it, `--mapping NAME` reuses a saved one.
 *
 *   name: 2024 台账
 *   columns: { receivedAt: 受理时间, customerName: 客户姓名, phone: 联系电话, description: 投诉内容, … }
 *   defaults: { channel: phone, kind: complaint }
 *   closedState: archived        # closed | archived, for rows with a closing time and no state
 *   timeZone: Asia/Shanghai      # how times without an offset are read (default: the policy's)
 *   sheet: 台账                  # an .xlsx sheet by name (default: the first)
 */
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';

/** The facts a ledger row can give, in the order problems are reported. */
export const LEDGER_FIELDS = [
  'externalId',
  'receivedAt',
  'customerName',
  'phone',
  'email',
  'channel',
  'kind',
  'category',
  'grade',
  'title',
  'description',
  'demands',
  'department',
  'handler',
  'state',
  'closedAt',
  'result',
  'satisfaction',
] as const;
export type LedgerField = (typeof LEDGER_FIELDS)[number];

/** Facts every row must give, so these columns must be mapped. */
export const REQUIRED_FIELDS: readonly LedgerField[] = ['receivedAt', 'description'];

const header = z.string().trim().min(1).max(200);

export const LedgerMapping = z.strictObject({
  name: z.string().trim().min(1).max(100),
  columns: z.strictObject(Object.fromEntries(LEDGER_FIELDS.map((f) => [f, header.optional()])) as Record<LedgerField, z.ZodOptional<typeof header>>).superRefine((cols, ctx) => {
    for (const f of REQUIRED_FIELDS) if (!cols[f]) ctx.addIssue({ code: 'custom', path: [f], message: `the ${f} column must be mapped` });
  }),
  defaults: z
    .strictObject({
      channel: z.string().trim().min(1).max(32).optional(),
      kind: z.enum(['complaint', 'inquiry', 'suggestion']).optional(),
    })
    .default({}),
  closedState: z.enum(['closed', 'archived']).default('closed'),
  timeZone: z.string().trim().min(1).optional(),
  sheet: z.string().trim().min(1).optional(),
});
export type LedgerMapping = z.output<typeof LedgerMapping>;

export class MappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingError';
  }
}

/** Reads a mapping document (YAML or JSON; JSON is YAML) and checks it. */
export function parseMapping(text: string): LedgerMapping {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    throw new MappingError(`mapping: not YAML or JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  return checkMapping(data);
}

export function checkMapping(data: unknown): LedgerMapping {
  const r = LedgerMapping.safeParse(data);
  if (!r.success) throw new MappingError(`mapping: ${r.error.issues.map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`).join('; ')}`);
  if (r.data.timeZone) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: r.data.timeZone });
    } catch {
      throw new MappingError(`mapping: timeZone: unknown time zone ${r.data.timeZone}`);
    }
  }
  return r.data;
}
