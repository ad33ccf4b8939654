/** The machine is sound: every state reachable, every case can reach its end, no dead ends. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { STATES, type State } from '../../../src/domain/complaint/types.js';
import { KINDS, canReach, edges, reachable, lifecycleMarkdown } from '../../../src/domain/lifecycle/graph.js';
import { ACTIONS, ACTION_NAMES } from '../../../src/domain/lifecycle/machine.js';

describe('lifecycle soundness', () => {
  it('every complaint state is reachable from intake', () => {
    const r = reachable('complaint');
    assert.deepEqual(
      STATES.filter((s) => !r.has(s)),
      [],
    );
  });

  for (const kind of KINDS) {
    it(`${kind}: every reachable state can reach archived (no dead ends)`, () => {
      const r = reachable(kind);
      const toArchive = canReach(kind, 'archived');
      const stuck = [...r].filter((s) => !toArchive.has(s));
      assert.deepEqual(stuck, []);
      // Only `archived` has no way out.
      const out = new Set(
        edges(kind)
          .filter((e) => e.from !== e.to)
          .map((e) => e.from),
      );
      assert.deepEqual(
        [...r].filter((s) => !out.has(s)),
        ['archived'],
      );
    });
  }

  it('invalid complaints reach closed', () => {
    assert.ok(canReach('complaint', 'closed').has('invalid'));
  });

  it('inquiries and suggestions have short flows', () => {
    assert.deepEqual([...reachable('inquiry')].sort(), ['answered', 'archived', 'closed', 'received']);
    assert.deepEqual([...reachable('suggestion')].sort(), ['answered', 'archived', 'assigned', 'closed', 'received']);
  });

  it('every action names valid states, a label in three languages and at least one performer', () => {
    for (const name of ACTION_NAMES) {
      const a = ACTIONS[name];
      for (const states of Object.values(a.from)) for (const s of states ?? []) assert.ok((STATES as readonly State[]).includes(s), `${name} from ${s}`);
      for (const s of a.targets) assert.ok((STATES as readonly State[]).includes(s), `${name} to ${s}`);
      assert.ok(a.label['zh-CN'] && a.label['zh-TW'] && a.label.en, name);
      assert.ok(a.who.length > 0, name);
    }
  });

  it('docs/lifecycle.md is generated from the table (run `npm run docs:lifecycle`)', () => {
    assert.equal(readFileSync(new URL('../../../docs/lifecycle.md', import.meta.url), 'utf8'), lifecycleMarkdown());
  });
});
