/**
 * Key-information marks (issue 13 §5) on real-looking complaint texts: phone numbers in the
 * common formats, order and waybill numbers, plates, amounts, dates and times, the policy's
 * products and the signal words — each with its explanation — and the grade / 恶性 suggestion
 * the signals add up to (the most severe one; never below the default).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { findKeyInformation, type KeyMark } from '../../../src/domain/complaint/key-information.js';
import { parsePolicyText, type Policy } from '../../../src/domain/policy/index.js';

function preset(file: string, extra = ''): Policy {
  const r = parsePolicyText(readFileSync(new URL(`../../../policies/${file}`, import.meta.url), 'utf8') + extra);
  if (!r.ok) throw new Error(JSON.stringify(r.problems).slice(0, 400));
  return r.policy;
}

const marked = (marks: KeyMark[]) => marks.map((m) => `${m.kind}:${m.text}`);

describe('key information in a complaint text', () => {
  const policy = preset('kesu-default.yaml', '\nhighlights:\n  products: [洗发水, 空气净化器]\n');

  it('marks phones, orders, amounts, dates, times and products, in text order', () => {
    const text = '我5月3日下午3点在你们店买的洗发水（订单号：DD20260503001），花了199元，瓶子漏了。联系电话 138-1234-5678，或 +86 139 1234 5678，座机 021-62345678。快递单 SF1234567890123 于2026年5月6日送到。';
    const r = findKeyInformation(text, policy);
    assert.deepEqual(marked(r.marks), [
      'datetime:5月3日',
      'datetime:下午3点',
      'product:洗发水',
      'order:DD20260503001',
      'amount:199元',
      'phone:138-1234-5678',
      'phone:+86 139 1234 5678',
      'phone:021-62345678',
      'order:SF1234567890123',
      'datetime:2026年5月6日',
    ]);
    for (const m of r.marks) assert.equal(text.slice(m.start, m.end), m.text, 'offsets point at the text');
    assert.equal(r.marks.find((m) => m.kind === 'phone')!.why['zh-CN'], '电话号码');
    assert.equal(r.marks.find((m) => m.kind === 'product')!.why.en, 'Product: 洗发水');
    assert.equal(r.suggestion, null, 'no signal word, no suggestion');
  });

  it('marks plates and ¥ amounts, and leaves plain numbers alone', () => {
    const r = findKeyInformation('车牌粤B·12345的车在4S店保养，收费￥1,280.50，等了3个小时，第2次来了。新能源车沪AD12345也一样。', policy);
    assert.deepEqual(marked(r.marks), ['plate:粤B·12345', 'amount:￥1,280.50', 'plate:沪AD12345']);
  });

  it('signal words suggest one grade above the default and the 恶性 flag, with the words that led to it', () => {
    const r = findKeyInformation('再不处理我就找媒体曝光，还要打12315投诉！', policy);
    assert.deepEqual(marked(r.marks), ['signal:媒体', 'signal:曝光', 'signal:12315', 'signal:投诉']);
    const higher = policy.grades[policy.grades.findIndex((g) => g.code === policy.defaultGrade) + 1]!.code;
    assert.deepEqual(r.suggestion, { grade: higher, vicious: true, because: ['媒体', '曝光', '12315', '投诉'] });
    assert.match(r.marks[0]!.why['zh-CN'], /升级信号（建议等级：.+，可能属恶性投诉）/);
    assert.match(r.marks[0]!.why.en, /Escalation signal \(suggests grade .+; may be a vicious complaint\)/);
  });

  it('a policy names its own signals and grades; the most severe suggestion wins; 投诉 alone suggests nothing', () => {
    const codes = policy.grades.map((g) => g.code);
    const top = codes[codes.length - 1]!;
    const own = preset('kesu-default.yaml', `\nhighlights:\n  signals:\n    - words: [律师函]\n      suggests: { grade: ${top} }\n    - words: [投诉]\n`);
    assert.equal(findKeyInformation('我要投诉', own).suggestion, null);
    const r = findKeyInformation('已经委托律师，明天发律师函。', own);
    assert.deepEqual(marked(r.marks), ['signal:律师函'], 'the default signals (律师) are replaced');
    assert.deepEqual(r.suggestion, { grade: top, vicious: false, because: ['律师函'] });
  });

  it('a signal naming an unknown grade is a policy problem with its path', () => {
    const r = parsePolicyText(readFileSync(new URL('../../../policies/kesu-default.yaml', import.meta.url), 'utf8') + '\nhighlights:\n  signals:\n    - words: [曝光]\n      suggests: { grade: nosuch }\n');
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.problems.some((p) => p.path === 'highlights.signals[0].suggests.grade'), JSON.stringify(!r.ok && r.problems));
  });

  it('marks texts of the real complaint sample without overlaps', () => {
    const rows = readFileSync(new URL('../../../../shared/data/zh-consumer-complaints-sample.csv', import.meta.url), 'utf8')
      .split('\n')
      .slice(1, 400);
    let marks = 0;
    for (const row of rows) {
      const r = findKeyInformation(row, policy);
      for (let i = 1; i < r.marks.length; i++) assert.ok(r.marks[i]!.start >= r.marks[i - 1]!.end, `overlap in ${row.slice(0, 40)}`);
      marks += r.marks.length;
    }
    assert.ok(marks > 20, `some key information found in 400 real texts (${marks})`);
  });
});
