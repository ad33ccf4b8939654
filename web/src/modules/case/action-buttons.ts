/**
 * The case page's action buttons, from the hints the lifecycle table carries (GET /api/v1/lifecycle,
 * `ui`: written once in src/domain/lifecycle/ui-hints.ts): actions with a panel of their own get
 * no button; the forward steps come first in the domain's order, the others after in the order
 * the server allows them; the first forward step is the primary button (unless the one-step
 * triage is offered, which then is); refusals are danger buttons.
 */

/** The part of GET /api/v1/lifecycle read here (the generated `Lifecycle` fits it). */
interface LifecycleHints {
  actions: readonly { name: string; ui: { forward: number | null; danger: boolean; panel: boolean } }[];
}

export interface ActionButton {
  action: string;
  primary: boolean;
  danger: boolean;
}

export function actionButtons(lifecycle: LifecycleHints | null, allowed: readonly string[], triageOffered: boolean): ActionButton[] {
  const ui = new Map((lifecycle?.actions ?? []).map((a) => [a.name, a.ui]));
  const rank = (a: string) => ui.get(a)?.forward ?? Number.MAX_SAFE_INTEGER;
  const shown = allowed.filter((a) => !ui.get(a)?.panel);
  const sorted = shown
    .map((a, i) => ({ a, i }))
    .sort((x, y) => rank(x.a) - rank(y.a) || x.i - y.i)
    .map((x) => x.a);
  return sorted.map((a, i) => ({ action: a, primary: i === 0 && !triageOffered && ui.get(a)?.forward != null, danger: !!ui.get(a)?.danger }));
}
