/**
 * Full-text search takes two routes: a rare word builds its small matching set; a word many
 * cases contain is checked row by row as the list walks its order. Both must give the same
 * answer, on both engines.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { listComplaints } from '../../src/store/complaint.repository.js';
import { actorOf, findUserByUsername } from '../../src/store/user.repository.js';

for (const { dialect, skip } of await engines()) {
  describe(`text search routes (${dialect})`, { skip }, () => {
    let k: Kesu;
    before(async () => {
      k = await startKesu(dialect);
      for (let i = 0; i < 12; i++) {
        k.clock.advance(60_000);
        await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: i % 2 ? `楼上漏水第${i}次` : `快递延误第${i}次`, complainant: { anonymous: true } });
      }
    });
    after(async () => k?.close());

    it('dense and sparse routes return the same pages in the same order', async () => {
      const db = k.testDb.database.db;
      const specialist = actorOf((await findUserByUsername(db, 'specialist'))!);
      for (const text of ['漏水', '快递 延误', '楼上 快递', 'KS-2026-000003']) {
        const sparse = await listComplaints(db, dialect, specialist, { text }, { limit: 4, denseTextAbove: 1_000_000 });
        const dense = await listComplaints(db, dialect, specialist, { text }, { limit: 4, denseTextAbove: 0 });
        assert.deepEqual(
          dense.items.map((i) => i.number),
          sparse.items.map((i) => i.number),
          text,
        );
        if (sparse.nextCursor) {
          const cursor = JSON.parse(JSON.stringify({ order: 'received', key: sparse.items.at(-1)!.receivedAt, id: sparse.items.at(-1)!.id }));
          const s2 = await listComplaints(db, dialect, specialist, { text }, { limit: 4, cursor, denseTextAbove: 1_000_000 });
          const d2 = await listComplaints(db, dialect, specialist, { text }, { limit: 4, cursor, denseTextAbove: 0 });
          assert.deepEqual(
            d2.items.map((i) => i.number),
            s2.items.map((i) => i.number),
            `${text} page 2`,
          );
        }
      }
      const leaks = await listComplaints(db, dialect, specialist, { text: '漏水' }, { limit: 50, denseTextAbove: 0 });
      assert.equal(leaks.items.length, 6);
      assert.equal((await listComplaints(db, dialect, specialist, { text: '楼上 快递' }, { limit: 50, denseTextAbove: 0 })).items.length, 0);
      if (dialect === 'sqlite') {
        const missing = await db.selectFrom('complaints').select('id').where('search_rowid', 'is', null).execute();
        assert.deepEqual(missing, [], 'every SQLite case knows its FTS row');
      }
    });
  });
}
