// Votes and groups on the console: the tally, forming groups (top n or chosen), renaming them.
import { $, $$, h, replace } from "./dom.js";
import { t } from "./i18n.js";

export function setupGroups(ui) {
  const { state, act } = ui;
  const picked = new Set();
  let renaming = null; // {id, draft}

  $("#groups-top-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const top = Number($("#groups-top").value);
    if (!(top > 0)) return $("#groups-top").focus();
    const answer = await act("form_groups", { top });
    if (answer.ok) state.on_groups(answer.groups), render();
  });
  $("#groups-pick-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const ids = state.rankedThemes().map((theme) => theme.id).filter((id) => picked.has(id));
    if (!ids.length) return $("#groups-pick input")?.focus();
    const answer = await act("form_groups", { theme_ids: ids });
    if (answer.ok) state.on_groups(answer.groups), render();
  });

  function groupItem(group) {
    const members = group.members.map((m) => (m.organisation ? `${m.name} (${m.organisation})` : m.name)).join(", ");
    let title;
    if (renaming && renaming.id === group.id) {
      const input = h("input", { type: "text", id: `group-rename-${group.id}`, maxlength: 200, "data-focus": `group-rename-${group.id}`,
        oninput: (e) => { renaming.draft = e.target.value; } });
      input.value = renaming.draft;
      title = h("form", { class: "inline-form", onsubmit: async (e) => {
        e.preventDefault();
        if ((await act("rename_group", { group_id: group.id, title: renaming.draft.trim() })).ok) { renaming = null; render(); }
      } },
      h("label", { for: `group-rename-${group.id}`, class: "visually-hidden" }, t("group_title")), input,
      h("button", { type: "submit", class: "button primary small" }, t("save")),
      h("button", { type: "button", class: "button secondary small", onclick: () => { renaming = null; render(); } }, t("cancel")));
    } else {
      title = h("div", { class: "inline-form" }, h("h3", {}, group.title),
        h("button", { type: "button", class: "button secondary small", "data-focus": `group-ren-${group.id}`, onclick: () => {
          renaming = { id: group.id, draft: group.title };
          render();
          $(`#group-rename-${group.id}`)?.focus();
        } }, t("rename")));
    }
    return h("li", { class: "group-box", dataset: { groupId: group.id } }, title,
      h("p", {}, h("strong", {}, `${t("members")}: `), members || t("no_members")),
      h("p", { class: "hint" }, `${t("notes")}: ${group.notes.length}`),
      group.notes.length ? h("ul", { class: "notes" }, group.notes.map((n) => h("li", {}, n.text))) : null,
      group.summary ? h("p", {}, h("strong", {}, `${t("summary")}: `), group.summary) : null);
  }

  function render() {
    const ranked = state.rankedThemes();
    replace($("#tally-list"), ranked.length
      ? ranked.map((theme) => h("li", { dataset: { themeId: theme.id } }, theme.title, ": ", h("strong", {}, t("votes_count", { n: theme.votes ?? 0 }))))
      : h("li", { class: "empty" }, t("no_themes")));
    for (const id of [...picked]) if (!state.themes.has(id)) picked.delete(id);
    replace($("#groups-pick"), ranked.map((theme) => {
      const id = `pick-${theme.id}`;
      const box = h("input", { type: "checkbox", id, "data-focus": id, onchange: (e) => {
        if (e.target.checked) picked.add(theme.id);
        else picked.delete(theme.id);
      } });
      box.checked = picked.has(theme.id);
      return h("label", { for: id, class: "check" }, box, h("span", {}, theme.title));
    }));
    replace($("#group-admin"), state.groups.length ? state.groups.map(groupItem) : h("li", { class: "empty" }, t("no_groups")));
    $$("#groups-pick-form button").forEach((b) => { b.disabled = !ranked.length; });
  }

  return { render };
}
