/**
 * Characterisation of the machine's output (issue 8 §3): the seeded walks of walks.ts record, per
 * transition, the outbox rows (channel, template, recipients, payload, in order), the event's
 * data and the state reached. The record is compared with `transitions-golden.json`, written once
 * from the code before the notifications moved out of the action table, so a refactor that
 * changes who is told, with which template or payload, or in which order, fails here with the
 * first step that differs.
 *
 * A deliberate change of behaviour rewrites the file:
 * `KESU_UPDATE_GOLDEN=1 node --import tsx --test test/domain/lifecycle/transitions-golden.test.ts`,
 * and the diff of the JSON is the review of what changed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { ACTION_NAMES } from '../../../src/domain/lifecycle/machine.js';
import { recordWalks, type Step } from './walks.js';

const GOLDEN = new URL('./transitions-golden.json', import.meta.url);

describe('lifecycle transitions, characterised', () => {
  // The walks take a few seconds: both tests read the same record.
  const now = recordWalks();

  it('every walk sends the same outbox rows and records the same event data as the golden record', () => {
    if (process.env.KESU_UPDATE_GOLDEN === '1') {
      // One step a line, so the diff of a deliberate change shows the steps it changed.
      const walks = Object.entries(now).map(([name, steps]) => `${JSON.stringify(name)}: [\n${steps.map((x) => JSON.stringify(x)).join(',\n')}\n]`);
      writeFileSync(GOLDEN, `{\n${walks.join(',\n')}\n}\n`);
      return;
    }
    const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, Step[]>;
    assert.deepEqual(Object.keys(now), Object.keys(golden));
    for (const [walkName, steps] of Object.entries(golden)) {
      const got = now[walkName]!;
      for (const [i, step] of steps.entries()) assert.deepEqual(got[i], step, `${walkName}, step ${i + 1} (${step.action})`);
      assert.equal(got.length, steps.length, `${walkName}: number of steps`);
    }
  });

  it('the walks reach every action that sends a message, and every template', () => {
    const actions = new Set<string>();
    const templates = new Set<string>();
    for (const steps of Object.values(now))
      for (const s of steps) {
        actions.add(s.action);
        for (const m of s.outbox as [string, string][]) if (m[0] !== 'webhook') templates.add(m[1]);
      }
    const missing = ACTION_NAMES.filter((a) => !actions.has(a) && a !== 'complete_duty');
    assert.deepEqual(missing, [], 'actions no walk performed');
    for (const t of [
      'acknowledgement',
      'triage_waiting',
      'case_assigned',
      'case_progress',
      'invalid_explain',
      'major_case',
      'emergency_case',
      'approval_waiting',
      'proposal_approved',
      'proposal_rejected',
      'answer',
      'followup_due',
      'survey_invitation',
      'followup_unreachable',
      'extension_waiting',
      'extension_granted',
      'extension_refused',
      'handle_again',
      'handover_failed',
      'cycles_exceeded',
      'closure',
      'invalid_explanation',
      'customer_supplement',
      'deadline_warning',
      'deadline_breached',
      'overdue_notice',
      'grade_raised',
      'case_urged',
      'stand_in_assigned',
      'stand_in_approval',
      'stand_in_failed',
      'stand_in_ended',
      'delay_notice',
    ])
      assert.ok(templates.has(t), `no walk sent ${t}`);
  });
});
