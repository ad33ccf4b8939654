/**
 * UI hints and state groups live in the domain (src/domain/lifecycle/ui-hints.ts,
 * state-groups.ts) and reach the console through GET /api/v1/lifecycle and the generated
 * state-groups file (issue 8 §3): the lifecycle table serves each action's hints; the case page's
 * buttons (web/src/modules/case/action-buttons.ts) follow them; the console's queues, the
 * knowledge button and the portal read the domain's groups; and no list of states or actions is
 * written again in the console or the portal.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { lifecycleTable } from '../../src/http/complaints/complaint.routes.js';
import { ACTION_NAMES } from '../../src/domain/lifecycle/machine.js';
import { DANGER_ACTIONS, FORWARD_ACTIONS, PANEL_ACTIONS, actionUi } from '../../src/domain/lifecycle/ui-hints.js';
import { STATE_GROUPS } from '../../src/domain/lifecycle/state-groups.js';
import { STATES } from '../../src/domain/complaint/types.js';
import { stateLabel } from '../../src/http/portal/portal.i18n.js';
import { message } from '../../src/domain/messages/index.js';
import { actionButtons } from '../../web/src/modules/case/action-buttons.js';
import { nodes, parseSource } from '../support/source.js';

const lifecycle = lifecycleTable();

describe('UI hints from the domain', () => {
  it("the lifecycle table serves every action with the domain's hints", () => {
    for (const a of lifecycle.actions) assert.deepEqual(a.ui, actionUi(a.name as (typeof ACTION_NAMES)[number]), a.name);
    assert.deepEqual(
      lifecycle.actions
        .filter((a) => a.ui.danger)
        .map((a) => a.name)
        .sort(),
      [...DANGER_ACTIONS].sort(),
    );
    assert.deepEqual(
      lifecycle.actions.filter((a) => a.ui.panel).map((a) => a.name),
      [...PANEL_ACTIONS],
    );
  });

  it("the case page's buttons: no panel action, forward steps first in the domain's order, the first primary, refusals danger", () => {
    const allowed = [...ACTION_NAMES].reverse();
    const buttons = actionButtons(lifecycle, allowed, false);
    const names = buttons.map((b) => b.action);
    for (const p of PANEL_ACTIONS) assert.ok(!names.includes(p), p);
    assert.deepEqual(names.slice(0, FORWARD_ACTIONS.length), [...FORWARD_ACTIONS]);
    // The others keep the order the server allowed them in.
    assert.deepEqual(
      names.slice(FORWARD_ACTIONS.length),
      allowed.filter((a) => !FORWARD_ACTIONS.includes(a) && !PANEL_ACTIONS.includes(a)),
    );
    assert.deepEqual(
      buttons.filter((b) => b.primary).map((b) => b.action),
      [FORWARD_ACTIONS[0]],
    );
    assert.deepEqual(
      buttons
        .filter((b) => b.danger)
        .map((b) => b.action)
        .sort(),
      [...DANGER_ACTIONS].sort(),
    );
    // With the one-step triage offered, it is the primary button; a case with only side actions has none.
    assert.deepEqual(
      actionButtons(lifecycle, allowed, true).filter((b) => b.primary),
      [],
    );
    assert.deepEqual(actionButtons(lifecycle, ['reject', 'attach', 'propose'], false), [
      { action: 'propose', primary: true, danger: false },
      { action: 'reject', primary: false, danger: true },
    ]);
    assert.deepEqual(
      actionButtons(lifecycle, ['supplement', 'reject'], false).filter((b) => b.primary),
      [],
    );
  });
});

describe('state groups from the domain', () => {
  it("the console's queues and knowledge button import the generated groups (test/web/generated-client.test.ts: they are the domain's)", () => {
    const imported = (file: string) =>
      [...nodes(parseSource(file))].flatMap((n) =>
        ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier) && n.moduleSpecifier.text.endsWith('/api/generated/state-groups') && n.importClause?.namedBindings && ts.isNamedImports(n.importClause.namedBindings)
          ? n.importClause.namedBindings.elements.map((e) => e.name.text)
          : [],
      );
    assert.deepEqual(imported('web/src/modules/queues/queues.ts').sort(), ['HANDLING_STATES', 'OPEN_STATES', 'TRIAGE_STATES']);
    assert.deepEqual(imported('web/src/modules/knowledge/ToExperienceButton.tsx'), ['RESOLVED_STATES']);
    for (const name of ['HANDLING_STATES', 'OPEN_STATES', 'TRIAGE_STATES', 'RESOLVED_STATES']) assert.ok(name in STATE_GROUPS, name);
  });

  it('the portal says "handled again" exactly in the active states of a reopened case', () => {
    const again = message('portal.state.again', 'en', { cycle: 2 });
    assert.deepEqual(
      STATES.filter((s) => stateLabel(s, 'en', 2) === again),
      [...STATE_GROUPS.ACTIVE_STATES],
    );
    assert.deepEqual(
      STATES.filter((s) => stateLabel(s, 'en', 1) === again),
      [],
    );
  });

  it('no list of two or more states or actions is written again in the console (web/src) or the portal (src/http/portal)', () => {
    const files = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? (n === 'generated' ? [] : files(join(d, n))) : /\.tsx?$/.test(n) ? [join(d, n)] : []));
    const states = new Set<string>(STATES);
    const actions = new Set<string>(ACTION_NAMES);
    // Lists that are not state groups or UI hints: the forms a step's page combines, and the
    // actions the printed dossier names its signatures after (each with its own meaning there).
    const ALLOWED = new Set(['route,reroute', 'judge,classify,route', 'approve,reject,grant_extension,refuse_extension']);
    const found: string[] = [];
    for (const f of [...files('web/src'), ...files('src/http/portal')])
      for (const n of nodes(parseSource(f))) {
        if (!ts.isArrayLiteralExpression(n)) continue;
        const lits = n.elements.filter(ts.isStringLiteralLike).map((e) => e.text);
        const named = lits.filter((l) => states.has(l)).length >= 2 || lits.filter((l) => actions.has(l)).length >= 2;
        if (named && !ALLOWED.has(lits.join(','))) found.push(`${f}: [${lits.join(', ')}]`);
      }
    assert.deepEqual(found, []);
  });
});
