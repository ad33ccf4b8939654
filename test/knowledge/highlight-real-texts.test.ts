/**
 * Key-information marks on real complaint texts (issue 13 "Done when": highlighting tested on
 * real texts from ../shared/data/): rows of zh-consumer-complaints-sample.csv (SophonPlus /
 * ChineseNlpCorpus, read from the file by their id, unchanged), each read by hand, with the exact
 * marks it must get — a mobile number, an order number, amounts, dates and times, products of a
 * catalogue, escalation words and the suggestion they lead to. The default policy's signals; the
 * catalogue is the test's (products these texts name).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { findKeyInformation } from '../../src/domain/complaint/key-information.js';
import { parsePolicyText } from '../../src/domain/policy/index.js';
import { parseCsv } from '../../src/records/import/csv.js';

const SAMPLE = new URL('../../../shared/data/zh-consumer-complaints-sample.csv', import.meta.url);
const rows = parseCsv(readFileSync(SAMPLE, 'utf8'));
const header = rows[0]!.fields;
const textOf = new Map(rows.slice(1).map((r) => [r.fields[header.indexOf('id')]!, r.fields[header.indexOf('text')]!]));
const real = (id: string): string => {
  const t = textOf.get(id);
  assert.ok(t, `${id} is in the sample`);
  return t;
};

const parsed = parsePolicyText(readFileSync(new URL('../../policies/kesu-default.yaml', import.meta.url), 'utf8') + '\nhighlights:\n  products: [热水器, 蒙牛, X800, 华为手机]\n');
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems).slice(0, 400));
const policy = parsed.policy;

const marksOf = (id: string) => {
  const text = real(id);
  const r = findKeyInformation(text, policy);
  for (const m of r.marks) assert.equal(text.slice(m.start, m.end), m.text, `${id}: the offsets point at the text`);
  return { marks: r.marks.map((m) => `${m.kind}:${m.text}`), why: r.marks.map((m) => m.why['zh-CN']), suggestion: r.suggestion };
};

describe('key information on real complaint texts', () => {
  it('a mobile number and a model of the catalogue (zh-00410)', () => {
    // “…我买了一部X800用了不到15天按键失灵…打我手机我是大连的13795119899”: 15天 / 5天 are durations, not dates.
    const r = marksOf('zh-00410');
    assert.deepEqual(r.marks, ['product:X800', 'phone:13795119899']);
    assert.deepEqual(r.why, ['产品：X800', '电话号码']);
    assert.equal(r.suggestion, null);
  });

  it('a date and an order number (zh-00135)', () => {
    // “我于2008年1月29日下单…订单号： 1457306335；…缺了17页？从218页直接跳到了235页”: page numbers stay unmarked.
    assert.deepEqual(marksOf('zh-00135').marks, ['datetime:2008年1月29日', 'order:1457306335']);
  });

  it('amounts and dates in text order (zh-00305)', () => {
    // “我以1980元的价格购买…04年12月5号，此机过保维修，至05年1月5号…”, and a repair bill of 220元 later on.
    const r = marksOf('zh-00305');
    assert.deepEqual(r.marks, ['amount:1980元', 'datetime:12月5号', 'datetime:1月5号', 'amount:220元']);
    assert.deepEqual([...new Set(r.why)], ['金额', '日期 / 时间']);
  });

  it('a timestamp with seconds, a date and 投诉 (which alone suggests nothing) (zh-00007)', () => {
    const r = marksOf('zh-00007');
    assert.deepEqual(r.marks, ['datetime:2007-10-30 21:58:23', 'datetime:11月12日', 'signal:投诉']);
    assert.equal(r.suggestion, null, '投诉 alone suggests no grade');
  });

  it('products named more than once, with amounts (zh-00790) and dates (zh-00984)', () => {
    assert.deepEqual(marksOf('zh-00790').marks, ['product:热水器', 'amount:150元', 'amount:120元', 'amount:850元', 'product:热水器']);
    assert.deepEqual(marksOf('zh-00984').marks, ['datetime:11月16号', 'datetime:11月14号', 'product:蒙牛', 'product:蒙牛', 'product:蒙牛']);
    assert.deepEqual(marksOf('zh-00163').marks, ['product:华为手机', 'amount:100元']);
  });

  it('escalation words 曝光 and 媒体 suggest the next grade and the 恶性 flag (zh-00900, zh-00864)', () => {
    const higher = policy.grades[policy.grades.findIndex((g) => g.code === policy.defaultGrade) + 1]!.code;
    for (const [id, word] of [
      ['zh-00900', '曝光'],
      ['zh-00864', '媒体'],
    ] as const) {
      const r = marksOf(id);
      assert.deepEqual(r.marks, ['product:蒙牛', `signal:${word}`], id);
      assert.deepEqual(r.suggestion, { grade: higher, vicious: true, because: [word] }, id);
      assert.match(r.why[1]!, /^升级信号（建议等级：.+，可能属恶性投诉）$/);
    }
  });
});
