/**
 * The jieba dictionary (~35 MB native, plus the files) is loaded on the first text cut, once —
 * not when the server starts (issue 9: idle RSS).
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { startKesu } from '../support/kesu.js';
import { searchTokens, tokenizerLoaded } from '../../src/search/tokenize.js';

it('a started server has not loaded the dictionary; the first search or intake does', async () => {
  const k = await startKesu('sqlite');
  try {
    assert.equal(tokenizerLoaded(), false, 'not loaded by start-up');
    const list = await k.as('specialist').get('/api/v1/complaints?limit=5&text=漏水');
    assert.equal(list.status, 200);
    assert.equal(tokenizerLoaded(), true);
    assert.deepEqual(searchTokens('空调漏水，要求退款'), ['空调', '漏水', '要求', '退款']);
  } finally {
    await k.close();
  }
});
