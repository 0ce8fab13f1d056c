// Theme groups on the phone: join one, read the notes as they come, add a note, edit the summary.
import { $, h, replace } from "./dom.js";
import { errorText, t } from "./i18n.js";
import { themeNotes } from "./phone-context.js";
import { counted } from "./textlimit.js";

export function setupGroups(ui) {
  const { state } = ui;
  let noteDraft = "";
  let summaryDraft = null; // null: not being edited, follow the server

  async function act(event, payload) {
    const answer = await ui.realtime.call(event, payload);
    if (!answer.ok) ui.flash(errorText(answer.error), { error: true });
    else if (answer.group) state.on_group_updated(answer.group);
    else if (event === "leave_group") state.me.group_id = null;
    render();
    return answer.ok;
  }

  function capacityText(group) {
    const n = group.members.length;
    return group.capacity ? t("group_members_cap", { n, cap: group.capacity }) : t("group_members", { n });
  }

  function groupCard(group) {
    const mine = state.me.group_id === group.id;
    const full = group.capacity !== null && group.members.length >= group.capacity;
    return h("li", { class: `card${mine ? " is-mine" : ""}`, dataset: { groupId: group.id } },
      h("h3", { id: `group-${group.id}` }, group.title),
      h("p", { class: "hint" }, capacityText(group)),
      notesOf(group),
      mine ? h("p", { class: "badge" }, t("my_group"))
        : h("button", { type: "button", class: "button primary", "data-focus": `join-${group.id}`, disabled: full,
          "aria-describedby": `group-${group.id}`, onclick: () => act("join_group", { group_id: group.id }) },
        full ? t("group_full") : t("join_group")));
  }

  /** The notes of the theme the group was formed on, behind a tap. */
  function notesOf(group) {
    const theme = group.theme_id !== null ? state.themes.get(group.theme_id) : null;
    return theme ? themeNotes(state, theme) : null;
  }

  function myGroup(group) {
    const pendingNotes = ui.realtime.queued().filter((e) => e.event === "add_note" && e.payload.group_id === group.id);
    const noteArea = h("textarea", { id: "note-text", rows: 3, "data-focus": "note-text",
      oninput: (e) => { noteDraft = e.target.value; } });
    noteArea.value = noteDraft;
    const summaryArea = h("textarea", { id: "summary-text", rows: 5, "data-focus": "summary-text",
      oninput: (e) => { summaryDraft = e.target.value; } });
    summaryArea.value = summaryDraft ?? group.summary;
    const noteCount = counted(noteArea, 2000);
    const summaryCount = counted(summaryArea, 10000);
    const tooLong = (area) => {
      ui.flash(errorText({ code: "too_long" }), { error: true });
      area.focus();
    };
    return h("section", { class: "my-group", "aria-labelledby": "my-group-title" },
      h("p", { class: "badge" }, t("my_group")),
      h("h2", { id: "my-group-title" }, group.title),
      h("p", { class: "hint" }, t("members"), ": ", group.members.map((m) => m.name).join(", ") || t("no_members")),
      notesOf(group),
      h("h3", {}, t("notes")),
      h("ul", { class: "notes", id: "group-notes", "aria-live": "polite" },
        group.notes.length || pendingNotes.length
          ? [...group.notes.map((n) => h("li", {}, n.text)),
            ...pendingNotes.map((e) => h("li", { class: "is-pending" }, e.payload.text, " ", h("span", { class: "hint" }, t("pending"))))]
          : h("li", { class: "empty" }, t("no_notes"))),
      h("form", { class: "stack", onsubmit: (e) => {
        e.preventDefault();
        const text = noteDraft.trim();
        if (!text) return;
        if (noteCount.over()) return tooLong(noteArea);
        ui.realtime.enqueue("add_note", { group_id: group.id, text });
        noteDraft = "";
        render();
        $("#note-text")?.focus();
      } },
      h("div", { class: "field" }, h("label", { for: "note-text" }, t("add_note")), noteArea, noteCount.hint),
      h("button", { type: "submit", class: "button primary big", "data-focus": "note-send" }, t("add_note"))),
      h("form", { class: "stack", onsubmit: async (e) => {
        e.preventDefault();
        if (summaryCount.over()) return tooLong(summaryArea);
        if (await act("set_summary", { group_id: group.id, text: (summaryDraft ?? group.summary).trim() })) {
          summaryDraft = null;
          ui.flash(t("saved"));
          render();
        }
      } },
      h("div", { class: "field" }, h("label", { for: "summary-text" }, t("summary")), summaryArea, summaryCount.hint),
      h("button", { type: "submit", class: "button secondary big", "data-focus": "summary-save" }, t("save_summary"))),
      h("button", { type: "button", class: "button secondary", "data-focus": "leave",
        onclick: () => act("leave_group", {}) }, t("leave_group")));
  }

  function render() {
    const group = state.groups.find((g) => g.id === state.me.group_id);
    replace($("#my-group"), group ? myGroup(group) : []);
    $("#groups-heading").hidden = !state.groups.length;
    replace($("#group-list"), state.groups.length ? state.groups.map(groupCard) : h("li", { class: "empty" }, t("no_groups")));
  }

  return { render };
}
