/**
 * POST /api/v1/text/key-information (issue 13 §5): staff get the marks and the suggestion of the
 * active policy for a text; a stranger gets 401; a text over the bound gets 400 naming `text` in
 * the caller's language only.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startKesu, type Kesu } from '../support/kesu.js';

describe('key information through the API', () => {
  let k: Kesu;
  before(async () => {
    k = await startKesu('sqlite');
  });
  after(async () => k?.close());

  it('marks a text for a signed-in agent and suggests a grade from its signals', async () => {
    const r = await k.as('agent').post('/api/v1/text/key-information', { text: '订单号 JD20261102888 退款 350元 还没到，再不处理我就找媒体曝光。电话13812345678' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(
      r.body.marks.map((m: { kind: string; text: string }) => `${m.kind}:${m.text}`),
      ['order:JD20261102888', 'amount:350元', 'signal:媒体', 'signal:曝光', 'phone:13812345678'],
    );
    assert.equal(r.body.suggestion.vicious, true);
    assert.deepEqual(r.body.suggestion.because, ['媒体', '曝光']);
    const policy = await k.app.activePolicy();
    assert.ok(policy.grades.some((g) => g.code === r.body.suggestion.grade));
    assert.notEqual(r.body.suggestion.grade, policy.defaultGrade, 'one above the default grade');
  });

  it('refuses strangers and an over-long text, naming the field in one language', async () => {
    const anon = await k.server.inject({ method: 'POST', url: '/api/v1/text/key-information', payload: { text: 'x' } });
    assert.equal(anon.statusCode, 401);
    const long = await k.as('agent').post('/api/v1/text/key-information', { text: 'x'.repeat(20_001) }, { 'accept-language': 'en' });
    assert.equal(long.status, 400, JSON.stringify(long.body));
    assert.equal(long.body.fields[0].path, 'text');
    assert.doesNotMatch(long.body.fields[0].message, /[\u4e00-\u9fff]/, 'English only');
    const zh = await k.as('agent').post('/api/v1/text/key-information', { text: 'x'.repeat(20_001) });
    assert.match(zh.body.fields[0].message, /[\u4e00-\u9fff]/);
    assert.doesNotMatch(zh.body.fields[0].message, /\|/, 'no bilingual message');
  });
});
