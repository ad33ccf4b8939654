/**
 * Housekeeping of expired secrets (issue 15 §6: "expired sessions, survey tokens … are pruned on a
 * schedule"), on every engine, time from the test clock: sessions past their absolute lifetime
 * go, live ones stay (and keep working); survey links expired more than the keep age ago go,
 * younger expired and open ones stay; batches hold; a second pass removes nothing more.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { pruneExpiredTokens } from '../../src/jobs/housekeeping.js';

const DAY = 86_400_000;

for (const { dialect, skip } of await engines()) {
  describe(`housekeeping of sessions and survey links (${dialect})`, { skip }, () => {
    let k: Kesu;
    before(async () => {
      k = await startKesu(dialect);
    });
    after(async () => k?.close());

    it('removes sessions past their lifetime and long-expired survey links, nothing else', async () => {
      const db = k.app.database.db;
      const created = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '回访链接清理', complainant: { name: '王女士', phone: '13812345678' } });
      assert.equal(created.status, 201);
      const complaintId = created.body.complaint.id as string;
      // Three old sessions (signed in, then the clock passes their 12 h lifetime), then a fresh one.
      for (const u of ['specialist', 'handler', 'followup']) assert.equal((await k.as(u).get('/api/v1/me')).status, 200);
      k.clock.advance(13 * 3_600_000);
      k.tokens.delete('agent');
      assert.equal((await k.as('agent').get('/api/v1/me')).status, 200, 'a fresh session');
      const now = k.clock.now().getTime();
      const iso = (ms: number) => new Date(ms).toISOString();
      const token = (expiresAt: number, usedAt: number | null = null) => ({
        token_hash: randomUUID().replace(/-/g, '').padEnd(64, '0'),
        complaint_id: complaintId,
        cycle: 1,
        created_at: iso(expiresAt - 7 * DAY),
        expires_at: iso(expiresAt),
        used_at: usedAt === null ? null : iso(usedAt),
      });
      const old = [token(now - 40 * DAY), token(now - 31 * DAY, now - 35 * DAY), token(now - 60 * DAY)];
      const kept = [token(now - 10 * DAY), token(now + 5 * DAY), token(now + 5 * DAY, now - DAY)];
      await db
        .insertInto('survey_tokens')
        .values([...old, ...kept])
        .execute();
      const sessionsBefore = await db.selectFrom('sessions').select(['token_hash', 'expires_at']).execute();
      const live = sessionsBefore.filter((s) => s.expires_at > iso(now)).map((s) => s.token_hash);
      assert.ok(sessionsBefore.length - live.length >= 3, 'at least three sessions past their lifetime');

      const r = await pruneExpiredTokens(k.app, { outboxKeepDays: 30, batch: 2, pauseMs: 0 });
      assert.equal(r.surveyTokensDeleted, 3);
      assert.equal(r.sessionsDeleted, sessionsBefore.length - live.length);
      assert.deepEqual((await db.selectFrom('sessions').select('token_hash').execute()).map((s) => s.token_hash).sort(), [...live].sort());
      assert.deepEqual((await db.selectFrom('survey_tokens').select('token_hash').execute()).map((t) => t.token_hash).sort(), kept.map((t) => t.token_hash).sort());
      assert.equal((await k.as('agent').get('/api/v1/me')).status, 200, 'the live session still works');
      assert.deepEqual(await pruneExpiredTokens(k.app, { outboxKeepDays: 30, batch: 2, pauseMs: 0 }), { sessionsDeleted: 0, surveyTokensDeleted: 0 });
    });
  });
}
