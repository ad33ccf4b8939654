/**
 * The relation rules read on one case: who holds which relation, what each grants, and that
 * avoidance (回避) overrides every grant. (test/store/visibility-agreement.test.ts checks the
 * SQL reading of the same rules against these, over random cases.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CUSTOMER_ACTOR, SYSTEM_ACTOR, type Actor, type Complaint } from '../../../src/domain/complaint/types.js';
import { avoidingUserIds, participantsOf, relations } from '../../../src/domain/permissions/relations.js';
import { canSee, mustAvoid } from '../../../src/domain/permissions/visibility.js';
import { seesPii } from '../../../src/domain/permissions/pii.js';
import { randomCase, seeded } from './random-cases.js';

const user = (id: string, roles: Actor['roles'] = [], managerOf: string[] = []): Actor => ({ id, kind: 'user', name: id, roles, managerOf, approvalLevels: [] });

const base = randomCase(seeded(1), 0, ['x']);
const c: Complaint = {
  ...base,
  state: 'investigating',
  departmentCode: 'logistics',
  firstResponderId: 'agent',
  primaryHandlerId: 'h1',
  backupHandlerId: 'h2',
  coHandlerIds: ['co'],
  approverIds: ['ap'],
  followUp: { ...base.followUp, callerIds: ['fu'] },
  subject: { employeeIds: ['sub', 'spec2'] },
  extensionRequest: null,
};

describe('relations', () => {
  it('names each person by their place in the case', () => {
    const of = (a: Actor) => [...relations(c, a)].sort();
    assert.deepEqual(of(user('agent', ['agent'])), ['first_responder']);
    assert.deepEqual(of(user('h1', ['handler'])), ['handler']);
    assert.deepEqual(of(user('h2', ['handler'])), ['handler']);
    assert.deepEqual(of(user('co', ['handler'])), ['co_handler']);
    assert.deepEqual(of(user('ap', ['approver'])), ['approver']);
    assert.deepEqual(of(user('fu', ['followup'])), ['customer_contact', 'followup']);
    assert.deepEqual(of(user('sub')), ['subject']);
    assert.deepEqual(of(user('dm', ['handler'], ['logistics'])), ['department_manager']);
    assert.deepEqual(of(user('spec', ['specialist'])), ['customer_contact', 'oversight']);
    assert.deepEqual(of(user('spec2', ['specialist'])), ['customer_contact', 'oversight', 'subject']);
    assert.deepEqual(of(user('nobody', ['handler', 'approver'], ['billing'])), []);
    assert.deepEqual(of(SYSTEM_ACTOR), []);
    assert.deepEqual(of(CUSTOMER_ACTOR), []);
  });

  it('queues: approvers while a decision waits, follow-up callers around the follow-up', () => {
    const approver = user('a9', ['approver']);
    const caller = user('f9', ['followup']);
    assert.ok(!relations(c, approver).has('approval_queue'));
    assert.ok(relations({ ...c, state: 'awaiting_approval' }, approver).has('approval_queue'));
    assert.ok(relations({ ...c, extensionRequest: { reason: 'r', duration: '2wd', special: false, requestedBy: 'h1', requestedAt: c.receivedAt } }, approver).has('approval_queue'));
    assert.ok(!relations(c, caller).has('followup_queue'));
    assert.ok(relations({ ...c, state: 'answered' }, caller).has('followup_queue'));
    assert.ok(relations({ ...c, state: 'followed_up' }, caller).has('followup_queue'));
  });

  it('visibility, personal data and avoidance read the grants', () => {
    assert.ok(canSee(c, user('co')) && !seesPii(c, user('co')), 'a co-handler sees the case, masked');
    assert.ok(canSee(c, user('dm', [], ['logistics'])) && !seesPii(c, user('dm', [], ['logistics'])));
    assert.ok(canSee(c, user('h2')) && seesPii(c, user('h2')), 'the backup handler contacts the customer');
    assert.ok(!canSee(c, user('nobody', ['handler'])));
    assert.ok(!canSee(c, user('spec2', ['specialist'])) && mustAvoid(c, user('spec2', ['specialist'])), 'avoidance overrides oversight');
    assert.ok(canSee(c, SYSTEM_ACTOR) && seesPii(c, SYSTEM_ACTOR) && !mustAvoid(c, SYSTEM_ACTOR));
  });

  it('participants rows: one per person and stored relation; the subject rows are who avoids', () => {
    const both = { ...c, backupHandlerId: 'h1', coHandlerIds: ['co', 'co'] };
    assert.deepEqual(participantsOf(both), [
      { userId: 'agent', row: 'first_responder' },
      { userId: 'h1', row: 'handler' },
      { userId: 'co', row: 'co_handler' },
      { userId: 'ap', row: 'approver' },
      { userId: 'fu', row: 'followup' },
      { userId: 'sub', row: 'subject' },
      { userId: 'spec2', row: 'subject' },
    ]);
    assert.deepEqual(avoidingUserIds(c), ['sub', 'spec2']);
  });
});
