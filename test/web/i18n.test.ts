/**
 * The console's three catalogues (zh-CN, zh-TW, en) have exactly the same keys, no empty
 * texts, the same {{placeholders}} per key; and every key the code names literally exists.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { firstArguments } from '../support/source.js';

const DIR = 'web/src/i18n/locales';
const LOCALES = ['zh-CN', 'zh-TW', 'en'];

function flatten(o: Record<string, unknown>, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(o)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') for (const [kk, vv] of flatten(v as Record<string, unknown>, key)) out.set(kk, vv);
    else out.set(key, String(v));
  }
  return out;
}

/**
 * Plural forms (`key_one` / `key_other`, i18next) are one key: English needs them, Chinese has one
 * form and keeps the plain key (i18next falls back to it). Each plural group is compared by its
 * `_other` text (test/web/i18n-plurals.test.ts checks the English forms).
 */
const PLURAL = /_(zero|one|two|few|many|other)$/;
function singular(m: Map<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of m) if (!PLURAL.test(k) || k.endsWith('_other')) out.set(k.replace(PLURAL, ''), v);
  return out;
}

const catalogues = Object.fromEntries(LOCALES.map((l) => [l, singular(flatten(JSON.parse(readFileSync(join(DIR, `${l}.json`), 'utf8'))))]));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(n) ? [p] : [];
  });
}

describe('web console translations', () => {
  it('zh-CN, zh-TW and en have the same keys', () => {
    const base = [...catalogues['zh-CN']!.keys()].sort();
    assert.ok(base.length > 100);
    for (const l of LOCALES.slice(1)) assert.deepEqual([...catalogues[l]!.keys()].sort(), base, `${l} differs from zh-CN`);
  });

  it('no text is empty (except separators) and placeholders match across languages', () => {
    for (const l of LOCALES) for (const [k, v] of catalogues[l]!) if (!k.endsWith('.sep')) assert.ok(v.trim().length > 0, `${l}: ${k} is empty`);
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [k, v] of catalogues['zh-CN']!) for (const l of LOCALES.slice(1)) assert.deepEqual(vars(catalogues[l]!.get(k)!), vars(v), `${l}: ${k} placeholders`);
  });

  it('every literal key used in web/src exists, and every dynamic prefix has entries', () => {
    const keys = catalogues['zh-CN']!;
    const missing: string[] = [];
    for (const f of sources('web/src')) {
      // Read as syntax (test/support/source.ts): a call broken over lines or quoted "…" still counts.
      const calls = firstArguments(f, 't');
      for (const key of calls.literal) if (/^[a-zA-Z0-9_.]+$/.test(key) && !keys.has(key)) missing.push(`${f}: ${key}`);
      for (const prefix of calls.prefix) {
        if (!/^[a-zA-Z0-9_.]+\.$/.test(prefix)) continue;
        if (![...keys.keys()].some((k) => k.startsWith(prefix))) missing.push(`${f}: ${prefix}*`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('each state of the lifecycle has a name', async () => {
    const { STATES } = await import('../../src/domain/complaint/types.js');
    for (const s of STATES) for (const l of LOCALES) assert.ok(catalogues[l]!.has(`state.${s}`), `${l}: state.${s}`);
  });
});
