/**
 * Migration 0040 (the cases' stored match tokens, `complaint_terms`) on a database made before it,
 * on every engine: the old cases (real complaint texts from fixtures/eval-set.json, taken in and
 * indexed as the code of the time did, then answered) stay exactly as they were, the new table
 * starts empty, and matching ranks the old cases — cut from their bodies, having no stored tokens —
 * exactly as it ranks them once their tokens are stored the way intake now stores them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { engines, migratedFrom } from '../support/engines.js';
import { MIGRATION_NAMES } from '../../src/store/migrate.js';
import { seedDemo } from '../../src/services/seed-demo.js';
import { receive } from '../../src/domain/lifecycle/intake.js';
import { indexNewComplaintText } from '../../src/store/search.repository.js';
import { searchText } from '../../src/store/complaint.repository.js';
import { caseTermsRow, insertCaseTerms } from '../../src/store/case-terms.repository.js';
import { matchText } from '../../src/services/knowledge-match.js';
import { actorOf, findUserByUsername } from '../../src/store/user.repository.js';
import type { Complaint } from '../../src/domain/complaint/types.js';

const MIGRATION = '0040-case-match-terms';
const items = (JSON.parse(readFileSync(new URL('../knowledge/fixtures/eval-set.json', import.meta.url), 'utf8')) as { items: { text: string }[] }).items;

for (const { dialect, skip } of await engines()) {
  describe(`migration 0040 case match terms (${dialect})`, { skip }, () => {
    it('carries a database made before it forward; old cases rank as if their tokens were stored', async () => {
      const snapshot = (db: import('kysely').Kysely<any>) => db.selectFrom('complaints').selectAll().orderBy('id').execute();
      const { database, app, seeded, ran, drop } = await migratedFrom(dialect, MIGRATION, async ({ database, app, now, policy, calendar, insertReceived }) => {
        await seedDemo(app);
        const agent = actorOf((await findUserByUsername(database.db, 'agent'))!);
        for (const [n, { text }] of items.slice(0, 16).entries()) {
          const r = receive(
            { channel: 'phone', description: text, complainant: { anonymous: true } },
            { id: `01900000-0000-7000-8000-0000000400${String(n).padStart(2, '0')}`, number: `KS-2026-0000${String(n + 10)}` },
            { actor: agent, now, policy, calendar },
          );
          // Answered, as far as matching reads a case (its state and body).
          const answered: Complaint = { ...r.complaint, state: 'answered', answer: { text: '已处理', method: 'phone', written: false, answeredBy: agent.id, answeredAt: now.toISOString() } };
          await insertReceived({ ...r, complaint: answered });
          await indexNewComplaintText(database.db, database.dialect, answered.id, searchText(answered));
        }
        return snapshot(database.db);
      });
      try {
        assert.deepEqual(ran, MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf(MIGRATION)));
        assert.equal(seeded.length, 16);
        assert.deepEqual(await snapshot(database.db), seeded, 'every case row as it was');
        assert.equal((await database.db.selectFrom('complaint_terms').selectAll().execute()).length, 0, 'nothing filled in');
        const specialist = actorOf((await findUserByUsername(database.db, 'specialist'))!);
        const texts = [...items.slice(20, 30).map((x) => x.text), items[0]!.text];
        const run = async () => Promise.all(texts.map((text) => matchText(app, specialist, { text, limit: 10 })));
        const cut = await run();
        await insertCaseTerms(
          database.db,
          seeded.map((r) => caseTermsRow(JSON.parse(r.body as string) as Complaint)),
        );
        const stored = await run();
        assert.deepEqual(
          stored.map((m) => m.cases),
          cut.map((m) => m.cases),
        );
        assert.ok(cut.filter((m) => m.cases.length).length >= 6, 'the old cases are found');
        assert.equal(cut.at(-1)!.cases[0]!.id, seeded.find((r) => (JSON.parse(r.body as string) as Complaint).description === items[0]!.text)!.id);
      } finally {
        await drop();
      }
    });
  });
}
