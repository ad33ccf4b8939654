/**
 * The console's one-step triage form and pickers (issue 14), built in Node from the same
 * lifecycle table and policy the server serves: the triage form is the judge, classify and route
 * forms nested under their step, with classification and routing hidden for an invalid
 * complaint; the backup list leaves out the primary; handlers show department and load; the
 * complained-about employee is among those who serve customers, in the chosen department; a
 * duration is a number and a unit, its help naming the limits (or the stage the case is at).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lifecycleTable } from '../../src/http/complaints/complaint.routes.js';
import { parsePolicyText } from '../../src/domain/policy/index.js';
import { readPolicyFile } from '../../src/services/policies.js';
import { actionFields, durationCode, inputOf, splitDuration, type ActionField, type FieldContext } from '../../web/src/modules/case/action-fields.js';
import { triageBody, triageFields, routedDepartment } from '../../web/src/modules/case/triage-fields.js';
import { subjectEmployeeOptions } from '../../web/src/modules/case/pickers.js';

const lifecycle = lifecycleTable() as unknown as NonNullable<Parameters<typeof inputOf>[0]>;
const parsed = parsePolicyText(readPolicyFile('kesu-default').text);
if (!parsed.ok) throw new Error('kesu-default policy invalid');
const policy = parsed.policy as unknown as FieldContext['policy'];
const zh = JSON.parse(readFileSync(join('web/src/i18n/locales', 'zh-CN.json'), 'utf8')) as Record<string, unknown>;
const t = (key: string, o: Record<string, unknown> = {}) => {
  const v = key.split('.').reduce<unknown>((x, p) => (x && typeof x === 'object' ? (x as Record<string, unknown>)[p] : undefined), zh);
  assert.equal(typeof v, 'string', `zh-CN has ${key}`);
  return (v as string).replace(/\{\{(\w+)\}\}/g, (_, n: string) => String(o[n] ?? ''));
};
const person = (id: string, name: string, roles: string[], departmentCode: string | null) => ({ id, username: id, name, roles, departmentCode, managerOf: [], approvalLevels: [], active: true });
const staff: FieldContext['staff'] = [
  person('u1', '王强', ['handler'], 'customer_service'),
  person('u2', '吴磊', ['handler'], 'customer_service'),
  person('u3', '钱进', ['handler'], 'logistics'),
  person('a1', '张敏', ['agent'], null),
  person('x1', '管理员', ['admin'], null),
  person('x2', '审计员', ['auditor'], 'customer_service'),
];
const view = {
  complaint: { kind: 'complaint', category: null, departmentCode: null, primaryHandlerId: null, backupHandlerId: null, coHandlerIds: [], findings: null, proposal: null, complainant: { anonymous: false }, subject: { employeeIds: ['u2'] } },
} as unknown as FieldContext['view'];
const context = (more: Partial<FieldContext> = {}): FieldContext => ({ view, policy, staff, t, pick: (x) => x['zh-CN'], ...more });
const field = (fields: ActionField[], path: string) => {
  const f = fields.find((x) => x.name.join('.') === path);
  assert.ok(f, `field ${path}`);
  return f;
};

describe('one-step triage form and pickers', () => {
  it("nests the three actions' own fields under their step, in order", () => {
    const fields = triageFields(lifecycle, context());
    const own = (a: string) => actionFields(a, inputOf(lifecycle, a), context()).map((f) => [a, ...f.name].join('.'));
    assert.deepEqual(
      fields.map((f) => f.name.join('.')),
      [...own('judge'), ...own('classify'), ...own('route')],
    );
    assert.equal(field(fields, 'classify.grade').initial, policy!.defaultGrade);
  });

  it('hides classification and routing for an invalid complaint, and sends only the judgement', () => {
    const fields = triageFields(lifecycle, context());
    const valid = { judge: { valid: true } };
    const invalid = { judge: { valid: false } };
    assert.equal(field(fields, 'judge.reason').show!(valid), false);
    assert.equal(field(fields, 'judge.reason').show!(invalid), true);
    for (const path of ['classify.category', 'route.primaryHandlerId']) {
      assert.equal(field(fields, path).show!(valid), true, path);
      assert.equal(field(fields, path).show!(invalid), false, path);
    }
    assert.deepEqual(triageBody({ judge: { valid: false, reason: 'r' }, classify: { category: 'x' } }), { judge: { valid: false, reason: 'r' } });
    assert.deepEqual(Object.keys(triageBody({ judge: { valid: true } })), ['judge', 'classify', 'route']);
    assert.equal(routedDepartment(policy, 'goods_damage_shortage'), 'logistics');
  });

  it('shows department and load, leaves the primary out of the backup list, puts the department first', () => {
    const loads = new Map([['u1', 3]]);
    const fields = triageFields(lifecycle, context({ loads }));
    const primary = field(fields, 'route.primaryHandlerId');
    assert.deepEqual(
      primary.options!.map((o) => o.label),
      ['王强 · 客服中心 · 在办 3', '吴磊 · 客服中心 · 在办 0 ⚠', '钱进 · 物流配送部 · 在办 0'],
    );
    const values = { judge: { valid: true }, route: { departmentCode: 'logistics', primaryHandlerId: 'u1' } };
    assert.deepEqual(
      primary.optionsFor!(primary.options!, values).map((o) => o.value),
      ['u3', 'u1', 'u2'],
    );
    const backup = field(fields, 'route.backupHandlerId');
    assert.deepEqual(
      backup.optionsFor!(backup.options!, values).map((o) => o.value),
      ['u3', 'u2'],
    );
    const co = field(fields, 'route.coHandlerIds');
    assert.deepEqual(
      co.optionsFor!(co.options!, { route: { primaryHandlerId: 'u1', backupHandlerId: 'u3' } }).map((o) => o.value),
      ['u2'],
    );
    // Without loads (not fetched), the bare context stays: no "在办 0" that would be a guess.
    assert.equal(field(triageFields(lifecycle, context()), 'route.primaryHandlerId').options![0]!.label, '王强 · 客服中心');
  });

  it('offers as complained-about employees only people who serve customers, in the chosen department', () => {
    const name = (c: string) => (c === 'customer_service' ? '客服中心' : c);
    assert.deepEqual(
      subjectEmployeeOptions(staff, null, name).map((o) => o.value),
      ['u1', 'u2', 'u3', 'a1'],
    );
    assert.deepEqual(
      subjectEmployeeOptions(staff, 'customer_service', name).map((o) => o.value),
      ['u1', 'u2'],
    );
    const investigate = actionFields('investigate', inputOf(lifecycle, 'investigate'), context());
    const employee = field(investigate, 'responsibility.employeeId');
    assert.deepEqual(
      employee.optionsFor!(employee.options!, { responsibility: { departmentCode: 'logistics' } }).map((o) => o.value),
      ['u3'],
    );
  });

  it('starts a new proposal from the rejected one', () => {
    const proposed = { ...view!, complaint: { ...view!.complaint, proposal: { solutions: ['exchange'], amount: 1200, description: '换货', requiredLevel: 'manager', proposedBy: 'u1', proposedAt: '' } } } as FieldContext['view'];
    const fields = actionFields('propose', inputOf(lifecycle, 'propose'), context({ view: proposed }));
    assert.deepEqual(
      fields.map((f) => f.initial),
      [['exchange'], 1200, '换货'],
    );
  });

  it("makes an extension's duration code from a number and a unit", () => {
    const ext = actionFields('request_extension', inputOf(lifecycle, 'request_extension'), context());
    assert.equal(field(ext, 'duration').kind, 'duration');
    assert.equal(field(ext, 'duration').help, '最长 3 个工作日，特殊情况 7 个工作日');
    assert.equal(durationCode(2, 'wd'), '2wd');
    assert.equal(durationCode(1.5, 'h'), '1.5h');
    assert.equal(durationCode(null, 'd'), undefined);
    assert.deepEqual(splitDuration('8h'), { amount: 8, unit: 'h' });
    assert.deepEqual(splitDuration(undefined), { amount: null, unit: 'wd' });
  });

  it('names the stage a staged extension is at (issue 10 §5)', () => {
    const staged = parsePolicyText(readPolicyFile('property-manager').text);
    if (!staged.ok) throw new Error('property-manager policy invalid');
    const help = (extensions: string[]) => {
      const v = { ...view!, complaint: { ...view!.complaint, extensions } } as FieldContext['view'];
      return field(actionFields('request_extension', inputOf(lifecycle, 'request_extension'), context({ view: v, policy: staged.policy as unknown as FieldContext['policy'] })), 'duration').help;
    };
    assert.deepEqual([help([]), help(['3wd']), help(['3wd', '4wd'])], ['第 1 阶段：累计最长 3 个工作日', '第 2 阶段：累计最长 7 个工作日，仅限特殊情况', '延期的各阶段都已用完']);
  });
});
