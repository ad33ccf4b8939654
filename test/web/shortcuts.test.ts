/**
 * The console's keyboard shortcuts (web/src/app/shortcuts.ts): the rule that they never fire
 * while typing, with Ctrl/⌘/Alt, during input-method composition or over a dialog, nor Enter on
 * a link or button; the sequence matcher (`g` then `w`, its time limit, a key that starts over);
 * the pages' scopes (a queue's j/k/Enter/a, the case page's Escape and a); who has which; and that the
 * help dialog has a text for each and each scope in the three languages.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SCOPES, SEQUENCE_MS, SHORTCUTS, isTyping, keyCap, mayTrigger, press, scopeOf, shortcutsFor, type Pending, type ShortcutScope, type TargetLike, type WithRoles } from '../../web/src/app/shortcuts.js';

const el = (tagName: string, attrs: Record<string, string> = {}, isContentEditable = false): TargetLike => ({ tagName, isContentEditable, getAttribute: (n) => attrs[n] ?? null });

describe('console keyboard shortcuts', () => {
  it('never fire while typing in an input, a textarea, a select or an editable element', () => {
    for (const t of [el('INPUT'), el('input', { type: 'search' }), el('TEXTAREA'), el('SELECT'), el('DIV', {}, true), el('SPAN', { role: 'combobox' }), el('DIV', { role: 'textbox' })]) {
      assert.equal(isTyping(t), true, `${t.tagName} ${t.getAttribute!('role') ?? ''}`);
      assert.equal(mayTrigger({ key: 'n', target: t }, false), false);
    }
    for (const t of [el('BODY'), el('BUTTON'), el('A'), el('DIV', { role: 'row' }), null]) assert.equal(mayTrigger({ key: 'n', target: t }, false), true, `${t?.tagName ?? 'no target'}`);
  });

  it('never fire over a dialog, with Ctrl, ⌘ or Alt, or while an input method composes', () => {
    const body = el('BODY');
    assert.equal(mayTrigger({ key: 'n', target: body }, true), false);
    assert.equal(mayTrigger({ key: 'n', target: body, ctrlKey: true }, false), false);
    assert.equal(mayTrigger({ key: 'n', target: body, metaKey: true }, false), false);
    assert.equal(mayTrigger({ key: 'n', target: body, altKey: true }, false), false);
    assert.equal(mayTrigger({ key: 'n', target: body, isComposing: true }, false), false);
  });

  it('leave Enter and Space to a focused link, button or checkbox, but take them on a row or the page', () => {
    for (const t of [el('A'), el('BUTTON'), el('SPAN', { role: 'button' }), el('LABEL', { role: 'checkbox' }), el('LI', { role: 'menuitem' })]) {
      assert.equal(mayTrigger({ key: 'Enter', target: t }, false), false, `Enter on ${t.tagName}`);
      assert.equal(mayTrigger({ key: ' ', target: t }, false), false, `Space on ${t.tagName}`);
      assert.equal(mayTrigger({ key: 'j', target: t }, false), true, `j on ${t.tagName}`);
      assert.equal(mayTrigger({ key: 'Escape', target: t }, false), true, `Escape on ${t.tagName}`);
    }
    for (const t of [el('TR'), el('BODY'), null]) assert.equal(mayTrigger({ key: 'Enter', target: t }, false), true, `Enter on ${t?.tagName ?? 'no target'}`);
  });

  it("a page's shortcuts work only while a page of their scope is shown", () => {
    const everyone = { roles: ['handler'] };
    const live = (...scopes: ShortcutScope[]) => new Set<ShortcutScope>(scopes);
    const ids = (scopes: Set<ShortcutScope>) => shortcutsFor(everyone, scopes).map((s) => s.id);
    assert.deepEqual(ids(live('everywhere')), ['search', 'workbench', 'queue', 'duties', 'help']);
    assert.deepEqual(ids(live('everywhere', 'queue')), ['search', 'workbench', 'queue', 'duties', 'help', 'next', 'previous', 'open', 'accept']);
    assert.deepEqual(ids(live('everywhere', 'case')), ['search', 'workbench', 'queue', 'duties', 'help', 'back', 'acceptCase']);
    const on = (scopes: Set<ShortcutScope>, key: string) => press(shortcutsFor(everyone, scopes), null, key, 0).hit?.id;
    assert.equal(on(live('everywhere', 'queue'), 'j'), 'next');
    assert.equal(on(live('everywhere', 'queue'), 'k'), 'previous');
    assert.equal(on(live('everywhere', 'queue'), 'Enter'), 'open');
    assert.equal(on(live('everywhere', 'queue'), 'a'), 'accept');
    assert.equal(on(live('everywhere', 'case'), 'Escape'), 'back');
    assert.equal(on(live('everywhere'), 'j'), undefined, 'j outside a queue is nothing');
    assert.equal(on(live('everywhere', 'case'), 'a'), 'acceptCase', 'a on the case page accepts the case shown');
    assert.equal(on(live('everywhere'), 'a'), undefined, 'a elsewhere is nothing');
    assert.equal(on(live('everywhere', 'queue'), 'Escape'), undefined, 'Escape is the case page key');
    assert.equal(on(live('everywhere', 'queue'), 'A'), undefined, 'Shift+a is not a');
    // Without scopes: every shortcut the user has, for the help dialog.
    assert.deepEqual(
      shortcutsFor(everyone).map(scopeOf),
      shortcutsFor(everyone).map((s) => s.scope ?? 'everywhere'),
    );
    assert.equal(shortcutsFor(everyone).length, shortcutsFor(everyone, new Set(SCOPES)).length);
  });

  it('print keys as the keyboard names them', () => {
    assert.equal(keyCap('Escape'), 'Esc');
    assert.equal(keyCap('Enter'), 'Enter');
    assert.equal(keyCap('j'), 'j');
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
    assert.equal(
      hit([
        ['g', 0],
        ['w', 400],
      ]).last,
      'workbench',
    );
    assert.equal(
      hit([
        ['g', 0],
        ['q', SEQUENCE_MS],
      ]).last,
      'queue',
    );
    assert.equal(
      hit([
        ['g', 0],
        ['d', 10],
      ]).last,
      'duties',
    );
    assert.deepEqual(
      hit([
        ['g', 0],
        ['w', SEQUENCE_MS + 1],
      ]),
      { last: undefined, pending: null },
      'too late: w alone is nothing',
    );
    assert.equal(
      hit([
        ['g', 0],
        ['/', 10],
      ]).last,
      'search',
      'a key that does not continue the sequence counts on its own',
    );
    assert.deepEqual(
      hit([
        ['g', 0],
        ['g', 10],
      ]).pending,
      { keys: ['g'], at: 10 },
      'g again starts over',
    );
    assert.deepEqual(hit([['w', 0]]), { last: undefined, pending: null });
    assert.equal(
      hit([
        ['G', 0],
        ['w', 10],
      ]).last,
      undefined,
      'Shift+g is not g',
    );
  });

  it('no shortcut is the beginning of another that can be live with it, so each can be reached', () => {
    // A queue and the case page are never shown together: their `a` are two keys, one per page.
    const together = (x: ShortcutScope, y: ShortcutScope) => x === y || x === 'everywhere' || y === 'everywhere';
    for (const a of SHORTCUTS) for (const b of SHORTCUTS) if (a !== b && together(scopeOf(a), scopeOf(b))) assert.ok(!a.keys.every((k, i) => b.keys[i] === k), `${a.id} is the start of ${b.id}`);
    assert.ok(SHORTCUTS.some((s) => s.scope === 'queue' && s.keys.join() === 'a') && SHORTCUTS.some((s) => s.scope === 'case' && s.keys.join() === 'a'), 'a in both');
  });

  it('the intake shortcut is for those who have the intake in their menu', () => {
    const me = (roles: string[]): WithRoles => ({ roles });
    assert.ok(shortcutsFor(me(['agent'])).some((s) => s.id === 'intake'));
    assert.ok(shortcutsFor(me(['specialist'])).some((s) => s.id === 'intake'));
    assert.deepEqual(
      shortcutsFor(me(['handler'])).map((s) => s.id),
      ['search', 'workbench', 'queue', 'duties', 'help', 'next', 'previous', 'open', 'accept', 'back', 'acceptCase'],
    );
  });

  it('the help dialog has each shortcut in zh-CN, zh-TW and en', () => {
    for (const l of ['zh-CN', 'zh-TW', 'en']) {
      const words = JSON.parse(readFileSync(`web/src/i18n/locales/${l}.json`, 'utf8')).shortcuts;
      assert.deepEqual(Object.keys(words.action).sort(), SHORTCUTS.map((s) => s.id).sort(), l);
      assert.deepEqual(Object.keys(words.scope).sort(), [...SCOPES].sort(), `${l}: a heading per scope`);
      for (const k of ['menu', 'title', 'intro', 'keys', 'does', 'then', 'cannotAccept', 'noneSelected', 'acceptConfirm']) assert.ok(words[k]?.trim(), `${l}: shortcuts.${k}`);
      // The accept key is named by the lifecycle's label, never by a second copy of it.
      for (const k of ['cannotAccept', 'acceptConfirm']) assert.match(words[k], /\{\{action\}\}/, `${l}: shortcuts.${k} names the action by its label`);
      for (const k of ['accept', 'acceptCase']) assert.match(words.action[k], /\{\{action\}\}/, `${l}: shortcuts.action.${k}`);
    }
  });
});
