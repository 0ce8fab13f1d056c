// The phone: who I am (kept in localStorage per workshop), the connection, and each phase.
import { $, $$ } from "./dom.js";
import { errorText, t } from "./i18n.js";
import { Realtime, store } from "./realtime.js";
import { WorkshopState } from "./state.js";
import { runCountdown } from "./timer.js";
import { flash, phaseTexts, showConnection } from "./ui.js";
import { setupCollect } from "./phone-collect.js";
import { setupVote } from "./phone-vote.js";
import { setupGroups } from "./phone-groups.js";
import { renderContext } from "./phone-context.js";

const main = $("#main");
const code = main.dataset.code;
const tokenKey = `facilitation:participant:${code}`;
if (main.dataset.token) store.setItem(tokenKey, main.dataset.token);
const token = store.getItem(tokenKey);

if (token) start(token);

/** Back to the join section with a notice; without the form when joining again is not the answer. */
function rejoin(message = t("rejoin"), withForm = true) {
  store.removeItem(tokenKey);
  $("#app").hidden = true;
  $("#conn").hidden = true;
  $("#join form").hidden = !withForm;
  $("#join").hidden = false;
  const notice = $("#rejoin-notice");
  notice.textContent = message;
  notice.hidden = false;
}

/** The facilitator removed this person: their token no longer works; say so, and stay disconnected. */
function removed(realtime) {
  realtime.stop();
  rejoin(t("removed_you"), false);
}

function start(token) {
  $("#join").hidden = true;
  $("#app").hidden = false;
  $("#conn").hidden = false;
  const state = new WorkshopState("participant");
  const flashEl = $("#flash");
  const ui = { state, flash: (text, opts) => flash(flashEl, text, opts) };
  const realtime = new Realtime({
    auth: () => ({ code, participant_token: token }),
    queueKey: `facilitation:queue:${code}`,
    handlers: {
      state: (name, error) => showConnection($("#conn"), name, error),
      refused: (error) => {
        if (error.code === "forbidden" || error.code === "not_found") rejoin();
      },
      snapshot: (data) => {
        state.load(data);
        renderAll();
      },
      event: (name, data) => {
        if (name === "removed") return removed(realtime);
        if (state.apply(name, data)) render(name);
        if (state.stale) realtime.reconnect();
      },
      queue: () => {
        views.collect.renderMine();
        views.groups.render();
      },
      sent: (entry) => { if (entry.event === "post_item") ui.flash(t("sent")); },
      failed: (entry, error) => views.failed(entry, error),
    },
  });
  ui.realtime = realtime;
  const views = {
    collect: setupCollect(ui),
    vote: setupVote(ui),
    groups: setupGroups(ui),
    failed: (entry, error) => ui.flash(t("send_failed", { message: errorText(error) }), { error: true }),
  };
  const tick = runCountdown($("#timer"), state);

  function renderPhase() {
    phaseTexts($("#phase-name"), $("#phase-do"), state.phase);
    for (const section of $$("[data-phase]", $("#app"))) section.hidden = section.dataset.phase !== state.phase;
    document.title = `${t(`phase_${state.phase}`)} · ${state.workshop.title}`;
  }

  function renderAll() {
    renderPhase();
    renderContext(state);
    views.collect.render();
    views.vote.render();
    views.groups.render();
    tick();
  }

  function render(event) {
    if (event === "phase") return renderAll();
    if (event === "timer") return tick();
    if (event === "workshop_updated") renderContext(state);
    if (event.startsWith("item_")) views.collect.render();
    if (event.startsWith("theme_") || event === "tally" || event === "my_votes" || event.startsWith("item_")) {
      views.vote.render(); // a theme's notes are on its card
      views.collect.renderThemes();
    }
    if (event === "groups" || event === "group_updated" || event.startsWith("note_") || event.startsWith("theme_")
      || event.startsWith("item_")) views.groups.render();
  }
}

