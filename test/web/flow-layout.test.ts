/**
 * The flowchart's layout of the real lifecycle table (as GET /api/v1/lifecycle serves it): the
 * main path is one straight column from 受理 to 归档, every transition between two states is
 * drawn once and labelled with its actions, back-edges (改派, 驳回, an unsatisfied 回访) run in
 * right-hand lanes, no two states overlap and no edge runs through a state.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lifecycleTable } from '../../src/http/complaints/complaint.routes.js';
import { layoutFlow } from '../../web/src/modules/case/flow-layout.js';
import { edges, KINDS } from '../../src/domain/lifecycle/graph.js';

const table = lifecycleTable() as never;

describe('flowchart layout', () => {
  for (const kind of KINDS) {
    it(`lays out ${kind} readably`, () => {
      const f = layoutFlow(table, kind);
      const main = f.nodes.filter((n) => n.main).sort((a, b) => a.row - b.row);
      assert.equal(main[0]!.state, 'received');
      assert.equal(main[main.length - 1]!.state, 'archived');
      assert.equal(new Set(main.map((n) => n.x)).size, 1, 'the main path is one straight column');
      // No overlapping states.
      for (const a of f.nodes) for (const b of f.nodes) if (a !== b) assert.ok(a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y, `${a.state} overlaps ${b.state}`);
      // Every state change of the table is drawn: as an edge, a group edge, or listed as in place.
      const drawn = (from: string, to: string, action: string) =>
        f.edges.some((e) => e.actions.includes(action) && e.from.split('|').includes(from) && e.to.split('|').includes(to)) || f.inPlace.some((p) => p.action === action && p.states.includes(from));
      for (const e of edges(kind)) if (e.from !== e.to) assert.ok(drawn(e.from, e.to, e.action), `${kind}: ${e.from} -${e.action}-> ${e.to}`);
      // No segment passes through a state's box (other than its own ends).
      for (const e of f.edges)
        for (let i = 0; i + 1 < e.points.length; i++) {
          const [[x1, y1], [x2, y2]] = [e.points[i]!, e.points[i + 1]!];
          for (const n of f.nodes) {
            const inside = (x: number, y: number) => x > n.x + 1 && x < n.x + n.w - 1 && y > n.y + 1 && y < n.y + n.h - 1;
            const mid: [number, number] = [(x1 + x2) / 2, (y1 + y2) / 2];
            assert.ok(!inside(...mid), `${e.from}>${e.to} crosses ${n.state}`);
          }
        }
    });
  }

  it('routes the complaint’s back-edges around and labels them', () => {
    const f = layoutFlow(table, 'complaint');
    const back = f.edges
      .filter((e) => e.kind === 'back')
      .map((e) => `${e.from}>${e.to}:${e.actions.join('/')}`)
      .sort();
    assert.deepEqual(back, ['answered>investigating:follow_up', 'awaiting_approval>investigated:reject', 'investigated>assigned:reroute', 'investigating>assigned:reroute'].sort());
    const rightOfMain = Math.max(...f.nodes.filter((n) => n.main).map((n) => n.x + n.w));
    for (const e of f.edges.filter((x) => x.kind === 'back')) assert.ok(Math.max(...e.points.map((p) => p[0])) > rightOfMain);
    assert.ok(
      f.inPlace.some((p) => p.action === 'request_extension'),
      'extensions keep the state and are listed',
    );
    assert.ok(f.edges.some((e) => e.kind === 'group' && e.actions.includes('pend')) && f.edges.some((e) => e.kind === 'group' && e.actions.includes('resume')));
    assert.ok(f.width <= 1366 - 196 - 24, `fits beside the menu at 1366 px: ${f.width}`);
  });
});
