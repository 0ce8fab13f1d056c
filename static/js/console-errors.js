// Errors next to the control that caused them (its card, row or form), not at the top of a long page.
import { h } from "./dom.js";

const shown = new Map(); // the control's data-focus (or id) -> the error's text, kept across redraws

const keyOf = (el) => el.dataset.focus || el.id || null;
const slotOf = (el) => el.closest("[data-error-slot], li, form, fieldset, .inline-form, section") || el.parentElement;

function place(el, text, announce) {
  const slot = slotOf(el);
  let line = slot.querySelector(":scope > .inline-error.from-action");
  if (!line) {
    // role=alert is read out once, when the error is new; a redraw puts it back quietly.
    line = h("p", { class: "inline-error from-action", role: announce ? "alert" : null });
    slot.append(line);
  }
  line.textContent = text;
}

/** Show `text` next to `el`; without a control on the page, `elsewhere(text)` shows it. */
export function showError(el, text, elsewhere) {
  if (!el || !el.isConnected || el === document.body || !el.closest("main")) return elsewhere(text);
  const key = keyOf(el);
  if (key) shown.set(key, text);
  place(el, text, true);
}

/** Forget the errors shown: called when the facilitator does something else. */
export function clearErrors() {
  shown.clear();
  for (const line of document.querySelectorAll(".inline-error.from-action")) line.remove();
}

/** After a redraw, each error next to its control again. */
export function restoreErrors() {
  for (const [key, text] of shown) {
    const el = document.querySelector(`[data-focus="${CSS.escape(key)}"]`) || document.getElementById(key);
    if (el) place(el, text, false);
  }
}
