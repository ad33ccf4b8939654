/**
 * The tests that read source (test/support/source.ts: imports, catalogue keys, three-language
 * messages) read syntax, so a reformatting (`npm run format`, Prettier) changes none of their
 * answers: the same code laid out two ways — one line and single quotes, broken over lines and
 * double quotes — gives the same imports, keys and literals.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstArguments, runtimeSpecifiers, stringLiterals } from '../support/source.js';

const ONE_LINE = `import { a, type B } from './a.js';
import type { C } from './c.js';
import { type D } from './d.js';
export { e } from './e.js';
export type { F } from './f.js';
const m = await import('./config.js');
const x = t('case.title', { n: 1 }) + i18n.t(\`state.\${s}\`) + '电话号码格式不正确|Invalid phone number';
`;
const BROKEN = `import {
  a,
  type B,
} from "./a.js";
import type {
  C,
} from "./c.js";
import { type D } from "./d.js";
export {
  e,
} from "./e.js";
export type { F } from "./f.js";
const m = await import(
  "./config.js"
);
const x =
  t(
    "case.title",
    { n: 1 },
  ) +
  i18n.t(
    \`state.\${s}\`,
  ) +
  "电话号码格式不正确|Invalid phone number";
`;

describe('source readers see syntax, not layout', () => {
  it('the same code on one line and broken over lines with other quotes reads the same', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kesu-source-'));
    try {
      const read = (name: string, text: string) => {
        const f = join(dir, name);
        writeFileSync(f, text);
        return { imports: runtimeSpecifiers(f), t: firstArguments(f, 't'), strings: stringLiterals(f).filter((s) => !s.startsWith('.')) };
      };
      const a = read('one.ts', ONE_LINE);
      const b = read('broken.ts', BROKEN);
      assert.deepEqual(a, b);
      // Type-only imports are erased at run time; the rest load.
      assert.deepEqual(a.imports, { static: ['./a.js', './e.js'], dynamic: ['./config.js'] });
      assert.deepEqual(a.t, { literal: ['case.title'], prefix: ['state.'] });
      assert.ok(a.strings.includes('电话号码格式不正确|Invalid phone number'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
