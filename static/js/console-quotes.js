// Quotes captured as they are said (corrected or removed later), and the conclusion for the record.
import { $, h, replace } from "./dom.js";
import { errorText, t } from "./i18n.js";
import { counted, watchLength } from "./textlimit.js";

const FIELDS = [["text", "quote_text"], ["speaker", "quote_speaker"], ["role", "quote_role"]];
const QUOTE_LIMIT = 2000;
const NAME_LIMIT = 200; // a speaker or their role, as a name (the contract's limits)
const CONCLUSION_LIMIT = 10000; // a workshop text

export function setupQuotes(ui) {
  const { state, act } = ui;
  let conclusionDirty = false;
  let editing = null; // {id, text, speaker, role}: the drafts of the quote being corrected
  let removing = null; // id of the quote whose removal waits for a yes
  const quoteOver = watchLength($("#quote-text"), $("#quote-text-count"), QUOTE_LIMIT);
  // Said, never cut (a browser's maxlength cuts a pasted text silently): the count tells how much to shorten.
  const speakerOver = watchLength($("#quote-speaker"), $("#quote-speaker-count"), NAME_LIMIT);
  const roleOver = watchLength($("#quote-role"), $("#quote-role-count"), NAME_LIMIT);
  const conclusionOver = watchLength($("#conclusion"), $("#conclusion-count"), CONCLUSION_LIMIT);
  const tooLong = (field) => {
    ui.error(errorText({ code: "too_long" }), field);
    field.focus();
  };

  $("#quote-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = $("#quote-text").value.trim();
    if (!text) return $("#quote-text").focus();
    if (quoteOver()) return tooLong($("#quote-text"));
    if (speakerOver()) return tooLong($("#quote-speaker"));
    if (roleOver()) return tooLong($("#quote-role"));
    const answer = await act("add_quote", { text, speaker: $("#quote-speaker").value.trim(), role: $("#quote-role").value.trim() });
    if (answer.ok) {
      for (const id of ["#quote-text", "#quote-speaker", "#quote-role"]) $(id).value = "";
      quoteOver(); speakerOver(); roleOver();
      if (!state.quotes.some((q) => q.id === answer.quote.id)) state.quotes.push(answer.quote);
      render();
      ui.flash(t("saved"));
      $("#quote-text").focus();
    }
  });
  $("#conclusion").addEventListener("input", () => { conclusionDirty = true; });
  $("#conclusion-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (conclusionOver()) return tooLong($("#conclusion"));
    const answer = await act("update_workshop", { conclusion: $("#conclusion").value });
    if (answer.ok) {
      conclusionDirty = false;
      state.on_workshop_updated(answer.workshop);
      ui.flash(t("saved"));
    }
  });

  function editForm(q) {
    let over = () => false;
    const field = ([name, label]) => {
      const id = `quote-${name}-${q.id}`;
      const input = h(name === "text" ? "textarea" : "input", { id, "data-focus": id, ...(name === "text" ? { rows: 3 } : { type: "text" }),
        oninput: (e) => { editing[name] = e.target.value; } });
      input.value = editing[name];
      const count = name === "text" ? counted(input, QUOTE_LIMIT) : null;
      if (count) over = count.over;
      return h("div", { class: "field" }, h("label", { for: id }, t(label)), input, count && count.hint);
    };
    return h("form", { class: "stack quote-edit", onsubmit: async (e) => {
      e.preventDefault();
      const payload = { quote_id: q.id, text: editing.text.trim(), speaker: editing.speaker.trim(), role: editing.role.trim() };
      if (!payload.text) return $(`#quote-text-${q.id}`).focus();
      if (over()) return tooLong($(`#quote-text-${q.id}`));
      const answer = await act("edit_quote", payload);
      if (!answer.ok) return;
      editing = null;
      state.on_quote_updated(answer.quote);
      render();
      ui.flash(t("saved"));
      $(`[data-focus="quote-edit-${q.id}"]`)?.focus();
    } },
    FIELDS.map(field),
    h("div", { class: "inline-form" },
      h("button", { type: "submit", class: "button primary small", "data-focus": `quote-save-${q.id}` }, t("save")),
      h("button", { type: "button", class: "button secondary small", onclick: () => {
        editing = null;
        render();
        $(`[data-focus="quote-edit-${q.id}"]`)?.focus();
      } }, t("cancel"))));
  }

  function actions(q) {
    const key = `quote-${q.id}`;
    if (removing === q.id) {
      return h("span", { class: "confirm-row" },
        h("button", { type: "button", class: "button danger small", "data-focus": `yes-${key}`, onclick: async () => {
          removing = null;
          const at = state.quotes.findIndex((x) => x.id === q.id);
          if ((await act("delete_quote", { quote_id: q.id })).ok) state.on_quote_deleted({ id: q.id });
          render();
          const next = state.quotes[Math.min(at, state.quotes.length - 1)]; // focus stays in the list
          $(next ? `[data-focus="quote-edit-${next.id}"]` : "#quote-text")?.focus();
        } }, `${t("delete")}?`),
        h("button", { type: "button", class: "button secondary small", "data-focus": `no-${key}`,
          onclick: () => { removing = null; render(); $(`[data-focus="quote-del-${q.id}"]`)?.focus(); } }, t("cancel")));
    }
    return h("span", { class: "quote-actions" },
      h("button", { type: "button", class: "button secondary small", "data-focus": `quote-edit-${q.id}`, onclick: () => {
        editing = { id: q.id, text: q.text, speaker: q.speaker, role: q.role };
        render();
        $(`#quote-text-${q.id}`)?.focus();
      } }, t("edit")),
      h("button", { type: "button", class: "button secondary small", "data-focus": `quote-del-${q.id}`,
        onclick: () => { removing = q.id; render(); $(`[data-focus="yes-${key}"]`)?.focus(); } }, t("delete")));
  }

  function render() {
    const seen = new Set();
    const quotes = state.quotes.filter((q) => !seen.has(q.id) && seen.add(q.id));
    replace($("#quote-list"), quotes.map((q) => h("li", { class: "quote", dataset: { quoteId: q.id } },
      editing && editing.id === q.id ? editForm(q) : [
        h("q", {}, q.text), q.speaker || q.role ? h("span", { class: "quote-by" }, " ", t("quote_by", { speaker: [q.speaker, q.role].filter(Boolean).join(", ") })) : null,
        " ", actions(q)])));
    if (!conclusionDirty) {
      $("#conclusion").value = state.workshop.conclusion || "";
      conclusionOver();
    }
  }

  return { render };
}
