/**
 * The console's action forms are built from the input schemas GET /api/v1/lifecycle serves
 * (web/src/modules/case/action-fields.ts). For every action staff take, in zh-CN, zh-TW and en:
 * every field gets a label that exists in the catalogue, every UI hint names a field the schema
 * has, and the fields the server's cross-field rules make conditional stay conditional.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lifecycleTable } from '../../src/http/complaints/complaint.routes.js';
import { parsePolicyText } from '../../src/domain/policy/index.js';
import { readPolicyFile } from '../../src/services/policies.js';
import { HINTS, actionFields, inputOf, schemaFields, type ActionField, type FieldContext, type JsonSchema } from '../../web/src/modules/case/action-fields.js';

const LOCALES = ['zh-CN', 'zh-TW', 'en'] as const;
const catalogue = (l: string) => JSON.parse(readFileSync(join('web/src/i18n/locales', `${l}.json`), 'utf8')) as Record<string, unknown>;
const lookup = (c: Record<string, unknown>, key: string): unknown => key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), c);

const lifecycle = lifecycleTable() as unknown as NonNullable<Parameters<typeof inputOf>[0]>;
const parsed = parsePolicyText(readPolicyFile('kesu-default').text);
if (!parsed.ok) throw new Error('kesu-default policy invalid');
const policy = parsed.policy as unknown as FieldContext['policy'];
const staff: FieldContext['staff'] = [
  { id: 'u1', username: 'handler', name: '张三', roles: ['handler'], departmentCode: null, managerOf: [], approvalLevels: [], active: true },
  { id: 'u2', username: 'handler2', name: '李四', roles: ['handler'], departmentCode: null, managerOf: [], approvalLevels: [], active: true },
];
const caseOf = (kind: string) =>
  ({
    complaint: { kind, category: null, departmentCode: null, primaryHandlerId: null, backupHandlerId: null, coHandlerIds: [], findings: null, complainant: { anonymous: false }, subject: { employeeIds: ['u2'] } },
  }) as unknown as FieldContext['view'];

/** Actions a person takes through …/actions/{action} (not the sweeper's, not the customer's, not attach). */
const staffActions = lifecycle.actions.filter((a) => !a.system && !a.ownEndpoint && !a.who.every((w) => w === 'customer'));

function context(locale: string, kind = 'complaint', missing: string[] = []): FieldContext {
  const c = catalogue(locale);
  return {
    view: caseOf(kind),
    policy,
    staff,
    pick: (text) => (text as Record<string, string | undefined>)[locale] ?? text['zh-CN'],
    t: (key) => {
      // A count-string may exist only in plural forms (English `_one` / `_other`), as i18next reads it.
      const v = lookup(c, key) ?? lookup(c, `${key}_other`);
      if (typeof v !== 'string') missing.push(`${locale}: ${key}`);
      return typeof v === 'string' ? v : key;
    },
  };
}

const field = (fields: ActionField[], path: string) => fields.find((f) => f.name.join('.') === path);

describe('action forms from the lifecycle input schemas', () => {
  it('every field of every staff action has a label in zh-CN, zh-TW and en', () => {
    const missing: string[] = [];
    for (const l of LOCALES)
      for (const a of staffActions)
        for (const kind of ['complaint', 'suggestion']) {
          const fields = actionFields(a.name, inputOf(lifecycle, a.name), context(l, kind, missing));
          for (const f of fields) assert.ok(f.label.trim(), `${a.name}.${f.name.join('.')}: empty label`);
          for (const f of fields) for (const o of f.options ?? []) assert.ok(String(o.label).trim(), `${a.name}.${f.name.join('.')}: option ${o.value} unnamed`);
        }
    assert.deepEqual([...new Set(missing)], []);
  });

  it('every hint names an action of the table and a field of its schema', () => {
    const names = new Set(lifecycle.actions.map((a) => a.name));
    for (const [action, hints] of Object.entries(HINTS)) {
      assert.ok(names.has(action), `hints for unknown action ${action}`);
      const paths = new Set(schemaFields(inputOf(lifecycle, action) as JsonSchema).map((f) => f.path.join('.')));
      for (const path of Object.keys(hints(context('zh-CN')))) assert.ok(paths.has(path), `${action}: hint for ${path}, which its input does not have`);
    }
  });

  it('takes order, types, enumerations, defaults and required fields from the schema', () => {
    const c = context('en');
    const propose = actionFields('propose', inputOf(lifecycle, 'propose'), c);
    assert.deepEqual(
      propose.map((f) => [f.name.join('.'), f.kind, f.required]),
      [
        ['solutions', 'checkgroup', true],
        ['amount', 'number', false],
        ['description', 'textarea', true],
      ],
    );
    assert.equal(field(propose, 'amount')!.initial, 0);
    assert.equal(field(propose, 'amount')!.min, 0);
    assert.ok(field(propose, 'solutions')!.options!.some((o) => o.value === 'refund' && o.label === 'Refund'));
    const investigate = actionFields('investigate', inputOf(lifecycle, 'investigate'), c);
    assert.deepEqual(
      investigate.map((f) => f.name.join('.')),
      ['facts', 'cause', 'responsibility.type', 'responsibility.departmentCode', 'responsibility.employeeId', 'responsibility.note'],
    );
    assert.equal(field(investigate, 'responsibility.type')!.required, true);
    assert.equal(field(investigate, 'responsibility.note')!.required, false);
    const note = actionFields('note', inputOf(lifecycle, 'note'), c);
    assert.equal(field(note, 'internal')!.initial, true);
    assert.deepEqual(actionFields('archive', inputOf(lifecycle, 'archive'), c), []);
  });

  it('keeps the conditional fields of the cross-field rules conditional', () => {
    const c = context('zh-CN');
    const judge = actionFields('judge', inputOf(lifecycle, 'judge'), c);
    for (const path of ['reason', 'explanation']) {
      const f = field(judge, path)!;
      assert.equal(f.required, true, path);
      assert.equal(f.show!({ valid: true }), false, path);
      assert.equal(f.show!({ valid: false }), true, path);
    }
    assert.equal(field(judge, 'reason')!.options!.length, (policy?.validity.invalidReasons ?? []).length);
    const followUp = actionFields('follow_up', inputOf(lifecycle, 'follow_up'), { ...c, view: null });
    assert.equal(field(followUp, 'satisfaction')!.required, true);
    assert.equal(field(followUp, 'satisfaction')!.show!({ reached: false }), false);
    assert.deepEqual(
      field(followUp, 'method')!.options!.map((o) => o.value),
      policy!.followUp.methods,
    );
    assert.equal(field(followUp, 'scores.attitude')!.kind, 'rate');
    const route = actionFields('route', inputOf(lifecycle, 'route'), c);
    assert.equal(field(route, 'departmentCode')!.required, true);
    assert.deepEqual(
      field(route, 'primaryHandlerId')!.options!.map((o) => o.label),
      ['张三', '李四 ⚠'],
    );
    assert.equal(field(actionFields('answer', inputOf(lifecycle, 'answer'), c), 'adopted'), undefined);
    assert.equal(field(actionFields('answer', inputOf(lifecycle, 'answer'), context('zh-CN', 'suggestion')), 'adopted')!.required, true);
  });
});
