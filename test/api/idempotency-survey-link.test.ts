/**
 * Idempotency-Key on the survey link's answer (`POST /api/v1/customer/surveys/{token}`, issue 12
 * §5), on every engine: the answer sent twice at once under one key is recorded once — one
 * follow-up event, the link used — the other send gets the same bytes with
 * `Idempotent-Replayed: true`, and a later retry is replayed too. The link is one the dispatcher
 * would have sent (its token's hash stored as the survey invitation stores it).
 * test/api/idempotency-every-route.test.ts names this file for the route.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { answerThroughApi, cleanupPolicies, prepareRouting, startChannelKesu, surveyPolicy, type ChannelKesu } from '../support/channels.js';
import { randomSurveyToken, tokenHash } from '../../src/channels/secrets.js';
import { insertSurveyToken } from '../../src/store/customer.repository.js';

for (const { dialect, skip } of await engines()) {
  describe(`Idempotency-Key on the survey link (${dialect})`, { skip }, () => {
    let ck: ChannelKesu;
    before(async () => {
      ck = await startChannelKesu(dialect, { policy: surveyPolicy('kesu-default'), start: '2026-09-28T09:00:00+08:00' });
      await prepareRouting(ck.k);
    });
    after(async () => {
      await ck?.close();
      cleanupPolicies();
    });

    it('two answers at once under one key are recorded once; a later retry is replayed', async () => {
      const created = await ck.k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '电饭煲漏电，要求退货。', complainant: { name: '林先生', phone: '13812345678' } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = created.body.complaint.id as string;
      await answerThroughApi(ck.k, id, '已为您办理退货退款。');
      const token = randomSurveyToken();
      const now = ck.k.clock.now();
      await insertSurveyToken(ck.k.app.database.db, { tokenHash: tokenHash(token), complaintId: id, cycle: 1, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + 7 * 86_400_000).toISOString() });
      const url = `/api/v1/customer/surveys/${token}`;
      const send = () =>
        ck.k.server.inject({
          method: 'POST',
          url,
          payload: JSON.stringify({ satisfaction: 'satisfied', scores: { attitude: 5, efficiency: 4 }, comment: '处理及时' }),
          headers: { 'content-type': 'application/json', 'idempotency-key': 'survey-link-answer-1' },
        });
      const pair = await Promise.all([send(), send()]);
      const ran = pair.filter((r) => r.headers['idempotent-replayed'] === undefined);
      assert.equal(ran.length, 1, pair.map((r) => `${r.statusCode} ${r.body}`).join(' | '));
      assert.equal(ran[0]!.statusCode, 200, ran[0]!.body);
      assert.deepEqual(
        pair.map((r) => r.statusCode),
        [200, 200],
      );
      assert.equal(pair[0]!.body, pair[1]!.body, 'the same bytes');
      const later = await send();
      assert.deepEqual([later.statusCode, later.headers['idempotent-replayed'], later.body], [200, 'true', ran[0]!.body]);
      const events = await ck.k.app.database.db.selectFrom('complaint_events').select('action').where('complaint_id', '=', id).where('action', '=', 'follow_up').execute();
      assert.equal(events.length, 1, 'one follow-up recorded');
      const row = await ck.k.app.database.db.selectFrom('survey_tokens').select('used_at').where('token_hash', '=', tokenHash(token)).executeTakeFirstOrThrow();
      assert.ok(row.used_at, 'the link is used');
    });
  });
}
