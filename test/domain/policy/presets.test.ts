import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { PRESET_FILES, parsePolicyText, policyKey } from '../../../src/domain/policy/index.js';
import { preset, presetText } from './fixtures.js';

test('every preset parses with no problems and is named after its key', () => {
  assert.ok(Object.keys(PRESET_FILES).length >= 2);
  for (const [id, file] of Object.entries(PRESET_FILES)) {
    assert.ok(existsSync(new URL(`../../../${file}`, import.meta.url)), file);
    const r = parsePolicyText(presetText(id));
    assert.equal(r.ok, true, r.ok ? '' : JSON.stringify(r.problems, null, 2));
    if (r.ok) assert.equal(r.policy.id, id);
  }
});

test('kesu-default carries the numbers of seed 000', () => {
  const p = preset('kesu-default');
  assert.equal(policyKey(p), 'kesu-default@2026.1');
  assert.deepEqual(
    p.grades.map((g) => g.code),
    ['general', 'important', 'major'],
  );
  const [general, important, major] = p.grades;
  assert.deepEqual(general?.limits, { triage: '24h', resolve: '2d' });
  assert.deepEqual(important?.limits, { triage: '24h', resolve: '3d' });
  assert.deepEqual(major?.limits, { triage: '24h', first_response: '2d', resolve: '10d' });
  assert.equal(major?.directToManager, true);
  assert.equal(general?.directToManager, false);
  assert.equal(p.defaultGrade, 'general');
  assert.deepEqual(p.gradeRise, [{ after: '30d', to: 'major' }]);
  assert.equal(p.followUp.window, '7d');
  assert.deepEqual(p.followUp.retries, ['24h', '48h']);
  assert.deepEqual(
    p.escalation.tiers.map((t) => t.role),
    ['agent', 'department_manager', 'general_manager'],
  );
  assert.deepEqual(
    p.approval.levels.map((l) => l.code),
    ['department_manager', 'manager', 'general_manager'],
  );
  assert.deepEqual([p.extension!.max, p.extension!.specialMax], ['3wd', '7wd']);
  assert.equal(p.kinds.inquiry.resolve, '24h');
  assert.deepEqual(
    p.validity.invalidReasons.map((r) => r.code),
    ['facts_contradict', 'outside_service', 'provocation', 'anonymous_no_facts', 'facts_incomplete', 'late_attitude'],
  );
  assert.equal(p.retention!.defaultDays, 365);
  assert.equal(p.calendar.timeZone, 'Asia/Shanghai');
  for (const c of p.categories) assert.ok(c.name['zh-TW'] && c.name.en, c.code);
});

test('property-manager carries the numbers of seed 001 篇2', () => {
  const p = preset('property-manager');
  const general = p.grades.find((g) => g.code === 'general');
  assert.equal(general?.limits.triage, '24h');
  assert.equal(general?.limits.dispatch, '12h');
  assert.equal(general?.limits.first_response, '2h');
  assert.equal(p.followUp.window, '2wd');
  assert.equal(p.flags.emergency!.limits.triage, '3m');
  assert.equal(p.flags.emergency!.limits.resolve, '5m');
  assert.equal(p.flags.emergency!.escalateEvery, '5m');
  assert.deepEqual(
    p.escalation.tiers.map((t) => [t.level, t.role]),
    [
      [1, 'agent'],
      [2, 'department_manager'],
      [3, 'general_manager'],
      [4, 'board'],
    ],
  );
  const codes = p.categories.map((c) => c.code);
  for (const c of ['repair', 'water_leak', 'security', 'cleaning', 'parking', 'fees', 'attitude']) assert.ok(codes.includes(c), c);
  assert.equal(p.categories.find((c) => c.code === 'water_leak')?.name['zh-CN'], '漏水渗水');
});

test('a preset written out as JSON reads back the same, with or without the format named', () => {
  for (const id of Object.keys(PRESET_FILES)) {
    const p = preset(id);
    const json = JSON.stringify(p);
    const named = parsePolicyText(json, 'json');
    const guessed = parsePolicyText(json);
    assert.ok(named.ok && guessed.ok);
    if (named.ok && guessed.ok) {
      assert.deepEqual(named.policy, p);
      assert.deepEqual(guessed.policy, p);
    }
  }
});
