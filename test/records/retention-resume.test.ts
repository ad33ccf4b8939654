/**
 * The purge after a crash and with two instances (issue 15 §2), on every engine: a pass killed
 * between two cases (a throw injected after a commit, before that case's files are deleted)
 * leaves every case wholly purged or untouched; the next pass deletes the staged file and purges
 * the rest, none twice; two instances purging at once purge each case once; the audit trail and
 * the purge chain verify throughout; a case whose purge fails rolls back alone, the pass goes on.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createHash } from 'node:crypto';
import { engines } from '../support/engines.js';
import { PNG, startChannelKesu, type ChannelKesu } from '../support/channels.js';
import { attachmentPath } from '../../src/channels/attachments.js';
import { runPurge } from '../../src/records/retention.js';
import { startPurge } from '../../src/jobs/purge.js';
import { verifyChains } from '../../src/audit/verify.js';
import { archivedInquiry, DAY } from './retention-support.js';

for (const { dialect, skip } of await engines()) {
  describe(`retention purge: crash and resume, two instances (${dialect})`, { skip }, () => {
    let ck: ChannelKesu;
    before(async () => {
      ck = await startChannelKesu(dialect);
    });
    after(async () => ck?.close());
    const db = () => ck.k.app.database.db;
    const purgedEvents = async (id: string) => (await db().selectFrom('complaint_events').select('seq').where('complaint_id', '=', id).where('type', '=', 'purged').execute()).length;

    it('a pass killed midway resumes without double work', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) ids.push(await archivedInquiry(ck.k, { name: `客户${i}`, phone: `1380000100${i}` }));
      ids.sort();
      // The first case has a file of its own.
      const data = Buffer.concat([PNG, Buffer.from('resume')]);
      const first = ids[0]!;
      await db()
        .insertInto('attachments')
        .values({ id: `att-${first}`, complaint_id: first, sha256: createHash('sha256').update(data).digest('hex'), name: 'x.png', content_type: 'image/png', size: data.length, source: 'staff', created_at: ck.k.clock.now().toISOString() })
        .execute();
      const path = attachmentPath(ck.s.dataDir, createHash('sha256').update(data).digest('hex'));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, data);
      ck.k.clock.advance(400 * DAY);

      let calls = 0;
      await assert.rejects(
        runPurge(ck.k.app, {
          batch: 2,
          afterCase: () => {
            calls += 1;
            if (calls === 2) throw new Error('killed');
          },
        }),
        /killed/,
      );
      const done = await db().selectFrom('purge_records').select('complaint_id').execute();
      assert.equal(done.length, 2, 'two cases purged, each wholly');
      for (const id of ids) {
        const purged = done.some((d) => d.complaint_id === id);
        const body = JSON.parse((await db().selectFrom('complaints').select('body').where('id', '=', id).executeTakeFirstOrThrow()).body);
        assert.equal(body.complainant.anonymous, purged, `${id}: purged wholly or not at all`);
        assert.equal(await purgedEvents(id), purged ? 1 : 0);
      }
      assert.equal(existsSync(path), false, 'the first case’s file went after its commit');
      assert.deepEqual((await verifyChains(db(), { checkpoint: null })).problems, []);

      const r = await runPurge(ck.k.app, { batch: 2 });
      assert.equal(r.purged.length, 2, 'only the rest');
      for (const id of ids) assert.equal(await purgedEvents(id), 1, `${id} purged once`);
      assert.equal((await db().selectFrom('purge_records').select('seq').execute()).length, 4);
      assert.deepEqual((await verifyChains(db(), { checkpoint: null })).problems, []);
    });

    it('a crash after the commit, before the files: the next pass deletes the staged file', async () => {
      const id = await archivedInquiry(ck.k, { name: '文件', phone: '13800002001' });
      const data = Buffer.concat([PNG, Buffer.from('staged')]);
      const sha = createHash('sha256').update(data).digest('hex');
      await db()
        .insertInto('attachments')
        .values({ id: `att-${id}`, complaint_id: id, sha256: sha, name: 'y.png', content_type: 'image/png', size: data.length, source: 'staff', created_at: ck.k.clock.now().toISOString() })
        .execute();
      const path = attachmentPath(ck.s.dataDir, sha);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, data);
      ck.k.clock.advance(400 * DAY);
      await assert.rejects(runPurge(ck.k.app, { afterCase: () => Promise.reject(new Error('killed before the files')) }), /killed/);
      assert.ok(existsSync(path), 'still on disk');
      assert.deepEqual(
        (await db().selectFrom('purge_files').select('sha256').execute()).map((r) => r.sha256),
        [sha],
      );
      const r = await runPurge(ck.k.app);
      assert.deepEqual(r.purged, []);
      assert.equal(r.filesDeleted, 1);
      assert.ok(!existsSync(path));
      assert.deepEqual(await db().selectFrom('purge_files').select('sha256').execute(), []);
    });

    // Several instances share PostgreSQL; SQLite is one instance, one writer (docs/scaling.md).
    it('two instances purging at once purge each case once', { skip: dialect === 'sqlite' ? 'SQLite runs one instance' : false }, async () => {
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) ids.push(await archivedInquiry(ck.k, { name: `并发${i}`, phone: `1390000300${i}` }));
      ck.k.clock.advance(400 * DAY);
      const other = await ck.k.instance();
      other.app.settings.channels = ck.s;
      try {
        const [a, b] = await Promise.all([runPurge(ck.k.app, { batch: 2 }), runPurge(other.app, { batch: 2 })]);
        const all = [...a.purged, ...b.purged].map((e) => e.id).sort();
        assert.deepEqual(all, [...ids].sort(), 'every case purged, by one of them');
        for (const id of ids) assert.equal(await purgedEvents(id), 1);
        const seqs = (await db().selectFrom('purge_records').select('seq').orderBy('seq').execute()).map((r) => Number(r.seq));
        assert.deepEqual(
          seqs,
          seqs.map((_, i) => i + 1),
          'one unbroken purge chain',
        );
        assert.deepEqual((await verifyChains(db(), { checkpoint: null })).problems, []);
      } finally {
        await other.close();
      }
    });

    it('a case whose purge fails is rolled back and reported, and the pass goes on with the rest', async () => {
      const bad = await archivedInquiry(ck.k, { name: '坏数据', phone: '13800004001' });
      const good = await archivedInquiry(ck.k, { name: '好数据', phone: '13800004002' });
      await db().updateTable('complaints').set({ body: '{not json' }).where('id', '=', bad).execute();
      ck.k.clock.advance(400 * DAY);
      const r = await runPurge(ck.k.app);
      assert.deepEqual(
        r.failed.map((f) => f.id),
        [bad],
      );
      assert.deepEqual(
        r.purged.map((e) => e.id),
        [good],
      );
      assert.equal(await purgedEvents(bad), 0);
      assert.equal(await db().selectFrom('purge_records').select('seq').where('complaint_id', '=', bad).executeTakeFirst(), undefined);
      assert.ok((await db().selectFrom('contact_keys').select('key').where('complaint_id', '=', bad).execute()).length > 0, 'nothing of it was deleted');
    });

    it('the scheduled job (kesu serve) purges on its own and stops cleanly', async () => {
      const id = await archivedInquiry(ck.k, { name: '定时', phone: '13800005001' });
      ck.k.clock.advance(400 * DAY);
      const stop = startPurge(ck.k.app, 3_600_000, { firstDelayMs: 0 });
      try {
        for (let i = 0; i < 200 && (await purgedEvents(id)) === 0; i++) await new Promise((r) => setTimeout(r, 50));
        assert.equal(await purgedEvents(id), 1);
      } finally {
        await stop();
      }
    });
  });
}
