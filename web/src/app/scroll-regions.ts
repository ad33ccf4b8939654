/**
 * A table that scrolls sideways (antd's `.ant-table-content`, on a phone) must be reachable by
 * keyboard to scroll it (axe: scrollable-region-focusable): each such container gets
 * `tabindex=0` while it overflows. Watches the page for tables rendered later and for resizes.
 */
const SCROLLERS = '.ant-table-content, .ant-table-body';

function mark(): void {
  for (const el of document.querySelectorAll<HTMLElement>(SCROLLERS)) {
    const scrolls = el.scrollWidth > el.clientWidth + 1;
    if (scrolls && el.tabIndex < 0) el.tabIndex = 0;
    else if (!scrolls && el.getAttribute('tabindex') === '0') el.removeAttribute('tabindex');
  }
}

let queued = false;
function later(): void {
  if (queued) return;
  queued = true;
  requestAnimationFrame(() => {
    queued = false;
    mark();
  });
}

export function keyboardScrollableTables(): void {
  new MutationObserver(later).observe(document.body, { childList: true, subtree: true });
  window.addEventListener('resize', later);
}
