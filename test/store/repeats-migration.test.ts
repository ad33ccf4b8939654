/**
 * Migration 0026 on a database made before it, on every engine: cases received by the old code
 * are carried forward untouched and get no links (no back-fill: links are made at intake, under
 * the windows then in force — docs/reports.md); a case received after the upgrade is linked to an
 * old case of the same customer, and a problem record can group old cases.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines, emptyDatabase } from '../support/engines.js';
import { MIGRATION_NAMES, migrateTo, migrateToLatest } from '../../src/store/migrate.js';
import { createApp } from '../../src/services/app.js';
import { activatePolicy, readPolicyFile } from '../../src/services/policies.js';
import { seedDemo } from '../../src/services/seed-demo.js';
import { receive } from '../../src/domain/lifecycle/intake.js';
import { getComplaint, insertComplaint } from '../../src/store/complaint.repository.js';
import { appendEvents } from '../../src/store/event.repository.js';
import { upsertClocks } from '../../src/store/clock.repository.js';
import { insertContactKeys } from '../../src/store/contact-key.repository.js';
import { contactKeysForIntake } from '../../src/services/contact-keys.js';
import { actorOf, listUsers } from '../../src/store/user.repository.js';
import { receiveComplaint } from '../../src/services/receive-complaint.js';
import { relatedCases } from '../../src/repeats/related.js';
import { openProblem } from '../../src/services/problems.js';

const BEFORE = MIGRATION_NAMES[MIGRATION_NAMES.indexOf('0026-repeats-problems') - 1]!;

for (const { dialect, skip } of await engines()) {
  describe(`migration 0026 repeats and problem records (${dialect})`, { skip }, () => {
    it('carries old cases forward without links; new cases link to them; records group them', async () => {
      const { database, drop } = await emptyDatabase(dialect);
      try {
        await migrateTo(database.db, BEFORE);
        let now = new Date('2026-03-02T09:00:00+08:00');
        const app = createApp(database, { now: () => now });
        const f = readPolicyFile('kesu-default');
        await activatePolicy(app, f.text, f.format);
        await seedDemo(app);
        const users = new Map((await listUsers(database.db)).map((u) => [u.username, u]));
        const agent = actorOf(users.get('agent')!);
        const admin = actorOf(users.get('admin')!);
        const policy = await app.activePolicy();
        const calendar = await app.calendarFor(policy);
        const old: string[] = [];
        for (const i of [1, 2]) {
          const input = { channel: 'phone', description: `升级前的第${i}次来电`, complainant: { name: '张三', phone: '13812345678' } };
          const id = `01900000-0000-7000-8000-00000000002${i}`;
          const r = receive(input, { id, number: `KS-2025-00000${i}` }, { actor: agent, now, policy, calendar });
          await insertComplaint(database.db, r.complaint, r.clocks);
          await insertContactKeys(database.db, id, contactKeysForIntake(app, input));
          await appendEvents(database.db, id, r.events);
          await upsertClocks(database.db, r.clocks);
          old.push(id);
          now = new Date(now.getTime() + 3600_000);
        }
        const bodies = await Promise.all(old.map((id) => getComplaint(database.db, id)));

        assert.deepEqual(await migrateToLatest(database.db), MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf('0026-repeats-problems')));
        assert.deepEqual(await Promise.all(old.map((id) => getComplaint(database.db, id))), bodies, 'old cases untouched');
        assert.deepEqual(await database.db.selectFrom('case_links').selectAll().execute(), [], 'no back-fill');
        assert.deepEqual(await relatedCases(app, admin, old[1]!), []);

        const fresh = await receiveComplaint(app, agent, { channel: 'phone', description: '升级后再次来电', complainant: { name: '张三', phone: '+86 138 1234 5678' } });
        const related = await relatedCases(app, admin, fresh.complaint.id);
        assert.deepEqual(new Set(related.map((c) => c.id)), new Set(old));
        for (const c of related) assert.deepEqual(c.reasons, [{ reason: 'customer', detail: null }]);

        const p = await openProblem(app, admin, { title: '反复来电', action: '安排专人回访', ownerId: users.get('handler')!.id, dueDate: '2026-03-31', caseIds: old, reason: '同一客户多次来电' });
        assert.equal(p.cases.length, 2);
      } finally {
        await drop();
      }
    });
  });
}
