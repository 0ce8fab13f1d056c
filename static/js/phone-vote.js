// Voting on the phone: the themes as cards with their notes, a dot per tap, a clear count of dots left;
// closed once the results are shown.
import { $, h, replace } from "./dom.js";
import { errorText, t } from "./i18n.js";
import { themeNotes } from "./phone-context.js";

export function setupVote(ui) {
  const { state } = ui;
  let queue = Promise.resolve();

  async function sendNow(event, themeId) {
    const answer = await ui.realtime.callOnce(event, { theme_id: themeId });
    if (answer.ok) state.on_my_votes(answer);
    else ui.flash(errorText(answer.error), { error: true });
    render();
  }

  // Taps made while an answer is on its way (a slow network, a busy room) are sent in order, not dropped.
  function send(event, themeId) {
    queue = queue.then(() => sendNow(event, themeId));
  }

  function card(theme) {
    const total = state.workshop.votes_per_participant;
    const limit = state.workshop.max_votes_per_theme;
    const mine = (state.me.votes || {})[String(theme.id)] || 0;
    const left = state.me.votes_left ?? 0;
    const atLimit = mine >= limit;
    const closed = votingClosed();
    return h("li", { class: `card vote-card${mine ? " has-dots" : ""}`, dataset: { themeId: theme.id } },
      h("h3", { id: `theme-${theme.id}` }, theme.title),
      themeNotes(state, theme),
      h("p", { class: "dots" }, h("span", { class: "dot-row", "aria-hidden": "true" }, "●".repeat(mine) + "○".repeat(Math.max(0, limit - mine))),
        " ", h("span", {}, t("dots_on_theme", { n: mine }))),
      atLimit ? h("p", { class: "hint" }, t("theme_limit", { n: limit })) : null,
      theme.votes !== null && theme.votes !== undefined ? h("p", { class: "hint" }, t("votes_count", { n: theme.votes })) : null,
      h("div", { class: "actions" },
        h("button", { type: "button", class: "button primary", "data-focus": `add-${theme.id}`,
          "aria-describedby": `theme-${theme.id}`, disabled: closed || atLimit || left <= 0 || total === 0,
          onclick: () => send("vote", theme.id) }, t("add_dot")),
        h("button", { type: "button", class: "button secondary", "data-focus": `remove-${theme.id}`,
          "aria-describedby": `theme-${theme.id}`, disabled: closed || mine === 0, onclick: () => send("unvote", theme.id) }, t("remove_dot"))));
  }

  /** The results are shown: dots stay where they are until the facilitator reopens voting. */
  const votingClosed = () => state.phase === "vote" && Boolean(state.workshop.tallies_revealed);

  function render() {
    const left = state.me.votes_left ?? 0;
    $("#votes-left").textContent = votingClosed() ? t("voting_closed") : left > 0
      ? t("votes_left", { n: left, total: state.workshop.votes_per_participant })
      : t("votes_none_left");
    $("#votes-left").classList.toggle("none-left", left <= 0 || votingClosed());
    const themes = state.themeList();
    replace($("#vote-cards"), themes.length ? themes.map(card) : h("li", { class: "empty" }, t("no_themes")));
  }

  return { render };
}
