/**
 * How the console presents each action of the lifecycle table (issue 8 §3): written once here,
 * beside the table, and served with it by GET /api/v1/lifecycle (`ui` on each action), so the
 * case page's buttons cannot drift from the domain. test/web/ui-hints.test.ts checks that the
 * console's buttons follow these hints for every action.
 */
import type { ActionName } from './machine.js';

/**
 * The steps that move a case forward, in the order the case page shows them first (the first
 * one the user may take is its primary, blue button); the other actions follow in table order.
 */
export const FORWARD_ACTIONS: readonly ActionName[] = ['judge', 'classify', 'route', 'accept', 'investigate', 'propose', 'approve', 'answer', 'follow_up', 'close', 'archive', 'resume', 'grant_extension'];

/** Actions that refuse or undo what someone asked for: shown as danger (red) buttons. */
export const DANGER_ACTIONS: readonly ActionName[] = ['reject', 'refuse_extension'];

/** Actions with their own panel on the case page instead of a button (attach: the attachments panel). */
export const PANEL_ACTIONS: readonly ActionName[] = ['attach'];

/** The presentation hints of one action, as GET /api/v1/lifecycle serves them. */
export interface ActionUi {
  /** Position among the forward steps (0 first), or null for an action that does not move the case forward. */
  forward: number | null;
  danger: boolean;
  panel: boolean;
}

export function actionUi(name: ActionName): ActionUi {
  const i = FORWARD_ACTIONS.indexOf(name);
  return { forward: i < 0 ? null : i, danger: DANGER_ACTIONS.includes(name), panel: PANEL_ACTIONS.includes(name) };
}
