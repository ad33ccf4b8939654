/** The `repeats` policy section: defaults for a policy stored before it existed; bad values refused by field. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { repeatsPolicy } from '../../src/domain/policy/repeats.js';
import { repeatRulesOf } from '../../src/repeats/definition.js';
import { jaccard, tokenSet } from '../../src/repeats/similarity.js';
import type { Policy } from '../../src/domain/policy/index.js';

describe('repeats policy section', () => {
  it('a stored policy without the section gets the defaults', () => {
    assert.deepEqual(repeatRulesOf({} as Policy), { customerWindowDays: 90, subjectWindowDays: 30, textSimilarity: 0.8 });
    assert.deepEqual(repeatRulesOf({ repeats: { customerWindowDays: 7, subjectWindowDays: 3, textSimilarity: 0.5 } } as unknown as Policy), { customerWindowDays: 7, subjectWindowDays: 3, textSimilarity: 0.5 });
  });
  it('refuses a similarity above 1 and an unknown key, naming them', () => {
    const r = repeatsPolicy.safeParse({ textSimilarity: 1.5, window: 3 });
    assert.equal(r.success, false);
    const paths = r.error!.issues.map((i) => (i.path.length ? i.path.join('.') : (i as { keys?: string[] }).keys?.join(',')));
    assert.deepEqual(paths.sort(), ['textSimilarity', 'window']);
  });
});

describe('text similarity', () => {
  it('is 1 for the same words with other punctuation, lower for other words', () => {
    assert.equal(jaccard(tokenSet('宽带又断了，师傅没修好'), tokenSet('宽带又断了！师傅没修好。')), 1);
    assert.ok(jaccard(tokenSet('宽带又断了，师傅没修好'), tokenSet('快递柜门打不开')) < 0.2);
    assert.equal(jaccard(new Set(), new Set()), 0);
  });
});
