// Shrink a board's type until everything fits on the screen: the layout shrinks, it never clips.

function overflows(el) {
  if (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1) return true;
  for (const box of el.querySelectorAll(".fit-box")) {
    if (box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1) return true;
  }
  return false;
}

/** Set `--fit` on `el` to the largest scale (min..max) at which nothing in it overflows. */
export function fit(el, { min = 0.15, max = 1.6 } = {}) {
  if (!el || el.offsetParent === null) return;
  el.style.setProperty("--fit", String(max));
  if (!overflows(el)) return;
  el.style.setProperty("--fit", String(min));
  if (overflows(el)) {
    // Overflowing even at the smallest scale means something overflows at every scale
    // (a width that grows with the type): shrinking would only make it unreadable.
    el.style.setProperty("--fit", "1");
    return;
  }
  let low = min;
  let high = max;
  for (let step = 0; step < 9; step += 1) {
    const mid = (low + high) / 2;
    el.style.setProperty("--fit", String(mid));
    if (overflows(el)) high = mid;
    else low = mid;
  }
  el.style.setProperty("--fit", String(low));
}
