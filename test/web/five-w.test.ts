/**
 * The 5W1H labels the console splits descriptions by (web/src/shared/five-w.ts, kept apart from
 * the catalogues so the print form loads one language) are the words the intake writes — each
 * catalogue's `intake.w.*` — and the server's dossier reads a description into the same parts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FIVE_W, FIVE_W_LABELS, fiveW } from '../../web/src/shared/five-w.js';
import { fiveW as serverFiveW } from '../../src/reports/pdf/dossier.js';

const LOCALES = ['zh-CN', 'zh-TW', 'en'] as const;
const catalogue = (l: string) => JSON.parse(readFileSync(`web/src/i18n/locales/${l}.json`, 'utf8')) as { intake: { w: Record<string, string> } };

describe('the 5W1H labels', () => {
  it('are the words each catalogue gives the intake', () => {
    for (const l of LOCALES) for (const k of FIVE_W) assert.equal(FIVE_W_LABELS[k][l], catalogue(l).intake.w[k], `${l} intake.w.${k}`);
  });

  it('split a description as the server dossier does, in every language and mixed', () => {
    const samples = LOCALES.map((l) => {
      const w = catalogue(l).intake.w;
      return `账单多扣了 30 元【${w.who}】营业员小王【${w.when}】3 月 2 日【${w.where}】人民路营业厅【${w.why}】退款【${w.how}】影响生活`;
    });
    samples.push('没有标签的描述', '开头【未知标签】其后【Who】Li Lei【时间】昨天', '【人员】只有人员');
    for (const s of samples) {
      const ours = fiveW(s);
      assert.deepEqual(ours, serverFiveW(s), s);
      assert.ok(Object.keys(ours).length > 0);
    }
    // The parts land where they belong (not all in "what").
    assert.equal(fiveW(samples[2]!).where, '人民路营业厅');
    assert.equal(fiveW('开头【未知标签】其后').what, '开头\n【未知标签】其后');
  });
});
