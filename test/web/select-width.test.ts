/**
 * A small select's width from its options (web/src/shared/select-width.ts): the longest label in
 * the language decides, CJK characters counting about twice a Latin one, never below the minimum.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { selectWidth, textEm } from '../../web/src/shared/select-width.js';

describe('select width', () => {
  it('counts CJK characters as 1 em and Latin ones as 0.6 em', () => {
    assert.equal(textEm('工作日'), 3);
    assert.equal(textEm('工作小時'), 4);
    assert.ok(Math.abs(textEm('working days') - 7.2) < 1e-9);
    assert.equal(textEm(''), 0);
  });

  it('is wide enough for the longest unit of the policy editor in each language', () => {
    for (const lang of ['zh-CN', 'zh-TW', 'en']) {
      const units = Object.values(JSON.parse(readFileSync(`web/src/i18n/locales/${lang}.json`, 'utf8')).policyEditor.unit as Record<string, string>);
      const longest = Math.max(...units.map(textEm));
      assert.equal(selectWidth(units, 90), `max(90px, calc(${longest.toFixed(1)}em + 40px))`, lang);
    }
    // "working hours": 13 Latin characters, about 109 px of a 14 px font, more than the old fixed 105 px with its arrow.
    assert.ok(textEm('working hours') * 14 + 40 > 105);
  });
});
