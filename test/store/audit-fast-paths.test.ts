/**
 * The audit trail's cheaper primitives (issue 15, history import CPU) give the bytes the plain
 * forms gave: `jsonValue` without its reviver when JSON.stringify wrote no lone-surrogate escape,
 * the RFC 8785 string check by `isWellFormed`, and `caseDigest` written member by member (with the
 * table's defaults beside the row, as the import passes them) — each checked against the earlier
 * code, kept here as the reference, on generated values with and without lone surrogates. And
 * the id pool: every id a valid, distinct UUIDv7 carrying its time.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { CanonicalError, canonicalize, jsonValue, wellFormed } from '../../src/audit/canonical.js';
import { caseDigest } from '../../src/audit/records.js';
import { uuidv7 } from '../../src/store/ids.js';

const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const referenceJsonValue = (v: unknown): unknown => JSON.parse(JSON.stringify(v ?? null), (_k, x: unknown) => (typeof x === 'string' ? x.replace(new RegExp(LONE.source, 'g'), '\uFFFD') : x));
function referenceCaseDigest(row: Record<string, unknown>): string {
  const o: Record<string, unknown> = { record: 'case' };
  for (const [k, v] of Object.entries(row)) {
    if (k === 'search_rowid') continue;
    o[k] = typeof v === 'bigint' ? Number(v) : v;
  }
  return createHash('sha256').update(canonicalize(o)).digest('hex');
}

/** A small deterministic generator (no Math.random: a failure must be reproducible). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
}
const PIECES = ['快递', 'a', '"', '\\', '\\ud800', '\n', '\u0001', '😀', '\uD83D', '\uDE00', 'é', '', ' ', '/', '\u2028'];
function text(r: () => number): string {
  let s = '';
  for (let n = Math.floor(r() * 6); n > 0; n--) s += PIECES[Math.floor(r() * PIECES.length)]!;
  return s;
}
function value(r: () => number, depth: number): unknown {
  const k = Math.floor(r() * (depth > 2 ? 6 : 9));
  if (k === 0) return null;
  if (k === 1) return r() < 0.5;
  if (k === 2) return [0, -0, 1.5, 1e21, -7, Number.NaN, Infinity][Math.floor(r() * 7)];
  if (k === 3 || k === 4) return text(r);
  if (k === 5) return undefined;
  if (k === 6) return Array.from({ length: Math.floor(r() * 4) }, () => value(r, depth + 1));
  if (k === 7) return new Date(Date.UTC(2025, 0, 1) + Math.floor(r() * 1e10));
  const o: Record<string, unknown> = {};
  for (let n = Math.floor(r() * 5); n > 0; n--) o[text(r) || 'k'] = value(r, depth + 1);
  return o;
}
const outcome = (f: () => unknown): string => {
  try {
    return `ok ${JSON.stringify(f())}`;
  } catch (e) {
    return `throws ${(e as Error).constructor.name}`;
  }
};

describe('audit fast paths', () => {
  it('jsonValue, and the canonical form of it, equal the reviver form on 20 000 generated values', () => {
    const r = rng(15);
    let lone = 0;
    for (let i = 0; i < 20_000; i++) {
      const v = value(r, 0);
      if (outcome(() => referenceJsonValue(v)) !== outcome(() => JSON.parse(JSON.stringify(v ?? null) as string))) lone++; // the reviver repaired something
      assert.equal(
        outcome(() => jsonValue(v)),
        outcome(() => referenceJsonValue(v)),
        `value #${i}`,
      );
      assert.equal(
        outcome(() => canonicalize(jsonValue(v))),
        outcome(() => canonicalize(referenceJsonValue(v))),
        `value #${i}`,
      );
    }
    assert.ok(lone > 100, 'the generator makes values with lone surrogates too');
  });

  it('refuses a lone surrogate in a string or a member name, and wellFormed repairs it', () => {
    for (const bad of ['\uD800', 'a\uDC00', '\uDE00😀', 'x\uD83D']) {
      assert.throws(() => canonicalize(bad), CanonicalError);
      assert.throws(() => canonicalize({ [bad]: 1 }), CanonicalError);
      assert.equal(wellFormed(bad), bad.replace(new RegExp(LONE.source, 'g'), '\uFFFD'));
      assert.doesNotThrow(() => canonicalize(wellFormed(bad)));
    }
    assert.equal(canonicalize('😀 快递'), '"😀 快递"');
    assert.equal(wellFormed('😀'), '😀');
  });

  it('caseDigest, with and without defaults, equals the digest of the merged row', () => {
    const r = rng(1515);
    for (let i = 0; i < 3000; i++) {
      const row: Record<string, unknown> = {};
      const defaults: Record<string, unknown> = {};
      for (const name of ['id', 'body', 'state', 'version', 'search_rowid', 'record', 'needs_approval', 'next_due_at', 'b', 'a', 'Z', '_'])
        if (r() < 0.6) (r() < 0.5 ? row : defaults)[name] = [null, undefined, 3, 10n, text(r), 0][Math.floor(r() * 6)];
      assert.equal(
        outcome(() => caseDigest(row, defaults)),
        outcome(() => referenceCaseDigest({ ...defaults, ...row })),
        `row #${i}`,
      );
      assert.equal(
        outcome(() => caseDigest(row)),
        outcome(() => referenceCaseDigest(row)),
        `row #${i}`,
      );
    }
  });

  it('ids from the random pool are distinct version-7 UUIDs carrying their time, across pool refills', () => {
    const seen = new Set<string>();
    const t = Date.UTC(2025, 4, 6, 7, 8, 9, 123);
    for (let i = 0; i < 2000; i++) {
      const id = uuidv7(t + i);
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(parseInt(id.replace(/-/g, '').slice(0, 12), 16), t + i);
      seen.add(id.slice(14));
    }
    assert.equal(seen.size, 2000, 'the random part is never handed out twice');
  });
});
