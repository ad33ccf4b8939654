/**
 * The `/` shortcut: focuses the search box of the page (marked `data-shortcut="search"`: a
 * queue's, the experience library's; antd's Input.Search puts the mark on its wrapper). A page without one opens the
 * 全部 queue (`open`) and the focus goes to its search box once it is shown.
 */
const SEARCH = 'input[data-shortcut="search"], [data-shortcut="search"] input';
/** How long to wait for the opened page's search box before giving up, in ms. */
const WAIT_MS = 5000;

function take(box: HTMLInputElement): void {
  box.focus();
  box.select();
}

export function focusSearch(open: () => void): void {
  const here = document.querySelector<HTMLInputElement>(SEARCH);
  if (here) return take(here);
  const seen = new MutationObserver(() => {
    const box = document.querySelector<HTMLInputElement>(SEARCH);
    if (!box) return;
    seen.disconnect();
    take(box);
  });
  seen.observe(document.body, { childList: true, subtree: true });
  setTimeout(() => seen.disconnect(), WAIT_MS);
  open();
}
