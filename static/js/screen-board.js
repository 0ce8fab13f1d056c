// What the projector draws in each phase: the SWOT matrix, themes, voting, results, groups.
// Every list is shown a page at a time when it does not fit (screen-pages.js), newest notes first.
import { $, $$, h, replace } from "./dom.js";
import { t } from "./i18n.js";
import { QUADRANTS } from "./state.js";
import { hyphenate as hy } from "./screen-hyphens.js";
import { paginate } from "./screen-pages.js";

const newestFirst = (items) => [...items].reverse(); // itemList() is oldest first

/** A theme's notes that everyone may see. */
export function themeItems(state, theme) {
  return theme.item_ids.map((id) => state.items.get(id)).filter((item) => item && !item.hidden);
}

/** A note with its quadrant's colour on its edge. */
export function noteLine(item, className = "") {
  return h("li", { class: `${className} q-${item.quadrant}`.trim(), dataset: { itemId: item.id } },
    h("span", { class: "clamp" }, hy(item.text)));
}

function collect(state) {
  for (const quadrant of QUADRANTS) {
    const items = newestFirst(state.itemList({ quadrant }));
    $(`[data-count="${quadrant}"]`).textContent = String(items.length);
    const list = $(`#notes-${quadrant}`);
    replace(list, items.map((item) => noteLine(item, "note")));
    paginate(list);
  }
}

/** How many of a theme's notes come from each quadrant: coloured squares and counts (see the legend). */
function mix(items) {
  const counts = QUADRANTS.map((q) => [q, items.filter((i) => i.quadrant === q).length]).filter(([, n]) => n);
  return h("ul", { class: "mix" }, counts.map(([q, n]) => h("li", { class: `q-${q}` },
    h("span", { class: "swatch", "aria-hidden": "true" }), h("span", { class: "visually-hidden" }, `${t(`quadrant_${q}`)}: `), String(n))));
}

/** A theme's card: its title, count and newest `notes` notes ("and 4 more"); with none, the notes' boxes. */
function card({ title, items, id = null, unsorted = false, notes }) {
  const shown = items.slice(-notes).reverse();
  const more = items.length - shown.length;
  return h("li", { class: `theme-card${unsorted ? " unsorted" : ""}`, dataset: id === null ? {} : { themeId: id } },
    h("div", { class: "card-head" }, h("h2", { class: "card-title clamp" }, hy(title)), h("span", { class: "count" }, String(items.length))),
    notes ? h("ul", { class: "theme-items" }, shown.map((item) => noteLine(item)),
      more && shown.length ? h("li", { class: "more" }, t("more_notes", { n: more })) : null) : mix(items));
}

// Every note, else the newest three, two or one of each theme, else none: the most that fits on one page.
const NOTES_SHOWN = [Infinity, 3, 2, 1, 0];

/** Cards with as many of their notes as let them all fit on one page; else titles, counts and colours, in pages. */
function themeCards(board, cards) {
  for (const notes of NOTES_SHOWN) {
    replace(board, cards(notes));
    if (paginate(board) === 1) return;
  }
}

function cluster(state) {
  const themes = newestFirst(state.themeList()); // the theme just made is on the first page
  const loose = state.itemList({ themeId: null });
  $("#cluster-lead").textContent = loose.length
    ? `${t("themes_count", { n: themes.length })} · ${t("loose_count", { n: loose.length })}` : t("themes_count", { n: themes.length });
  themeCards($("#theme-board"), (notes) => [
    loose.length ? card({ title: t("unsorted"), items: loose, unsorted: true, notes }) : null,
    ...themes.map((theme) => card({ title: theme.title, items: themeItems(state, theme), id: theme.id, notes })),
  ]);
}

function results(state, list) {
  const ranked = state.rankedThemes();
  const most = Math.max(1, ...ranked.map((theme) => theme.votes ?? 0));
  replace(list, ranked.map((theme) => {
    const bar = h("span", { class: "bar" });
    bar.style.setProperty("--share", String((theme.votes ?? 0) / most));
    return h("li", { class: "result", dataset: { themeId: theme.id } },
      h("span", { class: "result-title" }, hy(theme.title)),
      h("span", { class: "bar-track", "aria-hidden": "true" }, bar),
      h("span", { class: "result-votes" }, t("votes_count", { n: theme.votes ?? 0 })));
  }));
  paginate(list);
}

/** Dots placed of all dots, and people done: "212 av 300 prickar · 61 av 100 klara". */
function progress(el, shown) {
  el.hidden = !shown;
  if (!shown) return;
  el.querySelector(".progress-text").textContent = t("screen_vote_progress", {
    used: shown.dots_used, total: shown.dots_total, done: shown.done, people: shown.participants });
  el.querySelector(".progress-bar").style.setProperty("--share", String(shown.dots_total ? shown.dots_used / shown.dots_total : 0));
}

function vote(state, extra) {
  const revealed = Boolean(state.workshop.tallies_revealed);
  $("#vote-lead").textContent = revealed ? t("results") : t("vote_on_phones");
  progress($("#vote-progress"), revealed ? null : extra.voteProgress);
  $("#vote-board").hidden = revealed;
  $("#results").hidden = !revealed;
  if (revealed) {
    paginate($("#vote-board"));
    return results(state, $("#results"));
  }
  paginate($("#results"));
  themeCards($("#vote-board"), (notes) => state.themeList().map((theme) =>
    card({ title: theme.title, items: themeItems(state, theme), id: theme.id, notes })));
}

function groups(state) {
  $("#groups-lead").textContent = t("do_groups");
  replace($("#group-board"), state.groups.map((group) => h("li", { class: "group-card", dataset: { groupId: group.id } },
    h("h2", { class: "card-title clamp" }, hy(group.title)),
    h("p", { class: "group-count" }, group.capacity
      ? t("group_members_cap", { n: group.members.length, cap: group.capacity })
      : t("group_members", { n: group.members.length })),
    h("ul", { class: "members" }, group.members.length
      ? group.members.map((m) => h("li", {}, m.name, m.organisation ? h("span", { class: "org" }, ` · ${m.organisation}`) : null))
      : h("li", { class: "empty" }, t("no_members"))))));
  paginate($("#group-board"));
}

/** Draw the board of the current phase (`extra`: what the screen knows beside the state, e.g. voteProgress). */
export function renderBoard(state, extra = {}) {
  const draw = { collect, cluster, vote, groups }[state.phase];
  if (draw) draw(state, extra);
  if (state.phase === "closed") { // a thank-you: nothing of the workshop stays in the page
    for (const list of $$(".notes-board, .theme-board, .results, .group-board, .spotlight-list")) list.replaceChildren();
    for (const count of $$("[data-count]")) count.textContent = "0";
  }
}
