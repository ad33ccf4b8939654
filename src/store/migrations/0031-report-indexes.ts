/**
 * Indexes for the manager dashboard (services/report-dashboard.ts, issue 14; measured with
 * `npx tsx bench/reports.ts --dashboard --profile`, docs/performance.md):
 * - `complaint_events (action, at)`: the week's closures and the follow-up calls of the last 30
 *   days read only those events; before, each of the three queries scanned every event of every
 *   case (the table with the audit trail's JSON), about 0.1–0.2 s each at 20,000 cases.
 * - `clocks (status, due_at)`: the overdue and nearly-overdue lists and counts read the running
 *   clocks in due order instead of scanning every clock row.
 * - `complaints (state, grade, department_code, channel, kind, id)`: the open cases by state,
 *   grade, department, channel and kind are one pass over this index alone (no case rows read).
 * Indexes only: every row stays as it is. Frozen once released.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('complaint_events_action_at').on('complaint_events').columns(['action', 'at']).execute();
  await db.schema.createIndex('clocks_status_due').on('clocks').columns(['status', 'due_at']).execute();
  await db.schema.createIndex('complaints_open_dims').on('complaints').columns(['state', 'grade', 'department_code', 'channel', 'kind', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['complaints_open_dims', 'clocks_status_due', 'complaint_events_action_at']) await db.schema.dropIndex(name).ifExists().execute();
}
