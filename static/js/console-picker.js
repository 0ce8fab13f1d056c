// Choosing a theme by keyboard (T, or M to merge): type to narrow the list, arrows and Enter to choose.
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { folded } from "./console-cards.js";

/** Resolves the chosen theme's id, or null (Escape, Cancel). Focus goes back where it was. */
export function pickTheme({ title, themes }) {
  const back = document.activeElement;
  let chosen = null;
  const filter = h("input", { type: "search", id: "picker-filter", autocomplete: "off", "aria-controls": "picker-list" });
  const list = h("ul", { id: "picker-list", class: "picker-list", "aria-label": title });
  const dialog = h("dialog", { class: "confirm-dialog picker-dialog", "aria-labelledby": "picker-title" },
    h("h2", { id: "picker-title" }, title),
    h("div", { class: "field" }, h("label", { for: "picker-filter" }, t("picker_filter")), filter),
    list,
    h("form", { method: "dialog", class: "confirm-actions" },
      h("button", { type: "submit", value: "", class: "button secondary" }, t("cancel"))));
  const choices = () => [...list.querySelectorAll("button")];

  function draw() {
    const words = folded(filter.value).split(/\s+/).filter(Boolean);
    const shown = themes.map((theme, at) => ({ theme, n: at + 1 }))
      .filter(({ theme }) => words.every((w) => folded(theme.title).includes(w)));
    list.replaceChildren(...(shown.length ? shown.map(({ theme, n }) => h("li", {},
      h("button", { type: "button", class: "picker-choice", onclick: () => { chosen = theme.id; dialog.close(); } },
        n <= 9 ? h("kbd", { "aria-hidden": "true" }, String(n)) : null, " ", theme.title)))
      : [h("li", { class: "empty" }, t("picker_none"))]));
  }

  filter.addEventListener("input", draw);
  dialog.addEventListener("keydown", (e) => {
    const buttons = choices();
    const at = buttons.indexOf(document.activeElement);
    if (e.key === "Enter" && e.target === filter && buttons.length) {
      e.preventDefault();
      buttons[0].click();
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const next = e.key === "ArrowDown" ? at + 1 : at - 1;
      if (next < 0) filter.focus();
      else buttons[Math.min(next, buttons.length - 1)]?.focus();
    }
  });
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (back && back.isConnected) back.focus();
      resolve(chosen);
    });
    document.body.append(dialog);
    draw();
    dialog.showModal();
    filter.focus();
  });
}
