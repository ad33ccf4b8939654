/**
 * Migration 0025 (experience library) on a database made before it, on every engine: cases and
 * users carried forward untouched; a policy stored before the `knowledge` section existed falls
 * back to its default editors; a case resolved by the old code is matched and becomes a draft.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines, emptyDatabase, withCaseTermsTable } from '../support/engines.js';
import { MIGRATION_NAMES, migrateTo, migrateToLatest } from '../../src/store/migrate.js';
import { createApp } from '../../src/services/app.js';
import { activatePolicy, readPolicyFile } from '../../src/services/policies.js';
import { seedDemo } from '../../src/services/seed-demo.js';
import { receiveComplaint } from '../../src/services/receive-complaint.js';
import { actOnComplaint } from '../../src/services/act-on-complaint.js';
import { actorOf, listUsers } from '../../src/store/user.repository.js';
import { getComplaint } from '../../src/store/complaint.repository.js';
import { createArticle, draftFromCase } from '../../src/services/knowledge.js';
import { matchText } from '../../src/services/knowledge-match.js';

const BEFORE = MIGRATION_NAMES[MIGRATION_NAMES.indexOf('0025-knowledge') - 1]!;

for (const { dialect, skip } of await engines()) {
  describe(`migration 0025 knowledge (${dialect})`, { skip }, () => {
    it('carries cases forward; an old policy gets the default editors; an old resolved case is matched and drafted', async () => {
      const { database, drop } = await emptyDatabase(dialect);
      try {
        await migrateTo(database.db, BEFORE);
        const now = new Date('2026-03-02T09:00:00+08:00');
        const old = createApp(database, { now: () => now });
        const f = readPolicyFile('kesu-default');
        await activatePolicy(old, f.text, f.format);
        await seedDemo(old);
        // The policy as the old code stored it: no `knowledge` section.
        const stored = await database.db.selectFrom('policies').select(['key', 'document']).where('active', '=', 1).executeTakeFirstOrThrow();
        const doc = JSON.parse(stored.document) as Record<string, unknown>;
        delete doc.knowledge;
        await database.db
          .updateTable('policies')
          .set({ document: JSON.stringify(doc) })
          .where('key', '=', stored.key)
          .execute();
        const app = createApp(database, { now: () => now });

        const users = new Map((await listUsers(database.db)).map((u) => [u.username, actorOf(u)!]));
        const received = await withCaseTermsTable(database.db, () =>
          receiveComplaint(app, users.get('agent')!, { channel: 'phone', description: '快递延误五天没有送达，客户很着急。', complainant: { name: '林先生', phone: '13812345678' } }),
        );
        const id = received.complaint.id;
        const sp = users.get('specialist')!;
        const h = users.get('handler')!;
        await actOnComplaint(app, sp, id, 'judge', { valid: true });
        await actOnComplaint(app, sp, id, 'classify', { category: 'timeliness', grade: 'general', customerClass: 'B' });
        await actOnComplaint(app, sp, id, 'route', { departmentCode: 'logistics', primaryHandlerId: h.id, backupHandlerId: users.get('handler2')!.id });
        await actOnComplaint(app, h, id, 'accept', {});
        await actOnComplaint(app, h, id, 'investigate', { facts: '排班不足', cause: '运力不足', responsibility: { type: 'department', departmentCode: 'logistics' } });
        let c = await actOnComplaint(app, h, id, 'propose', { solutions: ['apology'], amount: 0, description: '致歉并优先派送' });
        if (c.state === 'awaiting_approval') c = await actOnComplaint(app, users.get('deptmanager')!, id, 'approve', { comment: '同意' });
        c = await actOnComplaint(app, h, id, 'answer', { text: '已安排今天送达并致歉。', method: 'phone' });
        assert.equal(c.state, 'answered');

        assert.deepEqual(await migrateToLatest(database.db), MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf('0025-knowledge')));
        const after = await getComplaint(database.db, id);
        assert.deepEqual([after?.state, after?.version], [c.state, c.version], 'the case carried forward untouched');
        assert.equal((await listUsers(database.db)).length, users.size);

        await assert.rejects(createArticle(app, users.get('agent')!, { title: '快递延误', symptom: '延误', cause: '', steps: ['致歉'], scripts: [], category: null, products: [], policyId: null, status: 'published' }), /may not edit/);
        const a = await createArticle(app, sp, { title: '快递延误处理', symptom: '快递延误未送达', cause: '运力不足', steps: ['优先派送'], scripts: [], category: 'timeliness', products: [], policyId: null, status: 'published' });
        const m = await matchText(app, users.get('admin')!, { text: '快递延误了', category: 'timeliness' });
        assert.deepEqual(
          m.articles.map((x) => x.id),
          [a.id],
        );
        assert.deepEqual(
          m.cases.map((x) => x.id),
          [id],
          'the case indexed by the old code is matched',
        );
        const draft = await draftFromCase(app, sp, id);
        assert.ok(!JSON.stringify(draft).includes('林先生') && !JSON.stringify(draft).includes('13812345678'));
      } finally {
        await drop();
      }
    });
  });
}
