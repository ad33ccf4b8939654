import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveGrade, gradeRank, levelRank, limitsFor, policyKey, requiredApprovalLevel, validatePolicy, type Policy } from '../../../src/domain/policy/index.js';
import { preset, presetData } from './fixtures.js';

const kesu = preset('kesu-default');
const property = preset('property-manager');

test('ranks follow the order of the document; unknown codes rank -1', () => {
  assert.deepEqual(
    ['general', 'important', 'major', 'extreme'].map((g) => gradeRank(kesu, g)),
    [0, 1, 2, -1],
  );
  assert.deepEqual(
    ['department_manager', 'manager', 'general_manager', 'ceo'].map((l) => levelRank(kesu, l)),
    [0, 1, 2, -1],
  );
  assert.equal(levelRank(property, 'board'), 2);
});

test('requiredApprovalLevel: the highest level among matching rules, null when none match', () => {
  const table: [string, number, string | null][] = [
    ['general', 0, null],
    ['general', 999.99, null],
    ['general', 1000, 'manager'],
    ['important', 0, 'department_manager'],
    ['important', 5000, 'manager'],
    ['major', 0, 'general_manager'],
    ['major', 100000, 'general_manager'],
    ['unknown', 1000, 'manager'],
    ['unknown', 10, null],
  ];
  for (const [grade, amount, level] of table) assert.equal(requiredApprovalLevel(kesu, grade, amount), level, `${grade} ${amount}`);
  assert.equal(requiredApprovalLevel(property, 'general', 20000), 'board');
  assert.equal(requiredApprovalLevel(property, 'major', 1999), 'general_manager');
});

test('requiredApprovalLevel: a rule with grades and minAmount needs both', () => {
  const d = presetData();
  d.approval.rules = [{ grades: ['important'], minAmount: 500, level: 'general_manager' }];
  const r = validatePolicy(d);
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.equal(requiredApprovalLevel(r.policy, 'important', 499), null);
  assert.equal(requiredApprovalLevel(r.policy, 'important', 500), 'general_manager');
  assert.equal(requiredApprovalLevel(r.policy, 'major', 500), null);
  d.approval.rules = [{ level: 'department_manager' }];
  const all = validatePolicy(d);
  assert.ok(all.ok && requiredApprovalLevel(all.policy, 'general', 0) === 'department_manager');
});

test('limitsFor: the grade limits', () => {
  assert.deepEqual(limitsFor(kesu, 'general', {}), { triage: '24h', resolve: '2d' });
  assert.deepEqual(limitsFor(kesu, 'major', { vicious: false, emergency: false }), {
    triage: '24h',
    first_response: '2d',
    resolve: '10d',
  });
});

test('limitsFor: a vicious case takes the limits of at least its minimum grade', () => {
  assert.deepEqual(limitsFor(kesu, 'general', { vicious: true }), limitsFor(kesu, 'major', {}));
  assert.equal(effectiveGrade(kesu, 'important', { vicious: true }), 'major');
  assert.equal(effectiveGrade(kesu, 'important', {}), 'important');
  const d = presetData();
  d.flags.vicious = { minGrade: 'important', limits: { first_response: '4h' } };
  const r = validatePolicy(d);
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.problems));
  if (!r.ok) return;
  assert.deepEqual(limitsFor(r.policy, 'general', { vicious: true }), { triage: '24h', resolve: '3d', first_response: '4h' });
  // a vicious case already above the minimum keeps its own grade
  assert.deepEqual(limitsFor(r.policy, 'major', { vicious: true }), { triage: '24h', first_response: '4h', resolve: '10d' });
});

test('limitsFor: emergency overrides clock by clock, after vicious', () => {
  assert.deepEqual(limitsFor(property, 'general', { emergency: true }), {
    triage: '3m',
    dispatch: '3m',
    first_response: '3m',
    resolve: '5m',
  });
  assert.deepEqual(limitsFor(kesu, 'major', { emergency: true, vicious: true }), {
    triage: '30m',
    dispatch: '30m',
    first_response: '30m',
    resolve: '24h',
  });
});

test('limitsFor returns a copy and refuses an unknown grade', () => {
  const l = limitsFor(kesu, 'general', {});
  l.resolve = '1m';
  assert.equal(kesu.grades[0]?.limits.resolve, '2d');
  assert.throws(() => limitsFor(kesu, 'extreme', {}), /no grade "extreme"/);
});

test('policyKey is id@version', () => {
  assert.equal(policyKey(property), 'property-manager@2026.1');
  const p: Policy = { ...kesu, version: '2027.3-rc1' };
  assert.equal(policyKey(p), 'kesu-default@2027.3-rc1');
});
