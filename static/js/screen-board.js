// What the projector draws in each phase: the SWOT matrix, themes, results, groups.
import { $, $$, h, replace } from "./dom.js";
import { t } from "./i18n.js";
import { QUADRANTS } from "./state.js";
import { fit } from "./fit.js";

function collect(state) {
  for (const quadrant of QUADRANTS) {
    const items = state.itemList({ quadrant });
    $(`[data-count="${quadrant}"]`).textContent = String(items.length);
    replace($(`[data-quadrant="${quadrant}"]`), items.map((i) => h("li", { class: "note", dataset: { itemId: i.id } }, i.text)));
  }
  fit($("#swot"));
}

function themeCard(state, theme, { withItems = true } = {}) {
  const items = theme.item_ids.map((id) => state.items.get(id)).filter((i) => i && !i.hidden);
  return h("li", { class: "theme-card fit-box", dataset: { themeId: theme.id } },
    h("h2", {}, theme.title, " ", h("span", { class: "count" }, String(items.length))),
    withItems ? h("ul", { class: "theme-items" }, items.map((i) => h("li", { class: `q-${i.quadrant}` }, i.text))) : null);
}

function cluster(state) {
  const themes = state.themeList();
  const loose = state.itemList({ themeId: null });
  const cards = themes.map((theme) => themeCard(state, theme));
  if (loose.length) {
    cards.push(h("li", { class: "theme-card unsorted fit-box" },
      h("h2", {}, t("unsorted"), " ", h("span", { class: "count" }, String(loose.length))),
      h("ul", { class: "theme-items" }, loose.map((i) => h("li", { class: `q-${i.quadrant}` }, i.text)))));
  }
  replace($("#theme-board"), cards);
  fit($("#theme-board"));
}

function results(state, list) {
  const ranked = state.rankedThemes();
  const most = Math.max(1, ...ranked.map((theme) => theme.votes ?? 0));
  replace(list, ranked.map((theme) => {
    const bar = h("span", { class: "bar" });
    bar.style.setProperty("--share", String((theme.votes ?? 0) / most));
    return h("li", { class: "result", dataset: { themeId: theme.id } },
      h("span", { class: "result-title" }, theme.title),
      h("span", { class: "bar-track", "aria-hidden": "true" }, bar),
      h("span", { class: "result-votes" }, t("votes_count", { n: theme.votes ?? 0 })));
  }));
  fit(list);
}

function vote(state) {
  const revealed = state.workshop.tallies_revealed;
  $("#vote-lead").textContent = revealed ? t("results") : t("tallies_hidden");
  $("#vote-board").hidden = revealed;
  $("#results").hidden = !revealed;
  if (revealed) return results(state, $("#results"));
  replace($("#vote-board"), state.themeList().map((theme) => themeCard(state, theme, { withItems: true })));
  fit($("#vote-board"));
}

function groups(state) {
  replace($("#group-board"), state.groups.map((group) => h("li", { class: "group-card fit-box", dataset: { groupId: group.id } },
    h("h2", {}, group.title),
    h("p", { class: "group-count" }, group.capacity
      ? t("group_members_cap", { n: group.members.length, cap: group.capacity })
      : t("group_members", { n: group.members.length })),
    h("ul", { class: "members" }, group.members.length
      ? group.members.map((m) => h("li", {}, m.name, m.organisation ? h("span", { class: "org" }, ` · ${m.organisation}`) : null))
      : h("li", { class: "empty" }, t("no_members"))))));
  fit($("#group-board"));
}

export function renderBoard(state) {
  const draw = { collect, cluster, vote, groups }[state.phase];
  if (draw) draw(state);
  if (state.phase === "closed") { // a thank-you: nothing of the workshop stays in the page
    for (const list of $$(".notes-board, .theme-board, .results, .group-board")) list.replaceChildren();
    for (const count of $$("[data-count]")) count.textContent = "0";
  }
  for (const section of $$(".fit")) if (section.offsetParent === null) section.style.removeProperty("--fit");
}
