// Votes and groups on the console: the tally, forming groups (top n or chosen), renaming them, removing a note.
import { $, $$, h, replace } from "./dom.js";
import { errorText, t } from "./i18n.js";
import { confirmStep } from "./console-confirm.js";

const FORMING_PHASES = ["groups"]; // groups are formed from the votes, in their own phase; not once closed

/** "3 members, 2 group notes and 1 summary": what replacing the groups would remove. */
function workInGroups(groups) {
  const counts = [
    ["lost_members", groups.reduce((n, g) => n + g.members.length, 0)],
    ["lost_notes", groups.reduce((n, g) => n + g.notes.length, 0)],
    ["lost_summaries", groups.filter((g) => g.summary).length],
  ].filter(([, n]) => n > 0).map(([key, n]) => t(key, { n }));
  return counts.length > 1 ? t("list_and", { first: counts.slice(0, -1).join(", "), last: counts.at(-1) }) : counts[0] || "";
}

export function setupGroups(ui) {
  const { state, act } = ui;
  const picked = new Set();
  let renaming = null; // {id, draft}
  let removing = null; // id of the note whose removal waits for a yes

  /** Form groups; over groups with people's work in them the server answers `conflict` and the facilitator is asked. */
  async function form(payload, focusEl) {
    let answer = await ui.call("form_groups", payload);
    if (!answer.ok && answer.error.code === "conflict") {
      const yes = await confirmStep({ title: t("confirm_groups_title"), yes: t("confirm_groups_yes"),
        text: t("confirm_groups_text", { what: workInGroups(state.groups) }) });
      if (!yes) return focusEl.focus();
      answer = await ui.call("form_groups", { ...payload, replace: true });
    }
    if (!answer.ok) return ui.error(errorText(answer.error), focusEl);
    state.on_groups(answer.groups);
    render();
  }

  $("#groups-top-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const top = Number($("#groups-top").value);
    if (!(top > 0)) return $("#groups-top").focus();
    form({ top }, event.submitter || $("#groups-top"));
  });
  $("#groups-pick-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const ids = state.rankedThemes().map((theme) => theme.id).filter((id) => picked.has(id));
    if (!ids.length) return $("#groups-pick input")?.focus();
    form({ theme_ids: ids }, event.submitter || $("#groups-pick input"));
  });

  function groupItem(group) {
    const members = group.members.map((m) => (m.organisation ? `${m.name} (${m.organisation})` : m.name)).join(", ");
    let title;
    if (renaming && renaming.id === group.id) {
      const input = h("input", { type: "text", id: `group-rename-${group.id}`, "data-focus": `group-rename-${group.id}`,
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
      group.notes.length ? h("ul", { class: "notes" }, group.notes.map(noteItem)) : null,
      group.summary ? h("p", {}, h("strong", {}, `${t("summary")}: `), group.summary) : null);
  }

  function noteItem(note) {
    const key = `note-${note.id}`;
    const actions = removing === note.id
      ? h("span", { class: "confirm-row" },
        h("button", { type: "button", class: "button danger small", "data-focus": `yes-${key}`, onclick: async () => {
          removing = null;
          const group = state.groups.find((g) => g.id === note.group_id);
          const at = group ? group.notes.findIndex((n) => n.id === note.id) : 0;
          if ((await act("delete_note", { note_id: note.id })).ok) state.on_note_deleted({ id: note.id, group_id: note.group_id });
          render();
          const left = group ? group.notes : []; // focus stays in the list: the next note, else the group
          const next = left[Math.min(at, left.length - 1)];
          $(next ? `[data-focus="del-note-${next.id}"]` : `[data-focus="group-ren-${note.group_id}"]`)?.focus();
        } }, `${t("delete")}?`),
        h("button", { type: "button", class: "button secondary small", "data-focus": `no-${key}`,
          onclick: () => { removing = null; render(); } }, t("cancel")))
      : h("button", { type: "button", class: "button secondary small", "data-focus": `del-${key}`,
        onclick: () => { removing = note.id; render(); $(`[data-focus="yes-${key}"]`)?.focus(); } }, t("delete"));
    return h("li", { class: "note-row", dataset: { noteId: note.id } }, h("span", { class: "note-text" }, note.text), " ", actions);
  }

  function render() {
    const forming = FORMING_PHASES.includes(state.phase);
    $("#groups-top-form").hidden = !forming;
    // Forming them is the phase's next step until there are groups; then closing is (console-phases.js).
    $("#groups-top-form button").classList.toggle("primary", !state.groups.length);
    $("#groups-top-form button").classList.toggle("secondary", state.groups.length > 0);
    $("#groups-pick-form").hidden = !forming;
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
