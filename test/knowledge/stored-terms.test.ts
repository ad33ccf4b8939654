/**
 * Matching reads a candidate case's stored match tokens (`complaint_terms`, written at intake,
 * migration 0040) instead of cutting its text again — and ranks exactly as the cut did. On both
 * engines, through the real server: 24 real complaints (fixtures/eval-set.json, copied unchanged
 * from ../shared/data/zh-consumer-complaints-sample.csv) are taken in and answered; each one's
 * stored tokens are those of its title and description; 20 real texts are matched, once with the
 * stored tokens and once with them gone (the path of a case made before 0040: cut from the body),
 * and every suggestion, score and reason is the same. Not vacuous: the texts find many cases with
 * different scores, and a case whose stored tokens say nothing drops out — so they are read.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { searchTokens } from '../../src/search/tokenize.js';

interface EvalItem {
  id: string;
  text: string;
}
const items = (JSON.parse(readFileSync(new URL('./fixtures/eval-set.json', import.meta.url), 'utf8')) as { items: EvalItem[] }).items;
const caseTexts = items.slice(0, 24).map((x) => x.text);
// Texts of other complaints, and six of the cases' own (a near-identical complaint).
const queries = [...items.slice(24, 38).map((x) => x.text), ...caseTexts.slice(0, 6)];

interface CaseMatch {
  id: string;
  score: number;
  reasons: { sharedTerms: string[] };
}

async function answeredCase(k: Kesu, description: string, n: number): Promise<string> {
  const ids = Object.fromEntries(k.userIds);
  const created = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description, complainant: { name: `客户${n}`, phone: `1390000${String(n).padStart(4, '0')}` } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.complaint.id as string;
  const steps: [string, string, Record<string, unknown>][] = [
    ['specialist', 'judge', { valid: true }],
    ['specialist', 'classify', { category: 'timeliness', grade: 'general', customerClass: 'B' }],
    ['specialist', 'route', { departmentCode: 'logistics', primaryHandlerId: ids.handler, backupHandlerId: ids.handler2 }],
    ['handler', 'accept', {}],
    ['handler', 'investigate', { facts: '已核实', cause: '流程问题', responsibility: { type: 'department', departmentCode: 'logistics' } }],
    ['handler', 'propose', { solutions: ['apology'], amount: 0, description: '致歉' }],
  ];
  for (const [user, action, body] of steps) {
    const r = await k.as(user).act(id, action, body);
    assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body)}`);
    if (action === 'propose' && r.body.complaint.state === 'awaiting_approval') assert.equal((await k.as('deptmanager').act(id, 'approve', { comment: '同意' })).status, 200);
  }
  const a = await k.as('handler').act(id, 'answer', { text: '已处理并致歉', method: 'phone' });
  assert.equal(a.body.complaint.state, 'answered', JSON.stringify(a.body));
  k.clock.advance(60_000);
  return id;
}

for (const { dialect, skip } of await engines()) {
  describe(`matching reads the stored match tokens (${dialect})`, { skip }, () => {
    let k: Kesu;
    const ids: string[] = [];
    before(async () => {
      k = await startKesu(dialect, { start: new Date().toISOString() });
      for (const [n, text] of caseTexts.entries()) ids.push(await answeredCase(k, text, n));
    });
    after(async () => k?.close());

    const matchAll = async () => {
      const out: CaseMatch[][] = [];
      for (const text of queries) {
        const r = await k.as('specialist').post('/api/v1/knowledge/match', { text });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        out.push(r.body.cases as CaseMatch[]);
      }
      return out;
    };

    it('stores at intake the tokens of the title and description', async () => {
      const db = k.app.database.db;
      const rows = await db.selectFrom('complaints as c').leftJoin('complaint_terms as t', 't.complaint_id', 'c.id').select(['c.id', 'c.body', 't.terms']).where('c.id', 'in', ids).execute();
      assert.equal(rows.length, ids.length);
      for (const r of rows) {
        const c = JSON.parse(r.body) as { title: string; description: string };
        assert.equal(r.terms, searchTokens(`${c.title}\n${c.description}`).join(' '), r.id);
      }
    });

    it('ranks with the stored tokens exactly as with the texts cut again', async () => {
      const stored = await matchAll();
      const db = k.app.database.db;
      const saved = await db.selectFrom('complaint_terms').selectAll().where('complaint_id', 'in', ids).execute();
      await db.deleteFrom('complaint_terms').where('complaint_id', 'in', ids).execute();
      try {
        const cut = await matchAll();
        assert.deepEqual(stored, cut);
      } finally {
        await db.insertInto('complaint_terms').values(saved).execute();
      }
      // Not vacuous: most texts find cases, with scores that differ.
      const found = stored.filter((cs) => cs.length > 0).length;
      assert.ok(found >= queries.length - 2, `${found} of ${queries.length} texts found similar cases`);
      assert.ok(new Set(stored.flat().map((c) => c.score)).size >= 10, 'many different scores');
      assert.ok(
        stored.slice(-6).every((cs, i) => cs[0]?.id === ids[i]),
        'a case’s own text finds it first',
      );
    });

    it('reads the stored tokens: a case whose stored tokens share nothing is no longer suggested', async () => {
      const db = k.app.database.db;
      const target = ids[0]!;
      const own = queries[queries.length - 6]!; // the first case's own text
      const first = await k.as('specialist').post('/api/v1/knowledge/match', { text: own });
      assert.equal((first.body.cases as CaseMatch[])[0]?.id, target);
      const saved = await db.selectFrom('complaint_terms').select('terms').where('complaint_id', '=', target).executeTakeFirstOrThrow();
      await db.updateTable('complaint_terms').set({ terms: 'zzz' }).where('complaint_id', '=', target).execute();
      try {
        const then = await k.as('specialist').post('/api/v1/knowledge/match', { text: own });
        assert.ok(!(then.body.cases as CaseMatch[]).some((c) => c.id === target), 'ranked by what is stored');
      } finally {
        await db.updateTable('complaint_terms').set({ terms: saved.terms }).where('complaint_id', '=', target).execute();
      }
    });
  });
}
