import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { PRESET_FILES, parsePolicyText, policyKey, type Policy } from '../../../src/domain/policy/index.js';
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
  assert.deepEqual(p.gradeRise, [{ after: '1mo', to: 'major' }]);
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

const policiesDir = new URL('../../../policies/', import.meta.url);

/** A file of policies/, validated. */
function policyFile(name: string): Policy {
  const r = parsePolicyText(readFileSync(new URL(name, policiesDir), 'utf8'));
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.problems, null, 2)}`);
  return r.policy;
}

test('every file in policies/ loads and checks clean, named after its id', () => {
  const files = readdirSync(policiesDir).filter((f) => /\.(ya?ml|json)$/.test(f));
  assert.ok(files.length >= 9, files.join(', '));
  for (const f of files) {
    const r = parsePolicyText(readFileSync(new URL(f, policiesDir), 'utf8'));
    assert.equal(r.ok, true, r.ok ? '' : `${f}: ${JSON.stringify(r.problems, null, 2)}`);
    if (r.ok) assert.equal(`${r.policy.id}.yaml`, f);
  }
  // Every file is a preset that `KESU_POLICY=<id>` and `kesu policy check <id>` can name.
  assert.deepEqual(
    Object.values(PRESET_FILES)
      .map((f) => f.replace('policies/', ''))
      .sort(),
    files.sort(),
  );
});

test('law-firm carries seed 001 篇1: no clocks, partners sign, majors to the meeting', () => {
  const p = policyFile('law-firm.yaml');
  assert.ok(p.channels.includes('regulator')); // 一(三) 司法行政机关、律师协会转来
  assert.deepEqual(
    p.grades.map((g) => g.limits),
    [{}, {}],
  ); // 篇1 states no time limit
  assert.deepEqual(p.routing?.majorTo, { approvalLevel: 'director' });
  assert.equal(p.approval.rules.find((r) => r.grades?.includes('major'))?.level, 'partners_meeting');
  assert.equal(p.extension, undefined);
  assert.equal(p.retention, undefined);
  assert.equal(p.calendar.counting, 'statutory');
});

test('logistics carries seed 001 篇3: 30 minutes, 恶性 as major', () => {
  const p = policyFile('logistics.yaml');
  assert.equal(p.grades[0]?.limits.first_response, '30m'); // §16
  assert.equal(p.flags.vicious?.minGrade, 'major'); // §10
  assert.deepEqual(p.channels, ['phone', 'chat']); // §5
  assert.equal(p.validity.invalidReasons.length, 6); // §9
  assert.equal(p.approval.levels.length, 0);
});

test('tobacco-distributor carries seed 001 篇4: 3 / 7 working days, 24 h inquiries, one year', () => {
  const p = policyFile('tobacco-distributor.yaml');
  assert.equal(p.grades[0]?.limits.resolve, '3wd'); // 四(四)
  // 特殊状况不能超过7个工作日: one stage, for special cases only, 3 + 4 = 7; no ordinary extension.
  assert.deepEqual(p.extension?.stages, [{ max: '4wd', approvalLevel: 'department_leader', special: true }]);
  assert.equal(p.extension?.max, undefined);
  assert.equal(p.kinds.inquiry.resolve, '24h'); // 四(一)
  assert.equal(p.retention?.defaultDays, 365); // 四(五)3
});

test('car-dealer carries seed 001 篇5: one working day, the general manager signs', () => {
  const p = policyFile('car-dealer.yaml');
  assert.deepEqual(
    p.clockRules?.map((r) => [r.code, r.start, r.stop, r.grades]),
    [['propose_1wd', ['route', 'reroute'], 'propose', { general: '1wd' }]],
  ); // §4.3
  assert.equal(p.grades[0]?.limits.first_response, undefined);
  assert.deepEqual(p.approval.rules, [{ level: 'general_manager' }]); // §4.4
  assert.equal(p.routing?.majorTo, 'department_manager'); // §4 重大.3
  assert.equal(p.grades.find((g) => g.code === 'major')?.directToManager, true);
});

test('quality-office carries seed 001 篇6: 1 day, one week, a call the same day', () => {
  const p = policyFile('quality-office.yaml');
  assert.deepEqual(p.grades[0]?.limits, { resolve: '1w' }); // §6.3
  // §6.1: the preliminary agreement within 1 day of receipt, a duty of the department concerned.
  const agreement = p.duties?.find((d) => d.code === 'preliminary_agreement');
  assert.deepEqual([agreement?.on, agreement?.from, agreement?.owner, agreement?.due, agreement?.record], ['route', 'receive', 'department_manager', '1d', 'note']);
  assert.equal(p.followUp.window, 'eod'); // §6.3 处理完当天打电话
  assert.deepEqual(p.escalation.tiers[2]?.handler, { approvalLevel: 'quality_lead' }); // §6.3②
});

test('distillery carries seed 001 篇7: 24 h, 3 / 7 working days, 24 h feedback', () => {
  const p = policyFile('distillery.yaml');
  assert.deepEqual(p.grades[0]?.limits, { triage: '24h', resolve: '3wd' }); // 二2–3, 三
  assert.deepEqual(p.extension?.stages, [{ max: '4wd', approvalLevel: 'office_head', special: true }]); // 三: special cases only, never past 7 working days
  assert.equal(p.followUp.window, '24h'); // 四1
  assert.equal(p.retention?.defaultDays, 365); // 四2
});

test('car-dealer-002 carries seed 002 篇7: 1 h, 4 + 4 h, 41 h chain, 24 h follow-up', () => {
  const p = policyFile('car-dealer-002.yaml');
  assert.deepEqual(p.grades[0]?.limits, { triage: '1h', approval: '8h', resolve: '41h' });
  assert.equal(p.followUp.window, '24h');
  assert.deepEqual(p.followUp.retries, ['24h']);
  assert.equal(p.intake?.receivedAtMaxAge, '1d');
  assert.deepEqual(p.intake?.gradeRoles, ['agent', 'specialist']); // (一)1 初步判断投诉性质
});
