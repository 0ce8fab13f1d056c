// The console's spotlight: show one note, a theme or a whole box large on the projector, and take it away.
import { $, $$, h, replace } from "./dom.js";
import { t } from "./i18n.js";
import { QUADRANTS } from "./state.js";

const short = (text, most = 90) => (text.length > most ? `${text.slice(0, most - 1)}…` : text);

export function setupSpotlight(ui) {
  const { state, act } = ui;
  let shown = null; // {kind, id} or {kind: "quadrant", quadrant}, as the projector has it

  async function show(payload) {
    const answer = await act("spotlight", payload);
    if (answer.ok) load(answer.spotlight);
  }

  function chosen(select, kind) {
    const id = Number(select.value);
    if (id) show({ kind, id });
    else select.focus();
  }

  for (const button of $$("[data-spotlight-quadrant]")) {
    button.addEventListener("click", () => show({ kind: "quadrant", quadrant: button.dataset.spotlightQuadrant }));
  }
  $("#spotlight-theme-show").addEventListener("click", () => chosen($("#spotlight-theme"), "theme"));
  $("#spotlight-item-show").addEventListener("click", () => chosen($("#spotlight-item"), "item"));
  $("#spotlight-off").addEventListener("click", () => show(null));

  /** The choices, newest first; left alone while the facilitator is choosing. */
  function options() {
    const themeSelect = $("#spotlight-theme");
    const itemSelect = $("#spotlight-item");
    if (document.activeElement !== themeSelect) {
      const keep = themeSelect.value;
      replace(themeSelect, h("option", { value: "" }, t("spotlight_choose")),
        state.themeList().reverse().map((theme) => h("option", { value: theme.id }, short(theme.title))));
      themeSelect.value = keep;
    }
    if (document.activeElement !== itemSelect) {
      const keep = itemSelect.value;
      replace(itemSelect, h("option", { value: "" }, t("spotlight_choose")), QUADRANTS.map((q) => h("optgroup", { label: t(`quadrant_${q}`) },
        state.itemList({ quadrant: q }).reverse().map((item) => h("option", { value: item.id }, short(item.text))))));
      itemSelect.value = keep;
    }
  }

  function describe() {
    if (!shown) return t("spotlight_none");
    if (shown.kind === "quadrant") return t("spotlight_now", { what: t(`quadrant_${shown.quadrant}`) });
    const target = shown.kind === "item" ? state.items.get(shown.id) : state.themes.get(shown.id);
    const what = target ? short(target.text ?? target.title) : t("spotlight_gone");
    return t("spotlight_now", { what });
  }

  function render() {
    $("#spotlight-state").textContent = describe();
    for (const button of $$("[data-spotlight-quadrant]")) {
      button.setAttribute("aria-pressed", String(shown?.kind === "quadrant" && shown.quadrant === button.dataset.spotlightQuadrant));
    }
    $("#spotlight-off").disabled = !shown;
    options();
  }

  function load(spotlight) {
    shown = spotlight ?? null;
    render();
  }

  return { load, render };
}
