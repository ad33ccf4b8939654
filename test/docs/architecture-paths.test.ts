// docs/architecture.md names files and folders in backticks; every one that looks like a repo path
// (src/…, web/…, test/…, scripts/…, bench/…, docs/…) must exist, so the doc cannot silently rot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function backtickedPaths(markdown: string): string[] {
  const found = new Set<string>();
  for (const m of markdown.matchAll(/`([^`\n]+)`/g)) {
    // A backticked span may hold one path, or a path followed by a symbol ("src/x.ts: fn").
    const first = m[1]!.trim().split(/[\s:(,]/)[0]!;
    if (/^(src|web|test|scripts|bench|docs)\/[\w.\-\/*]*$/.test(first) && !first.includes('*')) {
      found.add(first.replace(/\/$/, ''));
    }
  }
  return [...found];
}

test('backticked path extraction finds paths and skips other code', () => {
  const md = 'see `src/a.ts`, `web/src/` and `src/store/decisions.ts: persistDecisions` but not `npm test` or `domain/x`';
  assert.deepEqual(backtickedPaths(md), ['src/a.ts', 'web/src', 'src/store/decisions.ts']);
});

test('the check fails on a path that does not exist', () => {
  const missing = backtickedPaths('`src/no/such-file.ts`').filter((p) => !existsSync(join(root, p)));
  assert.deepEqual(missing, ['src/no/such-file.ts']);
});

test('every path docs/architecture.md names exists', () => {
  const doc = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');
  const paths = backtickedPaths(doc);
  assert.ok(paths.length >= 40, `expected the doc to name many paths, found ${paths.length}`);
  const missing = paths.filter((p) => !existsSync(join(root, p)));
  assert.deepEqual(missing, [], `docs/architecture.md names paths that do not exist: ${missing.join(', ')}`);
});
