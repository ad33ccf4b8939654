/**
 * The console's keyboard shortcuts (web/src/app/shortcuts.ts): the rule that they never fire
 * while typing, with Ctrl/⌘/Alt, during input-method composition or over a dialog; the
 * sequence matcher (`g` then `w`, its time limit, a key that starts over); who has which; and
 * that the help dialog has a text for each in the three languages.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SEQUENCE_MS, SHORTCUTS, isTyping, mayTrigger, press, shortcutsFor, type Pending, type TargetLike, type WithRoles } from '../../web/src/app/shortcuts.js';

const el = (tagName: string, attrs: Record<string, string> = {}, isContentEditable = false): TargetLike => ({ tagName, isContentEditable, getAttribute: (n) => attrs[n] ?? null });

describe('console keyboard shortcuts', () => {
  it('never fire while typing in an input, a textarea, a select or an editable element', () => {
    for (const t of [el('INPUT'), el('input', { type: 'search' }), el('TEXTAREA'), el('SELECT'), el('DIV', {}, true), el('SPAN', { role: 'combobox' }), el('DIV', { role: 'textbox' })]) {
      assert.equal(isTyping(t), true, `${t.tagName} ${t.getAttribute!('role') ?? ''}`);
      assert.equal(mayTrigger({ key: 'n', target: t }, false), false);
    }
    for (const t of [el('BODY'), el('BUTTON'), el('A'), el('DIV', { role: 'row' }), null])
      assert.equal(mayTrigger({ key: 'n', target: t }, false), true, `${t?.tagName ?? 'no target'}`);
  });

  it('never fire over a dialog, with Ctrl, ⌘ or Alt, or while an input method composes', () => {
    const body = el('BODY');
    assert.equal(mayTrigger({ key: 'n', target: body }, true), false);
    assert.equal(mayTrigger({ key: 'n', target: body, ctrlKey: true }, false), false);
    assert.equal(mayTrigger({ key: 'n', target: body, metaKey: true }, false), false);
    assert.equal(mayTrigger({ key: 'n', target: body, altKey: true }, false), false);
    assert.equal(mayTrigger({ key: 'n', target: body, isComposing: true }, false), false);
  });

  it('match single keys and sequences within the time limit', () => {
    const hit = (keys: [string, number][]) => {
      let pending: Pending | null = null;
      let last: string | undefined;
      for (const [k, at] of keys) {
        const r = press(SHORTCUTS, pending, k, at);
        pending = r.pending;
        last = r.hit?.id;
      }
      return { last, pending };
    };
    assert.equal(hit([['/', 0]]).last, 'search');
    assert.equal(hit([['?', 0]]).last, 'help');
    assert.equal(hit([['n', 0]]).last, 'intake');
    assert.deepEqual(hit([['g', 0]]), { last: undefined, pending: { keys: ['g'], at: 0 } });
    assert.equal(hit([['g', 0], ['w', 400]]).last, 'workbench');
    assert.equal(hit([['g', 0], ['q', SEQUENCE_MS]]).last, 'queue');
    assert.equal(hit([['g', 0], ['d', 10]]).last, 'duties');
    assert.deepEqual(hit([['g', 0], ['w', SEQUENCE_MS + 1]]), { last: undefined, pending: null }, 'too late: w alone is nothing');
    assert.equal(hit([['g', 0], ['/', 10]]).last, 'search', 'a key that does not continue the sequence counts on its own');
    assert.deepEqual(hit([['g', 0], ['g', 10]]).pending, { keys: ['g'], at: 10 }, 'g again starts over');
    assert.deepEqual(hit([['w', 0]]), { last: undefined, pending: null });
    assert.equal(hit([['G', 0], ['w', 10]]).last, undefined, 'Shift+g is not g');
  });

  it('no shortcut is the beginning of another, so each can be reached', () => {
    for (const a of SHORTCUTS)
      for (const b of SHORTCUTS) if (a !== b) assert.ok(!a.keys.every((k, i) => b.keys[i] === k), `${a.id} is the start of ${b.id}`);
  });

  it('the intake shortcut is for those who have the intake in their menu', () => {
    const me = (roles: string[]): WithRoles => ({ roles });
    assert.ok(shortcutsFor(me(['agent'])).some((s) => s.id === 'intake'));
    assert.ok(shortcutsFor(me(['specialist'])).some((s) => s.id === 'intake'));
    assert.deepEqual(shortcutsFor(me(['handler'])).map((s) => s.id), ['search', 'workbench', 'queue', 'duties', 'help']);
  });

  it('the help dialog has each shortcut in zh-CN, zh-TW and en', () => {
    for (const l of ['zh-CN', 'zh-TW', 'en']) {
      const words = JSON.parse(readFileSync(`web/src/i18n/locales/${l}.json`, 'utf8')).shortcuts;
      assert.deepEqual(Object.keys(words.action).sort(), SHORTCUTS.map((s) => s.id).sort(), l);
      for (const k of ['menu', 'title', 'intro', 'keys', 'does', 'then']) assert.ok(words[k]?.trim(), `${l}: shortcuts.${k}`);
    }
  });
});
