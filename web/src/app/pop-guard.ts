/**
 * The browser's back / forward button, seen before the router sees it: a page that must ask
 * before it is left (the policy editor with an unpublished draft) registers a guard, and a
 * `popstate` it claims never reaches the router. Installed by main.tsx before the router exists,
 * because the listeners of one event run in the order they were added.
 */
type PopGuard = (e: PopStateEvent) => boolean;
let guard: PopGuard | null = null;

export function installPopGuard(): void {
  window.addEventListener('popstate', (e) => {
    if (guard?.(e)) e.stopImmediatePropagation();
  });
}

/** Sets the guard (true: the pop is claimed); the returned function removes it. */
export function setPopGuard(g: PopGuard): () => void {
  guard = g;
  return () => {
    if (guard === g) guard = null;
  };
}
