/**
 * Migration 0011 on a database made before it, on every engine: cases received by the old code
 * (no contact keys) are keyed from their stored body under the configured contact key, so after
 * the upgrade the search and the caller history find them by phone in any format, by e-mail and
 * by last four + name — and a case received after the upgrade is keyed alike.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engines, emptyDatabase } from '../support/engines.js';
import { MIGRATION_NAMES, migrateTo, migrateToLatest } from '../../src/store/migrate.js';
import { createApp } from '../../src/services/app.js';
import { activatePolicy, readPolicyFile } from '../../src/services/policies.js';
import { receive } from '../../src/domain/lifecycle/intake.js';
import { insertComplaint, searchText } from '../../src/store/complaint.repository.js';
import { indexNewComplaintText } from '../../src/store/search.repository.js';
import { listComplaints } from '../../src/services/list-complaints.js';
import { callerHistory } from '../../src/services/caller-history.js';
import { receiveComplaint } from '../../src/services/receive-complaint.js';
import { resolveContactKey } from '../../src/services/contact-keys.js';
import type { Actor } from '../../src/domain/complaint/types.js';

const BEFORE = MIGRATION_NAMES[MIGRATION_NAMES.indexOf('0011-contact-keys') - 1]!;
const person = (id: string, roles: Actor['roles']): Actor => ({ id, kind: 'user', name: id, roles, managerOf: [], approvalLevels: [] });
const agent = person('old-agent', ['agent']);
const specialist = person('some-specialist', ['specialist']);

for (const { dialect, skip } of await engines()) {
  describe(`migration 0011 contact keys (${dialect})`, { skip }, () => {
    it('keys the cases of a database made before it, under the configured key', async () => {
      const { database, drop } = await emptyDatabase(dialect);
      const keyDir = mkdtempSync(join(tmpdir(), 'kesu-contact-key-'));
      try {
        await migrateTo(database.db, BEFORE);
        const app = createApp(database, { now: () => new Date('2026-09-28T01:00:00Z') });
        const f = readPolicyFile('kesu-default');
        await activatePolicy(app, f.text, f.format);
        const policy = await app.activePolicy();
        const calendar = await app.calendarFor(policy);
        // Cases as the code before 0011 stored them: no contact keys.
        const old = [{ complainant: { name: '王芳', phone: '(+86) 139-0000-4321', email: 'Wang.Fang@Example.com' } }, { complainant: { name: '匿名', phone: '13900004321', anonymous: true } }];
        const ids: string[] = [];
        for (const [i, body] of old.entries()) {
          const id = `0190000${i}-0000-7000-8000-000000000000`;
          const r = receive({ channel: 'phone', description: '旧案件', ...body }, { id, number: `KS-2025-00000${i + 1}` }, { actor: agent, now: app.now(), policy, calendar });
          await database.db.transaction().execute(async (trx) => {
            await insertComplaint(trx, r.complaint, r.clocks);
            await indexNewComplaintText(trx, database.dialect, id, searchText(r.complaint));
          });
          ids.push(id);
        }
        // The upgrade, with a configured key (not the development one).
        const contactKey = resolveContactKey('a configured contact key, 32+ characters', keyDir);
        assert.deepEqual(await migrateToLatest(database.db, { contactKey }), MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf('0011-contact-keys')));
        app.settings.contactKey = contactKey;

        for (const phone of ['13900004321', '+86 139 0000 4321', '0086-139-0000-4321', '139 0000 4321', '(+86)13900004321']) {
          const list = await listComplaints(app, specialist, { text: phone }, { limit: 10 });
          assert.deepEqual(
            list.items.map((x) => x.id),
            [ids[0]],
            `search ${phone}: the anonymous case is not keyed`,
          );
          const h = await callerHistory(app, specialist, { phone });
          assert.deepEqual(
            h.open.map((x) => x.id),
            [ids[0]],
          );
        }
        assert.deepEqual(
          (await listComplaints(app, specialist, { text: 'wang.fang@example.com' }, { limit: 10 })).items.map((x) => x.id),
          [ids[0]],
        );
        assert.equal((await callerHistory(app, specialist, { last4: '4321', name: '王芳' })).counts.total, 1);
        // The old agent (first responder) finds their case; another agent does not.
        assert.equal((await callerHistory(app, agent, { phone: '13900004321' })).counts.total, 1);
        assert.equal((await callerHistory(app, person('other-agent', ['agent']), { phone: '13900004321' })).counts.total, 0);

        // A new case after the upgrade is keyed alike and found with the old one.
        await receiveComplaint(app, agent, { channel: 'phone', description: '又来了', complainant: { name: '王芳', phone: '139 0000 4321' } });
        assert.equal((await callerHistory(app, specialist, { phone: '+8613900004321' })).counts.total, 2);

        // Under another key the old keys match nothing: the key is what the hashes depend on.
        app.settings.contactKey = resolveContactKey('another contact key, 32+ characters long', keyDir);
        assert.equal((await callerHistory(app, specialist, { phone: '13900004321' })).counts.total, 0);
      } finally {
        rmSync(keyDir, { recursive: true, force: true });
        await drop();
      }
    });
  });
}
