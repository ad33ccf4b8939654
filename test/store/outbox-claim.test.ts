/**
 * The dispatcher's claim takes at most `limit` rows, however large the outbox (issue 9). On
 * PostgreSQL `UPDATE … WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)` may be planned as
 * a join that re-runs the LIMIT subquery, claiming thousands of rows per pass (seen in the HTTP
 * bench: 1,872 claimed for a limit of 50, each pass then handing the excess back). The claim reads
 * its ids once; this test fills an outbox of several thousand due rows, lets the planner see them
 * (ANALYZE), and counts what one claim took.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { engines, createTestDb, type TestDb } from '../support/engines.js';
import { claimDue } from '../../src/store/delivery.repository.js';

const ROWS = 6000;

for (const { dialect, skip } of await engines()) {
  describe(`outbox claim (${dialect})`, { skip }, () => {
    let t: TestDb;
    before(async () => {
      t = await createTestDb(dialect);
      const rows = Array.from({ length: ROWS }, (_, i) => ({
        id: randomUUID(),
        complaint_id: null,
        channel: i % 3 === 0 ? 'sms' : 'email',
        template: 'ack',
        recipient: '{}',
        payload: JSON.stringify({ text: 'x'.repeat(200) }),
        status: i % 4 === 0 ? 'sent' : 'pending',
        attempts: 0,
        next_attempt_at: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
        created_at: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
        delivered_at: null,
        last_error: null,
        parent_id: null,
        lease_owner: null,
        last_attempt_at: null,
      }));
      for (let i = 0; i < rows.length; i += 500)
        await t.database.db
          .insertInto('outbox')
          .values(rows.slice(i, i + 500))
          .execute();
      await sql`analyze`.execute(t.database.db);
    });
    after(async () => t?.drop());

    it('claims exactly the limit, the oldest due rows, and marks only those', async () => {
      for (const limit of [1, 50, 200]) {
        const claimed = await claimDue(t.database.db, dialect, { now: '2026-12-31T00:00:00.000Z', leaseUntil: '2027-01-01T00:00:00.000Z', owner: `owner-${limit}`, limit });
        assert.equal(claimed.length, limit, `claimed ${claimed.length} rows for a limit of ${limit}`);
        const marked = await t.database.db
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('lease_owner', '=', `owner-${limit}`)
          .executeTakeFirstOrThrow();
        assert.equal(Number(marked.n), limit, 'only the claimed rows are marked sending');
      }
    });
  });
}
