/**
 * Scorecards summed in SQL (store/accountability.repository.ts `scorecardRows`, per-policy access
 * `entryAccess`) agree with the fold of every entry the reader may see (`canSeeEntry` +
 * `foldScorecards`, as the service computed them before), on every engine: randomized entries of
 * two policies — one without an accountability section — with rule-level confirm and appeal
 * levels, a rule code the policy no longer has, every status, person- and department-level
 * entries; for every demo user, a department manager and the system, with each filter.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { engines, emptyDatabase } from '../support/engines.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { createApp, type App } from '../../src/services/app.js';
import { activatePolicy, readPolicyFile } from '../../src/services/policies.js';
import { seedDemo } from '../../src/services/seed-demo.js';
import { actorOf, findUserByUsername, getUsers } from '../../src/store/user.repository.js';
import { accountabilityScorecards, type PeriodQuery } from '../../src/services/accountability.js';
import { listEntries } from '../../src/store/accountability.repository.js';
import { ENTRY_STATUSES, canSeeEntry, foldScorecards } from '../../src/domain/accountability/workflow.js';
import { SYSTEM_ACTOR, type Actor } from '../../src/domain/complaint/types.js';
import { uuidv7 } from '../../src/store/ids.js';
import type { Database } from '../../src/store/db.js';
import { accountabilityPolicyFile } from './accountability-policy.js';
import { rng } from './rollups-fixture.js';

/** The service's former computation: every visible entry folded in JS. */
async function folded(app: App, actor: Actor, q: PeriodQuery) {
  const db = app.database.db;
  const zone = (await app.activePolicy()).calendar.timeZone;
  const { DateTime } = await import('luxon');
  const from = DateTime.fromISO(q.from, { zone }).startOf('day').toUTC().toISO()!;
  const to = DateTime.fromISO(q.to, { zone }).startOf('day').plus({ days: 1 }).toUTC().toISO()!;
  const rows = await listEntries(
    db,
    { from, to, ...(q.person ? { personId: q.person } : {}), ...(q.department ? { departmentCode: q.department } : {}), ...(q.status?.length ? { status: q.status } : {}), ...(q.rule ? { ruleCode: q.rule } : {}) },
    1_000_000,
  );
  const entries = [];
  for (const e of rows) if (canSeeEntry(await app.policyByKey(e.policyKey), actor, e)) entries.push(e);
  const people = foldScorecards(entries, (e) => e.personId);
  const departments = foldScorecards(entries, (e) => e.departmentCode);
  const names = new Map(
    (people.length
      ? await getUsers(
          db,
          people.map((p) => p.key),
        )
      : []
    ).map((u) => [u.id, u]),
  );
  const deptOfPerson = new Map(entries.filter((e) => e.personId).map((e) => [e.personId!, e.departmentCode]));
  return { period: { from: q.from, to: q.to, fromInstant: from, toInstant: to }, people: people.map((p) => ({ ...p, name: names.get(p.key)?.name ?? null, departmentCode: deptOfPerson.get(p.key) ?? null })), departments };
}

for (const { dialect, skip } of await engines()) {
  describe(`scorecards in SQL (${dialect})`, { skip }, () => {
    let database: Database;
    let drop: () => Promise<void>;
    let app: App;
    const readers: Actor[] = [];
    before(async () => {
      ({ database, drop } = await emptyDatabase(dialect));
      await migrateToLatest(database.db);
      app = createApp(database, { now: () => new Date('2026-04-02T09:00:00+08:00') });
      const plain = readPolicyFile('kesu-default');
      const oldKey = (await activatePolicy(app, plain.text, plain.format)).key;
      // The accountability policy, with levels of its own on two rules.
      const file = accountabilityPolicyFile();
      const p = parse(readFileSync(file, 'utf8'));
      p.accountability.rules[1].confirmLevel = 'general_manager';
      p.accountability.rules[3].appealLevel = 'manager';
      writeFileSync(file, stringify(p));
      const f = readPolicyFile(file);
      const key = (await activatePolicy(app, f.text, f.format)).key;
      assert.notEqual(key, oldKey);
      await seedDemo(app);
      const users = await database.db.selectFrom('users').select('username').execute();
      for (const u of users) readers.push(actorOf((await findUserByUsername(database.db, u.username))!));
      readers.push({ ...readers[0]!, id: 'sales-manager', name: '销售经理', roles: ['handler'], managerOf: ['sales'], approvalLevels: [] }, SYSTEM_ACTOR);
      const people = [...readers.filter((r) => r.kind === 'user').map((r) => r.id), null, null];
      const r = rng(5);
      const rows = [];
      for (let j = 0; j < 500; j++) {
        const t = Date.parse('2026-02-26T00:00:00Z') + r.int(40 * 86_400_000);
        const at = new Date(t).toISOString();
        const rule = r.pick(['valid_point', 'resp_fine', 'resolve_breach', 'reopened', 'praise', 'retired_rule']);
        const personId = r.pick(people);
        rows.push({
          id: uuidv7(t),
          complaint_id: uuidv7(t),
          complaint_number: `KS-S-${j}`,
          policy_key: r.chance(0.8) ? key : oldKey,
          source_version: 2,
          source_action: 'judge',
          rule_code: rule,
          trigger: 'valid_complaint',
          effect: rule === 'praise' || r.chance(0.1) ? 'reward' : 'penalty',
          points: r.pick([0, 1, 2, 0.5]),
          amount: r.pick([null, 50, 200, 1500]),
          amount_min: null,
          amount_max: null,
          person_id: personId,
          department_code: personId === null || r.chance(0.3) ? r.pick(['customer_service', 'sales', null]) : r.pick(['customer_service', 'sales']),
          status: r.pick(ENTRY_STATUSES),
          dedupe_key: String(j),
          detail: '{}',
          created_at: at,
          updated_at: at,
        });
      }
      await database.db.insertInto('accountability_entries').values(rows).execute();
    });
    after(async () => drop());

    it('gives every reader the cards of the entries they may see, as the fold did', async () => {
      const march = { from: '2026-03-01', to: '2026-03-31' };
      const handler = readers.find((x) => x.roles.includes('handler'))!.id;
      const queries: PeriodQuery[] = [
        march,
        { ...march, department: 'sales' },
        { ...march, person: handler },
        { ...march, status: ['confirmed', 'upheld', 'appealed'] },
        { ...march, rule: 'retired_rule' },
        { from: '2026-03-10', to: '2026-04-05' },
      ];
      let cards = 0;
      for (const actor of readers)
        for (const q of queries) {
          const sqlCards = await accountabilityScorecards(app, actor, q);
          assert.deepEqual(sqlCards, await folded(app, actor, q), `${actor.name} ${JSON.stringify(q)}`);
          cards += sqlCards.people.length;
        }
      assert.ok(cards > 100, `cards compared: ${cards}`);
    });
  });
}
