/**
 * English counts agree with their number: every English text that counts something ("{{count}}
 * cases", "{{count}} file(s)") has i18next plural forms, and rendered through i18next with the
 * console's catalogues it says "1 case" and "2 cases" — never "1 cases" nor "(s)".
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import i18next from 'i18next';

const read = (l: string) => JSON.parse(readFileSync(`web/src/i18n/locales/${l}.json`, 'utf8')) as Record<string, unknown>;
const en = read('en');

function flatten(o: Record<string, unknown>, prefix = ''): [string, string][] {
  return Object.entries(o).flatMap(([k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k;
    return v && typeof v === 'object' ? flatten(v as Record<string, unknown>, key) : [[key, String(v)] as [string, string]];
  });
}

const entries = flatten(en);
const PLURAL = /_(one|other)$/;
/** A count followed (a few words on) by an English plural noun or the "(s)" makeshift. */
const countsSomething = (text: string) => /\{\{count\}\}(\s+[a-z]+)*?\s+[a-z]+(s|\(s\))\b/i.test(text) || (text.includes('{{count}}') && text.includes('(s)'));

describe('English plurals', () => {
  it('every English count-string has _one and _other forms', () => {
    const bare = entries.filter(([k, v]) => !PLURAL.test(k) && countsSomething(v)).map(([k, v]) => `${k}: ${v}`);
    assert.deepEqual(bare, [], 'count-strings without plural forms');
    const keys = new Set(entries.map(([k]) => k));
    for (const [k] of entries.filter(([k]) => PLURAL.test(k))) {
      const base = k.replace(PLURAL, '');
      assert.ok(keys.has(`${base}_one`) && keys.has(`${base}_other`), `${base} needs both _one and _other`);
      assert.ok(!keys.has(base), `${base} has plural forms and a plain key`);
    }
    assert.ok(
      entries.some(([k]) => k === 'queue.count_one'),
      'the queue footer counts in English',
    );
  });

  it('renders "1 case" / "2 cases" in English and the plain text in Chinese', async () => {
    const i = i18next.createInstance();
    await i.init({ resources: { en: { translation: en }, 'zh-CN': { translation: read('zh-CN') }, 'zh-TW': { translation: read('zh-TW') } }, lng: 'en', fallbackLng: 'zh-CN', interpolation: { escapeValue: false } });
    assert.equal(i.t('queue.count', { count: 1 }), '1 case');
    assert.equal(i.t('queue.count', { count: 2 }), '2 cases');
    for (const base of new Set(entries.filter(([k]) => PLURAL.test(k)).map(([k]) => k.replace(PLURAL, '')))) {
      const one = i.t(base, { count: 1, file: 'a.yaml' });
      assert.ok(!/\(s\)/.test(one) && !/\b1 (working )?[a-z]+s\b/.test(one), `${base}: ${one}`);
      for (const l of ['zh-CN', 'zh-TW']) {
        const zh = i.t(base, { count: 1, file: 'a.yaml', lng: l });
        assert.ok(/[\u4e00-\u9fff]/.test(zh) && zh.includes('1'), `${l} ${base}: ${zh}`);
      }
    }
  });
});
