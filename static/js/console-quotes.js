// Quotes captured as they are said, and the conclusion for the record.
import { $, h, replace } from "./dom.js";
import { t } from "./i18n.js";

export function setupQuotes(ui) {
  const { state, act } = ui;
  let conclusionDirty = false;

  $("#quote-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = $("#quote-text").value.trim();
    if (!text) return $("#quote-text").focus();
    const answer = await act("add_quote", { text, speaker: $("#quote-speaker").value.trim(), role: $("#quote-role").value.trim() });
    if (answer.ok) {
      for (const id of ["#quote-text", "#quote-speaker", "#quote-role"]) $(id).value = "";
      if (!state.quotes.some((q) => q.id === answer.quote.id)) state.quotes.push(answer.quote);
      render();
      ui.flash(t("saved"));
      $("#quote-text").focus();
    }
  });
  $("#conclusion").addEventListener("input", () => { conclusionDirty = true; });
  $("#conclusion-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const answer = await act("update_workshop", { conclusion: $("#conclusion").value });
    if (answer.ok) {
      conclusionDirty = false;
      state.on_workshop_updated(answer.workshop);
      ui.flash(t("saved"));
    }
  });

  function render() {
    const seen = new Set();
    const quotes = state.quotes.filter((q) => !seen.has(q.id) && seen.add(q.id));
    replace($("#quote-list"), quotes.map((q) => h("li", { class: "quote" },
      h("q", {}, q.text), q.speaker || q.role ? h("span", { class: "quote-by" }, " ", t("quote_by", { speaker: [q.speaker, q.role].filter(Boolean).join(", ") })) : null)));
    if (!conclusionDirty) $("#conclusion").value = state.workshop.conclusion || "";
  }

  return { render };
}
