/**
 * The portal's per-address rate limit across instances (issue 8): on PostgreSQL the counters live
 * in the database (store/rate-limit.repository.ts, one atomic upsert per hit), so requests to
 * every instance count; SQLite (one instance) counts in memory.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startChannelKesu, type ChannelKesu } from '../support/channels.js';
import type { Kesu } from '../support/kesu.js';
import { countHit, purgeEndedWindows, readHits } from '../../src/store/rate-limit.repository.js';
import { sharedRateLimitStore } from '../../src/http/rate-limit-store.js';

for (const { dialect, skip } of await engines()) {
  describe(`portal rate limit (${dialect})`, { skip }, () => {
    let ck: ChannelKesu;
    let b: Kesu;
    before(async () => {
      ck = await startChannelKesu(dialect, { start: '2026-09-28T09:00:00+08:00' });
      b = await ck.k.instance();
      b.app.settings.channels = ck.s;
    });
    after(async () => {
      await b?.close();
      await ck?.close();
    });

    const db = () => ck.k.testDb.database.db;
    const track = (k: Kesu, ip: string, url = '/portal/track') =>
      k.server.inject({ method: 'POST', url, payload: new URLSearchParams({ number: 'KS-2026-999999', code: 'XXXX-XXXX' }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, remoteAddress: ip });

    it('counts hits in fixed windows, atomically under concurrency', async () => {
      const t = Date.parse('2026-09-28T01:00:00Z');
      const hits = await Promise.all(Array.from({ length: 10 }, () => countHit(db(), 'k1', 60_000, t)));
      assert.deepEqual(
        hits.map((h) => h.hits).sort((x, y) => x - y),
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        'every concurrent hit got its own count',
      );
      assert.ok(hits.every((h) => h.resetsAt === t + 60_000));
      assert.deepEqual(await countHit(db(), 'k1', 60_000, t + 59_999), { hits: 11, resetsAt: t + 60_000 });
      assert.deepEqual(await readHits(db(), 'k1', t + 59_999), { hits: 11, resetsAt: t + 60_000 }, 'reading does not count');
      assert.deepEqual(await countHit(db(), 'k1', 60_000, t + 60_000), { hits: 1, resetsAt: t + 120_000 }, 'a new window starts');
      assert.deepEqual(await countHit(db(), 'k2', 60_000, t), { hits: 1, resetsAt: t + 60_000 }, 'keys are apart');
      assert.equal(await purgeEndedWindows(db(), t + 60_000), 1, 'k2 ended');
      assert.deepEqual(await readHits(db(), 'k2', t), { hits: 0, resetsAt: 0 });
    });

    it('limits one address across instances on PostgreSQL', { skip: dialect === 'sqlite' ? 'SQLite serves one instance: its limit counts in memory' : false }, async () => {
      assert.ok(sharedRateLimitStore(ck.k.app));
      ck.s.portal.rateLimitPerMinute = 4;
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 6; i++) statuses.push((await track(i % 2 ? b : ck.k, '10.7.7.7')).statusCode);
        assert.deepEqual(statuses, [404, 404, 404, 404, 429, 429], 'two instances, one count');
        assert.equal((await track(b, '10.7.7.8')).statusCode, 404, 'another address is not affected');
        assert.notEqual((await track(ck.k, '10.7.7.7', '/portal/supplement')).statusCode, 429, 'another route counts apart');
        const rows = await db().selectFrom('rate_limits').select(['key', 'hits']).where('key', 'like', '%10.7.7.7').execute();
        assert.deepEqual(rows.map((r) => [r.key, Number(r.hits)]).sort(), [
          ['POST /portal/supplement 10.7.7.7', 1],
          ['POST /portal/track 10.7.7.7', 6],
        ]);
      } finally {
        ck.s.portal.rateLimitPerMinute = 10_000;
      }
    });

    it('counts in memory on SQLite', { skip: dialect === 'postgres' ? 'PostgreSQL shares the counters' : false }, async () => {
      assert.equal(sharedRateLimitStore(ck.k.app), undefined);
      ck.s.portal.rateLimitPerMinute = 2;
      try {
        const statuses = [];
        for (let i = 0; i < 3; i++) statuses.push((await track(ck.k, '10.7.7.9')).statusCode);
        assert.deepEqual(statuses, [404, 404, 429]);
        assert.equal((await db().selectFrom('rate_limits').select('key').where('key', 'like', '%10.7.7.9').execute()).length, 0);
      } finally {
        ck.s.portal.rateLimitPerMinute = 10_000;
      }
    });
  });
}
