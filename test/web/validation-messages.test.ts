/**
 * Validation messages reach the console in the reader's language only: a schema's own message
 * written "zh-CN|en|zh-TW" (a refinement or a `.regex(re, '…')`) is split per language, and the
 * body the server answers with (`errorBody`, what the console shows under each field) never
 * holds two languages glued together ("电话号码格式不正确|Invalid phone number").
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { stringLiterals } from '../support/source.js';
import type { z } from 'zod';
import { AppError, LOCALES, type Locale } from '../../src/domain/errors.js';
import { ownMessage, parseInput } from '../../src/domain/validation.js';
import { IntakeInput } from '../../src/domain/lifecycle/intake.js';
import { FollowUpInput, JudgeInput, RequestExtensionInput, RouteInput, SupplementInput } from '../../src/domain/lifecycle/inputs.js';
import { errorBody } from '../../src/http/error-handler.js';

const BILINGUAL = /[\u4e00-\u9fff][^|\n]{0,80}\|[A-Za-z]/;
const CJK = /[\u4e00-\u9fff]/;
const SIMPLIFIED_ONLY = /[这来时们说对国会发过个经动问题还没让给请点开关电话号码处认证选择态删须应]/;

/** What the console gets for `data` in each language: the messages under the fields. */
function rendered(schema: z.ZodType, data: unknown): Record<Locale, string[]> {
  try {
    parseInput(schema, data);
  } catch (e) {
    assert.ok(e instanceof AppError);
    return Object.fromEntries(LOCALES.map((l) => [l, [errorBody(e.code, l, e.fields).message, ...errorBody(e.code, l, e.fields).fields.map((f) => f.message)]])) as Record<Locale, string[]>;
  }
  assert.fail('expected a validation error');
}

const CASES: { name: string; schema: z.ZodType; data: unknown; expect?: Partial<Record<Locale, string>> }[] = [
  {
    name: 'a bad phone at intake',
    schema: IntakeInput,
    data: { channel: 'phone', description: 'x', complainant: { name: 'A', phone: 'abc' } },
    expect: { 'zh-CN': '电话号码格式不正确', 'zh-TW': '電話號碼格式不正確', en: 'Invalid phone number' },
  },
  { name: 'a bad ID number', schema: IntakeInput, data: { channel: 'phone', description: 'x', complainant: { name: 'A', idNumber: '#' } } },
  { name: 'no name nor contact', schema: IntakeInput, data: { channel: 'phone', description: 'x', complainant: {} } },
  { name: 'an extension of "3"', schema: RequestExtensionInput, data: { reason: 'r', duration: '3' }, expect: { 'zh-CN': '时长格式如 2wd、3d、8h', 'zh-TW': '時長格式如 2wd、3d、8h', en: 'Duration like 2wd, 3d or 8h' } },
  { name: 'invalid without reason', schema: JudgeInput, data: { valid: false } },
  { name: 'backup = primary', schema: RouteInput, data: { primaryHandlerId: 'u1', backupHandlerId: 'u1' } },
  { name: 'reached without satisfaction', schema: FollowUpInput, data: { reached: true } },
  { name: 'an empty supplement', schema: SupplementInput, data: {} },
  { name: "zod's own messages (enum, type)", schema: IntakeInput, data: { channel: 3, kind: 'rant', description: 'x', complainant: { name: 'A' } } },
];

describe('validation messages in one language', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const out = rendered(c.schema, c.data);
      for (const l of LOCALES) {
        for (const m of out[l]) {
          assert.doesNotMatch(m, BILINGUAL, `${l}: two languages in "${m}"`);
          if (l === 'en') assert.doesNotMatch(m, CJK, `en: Chinese in "${m}"`);
          else assert.ok(CJK.test(m), `${l}: no Chinese in "${m}"`);
          if (l === 'zh-TW') assert.doesNotMatch(m, SIMPLIFIED_ONLY, `zh-TW: Simplified text in "${m}"`);
        }
        const want = c.expect?.[l];
        if (want) assert.ok(out[l].includes(want), `${l}: expected "${want}" among ${JSON.stringify(out[l])}`);
      }
    });
  }

  it('ownMessage splits "zh-CN|en|zh-TW" and falls back to the zh-CN half', () => {
    assert.deepEqual(ownMessage('甲|A|乙'), { 'zh-CN': '甲', en: 'A', 'zh-TW': '乙' });
    assert.deepEqual(ownMessage('甲|A'), { 'zh-CN': '甲', en: 'A', 'zh-TW': '甲' });
    assert.deepEqual(ownMessage('same'), { 'zh-CN': 'same', en: 'same', 'zh-TW': 'same' });
  });

  it('every "中文|English" message written in src/ has its Traditional third part', () => {
    const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : n.endsWith('.ts') ? [join(dir, n)] : []));
    const missing: string[] = [];
    for (const f of files('src')) {
      // Every string literal, however quoted or laid out (test/support/source.ts).
      for (const text of stringLiterals(f)) {
        if (/[\u4e00-\u9fff][^|\n]*\|[A-Za-z]/.test(text) && text.split('|').length !== 3) missing.push(`${f}: ${text}`);
      }
    }
    assert.deepEqual(missing, []);
  });
});
