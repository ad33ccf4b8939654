/**
 * The purge of a group of cases in one transaction, set-based (records/retention-purge.ts
 * `purgeCases`: one statement per table for the group), on every engine: each case of the group
 * ends as a purge of it alone would leave it — its purge record counts exactly the rows it had
 * (contact keys, attachments, timeline records) and lists every record of its timeline with the
 * MAC it kept; a file two cases of the group shared is counted once, by the later case, and
 * leaves the disk; a case a legal hold covers, in the middle of the group, is untouched; a case
 * ordered twice is purged once; the purge records follow each other on the chain in the order's
 * order; and the audit trail verifies.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { engines } from '../support/engines.js';
import { PNG, multipart, startChannelKesu, type ChannelKesu } from '../support/channels.js';
import { attachmentPath } from '../../src/channels/attachments.js';
import { purgeCases, deleteStagedFiles } from '../../src/records/retention-purge.js';
import { verifyChains } from '../../src/audit/verify.js';
import type { PurgeRow, Redaction } from '../../src/audit/purge.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

for (const { dialect, skip } of await engines()) {
  describe(`retention purge of a group, set-based (${dialect})`, { skip }, () => {
    let ck: ChannelKesu;
    const file = Buffer.concat([PNG, Buffer.from(`group-${dialect}`)]);
    before(async () => {
      ck = await startChannelKesu(dialect);
    });
    after(async () => {
      await ck?.close();
    });
    const db = () => ck.k.app.database.db;

    async function token(user: string): Promise<string> {
      if (!ck.k.tokens.get(user)) assert.equal((await ck.k.as(user).get('/api/v1/me')).status, 200);
      return ck.k.tokens.get(user)!;
    }
    /** An inquiry answered, closed, with `withFile` the shared file attached, and archived. */
    async function archived(name: string, phone: string, withFile: boolean): Promise<string> {
      const a = ck.k.as('agent');
      const r = await a.post('/api/v1/complaints', { channel: 'phone', kind: 'inquiry', description: `${name}想问发票`, complainant: { name, phone } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const id = r.body.complaint.id as string;
      assert.equal((await a.act(id, 'answer', { text: `${name}您好，请到门店开票`, method: 'phone' })).status, 200);
      assert.equal((await a.act(id, 'close', {})).status, 200);
      if (withFile) {
        const m = multipart({ text: '发票' }, [{ field: 'files', name: 'invoice.png', type: 'image/png', data: file }]);
        const up = await ck.k.server.inject({ method: 'POST', url: `/api/v1/complaints/${id}/attachments`, payload: m.payload, headers: { ...m.headers, authorization: `Bearer ${await token('agent')}` } });
        assert.equal(up.statusCode, 201, up.body);
      }
      assert.equal((await ck.k.as('specialist').act(id, 'archive', {})).status, 200);
      return id;
    }

    it('purges each case as alone, the held one not, the twice-ordered one once, on one chain in order', async () => {
      const ids = [await archived('赵一', '13800000001', true), await archived('钱二', '13800000002', false), await archived('孙三', '13800000003', true), await archived('李四', '13800000004', false)];
      const [first, held, third, fourth] = ids as [string, string, string, string];
      const hold = await ck.k.as('admin').post('/api/v1/admin/legal-holds', { scope: 'case', complaint: held, reason: '诉讼' });
      assert.ok(hold.status < 300, JSON.stringify(hold.body));

      // What each case has before, counted here independently of the purge.
      const per = async (t: 'contact_keys' | 'attachments') => {
        const m = new Map<string, number>(ids.map((id) => [id, 0]));
        for (const r of await db().selectFrom(t).select('complaint_id').where('complaint_id', 'in', ids).execute()) m.set(r.complaint_id!, m.get(r.complaint_id!)! + 1);
        return m;
      };
      const keysBefore = await per('contact_keys');
      const attachmentsBefore = await per('attachments');
      const timeline = async (id: string) => (await db().selectFrom('complaint_events').select(['seq', 'hash']).where('complaint_id', '=', id).orderBy('seq').execute()).map((e) => [Number(e.seq), e.hash]);
      const eventsBefore = new Map(await Promise.all(ids.map(async (id) => [id, await timeline(id)] as const)));
      const heldRow = await db().selectFrom('complaints').selectAll().where('id', '=', held).executeTakeFirstOrThrow();
      const chainBefore = Number((await db().selectFrom('purge_chain').select('seq').executeTakeFirst())?.seq ?? 0);
      assert.ok(existsSync(attachmentPath(ck.s.dataDir, sha(file))));

      const order = (id: string) => ({ complaintId: id, mode: 'anonymise' as const, reason: 'test', policyKey: 'test@1' });
      const out = await purgeCases(ck.k.app, [first, held, third, third, fourth].map(order));
      assert.equal(out[1], null, 'the held case is not purged');
      assert.equal(out[3], null, 'the case ordered twice is purged once');
      const done = [out[0], out[2], out[4]] as PurgeRow[];
      assert.deepEqual(
        done.map((r) => r?.complaint_id),
        [first, third, fourth],
      );
      assert.deepEqual(
        done.map((r) => Number(r.seq)),
        [chainBefore + 1, chainBefore + 2, chainBefore + 3],
        'consecutive on the chain, in order',
      );
      assert.equal(done[1]!.prev_hash, done[0]!.hash);
      assert.equal(done[2]!.prev_hash, done[1]!.hash);

      for (const r of done) {
        const id = r.complaint_id;
        const counts = JSON.parse(r.counts) as Record<string, number>;
        assert.equal(counts.contactKeys, keysBefore.get(id), `contact keys of ${id}`);
        assert.ok(counts.contactKeys! >= 1);
        assert.equal(counts.attachments, attachmentsBefore.get(id));
        assert.equal(counts.files, id === third ? 1 : 0, 'the shared file is the later case’s');
        assert.equal(counts.events, eventsBefore.get(id)!.length);
        assert.deepEqual(
          (JSON.parse(r.redactions) as Redaction[]).map(([seq, hash]) => [seq, hash]),
          eventsBefore.get(id),
          'every record listed with the MAC it kept',
        );
        const after = await timeline(id);
        assert.deepEqual(after.slice(0, -1), eventsBefore.get(id), 'the timeline keeps its records and MACs');
        const purged = await db().selectFrom('complaint_events').select(['type', 'data']).where('complaint_id', '=', id).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
        assert.equal(purged.type, 'purged');
        assert.equal(JSON.parse(purged.data).purge, r.id);
        const row = await db().selectFrom('complaints').select(['body', 'title', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
        assert.doesNotMatch(row.body, /赵一|孙三|李四|1380000000/, 'no personal data left in the row');
        assert.equal(JSON.parse(row.body).version, Number(row.version));
      }
      assert.deepEqual(await db().selectFrom('complaints').selectAll().where('id', '=', held).executeTakeFirstOrThrow(), heldRow, 'the held case is untouched');
      assert.equal((await per('contact_keys')).get(held), keysBefore.get(held));
      assert.equal(await deleteStagedFiles(ck.k.app, ck.s.dataDir), 1);
      assert.ok(!existsSync(attachmentPath(ck.s.dataDir, sha(file))), 'the shared file left the disk');
      const v = await verifyChains(db(), { checkpoint: null });
      assert.deepEqual(v.problems, []);
    });
  });
}
