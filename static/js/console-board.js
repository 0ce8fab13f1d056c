// Clustering on the console: tick notes (click or keyboard), make themes, move, rename, merge, hide.
import { $, h, replace } from "./dom.js";
import { t } from "./i18n.js";

export function setupBoard(ui) {
  const { state, act } = ui;
  const selected = new Set();
  let renaming = null; // {id, draft}
  let confirming = null; // "item:ID" or "theme:ID" waiting for a second click

  const selectedIds = () => [...selected].filter((id) => state.items.has(id));

  $("#theme-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = $("#theme-title");
    const title = input.value.trim();
    if (!title) return input.focus();
    const answer = await act("create_theme", { title, item_ids: selectedIds() });
    if (answer.ok) {
      input.value = "";
      selected.clear();
      state.on_theme_updated(answer.theme);
      render();
    }
  });
  $("#clear-selection").addEventListener("click", () => {
    selected.clear();
    render();
  });

  async function move(themeId, ids = selectedIds()) {
    if (!ids.length) return;
    const answer = await act("assign_items", { theme_id: themeId, item_ids: ids });
    if (answer.ok) {
      for (const id of ids) selected.delete(id);
      render();
    }
  }

  function twoStep(key, label, onYes) {
    if (confirming !== key) {
      return h("button", { type: "button", class: "button secondary small", "data-focus": `ask-${key}`,
        onclick: () => { confirming = key; render(); } }, label);
    }
    return h("span", { class: "confirm-row" },
      h("button", { type: "button", class: "button danger small", "data-focus": `yes-${key}`,
        onclick: async () => { confirming = null; await onYes(); render(); } }, `${label}?`),
      h("button", { type: "button", class: "button secondary small", "data-focus": `no-${key}`,
        onclick: () => { confirming = null; render(); } }, t("cancel")));
  }

  function itemRow(item) {
    const id = `sel-${item.id}`;
    const box = h("input", { type: "checkbox", id, "data-focus": id, onchange: (e) => {
      if (e.target.checked) selected.add(item.id);
      else selected.delete(item.id);
      renderSelection();
      e.target.closest(".item").classList.toggle("is-selected", e.target.checked);
    } });
    box.checked = selected.has(item.id);
    return h("li", { class: `item q-${item.quadrant}${item.hidden ? " is-hidden" : ""}${box.checked ? " is-selected" : ""}`,
      draggable: "true", dataset: { itemId: item.id }, ondragstart: (e) => {
        if (!selected.has(item.id)) selected.add(item.id);
        e.dataTransfer.setData("text/plain", String(item.id));
        e.dataTransfer.effectAllowed = "move";
      } },
    h("label", { for: id, class: "item-label" }, box,
      h("span", { class: "chip" }, t(`quadrant_${item.quadrant}`)), " ",
      h("span", { class: "item-text" }, item.text),
      item.author ? h("span", { class: "item-author" }, ` — ${item.author.name}`) : null,
      item.hidden ? h("span", { class: "item-flag" }, ` (${t("hidden")})`) : null),
    h("span", { class: "item-actions" },
      item.theme_id !== null ? h("button", { type: "button", class: "button secondary small", "data-focus": `out-${item.id}`,
        onclick: () => move(null, [item.id]) }, t("take_out")) : null,
      h("button", { type: "button", class: "button secondary small", "data-focus": `hide-${item.id}`,
        onclick: () => act("hide_item", { item_id: item.id, hidden: !item.hidden }) }, item.hidden ? t("show") : t("hide")),
      twoStep(`item-${item.id}`, t("delete"), () => act("delete_item", { item_id: item.id }))));
  }

  function titleBlock(theme) {
    if (renaming && renaming.id === theme.id) {
      const input = h("input", { type: "text", id: `rename-${theme.id}`, maxlength: 200, "data-focus": `rename-${theme.id}`,
        oninput: (e) => { renaming.draft = e.target.value; } });
      input.value = renaming.draft;
      return h("form", { class: "inline-form", onsubmit: async (e) => {
        e.preventDefault();
        if ((await act("rename_theme", { theme_id: theme.id, title: renaming.draft.trim() })).ok) { renaming = null; render(); }
      } },
      h("label", { for: `rename-${theme.id}`, class: "visually-hidden" }, t("theme_title")), input,
      h("button", { type: "submit", class: "button primary small" }, t("save")),
      h("button", { type: "button", class: "button secondary small", onclick: () => { renaming = null; render(); } }, t("cancel")));
    }
    return h("h4", { class: "theme-title" }, theme.title, " ",
      h("span", { class: "theme-counts" }, `${t("items_in_theme", { n: theme.item_ids.length })} · ${t("votes_count", { n: theme.votes ?? 0 })}`));
  }

  function themeCard(theme, others) {
    const items = state.itemList({ themeId: theme.id, withHidden: true });
    const mergeId = `merge-${theme.id}`;
    return h("li", { class: "theme drop-zone", dataset: { themeId: theme.id, dropTheme: theme.id } },
      titleBlock(theme),
      h("div", { class: "theme-actions" },
        h("button", { type: "button", class: "button primary small", "data-focus": `move-${theme.id}`,
          disabled: !selectedIds().length, onclick: () => move(theme.id) }, t("move_here")),
        h("button", { type: "button", class: "button secondary small", "data-focus": `ren-${theme.id}`,
          onclick: () => { renaming = { id: theme.id, draft: theme.title }; render(); $(`#rename-${theme.id}`)?.focus(); } }, t("rename")),
        others.length ? h("span", { class: "merge" },
          h("label", { for: mergeId, class: "visually-hidden" }, t("merge_into")),
          h("select", { id: mergeId, "data-focus": mergeId },
            h("option", { value: "" }, t("merge_into")),
            others.map((o) => h("option", { value: o.id }, o.title))),
          h("button", { type: "button", class: "button secondary small", "data-focus": `do-${mergeId}`, onclick: async () => {
            const target = Number($(`#${mergeId}`).value);
            if (target) await act("merge_themes", { theme_id: target, source_ids: [theme.id] });
          } }, t("merge"))) : null,
        twoStep(`theme-${theme.id}`, t("delete"), () => act("delete_theme", { theme_id: theme.id }))),
      h("ul", { class: "item-list" }, items.map(itemRow)));
  }

  function renderSelection() {
    const n = selectedIds().length;
    $("#selected-count").textContent = t("selected_count", { n });
    for (const button of document.querySelectorAll("[data-focus^='move-']")) button.disabled = !n;
  }

  function render() {
    for (const id of [...selected]) if (!state.items.has(id)) selected.delete(id);
    const loose = state.itemList({ themeId: null, withHidden: true });
    $("#loose-h").textContent = `${t("unsorted")} (${loose.length})`;
    replace($("#loose-items"), loose.map(itemRow));
    const themes = state.themeList();
    replace($("#theme-list"), themes.length
      ? themes.map((theme) => themeCard(theme, themes.filter((o) => o.id !== theme.id)))
      : h("li", { class: "empty" }, t("no_themes")));
    renderSelection();
  }

  // Dragging: drop ticked notes on a theme, or on the unsorted list to take them out.
  const boardEl = $(".board");
  boardEl.addEventListener("dragover", (e) => {
    if (e.target.closest("[data-drop-theme]")) e.preventDefault();
  });
  boardEl.addEventListener("drop", (e) => {
    const zone = e.target.closest("[data-drop-theme]");
    if (!zone) return;
    e.preventDefault();
    move(zone.dataset.dropTheme ? Number(zone.dataset.dropTheme) : null);
  });

  return { render };
}
