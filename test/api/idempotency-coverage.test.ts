/**
 * Idempotency everywhere (issue 12 §5), as a rule over the route table rather than route by
 * route: every mutating API route documents `Idempotency-Key` (and so runs through
 * `idempotent()`), unless it is listed below with the reason a retry is already safe. A new
 * route that forgets the header fails here. One admin route is also retried for real.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startKesu, type Kesu } from '../support/kesu.js';

/** Mutating routes without a key, each with why a blind retry cannot do harm. */
const SAFE_WITHOUT_KEY: Record<string, string> = {
  'POST /api/v1/auth/login': 'a retry signs in again: one more session for the same person, nothing else changes',
  'POST /api/v1/auth/logout': 'ending a session that has ended ends nothing more',
  'POST /api/v1/auth/logout-everywhere': 'ending sessions that have ended ends nothing more',
  'POST /api/v1/auth/password': 'a retry carries the old password, which no longer matches: refused, nothing changes',
  'POST /api/v1/auth/locks/unlock': 'unlocking an unlocked sign-in changes nothing',
  'POST /api/v1/policy/check': 'only reads the document it is given',
  'POST /api/v1/text/key-information': 'only reads the text it is given (a POST to keep personal data out of URLs)',
  'POST /api/v1/knowledge/match': 'only reads: ranks articles and cases for the text it is given (a POST to keep personal data out of URLs)',
  'PUT /api/v1/calendar/years/{year}': "PUT replaces the year's list: a repeat leaves the same list",
  'PUT /api/v1/admin/users/{id}/contact': "PUT replaces the user's contacts: a repeat leaves the same contacts",
  'POST /api/v1/reports/runs': 'a report of one kind and period is stored once (UNIQUE): a repeat answers 200 with the stored run (test/reports/report-runs.test.ts)',
  'POST /api/v1/complaints/{id}/reveal': 'a retry reveals the same field again and logs it again; replaying a stored answer would keep personal data in the idempotency table',
  'POST /api/v1/customer/cases/track': 'only reads the case behind number + code (a POST to keep the access code out of URLs)',
  'POST /api/v1/telephony/calls': 'signed with a timestamp and nonce: a replayed call is refused (test/api/screen-pop.test.ts)',
};

const MUTATING = new Set(['post', 'put', 'patch', 'delete']);

describe('Idempotency-Key on every mutating route', () => {
  let k: Kesu;
  before(async () => {
    k = await startKesu('sqlite');
    await k.server.ready();
  });
  after(async () => k?.close());

  it('each mutating route takes the key, or is listed with the reason it needs none', () => {
    const doc = (k.server as unknown as { swagger(): { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>> } }).swagger();
    const missing: string[] = [];
    const seen = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) {
        if (!MUTATING.has(method) || !path.startsWith('/api/')) continue;
        const route = `${method.toUpperCase()} ${path}`;
        seen.add(route);
        const takesKey = (op.parameters ?? []).some((p) => p.in === 'header' && p.name === 'idempotency-key');
        if (takesKey) assert.equal(SAFE_WITHOUT_KEY[route], undefined, `${route} takes a key: remove it from SAFE_WITHOUT_KEY`);
        else if (!SAFE_WITHOUT_KEY[route]) missing.push(route);
      }
    assert.deepEqual(missing, [], 'mutating routes without Idempotency-Key (wrap them in idempotent() or list why they are safe)');
    for (const route of Object.keys(SAFE_WITHOUT_KEY)) assert.ok(seen.has(route), `${route} is listed but no longer exists`);
  });

  it('a deactivation retried with its key is applied once: one audit event, the answer replayed', async () => {
    const admin = k.as('admin');
    const users = (await admin.get('/api/v1/users')).body as { id: string; username: string }[];
    const agent2 = users.find((u) => u.username === 'agent2')!;
    const events = async () =>
      Number(
        (
          await k.app.database.db
            .selectFrom('auth_events')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('kind', '=', 'user_deactivated')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await events();
    const first = await admin.post(`/api/v1/users/${agent2.id}/deactivate`, {}, { 'idempotency-key': 'deactivate-agent2' });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const again = await admin.post(`/api/v1/users/${agent2.id}/deactivate`, {}, { 'idempotency-key': 'deactivate-agent2' });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.deepEqual(again.body, first.body);
    assert.equal(await events(), before + 1, 'one user_deactivated event');
  });
});
