/** The ranking of suggestions (src/knowledge/scoring.ts): text first, category/product bonuses, bounded feedback. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CATEGORY_BONUS, feedbackFactor, rank, termFrequencies, type Candidate } from '../../src/knowledge/scoring.js';

const cand = (id: string, tokens: string[], over: Partial<Candidate> = {}): Candidate => ({ id, tf: termFrequencies(tokens), length: tokens.length, category: null, products: [], netFeedback: 0, ...over });
const corpus = (n: number) => ({ total: n, averageLength: 3, docFreq: () => 1 });

describe('suggestion ranking', () => {
  it('drops candidates sharing no term and ranks more shared terms higher', () => {
    const r = rank({ tokens: ['快递', '延误'], products: [] }, [cand('a', ['快递', '破损', '包装']), cand('b', ['快递', '延误', '送达']), cand('c', ['发票'])], corpus(3));
    assert.deepEqual(
      r.map((x) => x.id),
      ['b', 'a'],
    );
    assert.deepEqual(r[0]!.sharedTerms.sort(), ['延误', '快递'].sort());
  });

  it('adds the category and product bonuses and says so', () => {
    const r = rank({ tokens: ['快递'], category: 'timeliness', products: ['顺丰'] }, [cand('a', ['快递', 'x', 'y']), cand('b', ['快递', 'x', 'y'], { category: 'timeliness', products: ['顺丰'] })], corpus(2));
    assert.equal(r[0]!.id, 'b');
    assert.equal(r[0]!.sameCategory, true);
    assert.deepEqual(r[0]!.sharedProducts, ['顺丰']);
    assert.ok(r[0]!.score - r[1]!.score >= CATEGORY_BONUS);
  });

  it('feedback scales the score within [0.5, 1.5]', () => {
    assert.equal(feedbackFactor(0), 1);
    assert.equal(feedbackFactor(2), 1.2);
    assert.equal(feedbackFactor(100), 1.5);
    assert.equal(feedbackFactor(-100), 0.5);
    const r = rank({ tokens: ['快递'], products: [] }, [cand('a', ['快递', 'x', 'y'], { netFeedback: -3 }), cand('b', ['快递', 'x', 'y'])], corpus(2));
    assert.deepEqual(
      r.map((x) => x.id),
      ['b', 'a'],
    );
  });
});
