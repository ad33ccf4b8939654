/**
 * The policy's `accountability` section (issue 11 §4): optional (a policy without it creates no
 * entries), the presets' examples load, and its cross-field rules name the field at fault.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { parsePolicyText } from '../../../src/domain/policy/index.js';
import { entriesForDecision } from '../../../src/domain/accountability/entries.js';
import { MINIMAL_POLICY } from '../policy/fixtures.js';

const preset = (name: string) => readFileSync(new URL(`../../../policies/${name}.yaml`, import.meta.url), 'utf8');

describe('the accountability policy section', () => {
  it('is optional: a policy without it has none and makes no entries', () => {
    const r = parsePolicyText(MINIMAL_POLICY);
    assert.ok(r.ok);
    assert.equal(r.policy.accountability, undefined);
    const d = { kind: 'applied', complaint: { id: 'x', number: 'n', version: 2, grade: null }, clocks: [], outbox: [], events: [{ action: 'judge', at: 't', data: { input: { valid: true } } }] };
    assert.deepEqual(entriesForDecision(r.policy, { subject: { employeeIds: ['e1'] } } as never, d as never), []);
  });

  it('loads the examples of the presets (001 篇6 range, 001 篇7 one point per complaint)', () => {
    const pm = parsePolicyText(preset('property-manager'));
    assert.ok(pm.ok, pm.ok ? '' : JSON.stringify(pm.problems));
    const fine = pm.policy.accountability!.rules.find((r) => r.code === 'responsibility_fine')!;
    assert.deepEqual([fine.on, fine.effect, fine.points, fine.amount], ['responsibility', 'penalty', 2, { min: 200, max: 1500 }]);
    const d = parsePolicyText(preset('distillery'));
    assert.ok(d.ok, d.ok ? '' : JSON.stringify(d.problems));
    assert.deepEqual(
      d.policy.accountability!.rules.map((r) => [r.on, r.points]),
      [['valid_complaint', 1]],
    );
  });

  it('names the field at fault', () => {
    const p = parse(preset('property-manager'));
    p.accountability.appealLevel = 'emperor';
    p.accountability.rules[0].amount = { min: 1500, max: 200 };
    p.accountability.rules[1].clocks = ['resolve'];
    p.accountability.rules.push({ ...p.accountability.rules[2] });
    p.accountability.rules.push({ code: 'nothing', name: { 'zh-CN': '无' }, on: 'praise' });
    const r = parsePolicyText(stringify(p));
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual(r.problems.map((x) => x.path).sort(), ['accountability.appealLevel', 'accountability.rules[0].amount', 'accountability.rules[1].clocks', 'accountability.rules[5].code', 'accountability.rules[6]']);
    const typo = parse(preset('distillery'));
    typo.accountability.rules[0].on = 'complaint';
    const t = parsePolicyText(stringify(typo));
    assert.equal(t.ok, false);
    if (!t.ok) assert.equal(t.problems[0]!.path, 'accountability.rules[0].on');
  });
});
