/**
 * Migration 0037 (the entries' policy index) on a database made before it, on every engine:
 * accountability entries written before it stay exactly as they were, the index exists, and the
 * scorecards' first question — which policies the period's entries were made under — is answered
 * by the skip scan (`entryPolicyKeys`) with exactly the keys of the entries the filter selects,
 * through the index on SQLite (no read of every entry), before and after new entries.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { engines, migratedFrom } from '../support/engines.js';
import { MIGRATION_NAMES } from '../../src/store/migrate.js';
import { entryPolicyKeys } from '../../src/store/accountability.repository.js';
import { uuidv7 } from '../../src/store/ids.js';

const MIGRATION = '0037-accountability-policy-index';

function entry(j: number, policyKey: string, at: string, dept: string) {
  return {
    id: uuidv7(Date.parse(at) + j),
    complaint_id: uuidv7(Date.parse(at)),
    complaint_number: `KS-2026-M${j}`,
    policy_key: policyKey,
    source_version: 3,
    source_action: 'judge',
    rule_code: 'valid_point',
    trigger: 'valid_point',
    effect: 'penalty',
    points: 1,
    amount: null,
    amount_min: null,
    amount_max: null,
    person_id: `person-${j % 3}`,
    department_code: dept,
    status: 'proposed',
    dedupe_key: `m-${j}`,
    detail: '{}',
    created_at: at,
    updated_at: at,
  };
}

/** Entries under four policy keys: `a@1` and `c@1` in November, `b@1` in October only, `d@1` in November of another department. */
async function seedEntries(db: Kysely<any>, offset = 0) {
  const rows = [];
  for (let j = 0; j < 30; j++) rows.push(entry(offset + j, j % 2 ? 'a@1' : 'c@1', `2026-11-${String(1 + (j % 28)).padStart(2, '0')}T02:00:00.000Z`, 'sales'));
  for (let j = 30; j < 40; j++) rows.push(entry(offset + j, 'b@1', `2026-10-${String(1 + (j % 28)).padStart(2, '0')}T02:00:00.000Z`, 'sales'));
  for (let j = 40; j < 45; j++) rows.push(entry(offset + j, 'd@1', '2026-11-15T02:00:00.000Z', 'quality'));
  await db.insertInto('accountability_entries').values(rows).execute();
}

const NOVEMBER = { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' };

for (const { dialect, skip } of await engines()) {
  describe(`migration 0037 accountability policy index (${dialect})`, { skip }, () => {
    it('keeps the entries made before it; the policy keys of a period come from the index', async () => {
      const snapshot = (db: Kysely<any>) => db.selectFrom('accountability_entries').selectAll().orderBy('id').execute();
      const { database, seeded, ran, drop } = await migratedFrom(dialect, MIGRATION, async ({ database }) => {
        await seedEntries(database.db);
        return snapshot(database.db);
      });
      try {
        assert.deepEqual(ran, MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf(MIGRATION)));
        assert.equal(seeded.length, 45);
        assert.deepEqual(await snapshot(database.db), seeded, 'every entry as it was');
        const db = database.db;
        assert.deepEqual(await entryPolicyKeys(db, NOVEMBER), ['a@1', 'c@1', 'd@1']);
        assert.deepEqual(await entryPolicyKeys(db, { from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' }), ['b@1']);
        assert.deepEqual(await entryPolicyKeys(db, { ...NOVEMBER, departmentCode: 'quality' }), ['d@1']);
        assert.deepEqual(await entryPolicyKeys(db, { ...NOVEMBER, personId: 'person-1', departmentCode: 'sales' }), ['a@1', 'c@1']);
        assert.deepEqual(await entryPolicyKeys(db, { from: '2027-01-01T00:00:00.000Z', to: '2027-02-01T00:00:00.000Z' }), []);
        // New entries (a key sorting between the others) are found too.
        await db
          .insertInto('accountability_entries')
          .values([entry(100, 'b@2', '2026-11-20T02:00:00.000Z', 'sales')])
          .execute();
        assert.deepEqual(await entryPolicyKeys(db, NOVEMBER), ['a@1', 'b@2', 'c@1', 'd@1']);
        if (dialect === 'sqlite') {
          // The skip scan's step as entryPolicyKeys writes it (`+created_at`: the bounds are no index's).
          const plan = (
            await sql
              .raw<{ detail: string }>(`explain query plan select policy_key from accountability_entries where +created_at >= '2026-11-01' and +created_at < '2026-12-01' and policy_key > 'a@1' order by policy_key limit 1`)
              .execute(db)
          ).rows.map((p) => p.detail);
          assert.ok(
            plan.some((d) => d.includes('accountability_entries_policy')),
            plan.join('; '),
          );
          assert.ok(!plan.some((d) => /TEMP B-TREE/.test(d)), plan.join('; '));
        } else {
          const ix = await sql<{ indexdef: string }>`select indexdef from pg_indexes where indexname = 'accountability_entries_policy'`.execute(db);
          assert.match(ix.rows[0]?.indexdef ?? '', /\(policy_key, created_at\)/);
        }
      } finally {
        await drop();
      }
    });
  });
}
