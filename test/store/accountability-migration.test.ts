/**
 * Migration 0016 on a database made before it, on every engine: a case the old code took through
 * judge, classify, route and accept keeps its rows (case, timeline, facts); the new tables start
 * empty; the next transition (a responsibility finding) creates its entry through the decision
 * writer; and the entries' history is append-only.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines, emptyDatabase } from '../support/engines.js';
import { MIGRATION_NAMES, migrateTo, migrateToLatest } from '../../src/store/migrate.js';
import { createApp } from '../../src/services/app.js';
import { activatePolicy, readPolicyFile } from '../../src/services/policies.js';
import { receive } from '../../src/domain/lifecycle/intake.js';
import { apply } from '../../src/domain/lifecycle/apply.js';
import { afterDecision, persistDecisions, type CaseState } from '../../src/store/decisions.js';
import { insertComplaint } from '../../src/store/complaint.repository.js';
import { appendEvents } from '../../src/store/event.repository.js';
import { upsertClocks } from '../../src/store/clock.repository.js';
import type { Actor } from '../../src/domain/complaint/types.js';
import { accountabilityPolicyFile } from '../reports/accountability-policy.js';

const BEFORE = MIGRATION_NAMES[MIGRATION_NAMES.indexOf('0016-accountability') - 1]!;
const person = (id: string, roles: Actor['roles']): Actor => ({ id, kind: 'user', name: id, roles, managerOf: [], approvalLevels: [] });
const agent = person('old-agent', ['agent']);
const specialist = person('old-specialist', ['specialist']);
const handler = person('old-handler', ['handler']);

for (const { dialect, skip } of await engines()) {
  describe(`migration 0016 accountability (${dialect})`, { skip }, () => {
    it('keeps the cases made before it, and their next transition creates its entry', async () => {
      const { database, drop } = await emptyDatabase(dialect);
      try {
        await migrateTo(database.db, BEFORE);
        const now = new Date('2026-03-02T09:00:00+08:00');
        const app = createApp(database, { now: () => now });
        const f = readPolicyFile(accountabilityPolicyFile());
        await activatePolicy(app, f.text, f.format);
        const policy = await app.activePolicy();
        const calendar = await app.calendarFor(policy);
        const id = '01900000-0000-7000-8000-000000000016';
        const r = receive({ channel: 'phone', description: '旧案件', complainant: { name: '王芳', phone: '13900004321' } }, { id, number: 'KS-2026-000016' }, { actor: agent, now, policy, calendar });
        await insertComplaint(database.db, r.complaint, r.clocks);
        await appendEvents(database.db, id, r.events);
        await upsertClocks(database.db, r.clocks);
        // The decision writer before 0016 had no policy on the state: it wrote no entries.
        let state: CaseState = { complaint: r.complaint, clocks: r.clocks, calendar };
        const act = async (who: Actor, action: string, input: unknown, withPolicy = false) => {
          const d = apply(state.complaint, state.clocks, action, input, { actor: who, now, policy, calendar });
          assert.equal(d.kind, 'applied', JSON.stringify(d));
          if (d.kind !== 'applied') return;
          await database.db.transaction().execute((trx) => persistDecisions(trx, withPolicy ? { ...state, policy } : state, [d]));
          state = { ...afterDecision(state, d), calendar };
        };
        await act(specialist, 'judge', { valid: true });
        await act(specialist, 'classify', { category: 'attitude', grade: 'general' });
        await act(specialist, 'route', { departmentCode: 'customer_service', primaryHandlerId: handler.id });
        await act(handler, 'accept', {});
        const eventsBefore = await database.db.selectFrom('complaint_events').select('seq').where('complaint_id', '=', id).execute();

        assert.deepEqual(await migrateToLatest(database.db), MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf('0016-accountability')));
        const row = await database.db.selectFrom('complaints').select(['state', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
        assert.deepEqual([row.state, Number(row.version)], ['investigating', 5]);
        assert.equal((await database.db.selectFrom('complaint_events').select('seq').where('complaint_id', '=', id).execute()).length, eventsBefore.length);
        assert.equal((await database.db.selectFrom('case_facts').select('state').where('complaint_id', '=', id).executeTakeFirstOrThrow()).state, 'investigating');
        assert.deepEqual(await database.db.selectFrom('accountability_entries').selectAll().execute(), []);

        await act(handler, 'investigate', { facts: '属实', cause: '态度', responsibility: { type: 'employee', employeeId: 'old-agent' } }, true);
        const entries = await database.db.selectFrom('accountability_entries').selectAll().execute();
        assert.deepEqual(
          entries.map((e) => [e.complaint_id, e.rule_code, e.person_id, e.status, Number(e.source_version), Number(e.amount_min), Number(e.amount_max)]),
          [[id, 'resp_fine', 'old-agent', 'proposed', 6, 200, 1500]],
        );
        const history = await database.db.selectFrom('accountability_history').selectAll().execute();
        assert.deepEqual(
          history.map((h) => [h.step, h.actor_id]),
          [['proposed', 'old-handler']],
        );
        // Append-only, as the timeline.
        await assert.rejects(database.db.updateTable('accountability_history').set({ reason: 'edited' }).execute(), /append-only/);
        await assert.rejects(database.db.deleteFrom('accountability_history').execute(), /append-only/);
      } finally {
        await drop();
      }
    });
  });
}
