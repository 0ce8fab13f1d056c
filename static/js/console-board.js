// Clustering on the console: compact note cards (filter, search, sort; alike notes as one card) beside the themes.
import { $, $$, h } from "./dom.js";
import { t } from "./i18n.js";
import { QUADRANTS } from "./state.js";
import { cardsOf, shownCards, sortCards } from "./console-cards.js";
import { restoreErrors } from "./console-errors.js";
import { setupThemes } from "./console-themes.js";
import { setupKeys } from "./console-keys.js";
import { confirmStep } from "./console-confirm.js";
import { keyed } from "./keyed.js";

export function setupBoard(ui) {
  const { state, act } = ui;
  const selected = new Set();
  const view = { quadrant: "", place: "all", search: "", order: "unthemed" };
  const list = $("#note-cards");
  let shown = []; // the cards shown, in order
  let busy = 0; // actions waiting for their answer put the focus back themselves
  let frame = 0;
  let dragging = false; // the list is not redrawn under a card being dragged (the drag would end)

  const selectedIds = () => [...selected].filter((id) => state.items.has(id));
  const cardEls = () => $$("#note-cards > li.card");
  const idsOf = (card) => card.items.map((i) => i.id);
  const isTicked = (card) => card.items.every((i) => selected.has(i.id));
  const cardOf = (el) => shown.find((card) => card.key === el.dataset.card) || null;
  const focusedCardEl = () => document.activeElement?.closest?.("#note-cards > li.card") || null;
  const focusedCard = () => (focusedCardEl() ? cardOf(focusedCardEl()) : null);

  /** The notes an action takes: the ticked ones, else those of the card with the focus. */
  function targetIds() {
    const ids = selectedIds();
    if (ids.length) return ids;
    const card = focusedCard();
    return card ? idsOf(card) : [];
  }

  /** Focus the card with `key`, else the one at `index` (the list is shorter now: the last), else the search. */
  function focusCard(key, index = 0) {
    const els = cardEls();
    const el = (key && els.find((e) => e.dataset.card === key)) || els[Math.max(0, Math.min(index, els.length - 1))];
    (el ? el.querySelector("input") : $("#note-search")).focus();
  }

  /** Do `work` from where the focus is; afterwards the focus is where it was: on the same card, or, when that
   * card's notes went elsewhere, on the card now in its place. */
  async function keepingPlace(ids, work) {
    const el = focusedCardEl();
    const before = el && { key: el.dataset.card, index: cardEls().indexOf(el), ids: idsOf(cardOf(el) || { items: [] }) };
    busy += 1;
    try {
      return await work();
    } finally {
      busy -= 1;
      renderNow();
      if (before && (!document.activeElement || document.activeElement === document.body || focusedCardEl())) {
        focusCard(before.ids.some((id) => ids.includes(id)) ? null : before.key, before.index);
      }
    }
  }

  async function move(themeId, ids, near = document.activeElement) {
    if (!ids.length) return ui.error(t("tick_first"), near);
    const answer = await keepingPlace(ids, async () => {
      const done = await act("assign_items", { theme_id: themeId, item_ids: ids }, near);
      if (done.ok) for (const id of ids) selected.delete(id);
      return done;
    });
    if (answer.ok) {
      const theme = state.themes.get(themeId);
      ui.flash(theme ? t("moved_to", { n: ids.length, title: theme.title }) : t("moved_out", { n: ids.length }));
    }
    return answer;
  }

  /** Hide the notes (or show them again when all are hidden); each is one undo step. */
  async function hideNotes(ids, near = document.activeElement) {
    const items = ids.map((id) => state.items.get(id)).filter(Boolean);
    if (!items.length) return ui.error(t("tick_first"), near);
    const hide = !items.every((i) => i.hidden);
    await keepingPlace([], async () => {
      for (const item of items.filter((i) => i.hidden !== hide)) {
        if (!(await act("hide_item", { item_id: item.id, hidden: hide }, near)).ok) return;
      }
    });
  }

  /** Near-identical notes merged for the record: on each card the oldest stays, its copies are hidden (newest first). */
  async function keepOne(ids, near = document.activeElement) {
    const cards = cardsOf([...state.items.values()]).filter((card) => card.items.some((i) => ids.includes(i.id)));
    const copies = cards.flatMap((card) => card.items.filter((i) => !i.hidden).slice(1).reverse());
    if (!copies.length) return ui.error(t("no_copies"), near);
    await keepingPlace([], async () => {
      for (const item of copies) if (!(await act("hide_item", { item_id: item.id, hidden: true }, near)).ok) return;
      ui.flash(t("copies_hidden", { n: copies.length }));
    });
  }

  /** Deleting cannot be undone: asked first. */
  async function deleteNotes(ids, near) {
    if (!ids.length) return ui.error(t("tick_first"), near);
    if (!(await confirmStep({ title: t("confirm_delete_notes_title", { n: ids.length }), yes: t("delete"),
      text: t("confirm_delete_notes_text", { n: ids.length }) }))) return;
    await keepingPlace(ids, async () => {
      for (const id of ids) {
        if (!(await act("delete_item", { item_id: id }, near)).ok) return;
        selected.delete(id);
      }
    });
  }

  function tick(card, on) {
    for (const id of idsOf(card)) if (on) selected.add(id); else selected.delete(id);
    renderSelection();
  }

  /** Tick every card shown (or untick them when all are ticked already). */
  function tickShown() {
    const cards = shown.filter((card) => !card.hidden);
    const on = !cards.every(isTicked);
    for (const card of cards) tick(card, on);
  }

  function untickAll() {
    selected.clear();
    renderSelection();
  }

  function showPlace(place) {
    view.place = String(place);
    $("#note-place").value = view.place;
    renderNow();
    focusCard(null, 0);
  }

  /** What a card shows (its ticking aside, which renderSelection keeps up): unchanged, it is not redrawn. */
  const cardSignature = (card) => JSON.stringify([card.quadrant, card.items.map((i) => [i.id, i.text, i.hidden, i.author?.name]),
    card.themeId !== null ? state.themes.get(card.themeId)?.title : null,
    card.elsewhere.map(({ themeId, count }) => [count, themeId === null ? null : state.themes.get(themeId)?.title])]);

  function cardElement(card) {
    const id = `sel-${card.key}`;
    const n = card.items.length;
    const theme = card.themeId !== null ? state.themes.get(card.themeId) : null;
    const elsewhere = card.elsewhere.map(({ themeId, count }) => (themeId === null
      ? t("also_loose", { n: count }) : t("also_in", { n: count, title: state.themes.get(themeId)?.title ?? "" })));
    const box = h("input", { type: "checkbox", id, class: "card-tick", "data-focus": `card-${card.key}`,
      onchange: (e) => tick(card, e.target.checked) });
    box.checked = isTicked(card);
    return h("li", { class: `item card q-${card.quadrant}${card.hidden ? " is-hidden" : ""}${box.checked ? " is-selected" : ""}`,
      draggable: "true", dataset: { card: card.key, itemId: card.lead.id, itemIds: idsOf(card).join(" ") },
      ondragstart: (e) => {
        dragging = true;
        e.dataTransfer.setData("text/plain", (isTicked(card) ? selectedIds() : idsOf(card)).join(","));
        e.dataTransfer.effectAllowed = "move";
      },
      ondragend: () => {
        dragging = false;
        render();
      } },
    box,
    h("label", { for: id, class: "item-label" },
      h("span", { class: "card-meta" }, h("span", { class: "chip" }, t(`quadrant_${card.quadrant}`)),
        n > 1 ? h("span", { class: "copies", title: t("copies_title", { n }) }, h("span", { "aria-hidden": "true" }, `×${n}`),
          h("span", { class: "visually-hidden" }, t("copies_title", { n }))) : null),
      h("span", { class: "item-text" }, card.lead.text),
      theme ? h("span", { class: "item-theme" }, t("in_theme", { title: theme.title })) : null,
      elsewhere.length ? h("span", { class: "item-elsewhere" }, elsewhere.join(" · ")) : null,
      card.lead.author ? h("span", { class: "item-author" }, `— ${card.lead.author.name}`) : null,
      card.hiddenCount ? h("span", { class: "item-flag" }, n > 1 ? t("hidden_count", { n: card.hiddenCount }) : t("hidden")) : null));
  }

  function renderSelection() {
    const n = selectedIds().length;
    $("#selected-count").textContent = t("selected_count", { n });
    for (const el of cardEls()) {
      const card = cardOf(el);
      const on = Boolean(card) && isTicked(card);
      el.classList.toggle("is-selected", on);
      el.querySelector("input").checked = on;
    }
    for (const button of $$("#theme-list [data-focus^='move-'], .selection-tools button")) button.setAttribute("aria-disabled", String(!n));
  }

  function renderFilters(cards) {
    const notes = (quadrant) => cards.filter((c) => !quadrant || c.quadrant === quadrant).reduce((n, c) => n + c.items.length - c.hiddenCount, 0);
    for (const q of ["", ...QUADRANTS]) $(`[data-filter-count="${q}"]`).textContent = `(${notes(q)})`;
    const place = $("#note-place");
    const themes = state.themeList();
    if (!["all", "loose", "hidden"].includes(view.place) && !state.themes.has(Number(view.place))) view.place = "all";
    if (document.activeElement !== place) {
      place.replaceChildren(h("option", { value: "all" }, t("place_all")), h("option", { value: "loose" }, t("place_loose")),
        h("option", { value: "hidden" }, t("place_hidden")), ...themes.map((theme) => h("option", { value: theme.id }, t("place_theme", { title: theme.title }))));
      place.value = view.place;
    }
    const loose = cards.filter((c) => c.themeId === null && !c.hidden).reduce((n, c) => n + c.items.length - c.hiddenCount, 0);
    $("#notes-summary").textContent = t("cards_summary", { cards: shown.length, notes: shown.reduce((n, c) => n + c.items.length, 0), loose });
  }

  function renderNow() {
    cancelAnimationFrame(frame);
    frame = 0;
    if (dragging) return; // redrawn at the drag's end
    for (const id of [...selected]) if (!state.items.has(id)) selected.delete(id);
    const cards = cardsOf([...state.items.values()]);
    const focused = focusedCardEl();
    const before = focused && { key: focused.dataset.card, index: cardEls().indexOf(focused) };
    shown = sortCards(shownCards(cards, view), view.order);
    const empty = t(state.items.size ? "no_cards_match" : "no_notes_yet");
    keyed(list, shown.length ? shown : [null], {
      key: (card) => (card ? card.key : "empty"),
      signature: (card) => (card ? cardSignature(card) : empty),
      build: (card) => (card ? cardElement(card) : h("li", { class: "empty" }, empty)),
    });
    if (before && !busy && !list.contains(document.activeElement)) focusCard(before.key, before.index);
    themes.render();
    renderFilters(cards);
    renderSelection();
    restoreErrors();
  }

  /** Redraw once per frame however many events arrive (300 phones posting). */
  function render() {
    if (!frame) frame = requestAnimationFrame(renderNow);
  }

  const board = { state, act, selectedIds, focusedCard, renderNow, flash: ui.flash, error: (text) => ui.error(text, document.activeElement),
    moveTicked: (themeId, near) => move(themeId, selectedIds(), near), showPlace };
  const themes = setupThemes(board);

  /** A new theme from the ticked notes (or the focused card's); from a card, the focus goes back there. */
  let newFrom = null; // {el, ids} when N was pressed on a card
  $("#theme-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = $("#theme-title");
    const title = input.value.trim();
    if (!title) return ui.error(t("theme_title_needed"), input);
    const ids = selectedIds().length ? selectedIds() : (newFrom ? newFrom.ids : []);
    const answer = await act("create_theme", { title, item_ids: ids }, input);
    if (!answer.ok) return;
    input.value = "";
    for (const id of ids) selected.delete(id);
    state.on_theme_updated(answer.theme);
    const from = newFrom;
    newFrom = null;
    renderNow();
    ui.flash(t("theme_made", { title, n: ids.length }));
    if (from) focusCard(ids.some((id) => from.cardIds.includes(id)) ? null : from.key, from.index);
  });
  $("#theme-title").addEventListener("keydown", (e) => {
    if (e.key === "Escape" && newFrom) {
      e.preventDefault();
      const from = newFrom;
      newFrom = null;
      focusCard(from.key, from.index);
    }
  });
  $("#clear-selection").addEventListener("click", untickAll);
  $("#hide-ticked").addEventListener("click", (e) => hideNotes(selectedIds(), e.currentTarget));
  $("#keep-one").addEventListener("click", (e) => keepOne(selectedIds(), e.currentTarget));
  $("#take-out").addEventListener("click", (e) => move(null, selectedIds().filter((id) => state.items.get(id)?.theme_id != null), e.currentTarget));
  $("#delete-ticked").addEventListener("click", (e) => deleteNotes(selectedIds(), e.currentTarget));

  for (const radio of $$("[name=quadrant-filter]")) radio.addEventListener("change", () => { view.quadrant = radio.value; renderNow(); });
  $("#note-search").addEventListener("input", (e) => { view.search = e.target.value; renderNow(); });
  $("#note-place").addEventListener("change", (e) => { view.place = e.target.value; renderNow(); });
  $("#note-sort").addEventListener("change", (e) => { view.order = e.target.value; renderNow(); });

  // Dragging: ticked notes (or the dragged card) onto a theme, or onto "take out of their theme".
  const boardEl = $(".board");
  boardEl.addEventListener("dragover", (e) => {
    if (e.target.closest("[data-drop-theme]")) e.preventDefault();
  });
  boardEl.addEventListener("drop", (e) => {
    const zone = e.target.closest("[data-drop-theme]");
    if (!zone) return;
    e.preventDefault();
    const ids = e.dataTransfer.getData("text/plain").split(",").map(Number).filter(Boolean);
    move(zone.dataset.dropTheme ? Number(zone.dataset.dropTheme) : null, ids.length ? ids : selectedIds(), zone);
  });

  setupKeys({
    state, themes, cardEls, focusCard, focusedCard, targetIds, tickShown, untickAll,
    hide: () => hideNotes(targetIds()), keepOne: () => keepOne(targetIds()),
    move: (themeId) => move(themeId, targetIds()),
    error: (text) => ui.error(text, document.activeElement),
    newTheme: () => {
      const el = focusedCardEl();
      newFrom = el ? { key: el.dataset.card, index: cardEls().indexOf(el), ids: targetIds(), cardIds: idsOf(cardOf(el)) } : null;
      $("#theme-title").focus();
    },
    active: () => !$("#board-panel").hidden && state.phase !== "closed",
  });

  return { render, renderNow };
}
