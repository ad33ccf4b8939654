/**
 * The purge's group size (records/purge-group-size.ts) follows the time its groups take: grows
 * while groups finish under the budget, shrinks when they overrun it, at most ×2 / ÷2 a step,
 * never outside its bounds, and ignores a short tail. Durations are fed in, not measured.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GroupSize } from '../../src/records/purge-group-size.js';

const sizing = { min: 25, max: 200, budgetMs: 60 };

describe('purge group size', () => {
  it('grows towards the budget when groups are fast, at most doubling, up to the maximum', () => {
    const g = new GroupSize(sizing, 50);
    g.took(50, 10); // 6× under budget: doubled, not ×6
    assert.equal(g.next(), 100);
    g.took(100, 40); // 150 by the rate
    assert.equal(g.next(), 150);
    g.took(150, 1);
    assert.equal(g.next(), 200);
    g.took(200, 0);
    assert.equal(g.next(), 200);
  });

  it('shrinks when a group overruns, at most halving, down to the minimum', () => {
    const g = new GroupSize(sizing, 200);
    g.took(200, 80); // 150 by the rate
    assert.equal(g.next(), 150);
    g.took(150, 10_000);
    assert.equal(g.next(), 75);
    g.took(75, 10_000);
    assert.equal(g.next(), 38);
    g.took(38, 10_000);
    assert.equal(g.next(), 25);
  });

  it('a short last group (fewer cases than asked) leaves the size as it was', () => {
    const g = new GroupSize(sizing, 50);
    g.took(3, 1000);
    assert.equal(g.next(), 50);
  });

  it('starts within the bounds', () => {
    assert.equal(new GroupSize(sizing, 5).next(), 25);
    assert.equal(new GroupSize(sizing, 5000).next(), 200);
  });
});
