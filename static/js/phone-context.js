// Context on the phone: the workshop's question(s) and purpose in every phase, and each theme's notes.
import { $, h, replace } from "./dom.js";
import { t } from "./i18n.js";

const opened = new Set(); // themes whose notes are open, kept across renders and phases

/** The questions and the purpose, compact: the first question (or the purpose) shows, the rest on a tap. */
export function renderContext(state) {
  // The SWOT round's question first: it is what the notes answer.
  const questions = [state.workshop.round_question, ...(state.workshop.questions || [])].filter(Boolean);
  const purpose = state.workshop.purpose || "";
  $("#context").hidden = !questions.length && !purpose;
  const label = questions.length > 1 ? "context_questions" : questions.length ? "context_question" : "context_purpose";
  $("#context-label").textContent = t(label);
  $("#context-first").textContent = questions.length > 1 ? `1. ${questions[0]}` : questions[0] || purpose;
  replace($("#context-more"),
    questions.length > 1 ? h("ol", { class: "context-questions", start: 2 }, questions.slice(1).map((q) => h("li", {}, q))) : null,
    questions.length && purpose ? h("p", {}, h("strong", {}, `${t("context_purpose")}: `), purpose) : null);
}

/** A theme's notes behind a tap (a disclosure that stays open while the screen redraws). */
export function themeNotes(state, theme) {
  const items = state.itemList({ themeId: theme.id });
  return h("details", { class: "theme-notes", open: opened.has(theme.id), ontoggle: (event) => {
    if (event.target.open) opened.add(theme.id);
    else opened.delete(theme.id);
  } },
  h("summary", { "data-focus": `notes-${theme.id}` }, t("theme_notes", { n: items.length })),
  items.length
    ? h("ul", { class: "theme-note-list" }, items.map((item) => h("li", { class: `q-${item.quadrant}` },
      h("span", { class: "chip" }, t(`quadrant_${item.quadrant}`)), " ", h("span", { class: "card-text" }, item.text))))
    : h("p", { class: "hint" }, t("no_theme_notes")));
}
