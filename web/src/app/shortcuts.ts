/**
 * The console's keyboard shortcuts: one table that the key handler (useShortcuts) and the help
 * dialog (ShortcutsHelp, opened with `?`) both read, so the dialog lists exactly what works.
 * Everything here is pure (no DOM, no React): the rule "never while typing, never over a dialog"
 * and the sequence matcher (`g` then `w`) are tested in test/web/shortcuts.test.ts.
 */

/** Who the shortcuts are for: a signed-in user's roles (the console's `User` has them). */
export interface WithRoles {
  roles: readonly string[];
}

/** The shortcuts of every screen (the shell runs them). */
export type EverywhereId = 'search' | 'workbench' | 'queue' | 'duties' | 'intake' | 'help';
/** The shortcuts of one page (the page runs them while it is shown). */
export type PageShortcutId = 'next' | 'previous' | 'open' | 'accept' | 'back' | 'acceptCase';
export type ShortcutId = EverywhereId | PageShortcutId;

/**
 * Where a shortcut works: on every screen, or only on a page that offers it (a queue, the case
 * page) by registering its handlers (./page-shortcuts.ts) while it is shown.
 */
export type ShortcutScope = 'everywhere' | 'queue' | 'case';

/** The scopes in the order the help dialog shows them. */
export const SCOPES: readonly ShortcutScope[] = ['everywhere', 'queue', 'case'];

export interface Shortcut {
  id: ShortcutId;
  /** The keys pressed one after the other, as `KeyboardEvent.key` names them. */
  keys: readonly string[];
  /** Where it works; everywhere when absent. */
  scope?: Exclude<ShortcutScope, 'everywhere'>;
  /** Whether this user has the shortcut (as the menu has the page); everyone when absent. */
  for?: (me: WithRoles) => boolean;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { id: 'search', keys: ['/'] },
  { id: 'workbench', keys: ['g', 'w'] },
  { id: 'queue', keys: ['g', 'q'] },
  { id: 'duties', keys: ['g', 'd'] },
  // The intake is in the menu of agents and specialists only (Shell.tsx).
  { id: 'intake', keys: ['n'], for: (me) => me.roles.includes('agent') || me.roles.includes('specialist') },
  { id: 'help', keys: ['?'] },
  { id: 'next', keys: ['j'], scope: 'queue' },
  { id: 'previous', keys: ['k'], scope: 'queue' },
  { id: 'open', keys: ['Enter'], scope: 'queue' },
  // Whoever is the case's assigned handler may accept it, whatever their role: the case decides
  // (allowedActions), and the queue says so politely when it does not allow it.
  { id: 'accept', keys: ['a'], scope: 'queue' },
  { id: 'back', keys: ['Escape'], scope: 'case' },
  // The same key on the case page accepts the case shown (the same confirmation and refusal).
  { id: 'acceptCase', keys: ['a'], scope: 'case' },
];

/** The scope a shortcut works in. */
export const scopeOf = (s: Shortcut): ShortcutScope => s.scope ?? 'everywhere';

/** The shortcuts this user has, in the table's order: all scopes (the help lists them all), or those of the scopes given (what a key may complete now). */
export function shortcutsFor(me: WithRoles, scopes?: ReadonlySet<ShortcutScope>): Shortcut[] {
  return SHORTCUTS.filter((s) => (!s.for || s.for(me)) && (!scopes || scopes.has(scopeOf(s))));
}

/** How a key is printed on a keyboard, where `KeyboardEvent.key` names it otherwise. */
const KEY_CAP: Record<string, string> = { Escape: 'Esc' };
export const keyCap = (key: string): string => KEY_CAP[key] ?? key;

/** How long the next key of a sequence (`g` then `w`) may follow the one before, in ms. */
export const SEQUENCE_MS = 1500;

/** The part of an event target the typing rule looks at (an `Element` has all of it). */
export interface TargetLike {
  tagName?: string;
  isContentEditable?: boolean;
  getAttribute?: (name: string) => string | null;
}

/** The part of a `KeyboardEvent` the rule looks at. */
export interface KeyLike {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  isComposing?: boolean;
  target?: TargetLike | null;
}

const TYPING_TAGS = ['INPUT', 'TEXTAREA', 'SELECT'];
// Enter and Space on these activate them (a link, a button, a checkbox): those keys are theirs.
const CONTROL_TAGS = ['A', 'BUTTON', 'SUMMARY'];
const CONTROL_ROLES = ['button', 'link', 'checkbox', 'radio', 'switch', 'menuitem', 'tab', 'option'];
const ACTIVATION_KEYS = ['Enter', ' '];
// antd's selects, date pickers and cascaders type into an input with one of these roles.
const TYPING_ROLES = ['textbox', 'searchbox', 'combobox', 'spinbutton'];

/** Whether a key goes to something the person types into: an input, a textarea, a select, an editable element. */
export function isTyping(target: TargetLike | null | undefined): boolean {
  if (!target) return false;
  if (TYPING_TAGS.includes((target.tagName ?? '').toUpperCase())) return true;
  if (target.isContentEditable) return true;
  return TYPING_ROLES.includes(target.getAttribute?.('role') ?? '');
}

/** Whether the target is a control that Enter or Space activates (a link, a button, a checkbox). */
export function isControl(target: TargetLike | null | undefined): boolean {
  if (!target) return false;
  if (CONTROL_TAGS.includes((target.tagName ?? '').toUpperCase())) return true;
  return CONTROL_ROLES.includes(target.getAttribute?.('role') ?? '');
}

/**
 * Whether a key press may be a shortcut: not while typing, not with Ctrl, ⌘ or Alt (the
 * browser's and the system's own), not while an input method is composing (拼音, 注音), not while
 * a dialog, a drawer or a dropdown menu is open (its keys are its own), and not Enter or Space
 * on a focused link or button (they activate it).
 */
export function mayTrigger(e: KeyLike, dialogOpen: boolean): boolean {
  if (dialogOpen || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return false;
  if (ACTIVATION_KEYS.includes(e.key) && isControl(e.target)) return false;
  return !isTyping(e.target);
}

/** Keys pressed so far of a sequence that has not finished yet, and when the last one came. */
export interface Pending {
  keys: string[];
  at: number;
}

/**
 * One key pressed at `now`: the shortcut it completes (`hit`), or the sequence begun so far
 * (`pending`). A sequence left unfinished for longer than SEQUENCE_MS starts over; a key that
 * does not continue it starts a new one (`g` then `/` is `/`).
 */
export function press(table: readonly Shortcut[], pending: Pending | null, key: string, now: number): { hit?: Shortcut; pending: Pending | null } {
  const fresh = !pending || now - pending.at > SEQUENCE_MS;
  const tries = fresh ? [[key]] : [[...pending.keys, key], [key]];
  for (const keys of tries) {
    const hit = table.find((s) => s.keys.length === keys.length && s.keys.every((k, i) => k === keys[i]));
    if (hit) return { hit, pending: null };
    if (table.some((s) => s.keys.length > keys.length && keys.every((k, i) => s.keys[i] === k))) return { pending: { keys, at: now } };
  }
  return { pending: null };
}
