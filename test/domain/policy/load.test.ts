import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PolicySchema, durationText, formatPath, formatProblems, parsePolicyText, validatePolicy } from '../../../src/domain/policy/index.js';
import { parseData, presetData, presetText, problemPaths } from './fixtures.js';

test('durations: number and unit, decimals allowed, amount above zero', () => {
  for (const ok of ['30m', '2h', '3d', '1w', '2wd', '8wh', '1.5h', '0.5d', '10d']) assert.equal(durationText.safeParse(ok).success, true, ok);
  for (const bad of ['0h', '0.0d', '2', 'h', '2 h', '2H', '-1d', '1.d', '.5h', '2days', '2y', '', '2wdx']) assert.equal(durationText.safeParse(bad).success, false, bad);
});

test('a YAML syntax error is reported with its line and column', () => {
  const r = parsePolicyText('id: x\nversion: "1"\nname:\n  zh-CN: 甲\n   en: A\n');
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.ok(r.problems.length >= 1);
  const p = r.problems[0]!;
  assert.equal(p.path, 'line 4, column 10');
  assert.deepEqual([p.line, p.column], [4, 10]);
  for (const q of r.problems) assert.match(q.path, /^line \d+, column \d+$/);
  assert.match(p.message.en, /^YAML syntax error/);
  assert.match(p.message['zh-CN'], /^YAML /);
});

test('a duplicate YAML key is a syntax error at the second key', () => {
  const r = parsePolicyText(presetText('kesu-default').replace('defaultGrade: general', 'defaultGrade: general\ndefaultGrade: major'));
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.problems.length, 1);
  assert.match(r.problems[0]!.message['zh-CN'], /键重复/);
  const line =
    presetText('kesu-default')
      .split('\n')
      .findIndex((l) => l.startsWith('defaultGrade:')) + 2;
  assert.equal(r.problems[0]!.line, line);
});

test('a JSON syntax error is reported with its line and column', () => {
  const r = parsePolicyText('{\n  "id": "x",\n  "version": }\n', 'json');
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.deepEqual(
    r.problems.map((p) => [p.path, p.line, p.column]),
    [['line 3, column 14', 3, 14]],
  );
  assert.match(r.problems[0]!.message.en, /^JSON syntax error/);
  const end = parsePolicyText('{"id": "x"', 'json');
  assert.ok(!end.ok && end.problems[0]?.path === 'line 1, column 11');
});

test('JSON input works, and naming the format is optional', () => {
  const data = presetData('property-manager');
  const text = JSON.stringify(data);
  const a = parsePolicyText(text, 'json');
  const b = parsePolicyText(text);
  const c = parsePolicyText(JSON.stringify(data, null, 2), 'yaml'); // JSON is YAML too
  assert.ok(a.ok && b.ok && c.ok);
  if (a.ok && b.ok) assert.deepEqual(a.policy, b.policy);
});

test('every shape problem is listed at once, with data paths', () => {
  const text = presetText('kesu-default')
    .replace("version: '2026.1'", 'version: 2026.1')
    .replace('resolve: 10d', 'resolve: 10x')
    .replace('timeZone: Asia/Shanghai', 'timeZone: Asia/Shangai')
    .replace('    warnAt: 0.8\n  - code: important', '    warnAt: 1.5\n  - code: important')
    .replace('directToManager: true', 'directTomanager: true')
    .replace('  defaultDays: 365', '  defaultDays: 0')
    .replace('  specialMax: 7wd\n', '')
    .replace('role: general_manager', 'role: ceo');
  const r = parsePolicyText(text);
  assert.equal(r.ok, false);
  if (r.ok) return;
  const byPath = new Map(r.problems.map((p) => [p.path, p]));
  assert.deepEqual(
    [...byPath.keys()].sort(),
    ['calendar.timeZone', 'escalation.tiers[2].role', 'extension.specialMax', 'grades[0].warnAt', 'grades[2].directTomanager', 'grades[2].limits.resolve', 'retention.defaultDays', 'version'].sort(),
  );
  assert.match(byPath.get('version')!.message['zh-CN'], /引号/);
  assert.match(byPath.get('grades[2].directTomanager')!.message.en, /did you mean "directToManager"/);
  assert.match(byPath.get('grades[2].limits.resolve')!.message.en, /not a duration/);
  // Inside an optional section that is present, its own fields stay required.
  assert.match(byPath.get('extension.specialMax')!.message['zh-CN'], /缺少必填字段/);
  assert.match(byPath.get('escalation.tiers[2].role')!.message.en, /one of: agent, handler/);
  // located problems come in document order, with their line
  const lines = r.problems.map((p) => p.line ?? 0);
  assert.deepEqual(
    lines,
    [...lines].sort((a, b) => a - b),
  );
  assert.ok(lines.every((l) => l > 0));
});

test('cross-field rules wait until the shape is valid', () => {
  const data = presetData();
  data.defaultGrade = 'nonexistent'; // a cross-field problem …
  data.grades[0].limits.resolve = 'soon'; // … hidden behind a shape problem
  assert.deepEqual(problemPaths(data), ['grades[0].limits.resolve']);
  data.grades[0].limits.resolve = '2d';
  assert.deepEqual(problemPaths(data), ['defaultGrade']);
});

test('defaults fill what a short policy leaves out', () => {
  const data = presetData();
  for (const k of ['calendar', 'channels', 'kinds', 'unsatisfied', 'gradeRise']) delete data[k];
  for (const g of data.grades) {
    delete g.warnAt;
    delete g.directToManager;
  }
  delete data.followUp.acceptedLevels;
  delete data.retention.byGrade;
  const r = validatePolicy(data);
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.problems));
  if (!r.ok) return;
  const p = r.policy;
  assert.deepEqual(p.calendar, {
    timeZone: 'Asia/Shanghai',
    holidays: 'CN',
    holidayList: [],
    workingWeekdays: [1, 2, 3, 4, 5],
    workingHours: [
      { start: '08:30', end: '12:00' },
      { start: '13:30', end: '17:30' },
    ],
    counting: 'instant',
    periodEnd: 'midnight',
  });
  assert.deepEqual(p.calendars, {});
  assert.deepEqual(p.channels, ['phone', 'walk_in', 'letter', 'email', 'web', 'chat', 'transfer', 'regulator']);
  assert.deepEqual(p.kinds, {
    complaint: { enabled: true },
    inquiry: { enabled: true, resolve: '24h' },
    suggestion: { enabled: true, resolve: '5wd' },
  });
  assert.deepEqual(p.unsatisfied, { escalateTier: true, maxCycles: 3 });
  assert.deepEqual(p.followUp.acceptedLevels, ['very_satisfied', 'satisfied', 'neutral']);
  assert.ok(p.grades.every((g) => g.warnAt === 0.8 && g.directToManager === false));
  assert.deepEqual(p.gradeRise, []);
  assert.deepEqual(p.retention!.byGrade, {});
  // defaults are fresh objects, not shared between parses
  p.calendar.workingWeekdays.push(6);
  const again = PolicySchema.parse(data);
  assert.deepEqual(again.calendar.workingWeekdays, [1, 2, 3, 4, 5]);
});

test('an empty document and a document that is not an object', () => {
  const empty = parsePolicyText('');
  assert.ok(!empty.ok && empty.problems.length === 1 && empty.problems[0]?.path === '');
  assert.ok(!empty.ok && /empty/.test(empty.problems[0]!.message.en));
  const list = parsePolicyText('- a\n- b\n');
  assert.ok(!list.ok && /must be an object/.test(list.problems[0]!.message.en));
});

test('formatProblems: one "path: message" line per problem, in the chosen language', () => {
  const data = presetData();
  data.categories[1].department = 'nowhere';
  data.defaultGrade = 'normal';
  const r = parseData(data);
  assert.equal(r.ok, false);
  if (r.ok) return;
  const zh = formatProblems(r.problems, 'zh-CN').split('\n');
  const en = formatProblems(r.problems, 'en').split('\n');
  assert.equal(zh.length, 2);
  assert.match(zh[0]!, /^categories\[1\]\.department: 未定义的部门“nowhere”.*（第 \d+ 行）$/);
  assert.match(en[1]!, /^defaultGrade: no grade "normal" is defined \(grades: general, important, major\) \(line \d+\)$/);
  assert.equal(formatProblems([{ path: 'a.b', message: { 'zh-CN': '甲', en: 'A' } }], 'en'), 'a.b: A');
  assert.equal(formatProblems([], 'en'), '');
});

test('formatPath writes zod paths the way the docs do', () => {
  assert.equal(formatPath(['grades', 2, 'limits', 'resolve']), 'grades[2].limits.resolve');
  assert.equal(formatPath(['name', 'zh-CN']), 'name.zh-CN');
  assert.equal(formatPath(['retention', 'byGrade', '重大']), 'retention.byGrade["重大"]');
  assert.equal(formatPath([]), '');
});

test('validatePolicy accepts an already parsed object (as stored in the database)', () => {
  const r = validatePolicy(presetData('property-manager'));
  assert.ok(r.ok);
  const bad = validatePolicy({ ...presetData(), extra: 1 });
  assert.ok(!bad.ok && bad.problems[0]?.path === 'extra' && bad.problems[0].line === undefined);
});
