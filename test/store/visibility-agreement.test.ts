/**
 * The TypeScript and the SQL readings of the relation rules (domain/permissions/relations.ts)
 * agree, on both engines: random cases are written through the store, then for every random
 * actor the ids the list query returns are exactly the cases `canSee` accepts — and, rule by
 * rule, the cases the SQL `holdsAny` selects are those `holds` accepts; the avoidance filter
 * of the dashboard (`notAvoiding`) and the "my cases" queues agree too. Then half the cases
 * change (people, department, state: `saveComplaint` rewrites their participants rows) and the
 * comparison runs again.
 *
 * The data is seeded: a failure prints its seed; KESU_RELATIONS_SEED=<seed> replays it.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines, createTestDb, type TestDb } from '../support/engines.js';
import { SYSTEM_ACTOR, type Actor, type Complaint } from '../../src/domain/complaint/types.js';
import { RELATIONS, holds, relationsGranting } from '../../src/domain/permissions/relations.js';
import { canSee, mustAvoid } from '../../src/domain/permissions/visibility.js';
import { decodeCursor, holdsAny, insertComplaint, listComplaints, notAvoiding, saveComplaint, visibleTo } from '../../src/store/complaint.repository.js';
import { randomActor, randomCase, reshuffle, seeded, userIds } from '../domain/permissions/random-cases.js';

const CASES = 300;
const ACTORS = 40;
const MINE = ['first_responder', 'handler', 'followup', 'approver'] as const;
const seed = Number(process.env.KESU_RELATIONS_SEED ?? Math.floor(Math.random() * 2 ** 31));

function describeActor(a: Actor): string {
  return `${a.id} roles=[${a.roles.join(',')}] manages=[${a.managerOf.join(',')}]`;
}

function describeCase(c: Complaint): string {
  return `${c.id} ${c.kind}/${c.state} dept=${c.departmentCode} fr=${c.firstResponderId} h=${c.primaryHandlerId}/${c.backupHandlerId} co=[${c.coHandlerIds}] appr=[${c.approverIds}] fu=[${c.followUp.callerIds}] subj=[${c.subject.employeeIds}] ext=${!!c.extensionRequest}`;
}

/** Asserts two id sets are equal, naming the cases on each side of the difference. */
function sameIds(what: string, sqlIds: string[], tsIds: string[], cases: Map<string, Complaint>): void {
  const s = new Set(sqlIds);
  const t = new Set(tsIds);
  const onlySql = [...s].filter((x) => !t.has(x));
  const onlyTs = [...t].filter((x) => !s.has(x));
  if (!onlySql.length && !onlyTs.length && sqlIds.length === s.size) return;
  const show = (ids: string[]) =>
    ids
      .slice(0, 5)
      .map((id) => `\n    ${describeCase(cases.get(id)!)}`)
      .join('');
  assert.fail(
    `seed ${seed}: ${what}: SQL and TypeScript disagree` +
      (sqlIds.length !== s.size ? `\n  SQL returned duplicates` : '') +
      (onlySql.length ? `\n  only SQL (${onlySql.length}):${show(onlySql)}` : '') +
      (onlyTs.length ? `\n  only TypeScript (${onlyTs.length}):${show(onlyTs)}` : ''),
  );
}

for (const { dialect, skip } of await engines()) {
  describe(`relations: TypeScript and SQL agree (${dialect})`, { skip }, () => {
    const r = seeded(seed);
    const users = userIds(ACTORS);
    const actors: Actor[] = [...users.map((id) => randomActor(r, id)), SYSTEM_ACTOR];
    let cases = new Map<string, Complaint>();
    let t: TestDb;

    before(async () => {
      t = await createTestDb(dialect);
      for (let i = 0; i < CASES; i++) {
        const c = randomCase(r, i, users);
        cases.set(c.id, c);
      }
      await t.database.db.transaction().execute(async (trx) => {
        for (const c of cases.values()) await insertComplaint(trx, c, []);
      });
    });
    after(async () => t?.drop());

    async function compare(round: string): Promise<void> {
      const db = t.database.db;
      const all = [...cases.values()];
      // On SQLite each list also as it reads for people with many cases (walkAbove 0: walk the
      // list's index and check each case against the person's sets; see listComplaints).
      for (const actor of actors)
        for (const walkAbove of dialect === 'sqlite' ? [undefined, 0] : [undefined]) {
          const who = `${round}, ${describeActor(actor)}${walkAbove === 0 ? ', walking' : ''}`;
          const listed = await listComplaints(db, dialect, actor, {}, { limit: CASES + 10, walkAbove });
          sameIds(
            `visible to ${who}`,
            listed.items.map((x) => x.id),
            all.filter((c) => canSee(c, actor)).map((c) => c.id),
            cases,
          );
          // Paged: the same cases in the list's order (newest first, id breaking ties), each once —
          // a department manager's list is read branch by branch and merged.
          const newestFirst = all
            .filter((c) => canSee(c, actor))
            .sort((a, b) => (a.receivedAt === b.receivedAt ? (a.id < b.id ? 1 : -1) : a.receivedAt < b.receivedAt ? 1 : -1))
            .map((c) => c.id);
          const paged: string[] = [];
          for (let cursor: string | null | undefined, pages = 0; pages === 0 || cursor; pages++) {
            const page = await listComplaints(db, dialect, actor, {}, { limit: 7, cursor: cursor ? decodeCursor(cursor)! : undefined, walkAbove });
            paged.push(...page.items.map((x) => x.id));
            cursor = page.nextCursor;
            assert.ok(pages <= CASES, `paging of ${who} ends`);
          }
          assert.deepEqual(paged, newestFirst, `pages of 7 for ${who}: every visible case once, newest first`);

          for (const rel of RELATIONS) {
            const rows = await db
              .selectFrom('complaints')
              .select('id')
              .where(holdsAny(actor, [rel]))
              .execute();
            sameIds(
              `relation ${rel} of ${who}`,
              rows.map((x) => x.id),
              all.filter((c) => holds(rel, c, actor)).map((c) => c.id),
              cases,
            );
          }

          const unbarred = await db.selectFrom('complaints').select('id').where(notAvoiding(actor)).execute();
          sameIds(
            `not avoided by ${who}`,
            unbarred.map((x) => x.id),
            all.filter((c) => !mustAvoid(c, actor)).map((c) => c.id),
            cases,
          );

          for (const mine of MINE) {
            const queue = await listComplaints(db, dialect, actor, { mine }, { limit: CASES + 10, walkAbove });
            sameIds(
              `mine=${mine} of ${who}`,
              queue.items.map((x) => x.id),
              all.filter((c) => canSee(c, actor) && holds(mine, c, actor)).map((c) => c.id),
              cases,
            );
          }
        }
    }

    it(`${CASES} random cases, ${ACTORS} random actors: visibility, each relation, avoidance and the queues`, async () => {
      // The data exercises every rule, and avoidance where it matters: people barred from cases
      // they would otherwise see.
      const all = [...cases.values()];
      for (const rel of RELATIONS)
        assert.ok(
          all.some((c) => actors.some((a) => holds(rel, c, a))),
          `seed ${seed}: no case exercises ${rel}`,
        );
      const seeing = relationsGranting('see');
      assert.ok(
        all.some((c) => actors.some((a) => mustAvoid(c, a) && seeing.some((s) => holds(s, c, a)))),
        `seed ${seed}: no avoidance overrides a grant`,
      );
      await compare('as written');
    });

    it('after half the cases change people, department and state', async () => {
      const next = new Map<string, Complaint>();
      for (const c of cases.values()) next.set(c.id, r() < 0.5 ? reshuffle(r, c, users) : c);
      await t.database.db.transaction().execute(async (trx) => {
        for (const [id, c] of next) if (c !== cases.get(id)) await saveComplaint(trx, c, cases.get(id)!.version, []);
      });
      cases = next;
      await compare('after changes');
    });

    it('a walking list reads its order index and stops at the page, instead of gathering the person’s cases and sorting', { skip: dialect !== 'sqlite' && 'SQLite only (PostgreSQL plans by its statistics)' }, async () => {
      const person = actors.find((a) => a.kind !== 'system' && !a.managerOf.length && !a.roles.some((x) => ['specialist', 'admin', 'auditor', 'approver', 'followup'].includes(x)));
      assert.ok(person, `seed ${seed}: a person who sees only their own cases`);
      const walkQ = t.database.db
        .selectFrom('complaints')
        .select('id')
        .where(visibleTo(person, { walk: true }))
        .orderBy('received_at', 'desc')
        .orderBy('id', 'desc')
        .limit(51)
        .compile();
      const rows = (await t.database.db.executeQuery<{ detail: string }>({ ...walkQ, sql: `explain query plan ${walkQ.sql}` })).rows.map((x) => x.detail);
      assert.ok(rows[0]?.startsWith('SCAN complaints USING COVERING INDEX complaints_received'), rows.join(' | '));
      assert.ok(!rows.some((d) => d.includes('TEMP B-TREE')), rows.join(' | '));
    });
  });
}
