/**
 * Bulk actions on a queue's selected cases. Each case is its own lifecycle transition: one
 * request per case, one after the other, each with its own Idempotency-Key (a retry of one case
 * acts once) — so each gets its own audit event, and a refusal of one (not allowed in its state,
 * avoidance, …) leaves the others going through. The outcome per case is kept for the summary.
 */
import { ApiError, api, newIdempotencyKey, ok, type ListRow } from '../../api/client';

export type BulkKind = 'route' | 'note' | 'invalid' | 'urge';

export interface BulkOutcome {
  id: string;
  number: string;
  action: string;
  ok: boolean;
  /** Why the server refused, in the reader's language. */
  reason?: string;
}

/** 分派 for a case still to be routed, 改派 for one already with a handler: the server decides if either is allowed. */
export function actionFor(kind: BulkKind, row: Pick<ListRow, 'state' | 'kind'>): string {
  if (kind === 'note') return 'note';
  if (kind === 'urge') return 'urge';
  if (kind === 'invalid') return 'judge';
  return row.state === 'classified' || (row.kind === 'suggestion' && row.state === 'received') ? 'route' : 'reroute';
}

function reasonOf(e: unknown): string {
  if (e instanceof ApiError) return e.fields.length ? e.fields.map((f) => f.message).join('; ') : e.message;
  return (e as Error).message;
}

export async function applyToEach(rows: readonly ListRow[], kind: BulkKind, body: Record<string, unknown>, progress?: (done: number) => void): Promise<BulkOutcome[]> {
  const out: BulkOutcome[] = [];
  for (const row of rows) {
    const action = actionFor(kind, row);
    try {
      await ok(api.POST('/api/v1/complaints/{id}/actions/{action}', { params: { path: { id: row.id, action }, header: { 'idempotency-key': newIdempotencyKey() } }, body: body as never }));
      out.push({ id: row.id, number: row.number, action, ok: true });
    } catch (e) {
      out.push({ id: row.id, number: row.number, action, ok: false, reason: reasonOf(e) });
    }
    progress?.(out.length);
  }
  return out;
}
