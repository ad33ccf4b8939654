import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPolicy } from '../../../src/domain/policy/index.js';
import { parseData, preset, presetData, problemPaths } from './fixtures.js';

type Data = Record<string, any>;

/** Each case breaks one rule of a valid preset and names the path the problem must carry. */
const cases: [string, (d: Data) => void, string[]][] = [
  ['unknown department in a category', (d) => (d.categories[2].department = 'hr'), ['categories[2].department']],
  ['duplicate department code', (d) => (d.departments[2].code = d.departments[0].code), ['departments[2].code']],
  ['duplicate category code', (d) => (d.categories[3].code = 'attitude'), ['categories[3].code']],
  ['duplicate grade code', (d) => (d.grades[1].code = 'general'), ['grades[1].code', 'approval.rules[0].grades[0]', 'retention.byGrade.important']],
  ['duplicate approval level code', (d) => (d.approval.levels[2].code = 'manager'), ['approval.levels[2].code', 'approval.rules[2].level']],
  ['duplicate invalid reason code', (d) => (d.validity.invalidReasons[5].code = 'provocation'), ['validity.invalidReasons[5].code']],
  ['duplicate channel', (d) => d.channels.push('phone'), [`channels[8]`]],
  ['unknown default grade', (d) => (d.defaultGrade = 'normal'), ['defaultGrade']],
  ['unknown vicious minimum grade', (d) => (d.flags.vicious.minGrade = 'severe'), ['flags.vicious.minGrade']],
  ['vicious flag that changes nothing', (d) => (d.flags.vicious.minGrade = 'general'), ['flags.vicious.minGrade']],
  ['fewer than three tiers', (d) => d.escalation.tiers.pop(), ['escalation.tiers']],
  ['tiers not numbered 1, 2, 3', (d) => (d.escalation.tiers[1].level = 3), ['escalation.tiers[1].level']],
  ['tier roles not ascending', (d) => (d.escalation.tiers[2].role = 'handler'), ['escalation.tiers[2].role']],
  ['grade rise to an unknown grade', (d) => (d.gradeRise[0].to = 'critical'), ['gradeRise[0].to']],
  ['grade rise to the least severe grade', (d) => (d.gradeRise[0].to = 'general'), ['gradeRise[0].to']],
  ['grade rises out of order', (d) => d.gradeRise.unshift({ after: '60d', to: 'important' }), ['gradeRise[1].after']],
  ['a later grade rise to a lower grade', (d) => d.gradeRise.push({ after: '40d', to: 'important' }), ['gradeRise[1].to']],
  ['approval rule with an unknown level', (d) => (d.approval.rules[0].level = 'ceo'), ['approval.rules[0].level']],
  ['approval rule with an unknown grade', (d) => (d.approval.rules[0].grades = ['important', 'urgent']), ['approval.rules[0].grades[1]']],
  ['approval rule with an empty grade list', (d) => (d.approval.rules[0].grades = []), ['approval.rules[0].grades']],
  ['extension approved by an unknown level', (d) => (d.extension.approvalLevel = 'board'), ['extension.approvalLevel']],
  ['special extension shorter than the ordinary one', (d) => (d.extension.specialMax = '2wd'), ['extension.specialMax']],
  ['special extension shorter in working hours', (d) => (d.extension.specialMax = '20wh'), ['extension.specialMax']],
  ['working hours out of order', (d) => d.calendar.workingHours.reverse(), ['calendar.workingHours[1].start']],
  ['working hours overlapping', (d) => (d.calendar.workingHours[1].start = '11:00'), ['calendar.workingHours[1].start']],
  ['working period ending before it starts', (d) => (d.calendar.workingHours[0].end = '08:00'), ['calendar.workingHours[0].end']],
  ['working period starting at 24:00', (d) => d.calendar.workingHours.push({ start: '24:00', end: '24:00' }), ['calendar.workingHours[2].start', 'calendar.workingHours[2].end']],
  ['duplicate working weekday', (d) => (d.calendar.workingWeekdays = [1, 2, 3, 3]), ['calendar.workingWeekdays[3]']],
  ['unreachable customers closed without a retry', (d) => (d.followUp.retries = []), ['followUp.retries']],
  ['unsatisfied counted as accepted', (d) => d.followUp.acceptedLevels.push('unsatisfied'), ['followUp.acceptedLevels[3]']],
  ['accepting neutral but not satisfied', (d) => (d.followUp.acceptedLevels = ['very_satisfied', 'neutral']), ['followUp.acceptedLevels']],
  ['duplicate follow-up method', (d) => d.followUp.methods.push('phone'), ['followUp.methods[3]']],
  ['a stage longer than the promised time', (d) => (d.grades[0].limits.triage = '3d'), ['grades[0].limits.triage']],
  ['a shorter limit for a customer not reached', (d) => (d.grades[0].unreachable = { resolve: '1d' }), ['grades[0].unreachable.resolve']],
  ['first response after the promised time', (d) => (d.grades[2].limits.first_response = '2w'), ['grades[2].limits.first_response']],
  ['emergency slower than a grade', (d) => (d.flags.emergency.limits.resolve = '5d'), ['flags.emergency.limits.resolve']],
  ['vicious limits slower than its minimum grade', (d) => (d.flags.vicious.limits = { resolve: '20d' }), ['flags.vicious.limits.resolve']],
  ['retention for an unknown grade', (d) => (d.retention.byGrade.severe = 3650), ['retention.byGrade.severe']],
  ['a more severe grade kept for less time', (d) => (d.retention.byGrade.major = 400), ['retention.byGrade.major']],
  ['every kind disabled', (d) => (d.kinds = { complaint: { enabled: false }, inquiry: { enabled: false }, suggestion: { enabled: false } }), ['kinds']],
];

for (const [name, breakIt, paths] of cases) {
  test(`cross-field: ${name}`, () => {
    const d = presetData();
    breakIt(d);
    assert.deepEqual(problemPaths(d).sort(), [...paths].sort());
    const r = parseData(d);
    if (!r.ok) for (const p of r.problems) assert.ok(p.message['zh-CN'] && p.message.en, p.path);
  });
}

test('durations of different families are not compared', () => {
  const d = presetData();
  d.extension.max = '3wd';
  d.extension.specialMax = '2d'; // calendar vs working time: depends on the start, so no problem
  d.grades[0].limits.triage = '24wh'; // longer than 2d? cannot say
  assert.deepEqual(problemPaths(d), []);
});

test('several cross-field problems are reported together', () => {
  const d = presetData('property-manager');
  d.categories[0].department = 'plumbing';
  d.defaultGrade = 'routine';
  d.escalation.tiers[3].level = 5;
  d.extension.stages[1].approvalLevel = 'chairman';
  d.followUp.closeWhenUnreachable = true;
  d.followUp.retries = [];
  assert.deepEqual(problemPaths(d).sort(), ['categories[0].department', 'defaultGrade', 'escalation.tiers[3].level', 'extension.stages[1].approvalLevel', 'followUp.retries']);
});

test('staged extensions: levels, grades and categories that exist, maxima that grow, no single-form field beside them', () => {
  const d = presetData('property-manager');
  d.extension.stages = [
    { max: '3wd', approvalLevel: 'department_manager', grades: ['general', 'urgent'] },
    { max: '22.5wh', approvalLevel: 'chairman', categories: ['repair', 'weather'] },
    { max: '5wd', approvalLevel: 'general_manager', grades: [] },
  ];
  d.extension.max = '3wd';
  const r = parseData(d);
  assert.ok(!r.ok);
  const byPath = new Map(r.problems.map((x) => [x.path, x.message]));
  assert.deepEqual([...byPath.keys()].sort(), ['extension.max', 'extension.stages[0].grades[1]', 'extension.stages[1].approvalLevel', 'extension.stages[1].categories[1]', 'extension.stages[1].max', 'extension.stages[2].grades']);
  // 22.5 working hours are 3 working days here (08:30–12:00, 13:30–17:30): not longer than the stage before.
  assert.equal(byPath.get('extension.stages[1].max')!.en, "stage maxima are cumulative and must increase: 22.5wh is not longer than the previous stage's 3wd");
  assert.equal(byPath.get('extension.stages[1].max')!['zh-CN'], '阶段上限是累计的，须逐级增加：22.5wh 不长于上一阶段的 3wd');
  assert.match(byPath.get('extension.stages[1].approvalLevel')!['zh-CN'], /未定义的审批级别“chairman”/);
  assert.match(byPath.get('extension.max')!.en, /leave max out when stages are given/);
  // Without stages the single form stays required, field by field.
  const single = presetData('property-manager');
  single.extension = { max: '3wd' };
  assert.deepEqual(problemPaths(single).sort(), ['extension.approvalLevel', 'extension.specialMax']);
});

test('checkPolicy on the presets finds nothing', () => {
  assert.deepEqual(checkPolicy(preset('kesu-default')), []);
  assert.deepEqual(checkPolicy(preset('property-manager')), []);
});
