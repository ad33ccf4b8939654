/**
 * `apply` keeps the table honest: an effect that leads to a state its action does not declare
 * in `targets` (none declared: the state it started from) is a programming error and throws,
 * so the flowchart and the soundness test, which read the declarations, describe the code.
 * The wrong actions live in a test-local table passed to `apply`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parsePolicyText } from '../../../src/domain/policy/index.js';
import { WorkingCalendar, builtInHolidayYears } from '../../../src/domain/calendar/index.js';
import { receive } from '../../../src/domain/lifecycle/intake.js';
import { apply, UndeclaredTargetError, type ActionTable } from '../../../src/domain/lifecycle/apply.js';
import { ACTIONS, type ActionSpec } from '../../../src/domain/lifecycle/machine.js';
import type { Actor } from '../../../src/domain/complaint/types.js';

const parsed = parsePolicyText(readFileSync(new URL('../../../policies/kesu-default.yaml', import.meta.url), 'utf8'));
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const policy = parsed.policy;
const calendar = new WorkingCalendar(policy.calendar, builtInHolidayYears('CN'));
const now = new Date('2026-09-28T09:00:00+08:00');
const specialist: Actor = { id: 'spec', kind: 'user', name: 'spec', roles: ['specialist'], managerOf: [], approvalLevels: [] };
const agent: Actor = { ...specialist, id: 'agent', roles: ['agent'] };
const ctx = { actor: specialist, now, policy, calendar };
const intake = receive({ channel: 'phone', description: '测试', complainant: { anonymous: true } }, { id: 'c1', number: 'KS-2026-000001' }, { ...ctx, actor: agent });

/** The machine's `judge`, with its declaration or its effect changed. */
function judge(change: Partial<ActionSpec<any>>): ActionTable {
  return { judge: { ...ACTIONS.judge, ...change } };
}

describe('apply: declared targets', () => {
  it('the machine itself keeps to its declarations (judge leads to valid)', () => {
    const d = apply(intake.complaint, intake.clocks, 'judge', { valid: true }, ctx, judge({}));
    assert.equal(d.kind, 'applied');
    assert.equal(d.kind === 'applied' && d.complaint.state, 'valid');
  });

  it('an effect leading to a state not in targets throws', () => {
    const table = judge({ targets: ['invalid'] });
    assert.throws(
      () => apply(intake.complaint, intake.clocks, 'judge', { valid: true }, ctx, table),
      (e: unknown) => e instanceof UndeclaredTargetError && e.action === 'judge' && e.from === 'received' && e.to === 'valid' && /not one of its declared targets/.test(e.message),
    );
    // The same table is fine where the effect keeps to the declaration.
    const d = apply(intake.complaint, intake.clocks, 'judge', { valid: false, reason: policy.validity.invalidReasons[0]!.code, explanation: '与事实不符' }, ctx, table);
    assert.equal(d.kind === 'applied' && d.complaint.state, 'invalid');
  });

  it('an action declaring no targets must keep the state it started from', () => {
    const stays = judge({ targets: [], effect: (d) => d.c.state });
    assert.equal(apply(intake.complaint, intake.clocks, 'judge', { valid: true }, ctx, stays).kind, 'applied');
    const moves = judge({ targets: [], effect: () => 'closed' });
    assert.throws(() => apply(intake.complaint, intake.clocks, 'judge', { valid: true }, ctx, moves), UndeclaredTargetError);
  });

  it('refusals come before the effect: an illegal transition is still a refusal, not an error', () => {
    const moves = judge({ targets: [], effect: () => 'closed' });
    const r = apply({ ...intake.complaint, state: 'valid' }, intake.clocks, 'judge', { valid: true }, ctx, moves);
    assert.equal(r.kind === 'refused' && r.code, 'illegal_transition');
    assert.equal(apply(intake.complaint, intake.clocks, 'classify', {}, ctx, moves).kind, 'refused', 'actions outside the table are unknown');
  });
});
