// Clustering by keyboard: arrows between cards and themes, Space ticks, digits and T move, N, R, Delete, M, ? and /.
import { $, h } from "./dom.js";
import { t } from "./i18n.js";
import { pickTheme } from "./console-picker.js";

/** The keys and what they do, as the help (?) lists them; Ctrl+Z is console-undo.js's. */
export const SHORTCUTS = [
  ["←→↑↓", "keys_arrows"], ["Space", "keys_space"], ["1–9", "keys_digits"], ["T", "keys_t"], ["N", "keys_n"],
  ["R", "keys_r"], ["Delete", "keys_delete"], ["M", "keys_m"], ["A", "keys_a"], ["Esc", "keys_escape"],
  ["/", "keys_search"], ["Ctrl+Z", "keys_undo"], ["?", "keys_help"],
];

/** Text fields take the keys typed into them; checkboxes, radios, buttons and lists to choose from do not. */
export const typing = (el) => Boolean(el) && (el.isContentEditable || el.tagName === "TEXTAREA"
  || (el.tagName === "INPUT" && !["checkbox", "radio", "button", "submit", "reset"].includes(el.type)));

/** A list to choose from takes letters, digits and arrows (it jumps to the choice typed), not / or ?. */
const choosing = (el, key) => el.tagName === "SELECT" && !["/", "?"].includes(key);

function showHelp() {
  const back = document.activeElement;
  const dialog = h("dialog", { class: "confirm-dialog keys-dialog", "aria-labelledby": "keys-title" },
    h("h2", { id: "keys-title" }, t("keys_title")),
    h("dl", { class: "keys-list" }, SHORTCUTS.map(([key, what]) => [h("dt", {}, h("kbd", {}, key)), h("dd", {}, t(what))])),
    h("form", { method: "dialog", class: "confirm-actions" }, h("button", { type: "submit", class: "button primary", id: "keys-close" }, t("close"))));
  dialog.addEventListener("close", () => {
    dialog.remove();
    if (back && back.isConnected) back.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  dialog.querySelector("#keys-close").focus();
}

/** The card next to `el` in the direction of `key`: Left/Right in reading order, Up/Down the nearest in the next row. */
function neighbour(cards, el, key) {
  const at = cards.indexOf(el);
  if (key === "ArrowRight") return cards[at + 1];
  if (key === "ArrowLeft") return cards[at - 1];
  if (key === "Home") return cards[0];
  if (key === "End") return cards.at(-1);
  const from = el.getBoundingClientRect();
  const down = key === "ArrowDown";
  const rows = cards.map((card) => [card, card.getBoundingClientRect()])
    .filter(([, r]) => (down ? r.top >= from.bottom - 1 : r.bottom <= from.top + 1));
  if (!rows.length) return null;
  const rowTop = (down ? Math.min : Math.max)(...rows.map(([, r]) => r.top));
  const centre = from.left + from.width / 2;
  return rows.filter(([, r]) => Math.abs(r.top - rowTop) < 2)
    .reduce((best, pair) => (Math.abs(pair[1].left + pair[1].width / 2 - centre) < Math.abs(best[1].left + best[1].width / 2 - centre) ? pair : best))[0];
}

export function setupKeys(board) {
  const { state, themes } = board;
  const openHelp = $("#shortcuts-open");
  if (openHelp) openHelp.addEventListener("click", showHelp);

  async function pickAndMove() {
    const list = state.themeList();
    if (!list.length) return board.error(t("no_themes_yet"));
    if (!board.targetIds().length) return board.error(t("tick_first"));
    const chosen = await pickTheme({ title: t("picker_title"), themes: list });
    if (chosen) board.move(chosen);
  }

  function onCardOrTheme(event, card, themeButton) {
    const key = event.key;
    if (["ArrowRight", "ArrowLeft", "ArrowUp", "ArrowDown", "Home", "End"].includes(key)) {
      if (themeButton && (key === "ArrowUp" || key === "ArrowDown")) themes.step(themeButton, key === "ArrowDown" ? 1 : -1);
      else if (card) neighbour(board.cardEls(), card, key)?.querySelector("input").focus();
      else return false;
      return true;
    }
    if (key === "Escape" && card) board.untickAll();
    else if ((key === "Delete" || key === "Backspace") && card) board.hide();
    else if (key === "Delete" || key === "Backspace") {
      const theme = themes.themeOfFocus();
      if (!theme) return false;
      themes.remove(theme);
    } else if (key.toLowerCase() === "m") {
      const theme = !card && themes.themeOfFocus();
      if (card) board.keepOne();
      else if (theme) themes.pickMerge(theme);
      else return false;
    } else return false;
    return true;
  }

  function onAnywhere(event) {
    const key = event.key;
    if (/^[1-9]$/.test(key)) {
      const theme = state.themeList()[Number(key) - 1];
      if (!theme) board.error(t("no_theme_n", { n: key }));
      else board.move(theme.id);
    } else if (key.toLowerCase() === "t") pickAndMove();
    else if (key.toLowerCase() === "n") board.newTheme();
    else if (key.toLowerCase() === "a") board.tickShown();
    else if (key.toLowerCase() === "r") {
      const theme = themes.themeOfFocus();
      if (theme) themes.startRename(theme);
      else board.error(t("rename_which"));
    } else if (key === "/") $("#note-search").focus();
    else if (key === "?") showHelp();
    else return false;
    return true;
  }

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || document.querySelector("dialog[open]")) return;
    if (!board.active()) return;
    const target = event.target;
    if (target.id === "note-search" && event.key === "ArrowDown") {
      event.preventDefault();
      return board.focusCard(null, 0);
    }
    if (typing(target) || choosing(target, event.key)) return;
    const card = target.closest?.("#note-cards > li.card");
    const themeButton = target.closest?.("#theme-list [data-focus^='move-']");
    if (onCardOrTheme(event, card, themeButton) || onAnywhere(event)) event.preventDefault();
  });
}
