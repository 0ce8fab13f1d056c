// The themes beside the notes: move the ticked notes in, rename, merge, delete; one tab stop for the list (arrows move).
import { $, $$, h } from "./dom.js";
import { keyed } from "./keyed.js";
import { t } from "./i18n.js";
import { confirmStep } from "./console-confirm.js";
import { pickTheme } from "./console-picker.js";

/** Focus `el`, or the element with the same data-focus after a redraw; false when neither is there. */
export function refocus(el) {
  const again = el && (el.isConnected ? el : el.dataset.focus && $(`[data-focus="${CSS.escape(el.dataset.focus)}"]`));
  if (!again) return false;
  again.focus();
  return true;
}

export function setupThemes(board) {
  const { state, act } = board;
  let renaming = null; // {id, draft, back: the element to return to}
  let confirming = null; // the theme whose deletion waits for a second click
  let current = null; // the theme whose "Move here" is the list's one tab stop

  const themes = () => state.themeList();
  const moveButtons = () => $$("#theme-list [data-focus^='move-']");

  /** The theme a key press is about: the one whose row has the focus, else the focused card's theme. */
  function themeOfFocus() {
    const row = document.activeElement?.closest?.("#theme-list li.theme");
    if (row) return state.themes.get(Number(row.dataset.themeId)) || null;
    const card = board.focusedCard();
    return card && card.themeId !== null ? state.themes.get(card.themeId) : null;
  }

  function focusTheme(index) {
    const buttons = moveButtons();
    const button = buttons[Math.max(0, Math.min(index, buttons.length - 1))];
    if (!button) return $("#theme-title").focus();
    current = Number(button.closest("li").dataset.themeId);
    for (const b of buttons) b.tabIndex = b === button ? 0 : -1;
    button.focus();
  }

  /** Up and Down between the themes' "Move here" buttons. */
  function step(button, by) {
    focusTheme(moveButtons().indexOf(button) + by);
  }

  function startRename(theme, back = document.activeElement) {
    renaming = { id: theme.id, draft: theme.title, back };
    render();
    $(`#rename-${theme.id}`)?.focus();
  }

  function endRename() {
    const back = renaming && renaming.back;
    renaming = null;
    render();
    if (!refocus(back)) focusTheme(0);
  }

  /** Delete a theme (undoable); asked first only when it holds dots, which undo does not give back. */
  async function remove(theme) {
    if (theme.votes && !(await confirmStep({ title: t("confirm_delete_theme_title"), yes: t("delete"),
      text: t("confirm_delete_theme_text", { title: theme.title, n: theme.votes }) }))) return;
    const at = themes().findIndex((x) => x.id === theme.id);
    if (!(await act("delete_theme", { theme_id: theme.id })).ok) return;
    state.on_theme_deleted({ id: theme.id });
    board.renderNow();
    board.flash(t("theme_deleted", { title: theme.title }));
    if (document.activeElement === document.body || !document.activeElement.isConnected || document.activeElement.closest("#theme-list")) {
      focusTheme(at);
    }
  }

  async function mergeInto(theme, targetId) {
    const answer = await act("merge_themes", { theme_id: targetId, source_ids: [theme.id] });
    if (!answer.ok) return;
    state.on_theme_deleted({ id: theme.id });
    state.on_theme_updated(answer.theme);
    board.renderNow();
    focusTheme(themes().findIndex((x) => x.id === targetId));
  }

  async function pickMerge(theme) {
    const others = themes().filter((x) => x.id !== theme.id);
    if (!others.length) return board.error(t("no_other_theme"));
    const target = await pickTheme({ title: t("merge_title", { title: theme.title }), themes: others });
    if (target) await mergeInto(theme, target);
  }

  function renameForm(theme) {
    const input = h("input", { type: "text", id: `rename-${theme.id}`, "data-focus": `rename-${theme.id}`,
      oninput: (e) => { renaming.draft = e.target.value; },
      onkeydown: (e) => { if (e.key === "Escape") { e.preventDefault(); endRename(); } } });
    input.value = renaming.draft;
    return h("form", { class: "inline-form rename-form", onsubmit: async (e) => {
      e.preventDefault();
      if ((await act("rename_theme", { theme_id: theme.id, title: renaming.draft.trim() })).ok) endRename();
    } },
    h("label", { for: `rename-${theme.id}`, class: "visually-hidden" }, t("theme_title")), input,
    h("button", { type: "submit", class: "button primary small" }, t("save")),
    h("button", { type: "button", class: "button secondary small", onclick: endRename }, t("cancel")));
  }

  function heading(theme) {
    const counts = [t("items_in_theme", { n: theme.item_ids.length })];
    if (!["collect", "cluster"].includes(state.phase)) counts.push(t("votes_count", { n: theme.votes ?? 0 }));
    return h("h4", { class: "theme-title", id: `theme-h-${theme.id}` }, theme.title, " ",
      h("span", { class: "theme-counts" }, counts.join(" · ")));
  }

  function deleteButtons(theme) {
    const small = (cls, focus, onclick, label) => h("button", { type: "button", class: `button ${cls} small`, tabindex: "-1",
      "data-focus": `${focus}-theme-${theme.id}`, onclick }, label);
    if (confirming !== theme.id) return small("secondary", "ask", () => { confirming = theme.id; render(); }, t("delete"));
    return h("span", { class: "confirm-row" },
      small("danger", "yes", async () => { confirming = null; await remove(theme); }, `${t("delete")}?`),
      small("secondary", "no", () => { confirming = null; render(); }, t("cancel")));
  }

  function row(theme, n, ticked) {
    const naming = renaming && renaming.id === theme.id;
    const small = (focus, onclick, label) => h("button", { type: "button", class: "button secondary small", tabindex: "-1",
      "data-focus": `${focus}-${theme.id}`, onclick }, label);
    return h("li", { class: "theme drop-zone", dataset: { themeId: theme.id, dropTheme: theme.id } },
      h("div", { class: "theme-head" },
        n <= 9 ? h("kbd", { class: "theme-key", "aria-hidden": "true" }, String(n)) : null,
        naming ? renameForm(theme) : heading(theme)),
      h("div", { class: "theme-actions" },
        h("button", { type: "button", class: "button primary small", "data-focus": `move-${theme.id}`,
          tabindex: current === theme.id ? "0" : "-1", "aria-disabled": String(!ticked),
          "aria-describedby": naming ? null : `theme-h-${theme.id}`, "aria-keyshortcuts": n <= 9 ? String(n) : null,
          onclick: (e) => board.moveTicked(theme.id, e.currentTarget) }, t("move_here")),
        small("notes", () => board.showPlace(theme.id), t("show_notes")),
        small("ren", (e) => startRename(theme, e.currentTarget), t("rename")),
        themes().length > 1 ? small("do-merge", () => pickMerge(theme), t("merge_into")) : null,
        deleteButtons(theme)));
  }

  function render() {
    const list = themes();
    if (!list.some((x) => x.id === current)) current = list.length ? list[0].id : null;
    const ticked = board.selectedIds().length;
    const showVotes = !["collect", "cluster"].includes(state.phase);
    keyed($("#theme-list"), list.length ? list.map((theme, at) => ({ theme, n: at + 1 })) : [null], {
      key: (r) => (r ? r.theme.id : "empty"),
      // A row is redrawn when what it shows changes (not while its title is being typed).
      signature: (r) => (r ? JSON.stringify([r.theme.title, r.theme.item_ids.length, showVotes && r.theme.votes, r.n,
        renaming && renaming.id === r.theme.id, confirming === r.theme.id, current === r.theme.id, list.length > 1]) : t("no_themes")),
      build: (r) => (r ? row(r.theme, r.n, ticked) : h("li", { class: "empty" }, t("no_themes"))),
    });
  }

  return { render, focusTheme, step, startRename, remove, pickMerge, themeOfFocus };
}
