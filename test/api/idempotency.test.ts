/**
 * Idempotency-Key on every mutating route (issue 12 §5), on every engine: a retry with the same
 * key and request replays the first answer byte for byte (`Idempotent-Replayed: true`) and
 * changes nothing; another request with the key is refused (422); two identical requests at once
 * execute once; a key whose request died (lease run out) can be retried; keys expire after
 * KESU_IDEMPOTENCY_TTL_HOURS and are pruned.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { PNG, multipart, startChannelKesu, type ChannelKesu } from '../support/channels.js';
import { pruneIdempotencyKeys, requestHash } from '../../src/services/idempotent-requests.js';
import { migrateTo, migrateToLatest } from '../../src/store/migrate.js';

const HOUR = 3_600_000;

interface Raw {
  status: number;
  body: string;
  headers: Record<string, unknown>;
}

for (const { dialect, skip } of await engines()) {
  describe(`Idempotency-Key (${dialect})`, { skip }, () => {
    let ck: ChannelKesu;
    let caseId = '';
    let number = '';
    before(async () => {
      ck = await startChannelKesu(dialect);
    });
    after(async () => ck?.close());

    async function token(user: string): Promise<string> {
      if (!ck.k.tokens.get(user)) assert.equal((await ck.k.as(user).get('/api/v1/me')).status, 200);
      return ck.k.tokens.get(user)!;
    }

    async function send(user: string, url: string, body: unknown, key?: string): Promise<Raw> {
      const r = await ck.k.server.inject({ method: 'POST', url, payload: body as never, headers: { authorization: `Bearer ${await token(user)}`, ...(key ? { 'idempotency-key': key } : {}) } });
      return { status: r.statusCode, body: r.body, headers: r.headers };
    }

    async function upload(user: string, id: string, text: string, data: Buffer, key?: string): Promise<Raw> {
      const m = multipart({ text }, [{ field: 'files', name: '小票.png', type: 'image/png', data }]);
      const r = await ck.k.server.inject({
        method: 'POST',
        url: `/api/v1/complaints/${id}/attachments`,
        payload: m.payload,
        headers: { ...m.headers, authorization: `Bearer ${await token(user)}`, ...(key ? { 'idempotency-key': key } : {}) },
      });
      return { status: r.statusCode, body: r.body, headers: r.headers };
    }

    const count = async (table: 'complaints' | 'complaint_events' | 'attachments' | 'users' | 'idempotency_keys', complaintId?: string) => {
      let q = ck.k.app.database.db.selectFrom(table as 'complaints').select((eb) => eb.fn.countAll().as('n'));
      if (complaintId) q = q.where(table === 'complaints' ? 'id' : ('complaint_id' as never), '=', complaintId as never);
      return Number((await q.executeTakeFirstOrThrow()).n);
    };

    /** The retry replays `first` exactly and says so. */
    function replays(first: Raw, again: Raw): void {
      assert.equal(again.status, first.status, again.body);
      assert.equal(again.body, first.body, 'the same bytes');
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.equal(first.headers['idempotent-replayed'], undefined);
      assert.equal(again.headers['content-type'], first.headers['content-type']);
    }

    function refusedForKey(r: Raw, status: number, code: string): void {
      assert.equal(r.status, status, r.body);
      const b = JSON.parse(r.body);
      assert.equal(b.code, code);
      assert.equal(b.fields[0].path, 'Idempotency-Key');
    }

    const intake = { channel: 'phone', description: '送来的洗发水瓶身破裂，漏了一半。', complainant: { name: '林先生', phone: '13812345678' } };

    it('intake: a retry returns the first 201 and creates no second case', async () => {
      const before = await count('complaints');
      const first = await send('agent', '/api/v1/complaints', intake, 'intake-1');
      assert.equal(first.status, 201, first.body);
      caseId = JSON.parse(first.body).complaint.id;
      number = JSON.parse(first.body).complaint.number;
      const again = await send('agent', '/api/v1/complaints', intake, 'intake-1');
      replays(first, again);
      assert.equal(await count('complaints'), before + 1);
      refusedForKey(await send('agent', '/api/v1/complaints', { ...intake, description: '另一件事' }, 'intake-1'), 422, 'idempotency_mismatch');
      // Scoped per caller: another user's same key is another request.
      const other = await send('specialist', '/api/v1/complaints', { ...intake, description: '另一位的登记' }, 'intake-1');
      assert.equal(other.status, 201, other.body);
      assert.equal(await count('complaints'), before + 2);
    });

    it('a note: the retry replays the original answer even after the case moved on, and adds no event', async () => {
      const url = `/api/v1/complaints/${caseId}/actions/note`;
      const first = await send('agent', url, { text: '客户来电催促' }, 'note-1');
      assert.equal(first.status, 200, first.body);
      const events = await count('complaint_events', caseId);
      // The case changes after the first answer…
      assert.equal((await send('agent', url, { text: '又一条说明' })).status, 200);
      const again = await send('agent', url, { text: '客户来电催促' }, 'note-1');
      replays(first, again); // …the replay is still the first answer
      assert.equal(await count('complaint_events', caseId), events + 1, 'only the note without a key was added');
      refusedForKey(await send('agent', url, { text: '改了内容' }, 'note-1'), 422, 'idempotency_mismatch');
      // The same key on another route (or another case) is its own.
      const judged = await send('specialist', `/api/v1/complaints/${caseId}/actions/judge`, { valid: true }, 'note-1');
      assert.equal(judged.status, 200, judged.body);
    });

    it('a refusal is not kept: the corrected request under the same key runs; a bad key is named', async () => {
      const url = `/api/v1/complaints/${caseId}/actions/note`;
      const first = await send('agent', url, { text: 5 }, 'refused-1');
      assert.equal(first.status, 400, first.body);
      const events = await count('complaint_events', caseId);
      const again400 = await send('agent', url, { text: 5 }, 'refused-1');
      assert.equal(again400.status, 400);
      assert.equal(again400.headers['idempotent-replayed'], undefined);
      // The agent corrects the form and sends it again with the key of the same submission.
      const corrected = await send('agent', url, { text: '改正后的备注' }, 'refused-1');
      assert.equal(corrected.status, 200, corrected.body);
      assert.equal(await count('complaint_events', caseId), events + 1);
      replays(corrected, await send('agent', url, { text: '改正后的备注' }, 'refused-1'));
      // 409 (not allowed now, or changed concurrently) is not kept: the retry runs again.
      const archive = `/api/v1/complaints/${caseId}/actions/archive`;
      const conflict = await send('specialist', archive, {}, 'refused-2');
      assert.equal(conflict.status, 409, conflict.body);
      const again = await send('specialist', archive, {}, 'refused-2');
      assert.equal(again.status, 409);
      assert.equal(again.headers['idempotent-replayed'], undefined);
      const bad = await send('agent', `/api/v1/complaints/${caseId}/actions/note`, { text: 'x' }, 'k'.repeat(201));
      refusedForKey(bad, 400, 'invalid_input');
    });

    it('two identical requests at once execute once', async () => {
      const url = `/api/v1/complaints/${caseId}/actions/note`;
      const events = await count('complaint_events', caseId);
      const [a, b] = await Promise.all([send('agent', url, { text: '同时提交' }, 'twice-1'), send('agent', url, { text: '同时提交' }, 'twice-1')]);
      assert.equal(a.status, 200, a.body);
      assert.equal(b.status, 200, b.body);
      assert.equal(a.body, b.body);
      assert.equal([a, b].filter((r) => r.headers['idempotent-replayed'] === 'true').length, 1);
      assert.equal(await count('complaint_events', caseId), events + 1);

      const intakes = await count('complaints');
      const [c, d] = await Promise.all([send('agent', '/api/v1/complaints', { ...intake, description: '并发登记' }, 'twice-2'), send('agent', '/api/v1/complaints', { ...intake, description: '并发登记' }, 'twice-2')]);
      assert.deepEqual([c.status, d.status], [201, 201]);
      assert.equal(c.body, d.body);
      assert.equal(await count('complaints'), intakes + 1);
    });

    it('attachments: a retried upload stores one file on the case', async () => {
      const rows = await count('attachments', caseId);
      const first = await upload('agent', caseId, '购物小票', PNG, 'upload-1');
      assert.equal(first.status, 201, first.body);
      const again = await upload('agent', caseId, '购物小票', PNG, 'upload-1');
      replays(first, again);
      assert.equal(await count('attachments', caseId), rows + 1);
      const other = await upload('agent', caseId, '另一张', PNG, 'upload-1');
      refusedForKey(other, 422, 'idempotency_mismatch');
      assert.equal(await count('attachments', caseId), rows + 1);
    });

    it('an access code: the retry shows the same code instead of replacing it', async () => {
      const url = `/api/v1/complaints/${caseId}/access-code`;
      const first = await send('agent', url, {}, 'code-1');
      assert.equal(first.status, 200, first.body);
      replays(first, await send('agent', url, {}, 'code-1'));
      const stored = await ck.k.app.database.db.selectFrom('idempotency_keys').select('response_body').where('scope_key', 'like', '%access-code|code-1').executeTakeFirstOrThrow();
      assert.ok(!stored.response_body!.includes(JSON.parse(first.body).accessCode), 'the answer is kept sealed');

      // The portal then takes a supplement once per form nonce.
      const code = JSON.parse(first.body).accessCode as string;
      const events = await count('complaint_events', caseId);
      const post = async (text: string) => {
        const m = multipart({ number, code, text, nonce: '0b9c1f2e-8a4d-4c6b-9e3f-1a2b3c4d5e6f' });
        const r = await ck.k.server.inject({ method: 'POST', url: '/portal/supplement', payload: m.payload, headers: m.headers });
        return { status: r.statusCode, body: r.body, headers: r.headers };
      };
      const page = await post('补充：收据照片稍后寄出');
      assert.equal(page.status, 200, page.body);
      replays(page, await post('补充：收据照片稍后寄出'));
      assert.equal(await count('complaint_events', caseId), events + 1);
      assert.equal((await post('另一段补充')).status, 422);
    });

    it('admin: creating a user twice with one key creates one', async () => {
      const users = await count('users');
      const body = { username: 'newhire', name: '新同事', password: 'long-enough-1', roles: ['agent'] };
      const first = await send('admin', '/api/v1/users', body, 'user-1');
      assert.equal(first.status, 201, first.body);
      replays(first, await send('admin', '/api/v1/users', body, 'user-1'));
      assert.equal(await count('users'), users + 1);
    });

    it('a request that died is retried: a stale claim is taken over; an applied one is answered, not run again', async () => {
      const db = ck.k.app.database.db;
      const agentId = ck.k.userIds.get('agent')!;
      const url = `/api/v1/complaints/${caseId}/actions/note`;
      const now = ck.k.clock.now();
      const row = (key: string, status: string) => ({
        scope_key: `user:${agentId}|POST /api/v1/complaints/:id/actions/:action|${key}`,
        request_hash: '',
        status,
        complaint_id: status === 'applied' ? caseId : null,
        locked_until: new Date(now.getTime() - 1000).toISOString(),
        response_status: null,
        response_body: null,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + HOUR).toISOString(),
      });
      const hash = requestHash({ id: caseId, action: 'note', body: { text: '断电前的请求' } });
      await db
        .insertInto('idempotency_keys')
        .values({ ...row('crashed-1', 'in_progress'), request_hash: hash })
        .execute();
      await db
        .insertInto('idempotency_keys')
        .values({ ...row('crashed-2', 'applied'), request_hash: requestHash({ id: caseId, action: 'note', body: { text: '已生效的请求' } }) })
        .execute();
      const events = await count('complaint_events', caseId);
      const retried = await send('agent', url, { text: '断电前的请求' }, 'crashed-1');
      assert.equal(retried.status, 200, retried.body);
      assert.equal(await count('complaint_events', caseId), events + 1, 'the request that never took effect runs now');
      const recovered = await send('agent', url, { text: '已生效的请求' }, 'crashed-2');
      assert.equal(recovered.status, 200, recovered.body);
      assert.equal(recovered.headers['idempotent-replayed'], 'true');
      assert.equal(await count('complaint_events', caseId), events + 1, 'the applied request is not run again');
      replays(retried, await send('agent', url, { text: '断电前的请求' }, 'crashed-1'));
    });

    it('keys expire after the TTL: the key is free again and housekeeping prunes the old rows', async () => {
      const url = `/api/v1/complaints/${caseId}/actions/note`;
      assert.equal((await send('agent', url, { text: '过期前' }, 'ttl-1')).status, 200);
      refusedForKey(await send('agent', url, { text: '过期后' }, 'ttl-1'), 422, 'idempotency_mismatch');
      ck.k.clock.advance(25 * HOUR);
      ck.k.tokens.clear(); // sessions do not last a day
      const events = await count('complaint_events', caseId);
      const reused = await send('agent', url, { text: '过期后' }, 'ttl-1');
      assert.equal(reused.status, 200, reused.body);
      assert.equal(reused.headers['idempotent-replayed'], undefined);
      assert.equal(await count('complaint_events', caseId), events + 1);
      const keys = await count('idempotency_keys');
      const pruned = await pruneIdempotencyKeys(ck.k.app);
      assert.ok(pruned > 0);
      assert.equal(await count('idempotency_keys'), keys - pruned);
      assert.equal(await pruneIdempotencyKeys(ck.k.app), 0);
    });

    it('migration 0012 carries intake keys forward: a retry after the upgrade gets the case, not a second one', async () => {
      const db = ck.k.app.database.db;
      const agentId = ck.k.userIds.get('agent')!;
      const now = ck.k.clock.now().toISOString();
      const body = { ...intake, description: '升级前登记的投诉' };
      const made = await send('agent', '/api/v1/complaints', body);
      assert.equal(made.status, 201, made.body);
      const id = JSON.parse(made.body).complaint.id;
      // Back to the old table (and the migrations after it): the case stays, its keys are old-style.
      await migrateTo(db, '0011-contact-keys');
      await db
        .insertInto('idempotency_keys')
        .values({ scope_key: `${agentId}:before-upgrade`, request_hash: requestHash(body), complaint_id: id, created_at: now } as never)
        .execute();
      await db
        .insertInto('idempotency_keys')
        .values({ scope_key: 'portal:some-form-nonce', request_hash: 'h', complaint_id: id, created_at: now } as never)
        .execute();
      assert.deepEqual(
        (await migrateToLatest(db)).filter((m) => m < '0013'),
        ['0012-idempotency-everywhere'],
      );
      const rows = await db
        .selectFrom('idempotency_keys')
        .select(['scope_key', 'status', 'complaint_id', 'expires_at'])
        .where('scope_key', 'in', ['portal:some-form-nonce', `user:${agentId}|POST /api/v1/complaints|before-upgrade`])
        .orderBy('scope_key')
        .execute();
      assert.deepEqual(
        rows.map((r) => [r.scope_key, r.status, r.complaint_id]),
        [
          ['portal:some-form-nonce', 'applied', id],
          [`user:${agentId}|POST /api/v1/complaints|before-upgrade`, 'applied', id],
        ],
      );
      assert.equal(rows[0]!.expires_at, new Date(Date.parse(now) + 24 * HOUR).toISOString());
      const cases = await count('complaints');
      const retried = await send('agent', '/api/v1/complaints', body, 'before-upgrade');
      assert.equal(retried.status, 200, retried.body);
      assert.equal(retried.headers['idempotent-replayed'], 'true');
      assert.equal(JSON.parse(retried.body).complaint.id, id);
      assert.equal(await count('complaints'), cases);
      const third = await send('agent', '/api/v1/complaints', body, 'before-upgrade');
      assert.deepEqual([third.status, third.body, third.headers['idempotent-replayed']], [200, retried.body, 'true'], 'the recovered answer is kept');
    });
  });
}
