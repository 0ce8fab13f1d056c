// Undo on the console: the newest clustering step undone by the button or Ctrl+Z (Cmd+Z), several steps back.
import { $ } from "./dom.js";
import { t } from "./i18n.js";
import { typing } from "./console-keys.js";

/** What the next undo would undo, in words. */
export function undoText(next) {
  if (!next) return t("undo_nothing");
  const key = next.event === "assign_items" && !next.label ? "undo_assign_items_out" : `undo_${next.event}`;
  return t(key, { label: next.label });
}

export function setupUndo(ui) {
  const { state, act } = ui;
  const button = $("#undo");
  let busy = false;

  async function undo() {
    if (busy || !state.undo.steps || state.phase === "closed") return;
    busy = true;
    try {
      const answer = await act("undo");
      if (answer.ok) {
        state.on_undo_state(answer.undo);
        render();
        ui.flash(t("undone"));
      }
    } finally {
      busy = false;
    }
  }

  button.addEventListener("click", undo);
  document.addEventListener("keydown", (event) => {
    // Ctrl+Z in a text field undoes typing, as everywhere; elsewhere it undoes the last clustering step.
    if (event.key.toLowerCase() !== "z" || !(event.ctrlKey || event.metaKey) || event.shiftKey || event.altKey) return;
    if (typing(event.target) || document.querySelector("dialog[open]")) return;
    event.preventDefault();
    undo();
  });

  function render() {
    const { steps, next } = state.undo;
    // aria-disabled, not disabled: a focused button that becomes disabled drops the focus to the page's top.
    button.setAttribute("aria-disabled", String(!steps || state.phase === "closed"));
    $("#undo-what").textContent = state.phase === "closed" ? "" : undoText(next);
  }

  return { render };
}
