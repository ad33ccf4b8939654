/**
 * Migration 0013 on a database made before it, on every engine: a case the old code took through
 * judge, classify, route, accept and a pending period (no facts written) gets its `case_facts`
 * row folded from its timeline — validity, customer class, pending count and the working time it
 * was pending — and `clock_facts` rows for its clocks; a transition after the upgrade continues
 * the same row.
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
import { insertComplaint, saveComplaint } from '../../src/store/complaint.repository.js';
import { appendEvents } from '../../src/store/event.repository.js';
import { upsertClocks } from '../../src/store/clock.repository.js';
import type { Actor } from '../../src/domain/complaint/types.js';

const BEFORE = MIGRATION_NAMES[MIGRATION_NAMES.indexOf('0013-report-facts') - 1]!;
const person = (id: string, roles: Actor['roles']): Actor => ({ id, kind: 'user', name: id, roles, managerOf: [], approvalLevels: [] });
const agent = person('old-agent', ['agent']);
const specialist = person('old-specialist', ['specialist']);
const handler = person('old-handler', ['handler']);

for (const { dialect, skip } of await engines()) {
  describe(`migration 0013 report facts (${dialect})`, { skip }, () => {
    it('back-fills the facts of cases made before it from their timelines', async () => {
      const { database, drop } = await emptyDatabase(dialect);
      try {
        await migrateTo(database.db, BEFORE);
        let now = new Date('2026-03-02T09:00:00+08:00');
        const app = createApp(database, { now: () => now });
        const f = readPolicyFile('kesu-default');
        await activatePolicy(app, f.text, f.format);
        const policy = await app.activePolicy();
        const calendar = await app.calendarFor(policy);
        const id = '01900000-0000-7000-8000-000000000013';
        const r = receive({ channel: 'phone', description: '旧案件', complainant: { name: '王芳', phone: '13900004321' } }, { id, number: 'KS-2026-000001' }, { actor: agent, now, policy, calendar });
        await insertComplaint(database.db, r.complaint, r.clocks);
        await appendEvents(database.db, id, r.events);
        await upsertClocks(database.db, r.clocks);
        // The old decision writer: case, events and clocks, no facts.
        let state: CaseState = { complaint: r.complaint, clocks: r.clocks };
        const act = async (who: Actor, action: string, input: unknown) => {
          const d = apply(state.complaint, state.clocks, action, input, { actor: who, now, policy, calendar });
          assert.equal(d.kind, 'applied', JSON.stringify(d));
          if (d.kind !== 'applied') return;
          const before = state.complaint.version;
          state = afterDecision(state, d);
          await saveComplaint(database.db, state.complaint, before, state.clocks);
          await appendEvents(database.db, id, d.events);
          await upsertClocks(database.db, d.clocks);
        };
        await act(specialist, 'judge', { valid: true });
        await act(specialist, 'classify', { category: 'attitude', grade: 'general', customerClass: 'A' });
        await act(specialist, 'route', { departmentCode: 'customer_service', primaryHandlerId: handler.id });
        await act(handler, 'accept', {});
        now = new Date('2026-03-02T10:00:00+08:00');
        await act(handler, 'pend', { reason: '等待配件' });
        now = new Date('2026-03-03T10:00:00+08:00');
        await act(handler, 'resume', {});

        assert.deepEqual(await migrateToLatest(database.db), MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf('0013-report-facts')));
        const facts = await database.db.selectFrom('case_facts').selectAll().where('complaint_id', '=', id).executeTakeFirstOrThrow();
        assert.equal(facts.valid, 1);
        assert.equal(facts.customer_class, 'A');
        assert.equal(facts.handler_id, handler.id);
        assert.equal(facts.routed, 1);
        assert.equal(facts.pend_count, 1);
        assert.equal(facts.pending_since, null);
        // Mon 10:00–12:00, 13:30–17:30, Tue 08:30–10:00 = 7.5 working hours pending.
        assert.equal(Number(facts.paused_wms), 7.5 * 3600_000);
        const clocks = await database.db.selectFrom('clock_facts').selectAll().where('complaint_id', '=', id).orderBy('kind').execute();
        assert.deepEqual(
          clocks.filter((k) => k.kind === 'triage').map((k) => [k.status, k.outcome]),
          [['stopped', 'met']],
        );
        assert.deepEqual(
          clocks.filter((k) => k.kind === 'resolve').map((k) => [k.status, k.outcome, k.pauses]),
          [['running', 'running', 1]],
        );

        // After the upgrade the decision writer continues the same row.
        now = new Date('2026-03-03T11:00:00+08:00');
        const d = apply(state.complaint, state.clocks, 'investigate', { facts: '属实', cause: '态度', responsibility: { type: 'none' } }, { actor: handler, now, policy, calendar });
        assert.equal(d.kind, 'applied');
        if (d.kind !== 'applied') return;
        await database.db.transaction().execute((trx) => persistDecisions(trx, { ...state, calendar }, [d]));
        const after = await database.db.selectFrom('case_facts').selectAll().where('complaint_id', '=', id).executeTakeFirstOrThrow();
        assert.equal(after.state, 'investigated');
        assert.equal(Number(after.paused_wms), 7.5 * 3600_000);
        assert.equal(after.pend_count, 1);
      } finally {
        await drop();
      }
    });
  });
}
