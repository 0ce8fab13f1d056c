// Redrawing a list in place: rows whose content did not change are kept, so that a click half done
// (a press, then a release) or the focus on them survives the redraws of a busy room.

const signatures = new WeakMap();

/**
 * Make `list`'s children the rows of `rows`, in order: `key(row)` names a row, `signature(row)` says what it
 * shows (a row whose signature is unchanged is kept as it is), `build(row)` makes its element.
 */
export function keyed(list, rows, { key, signature, build }) {
  const active = document.activeElement;
  const focusKey = active && list.contains(active) ? active.dataset.focus : null;
  const old = new Map([...list.children].map((el) => [el.dataset.key, el]));
  const els = rows.map((row) => {
    const name = String(key(row));
    const shows = signature(row);
    const kept = old.get(name);
    if (kept && signatures.get(kept) === shows) return kept;
    const fresh = build(row);
    fresh.dataset.key = name;
    signatures.set(fresh, shows);
    return fresh;
  });
  els.forEach((el, at) => {
    if (list.children[at] !== el) list.insertBefore(el, list.children[at] || null);
  });
  while (list.children.length > els.length) list.lastElementChild.remove();
  if (focusKey && !list.contains(document.activeElement)) {
    list.querySelector(`[data-focus="${CSS.escape(focusKey)}"]`)?.focus();
  }
}
