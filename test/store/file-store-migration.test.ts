/**
 * Migration 0020 (file stages) on a database made before it, on every engine: an attachment
 * stored by the old code — its row, and its file at `<dataDir>/attachments/<aa>/<sha256>` — is
 * still downloadable from the local store after the upgrade; no stage row is made for it, so the
 * staging sweep never touches it; new uploads are held and released as usual.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { engines, emptyDatabase } from '../support/engines.js';
import { MIGRATION_NAMES, migrateTo, migrateToLatest } from '../../src/store/migrate.js';
import { createApp } from '../../src/services/app.js';
import { activatePolicy, readPolicyFile } from '../../src/services/policies.js';
import { receive } from '../../src/domain/lifecycle/intake.js';
import { insertComplaint } from '../../src/store/complaint.repository.js';
import { appendEvents } from '../../src/store/event.repository.js';
import { upsertClocks } from '../../src/store/clock.repository.js';
import { insertAttachments } from '../../src/store/customer.repository.js';
import { attachmentPath } from '../../src/channels/attachments.js';
import { LocalFileStore } from '../../src/storage/local-store.js';
import { holdFile, releaseFile, sweepStagedFiles } from '../../src/storage/staging.js';
import type { Actor } from '../../src/domain/complaint/types.js';

const BEFORE = MIGRATION_NAMES[MIGRATION_NAMES.indexOf('0020-file-store') - 1]!;
const agent: Actor = { id: 'old-agent', kind: 'user', name: 'old-agent', roles: ['agent'], managerOf: [], approvalLevels: [] };

for (const { dialect, skip } of await engines()) {
  describe(`migration 0020 file stages (${dialect})`, { skip }, () => {
    it('keeps attachments stored before it readable and out of the sweep', async () => {
      const { database, drop } = await emptyDatabase(dialect);
      const dataDir = mkdtempSync(join(tmpdir(), 'kesu-0020-'));
      try {
        await migrateTo(database.db, BEFORE);
        let now = new Date('2026-06-01T09:00:00+08:00');
        const app = createApp(database, { now: () => now });
        const f = readPolicyFile('kesu-default');
        await activatePolicy(app, f.text, f.format);
        const policy = await app.activePolicy();
        const calendar = await app.calendarFor(policy);
        const id = '01900000-0000-7000-8000-000000000020';
        const r = receive({ channel: 'phone', description: '旧附件', complainant: { name: '李雷', phone: '13900002020' } }, { id, number: 'KS-2026-000020' }, { actor: agent, now, policy, calendar });
        await insertComplaint(database.db, r.complaint, r.clocks);
        await appendEvents(database.db, id, r.events);
        await upsertClocks(database.db, r.clocks);
        // The old code: the file renamed to its content address, the row written.
        const data = Buffer.from('%PDF-1.4 an old receipt');
        const key = createHash('sha256').update(data).digest('hex');
        mkdirSync(dirname(attachmentPath(dataDir, key)), { recursive: true });
        writeFileSync(attachmentPath(dataDir, key), data);
        await insertAttachments(database.db, [{ id: 'old-attachment', complaintId: id, sha256: key, name: '收据.pdf', contentType: 'application/pdf', size: data.length, source: 'staff', createdAt: now.toISOString() }]);

        const ran = await migrateToLatest(database.db);
        assert.ok(ran.includes('0020-file-store'), ran.join(', '));
        assert.deepEqual(await database.db.selectFrom('file_stages').selectAll().execute(), []);
        const store = new LocalFileStore(dataDir);
        const chunks: Buffer[] = [];
        for await (const c of (await store.get(key))!) chunks.push(c as Buffer);
        assert.deepEqual(Buffer.concat(chunks), data);
        assert.deepEqual(await collect(store.list()), [key]);

        now = new Date(now.getTime() + 30 * 86_400_000);
        assert.deepEqual(await sweepStagedFiles(app, store, { olderThanMs: 0 }), { removed: 0, kept: 0 });
        assert.equal(await store.exists(key), true);
        // The same file uploaded again after the upgrade: held, then released — and kept, a row names it.
        await holdFile(app, key);
        assert.equal(await releaseFile(app, store, key), false);
        assert.equal(await store.exists(key), true);
        assert.deepEqual(await database.db.selectFrom('file_stages').selectAll().execute(), []);
      } finally {
        await drop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
}

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const x of it) out.push(x);
  return out;
}
