/**
 * The similar-case candidates of matching (store/knowledge.repository.ts `similarCaseCandidates`),
 * on every engine: its readings — on PostgreSQL `sparse` (start from the cases sharing a word)
 * and `dense` (walk the cases newest first and check each one's token row), on SQLite the walk
 * of the full-text index newest first — select exactly the rows of the plain definition: resolved cases the person may see
 * (`visibleTo`) sharing any of the words, newest first. Checked for the agent, the specialist,
 * the handler and the follow-up caller the last case complains about, for a common word, a rare
 * one and both (cases registered in order, so SQLite's registration order is the intake order).
 * On SQLite the plan starts from the full-text index, sorts nothing and lists no one's cases, and
 * the walk's bound (`SIMILAR_WALK`, the newest matches it reads) keeps exactly the visible resolved
 * cases among the matches it read, for every bound from one match to all of them.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type CompiledQuery } from 'kysely';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { visibleTo } from '../../src/store/complaint.repository.js';
import { RESOLVED_STATES, SIMILAR_WALK, similarCaseCandidates } from '../../src/store/knowledge.repository.js';
import { actorOf, findUserByUsername } from '../../src/store/user.repository.js';
import type { Actor } from '../../src/domain/complaint/types.js';

for (const { dialect, skip } of await engines()) {
  describe(`similar-case candidates (${dialect})`, { skip }, () => {
    let k: Kesu;
    const ids: Record<string, string> = {};
    const actor = async (username: string): Promise<Actor> => actorOf((await findUserByUsername(k.app.database.db, username))!);

    /** A case driven to `answered` (or left received with `open`), naming `subject` as complained about. */
    const makeCase = async (name: string, description: string, opts: { open?: boolean; subject?: string } = {}) => {
      const u = Object.fromEntries(k.userIds);
      const created = await k.as('agent').post('/api/v1/complaints', {
        channel: 'phone',
        description,
        complainant: { name: `客户${name}`, phone: `1391234${String(Object.keys(ids).length).padStart(4, '0')}` },
        ...(opts.subject ? { subject: { employeeIds: [u[opts.subject]] } } : {}),
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = created.body.complaint.id as string;
      ids[name] = id;
      if (opts.open) return;
      const act = async (user: string, action: string, body: Record<string, unknown>) => {
        const r = await k.as(user).act(id, action, body);
        assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body)}`);
        return r;
      };
      await act('specialist', 'judge', { valid: true });
      await act('specialist', 'classify', { category: 'timeliness', grade: 'general', customerClass: 'B' });
      await act('specialist', 'route', { departmentCode: 'logistics', primaryHandlerId: u.handler, backupHandlerId: u.handler2 });
      await act('handler', 'accept', {});
      await act('handler', 'investigate', { facts: '配送站排班不足', cause: '旺季运力不足', responsibility: { type: 'department', departmentCode: 'logistics' } });
      const p = await act('handler', 'propose', { solutions: ['apology'], amount: 0, description: '致歉' });
      if (p.body.complaint.state === 'awaiting_approval') await act('deptmanager', 'approve', { comment: '同意' });
      const a = await act('handler', 'answer', { text: '已处理', method: 'phone' });
      assert.equal(a.body.complaint.state, 'answered');
      k.clock.advance(60_000);
    };

    before(async () => {
      k = await startKesu(dialect, { start: new Date().toISOString() });
      await makeCase('d1', '快递延误了五天还没有送达');
      await makeCase('d2', '快递延误，包裹也破了');
      await makeCase('fridge', '冰箱坏了，快递送货很慢');
      await makeCase('rare', '冰箱不制冷三天了');
      await makeCase('open', '快递延误又一次', { open: true });
      await makeCase('about-followup', '快递延误，回访员态度差', { subject: 'followup' });
    });
    after(async () => k?.close());

    const definition = async (a: Actor, tokens: string[]) => {
      const db = k.app.database.db;
      const q =
        dialect === 'postgres'
          ? sql<string>`(select complaint_id from complaint_search where to_tsvector('simple', tokens) @@ to_tsquery('simple', ${tokens.map((t) => `'${t}'`).join(' | ')}))`
          : sql<string>`(select complaint_id from complaint_search where complaint_search match ${tokens.map((t) => `"${t}"`).join(' OR ')})`;
      const rows = await db
        .selectFrom('complaints')
        .select('id')
        .where(visibleTo(a))
        .where('state', 'in', [...RESOLVED_STATES])
        .where('id', 'in', q)
        .orderBy('received_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return rows.map((r) => r.id);
    };

    it('selects, in both readings, the rows of the definition', async () => {
      const db = k.app.database.db;
      const seen: Record<string, string[]> = {};
      for (const username of ['agent', 'specialist', 'handler', 'followup'])
        for (const tokens of [['快递'], ['冰箱'], ['延误', '冰箱']]) {
          const a = await actor(username);
          const expected = await definition(a, tokens);
          for (const form of ['dense', 'sparse'] as const) {
            const got = (await similarCaseCandidates(db, dialect, a, tokens, 200, { form })).map((r) => r.id);
            assert.deepEqual(got, expected, `${username} ${tokens.join('|')} ${form}`);
          }
          const auto = (await similarCaseCandidates(db, dialect, a, tokens, 200)).map((r) => r.id);
          assert.deepEqual(auto, expected, `${username} ${tokens.join('|')}`);
          seen[`${username} ${tokens.join('|')}`] = expected;
        }
      // Not a vacuous equality: the words and the people select different cases.
      assert.deepEqual(new Set(seen['agent 快递']), new Set([ids.d1, ids.d2, ids.fridge, ids['about-followup']]));
      assert.deepEqual(seen['agent 冰箱'], [ids.rare, ids.fridge], 'newest first');
      assert.ok(!seen['followup 快递']!.includes(ids['about-followup']!), 'the complained-about follow-up caller never gets the case about them');
      assert.ok(seen['specialist 快递']!.includes(ids['about-followup']!));
      assert.ok(seen['specialist 快递']!.includes(ids.d1!));
      assert.ok(!Object.values(seen).some((xs) => xs.includes(ids.open!)), 'an open case is never a similar resolved case');
      // The limit keeps the newest.
      const two = await similarCaseCandidates(db, dialect, await actor('agent'), ['快递'], 2, { form: 'dense' });
      assert.deepEqual(
        two.map((r) => r.id),
        seen['agent 快递']!.slice(0, 2),
      );
    });

    it('on SQLite, a bounded walk gives the visible resolved cases among the newest matches it reads, never another', { skip: dialect !== 'sqlite' && 'SQLite walk only' }, async () => {
      const db = k.app.database.db;
      for (const tokens of [['快递'], ['延误', '冰箱']]) {
        // Every case sharing a word, newest registered first, whatever its state or reader.
        const matches = (await sql<{ complaint_id: string }>`select complaint_id from complaint_search where complaint_search match ${tokens.map((t) => `"${t}"`).join(' OR ')} order by rowid desc`.execute(db)).rows.map(
          (r) => r.complaint_id,
        );
        assert.ok(matches.length >= 4, `${tokens.join('|')}: ${matches.length} matches`);
        for (const username of ['agent', 'handler', 'followup']) {
          const a = await actor(username);
          const expected = await definition(a, tokens);
          for (let walk = 1; walk <= matches.length + 1; walk++) {
            const window = new Set(matches.slice(0, walk));
            const got = (await similarCaseCandidates(db, dialect, a, tokens, 200, { walk })).map((r) => r.id);
            assert.deepEqual(
              got,
              expected.filter((id) => window.has(id)),
              `${username} ${tokens.join('|')} walk ${walk}`,
            );
          }
          // Past the last match the bound changes nothing.
          assert.deepEqual(
            (await similarCaseCandidates(db, dialect, a, tokens, 200, { walk: matches.length })).map((r) => r.id),
            expected,
          );
        }
      }
      // Not vacuous: a window of the two newest 快递 cases holds an open one, which is never offered, and leaves older ones out.
      const two = (await similarCaseCandidates(db, dialect, await actor('agent'), ['快递'], 200, { walk: 2 })).map((r) => r.id);
      assert.deepEqual(two, [ids['about-followup']]);
      assert.ok(SIMILAR_WALK >= 1000, 'the bound is far above the 200 candidates a reader who sees most cases needs');
    });

    it('on SQLite, the walk starts from the full-text index in its own order and sorts nothing', { skip: dialect !== 'sqlite' && 'SQLite plan only' }, async () => {
      const db = k.app.database.db;
      // The statement the repository runs, captured from the executor and explained.
      const captured: CompiledQuery[] = [];
      const executor = db.getExecutor() as unknown as { executeQuery: (c: CompiledQuery, id: unknown) => Promise<unknown> };
      const original = executor.executeQuery.bind(executor);
      executor.executeQuery = async (c, id) => (captured.push(c), original(c, id));
      try {
        await similarCaseCandidates(db, dialect, await actor('agent'), ['快递', '冰箱'], 200);
      } finally {
        executor.executeQuery = original;
      }
      const c = captured.at(-1)!;
      let i = 0;
      const text = c.sql.replace(/\?/g, () => {
        const v = c.parameters[i++];
        return typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`;
      });
      const plan = (await sql<{ detail: string }>`explain query plan ${sql.raw(text)}`.execute(db)).rows.map((r) => r.detail);
      // The bounded walk (SIMILAR_WALK) streams the index's newest matches through a co-routine.
      assert.ok(
        plan.some((d) => d.startsWith('SCAN complaint_search VIRTUAL TABLE')),
        plan.join('\n'),
      );
      assert.ok(plan.indexOf('SCAN m') < plan.findIndex((d) => d.startsWith('SEARCH complaints')), `the walk drives the case lookups:\n${plan.join('\n')}`);
      assert.ok(!plan.some((d) => d.includes('TEMP B-TREE')), `no sort of every match:\n${plan.join('\n')}`);
      assert.ok(!plan.some((d) => d.startsWith('LIST SUBQUERY')), `no list of the agent's cases:\n${plan.join('\n')}`);
    });
  });
}
