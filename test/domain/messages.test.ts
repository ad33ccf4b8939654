/**
 * The server's message catalogue (domain/messages): every key in zh-CN, zh-TW and en, with the
 * same placeholders in each language; one lookup for errors, portal, templates and policy
 * problems; and the policy checker's reports in zh-TW too.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MESSAGES, isMessageKey, message, placeholders, type MessageKey } from '../../src/domain/messages/index.js';
import { LOCALES, messageFor } from '../../src/domain/errors.js';
import { formatProblems, parsePolicyText } from '../../src/domain/policy/index.js';
import { t, stateLabel, eventLabel } from '../../src/http/portal/portal.i18n.js';
import { staffLabel } from '../../src/channels/templates.js';

const keys = Object.keys(MESSAGES) as MessageKey[];

describe('message catalogue', () => {
  it('covers every part of the server: errors, portal, templates, policy problems', () => {
    for (const prefix of ['error.', 'portal.', 'portal.state.', 'portal.event.', 'portal.satisfaction.', 'template.acknowledgement.', 'template.staff.', 'template.clock.', 'template.field.', 'policy.'])
      assert.ok(
        keys.some((k) => k.startsWith(prefix)),
        prefix,
      );
    assert.ok(keys.length > 200, `${keys.length} keys`);
  });

  it('every key exists in all three languages, none empty', () => {
    const missing = keys.flatMap((k) => LOCALES.filter((l) => typeof MESSAGES[k][l] !== 'string' || MESSAGES[k][l].trim() === '').map((l) => `${k} ${l}`));
    assert.deepEqual(missing, []);
    for (const k of keys) assert.deepEqual(Object.keys(MESSAGES[k]).sort(), [...LOCALES].sort(), k);
  });

  it('no placeholder differs between languages', () => {
    const differ = keys.filter((k) => {
      const [first, ...rest] = LOCALES.map((l) => placeholders(MESSAGES[k][l]).join(','));
      return rest.some((p) => p !== first);
    });
    assert.deepEqual(differ, []);
    // The check itself sees a difference.
    assert.notDeepEqual(placeholders('应为{expected}'), placeholders('expected {found}'));
  });

  it('one lookup: with values every placeholder is filled (a missing one by nothing); without, the text as written', () => {
    assert.equal(message('portal.state.again', 'en', { cycle: 2 }), 'Being handled again (round 2)');
    assert.equal(message('portal.state.again', 'zh-TW', {}), '重新處理中（第  次）');
    assert.match(message('template.acknowledgement.body', 'zh-CN'), /\{accessCode\}/);
    assert.equal(isMessageKey('error.not_found'), true);
    assert.equal(isMessageKey('error.no_such_code'), false);
  });

  it('the old look-ups read it: errors, portal words, states, events, staff titles', () => {
    assert.equal(messageFor('forbidden', 'zh-TW'), '無權執行此操作');
    assert.equal(t('en', 'files_hint', { n: 5, size: '10 MB' }), 'Pictures, PDF, documents, audio or video: at most 5 files of 10 MB each.');
    assert.equal(stateLabel('investigating', 'zh-CN', 3), '重新处理中（第 3 次）');
    assert.equal(stateLabel('closed', 'en'), 'Closed');
    assert.equal(eventLabel('answered', 'zh-TW'), '答覆');
    assert.equal(staffLabel('deadline_breached', 'zh-TW'), '已逾時並升級');
    assert.equal(staffLabel('not_a_template', 'en'), 'not_a_template');
  });
});

describe('policy problems in zh-TW', () => {
  const bad = 'id: demo\nversion: 1\nname: { zh-CN: 演示 }\ngrades: []\nnonsense: true\n';

  it('the shape translator writes zh-TW from the catalogue, not only zh-CN and en', () => {
    const r = parsePolicyText(bad, 'yaml');
    assert.equal(r.ok, false);
    if (r.ok) return;
    const version = r.problems.find((p) => p.path === 'version')!;
    assert.ok(version, JSON.stringify(r.problems));
    assert.equal(version.message['zh-TW'], message('policy.quote_it', 'zh-TW', { expected: '文本', found: '數字', value: '1' }));
    assert.match(version.message.en, /^expected text, found a number \(1\)/);
    const unknown = r.problems.find((p) => p.path === 'nonsense')!;
    assert.equal(unknown.message['zh-TW'], '未知字段“nonsense”');
  });

  it('formatProblems prints zh-TW', () => {
    const r = parsePolicyText(bad, 'yaml');
    if (r.ok) throw new Error('expected problems');
    const tw = formatProblems(r.problems, 'zh-TW');
    assert.match(tw, /^version: 應為文本，實際為數字（1）/m);
    assert.match(tw, /（第 2 行）/);
    assert.doesNotMatch(tw, /应为|实际/);
    assert.match(formatProblems(r.problems, 'en'), /^version: expected text, found a number \(1\).* \(line 2\)$/m);
  });
});
