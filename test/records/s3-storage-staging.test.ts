/**
 * The staging protocol (storage/staging.ts) on every engine, with the local store: a file stored
 * before its transaction is kept while any upload holds it and whenever a committed row names
 * it; the last holder of a file no row names removes it; an upload of a file whose removal is
 * under way waits for the removal and then holds it anew; the sweep removes only holds older than
 * its age, and only files no row names.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { LocalFileStore } from '../../src/storage/local-store.js';
import { holdFile, releaseFile, sweepStagedFiles, STAGED_FILE_MAX_AGE_MS } from '../../src/storage/staging.js';
import { insertAttachments } from '../../src/store/customer.repository.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

for (const { dialect, skip } of await engines()) {
  describe(`staged files (${dialect})`, { skip }, () => {
    let k: Kesu;
    let store: LocalFileStore;
    let caseId = '';
    const dir = mkdtempSync(join(tmpdir(), 'kesu-staging-'));
    const stage = async () => (await k.app.database.db.selectFrom('file_stages').selectAll().orderBy('sha256').execute()).map((r) => ({ ...r, holders: Number(r.holders) }));

    /** Holds and stores a new file, as an upload does before its transaction. */
    async function storeHeld(data = randomBytes(32)): Promise<string> {
      await holdFile(k.app, sha(data));
      const r = await store.put(Readable.from([data]));
      return r.key;
    }

    async function name(key: string): Promise<void> {
      await insertAttachments(k.app.database.db, [
        { id: `att-${key.slice(0, 12)}-${randomBytes(3).toString('hex')}`, complaintId: caseId, sha256: key, name: 'x.png', contentType: 'image/png', size: 32, source: 'staff', createdAt: k.clock.now().toISOString() },
      ]);
    }

    before(async () => {
      k = await startKesu(dialect);
      store = new LocalFileStore(dir);
      k.app.settings.files = store;
      const r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '附件暂存测试', complainant: { anonymous: true } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      caseId = r.body.complaint.id;
    });
    after(async () => {
      await k?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('kept while anyone holds it; the last holder of a file no row names removes it', async () => {
      const key = await storeHeld();
      await holdFile(k.app, key); // a second upload of the same file
      assert.deepEqual(
        (await stage()).map((r) => [r.sha256, r.holders, r.sweeping_at]),
        [[key, 2, null]],
      );
      assert.equal(await releaseFile(k.app, store, key), false);
      assert.equal(await store.exists(key), true, 'the other upload still holds it');
      assert.equal(await releaseFile(k.app, store, key), true);
      assert.equal(await store.exists(key), false);
      assert.deepEqual(await stage(), []);
    });

    it('a file a committed row names is kept, and its stage row forgotten', async () => {
      const key = await storeHeld();
      await name(key);
      assert.equal(await releaseFile(k.app, store, key), false);
      assert.equal(await store.exists(key), true);
      assert.deepEqual(await stage(), []);
      // A later release without a hold changes nothing.
      assert.equal(await releaseFile(k.app, store, key), false);
      assert.equal(await store.exists(key), true);
    });

    it('an upload of a file being removed waits for the removal, then holds it anew', async () => {
      const key = await storeHeld();
      // A remover has claimed the file (the state between its claim and its delete).
      await k.app.database.db.updateTable('file_stages').set({ sweeping_at: k.clock.now().toISOString(), holders: 0 }).where('sha256', '=', key).execute();
      let held = false;
      const waiting = holdFile(k.app, key).then(() => (held = true));
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(held, false, 'no hold while the removal is under way');
      await store.delete(key);
      await k.app.database.db.deleteFrom('file_stages').where('sha256', '=', key).execute();
      await waiting;
      assert.deepEqual(
        (await stage()).map((r) => [r.sha256, r.holders, r.sweeping_at]),
        [[key, 1, null]],
      );
      assert.equal(await store.exists(key), false, 'the upload stores it again after its hold (put after hold)');
      await releaseFile(k.app, store, key);
      assert.deepEqual(await stage(), []);
    });

    it('the sweep removes old holds of files no row names, and nothing younger', async () => {
      const orphan = await storeHeld();
      const kept = await storeHeld();
      await name(kept);
      k.clock.advance(STAGED_FILE_MAX_AGE_MS - 60_000);
      const fresh = await storeHeld(); // held a minute before the others' age is reached
      assert.deepEqual(await sweepStagedFiles(k.app, store), { removed: 0, kept: 0 });
      k.clock.advance(2 * 60_000);
      assert.deepEqual(await sweepStagedFiles(k.app, store), { removed: 1, kept: 1 });
      assert.equal(await store.exists(orphan), false);
      assert.equal(await store.exists(kept), true);
      assert.equal(await store.exists(fresh), true);
      assert.deepEqual(
        (await stage()).map((r) => r.sha256),
        [fresh],
      );
      k.clock.advance(STAGED_FILE_MAX_AGE_MS);
      assert.deepEqual(await sweepStagedFiles(k.app, store), { removed: 1, kept: 0 });
      assert.deepEqual(await stage(), []);
    });
  });
}
