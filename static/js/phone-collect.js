// Collect on the phone: choose a quadrant, write, send; my own items, editable while collecting.
import { $, h, replace } from "./dom.js";
import { errorText, t } from "./i18n.js";
import { themeNotes } from "./phone-context.js";
import { counted, watchLength } from "./textlimit.js";

const ITEM_LIMIT = 500;

export function setupCollect(ui) {
  const { state } = ui;
  const form = $("#post-form");
  const text = $("#post-text");
  const count = $("#post-count");
  const error = $("#post-error");
  const mine = $("#my-items");
  let editing = null; // {id, draft}
  let confirming = null; // id of the item whose deletion waits for a yes

  const updateCount = watchLength(text, count, ITEM_LIMIT); // true while over the limit

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const quadrant = form.querySelector("input[name=quadrant]:checked");
    const value = text.value.trim();
    error.textContent = !quadrant ? t("choose_quadrant") : !value ? t("write_something") : updateCount() ? errorText({ code: "too_long" }) : "";
    if (error.textContent) return (quadrant ? text : form.querySelector("input[name=quadrant]")).focus();
    ui.realtime.enqueue("post_item", { quadrant: quadrant.value, text: value });
    text.value = "";
    updateCount();
    text.focus();
  });

  async function act(event, payload) {
    const answer = await ui.realtime.call(event, payload);
    if (!answer.ok) ui.flash(errorText(answer.error), { error: true });
    return answer.ok;
  }

  function itemCard(item) {
    const quadrant = h("span", { class: `chip q-${item.quadrant}` }, t(`quadrant_${item.quadrant}`));
    const canChange = state.phase === "collect";
    if (editing && editing.id === item.id) {
      const area = h("textarea", { id: `edit-${item.id}`, rows: 3, "data-focus": `edit-${item.id}`,
        oninput: (e) => { editing.draft = e.target.value; } });
      area.value = editing.draft;
      const editCount = counted(area, ITEM_LIMIT);
      return h("li", { class: "card" }, quadrant,
        h("label", { for: `edit-${item.id}`, class: "visually-hidden" }, t("edit_item_label")), area, editCount.hint,
        h("div", { class: "actions" },
          h("button", { type: "button", class: "button primary", "data-focus": `save-${item.id}`, onclick: async () => {
            if (editCount.over()) return area.focus();
            if (await act("edit_item", { item_id: item.id, text: editing.draft.trim() })) { editing = null; renderMine(); ui.flash(t("saved")); }
          } }, t("save")),
          h("button", { type: "button", class: "button secondary", onclick: () => { editing = null; renderMine(); } }, t("cancel"))));
    }
    const actions = [];
    if (canChange && confirming === item.id) {
      actions.push(h("span", { class: "confirm" }, t("confirm_delete")),
        h("button", { type: "button", class: "button danger", "data-focus": `yes-${item.id}`, onclick: async () => {
          confirming = null;
          if (await act("delete_item", { item_id: item.id })) renderMine();
        } }, t("delete")),
        h("button", { type: "button", class: "button secondary", onclick: () => { confirming = null; renderMine(); } }, t("cancel")));
    } else if (canChange) {
      actions.push(
        h("button", { type: "button", class: "button secondary", "data-focus": `edit-btn-${item.id}`,
          onclick: () => { editing = { id: item.id, draft: item.text }; renderMine(); $(`#edit-${item.id}`)?.focus(); } }, t("edit")),
        h("button", { type: "button", class: "button secondary", "data-focus": `del-${item.id}`,
          onclick: () => { confirming = item.id; renderMine(); $(`[data-focus="yes-${item.id}"]`)?.focus(); } }, t("delete")));
    }
    return h("li", { class: `card${item.hidden ? " is-hidden" : ""}`, dataset: { itemId: item.id } }, quadrant,
      h("p", { class: "card-text" }, item.text),
      item.hidden ? h("p", { class: "hint" }, t("hidden")) : null,
      actions.length ? h("div", { class: "actions" }, actions) : null);
  }

  function renderMine() {
    const own = [...state.items.values()].filter((i) => i.author && i.author.id === state.me.id).sort((a, b) => b.id - a.id);
    const pending = ui.realtime.queued().filter((e) => e.event === "post_item").reverse();
    const cards = [
      ...pending.map((e) => h("li", { class: "card is-pending" }, h("span", { class: `chip q-${e.payload.quadrant}` }, t(`quadrant_${e.payload.quadrant}`)),
        h("p", { class: "card-text" }, e.payload.text), h("p", { class: "hint" }, t("pending")))),
      ...own.map(itemCard),
    ];
    replace(mine, cards.length ? cards : h("li", { class: "empty" }, t("no_items_yet")));
  }

  function renderThemes() {
    const themes = state.themeList();
    replace($("#theme-list"), themes.length
      ? themes.map((theme) => h("li", { class: "card" }, h("h3", {}, theme.title), themeNotes(state, theme)))
      : h("li", { class: "empty" }, t("no_themes")));
  }

  return { render: () => { renderMine(); renderThemes(); }, renderMine, renderThemes };
}
