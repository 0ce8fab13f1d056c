// The facilitator's console: phases, timer, results, clustering, groups and quotes, all live.
import { $ } from "./dom.js";
import { errorText } from "./i18n.js";
import { Realtime } from "./realtime.js";
import { WorkshopState } from "./state.js";
import { runCountdown } from "./timer.js";
import { flash, showConnection } from "./ui.js";
import { setupBoard } from "./console-board.js";
import { setupGroups } from "./console-groups.js";
import { setupQuotes } from "./console-quotes.js";
import { setupUndo } from "./console-undo.js";
import { setupPeople } from "./console-people.js";
import { setupPhases } from "./console-phases.js";
import { clearErrors, showError } from "./console-errors.js";
import { setupSpotlight } from "./console-spotlight.js";

const main = $("#main");
const code = main.dataset.code;
const state = new WorkshopState("facilitator");
const flashEl = $("#flash");

const realtime = new Realtime({
  auth: () => ({ code, role: "facilitator" }), // the browser's console session, never the key
  handlers: {
    state: (name, error) => showConnection($("#conn"), name, error),
    snapshot: (data) => {
      state.load(data);
      renderAll();
      spotlight.load(data.spotlight); // what the projector shows large
    },
    event: (name, data) => {
      if (state.apply(name, data)) render(name);
      if (name === "spotlight") spotlight.load(data.spotlight);
      else if (name.startsWith("item_") || name.startsWith("theme_") || name === "phase") spotlight.render();
    },
  },
});

/** An error next to `near` (the control that caused it); with none on the page, at the foot of the window. */
function error(text, near) {
  clearErrors(); // one error at a time: the newest, beside what caused it
  showError(near, text, () => flash(flashEl, text, { error: true }));
}

/** Send an event as the facilitator; a refusal is shown next to `near` (by default what has the focus), the answer returned. */
async function act(event, payload = {}, near = document.activeElement) {
  clearErrors();
  const answer = await realtime.call(event, payload);
  if (!answer.ok) error(errorText(answer.error), near);
  return answer;
}

const ui = {
  state, act, error, renderAll: () => renderAll(),
  call: (event, payload = {}) => realtime.call(event, payload),
  flash: (text, opts) => (opts && opts.error ? error(text, document.activeElement) : flash(flashEl, text, opts)),
};
const phases = setupPhases(ui);
const boardView = setupBoard(ui);
const groups = setupGroups(ui);
const quotes = setupQuotes(ui);
const undo = setupUndo(ui);
const people = setupPeople(ui);
const spotlight = setupSpotlight(ui);
const tick = runCountdown($("#timer"), state);

$("#timer-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const minutes = Number($("#timer-minutes").value);
  if (!(minutes > 0)) return $("#timer-minutes").focus();
  act("start_timer", { seconds: Math.round(minutes * 60) }, event.submitter);
});
$("#timer-stop").addEventListener("click", (e) => act("stop_timer", {}, e.currentTarget));
$("#reveal").addEventListener("click", async () => {
  if ((await act("reveal_tallies")).ok) {
    state.workshop.tallies_revealed = true;
    phases.render();
    $("#reopen").focus();
  }
});
$("#reopen").addEventListener("click", async () => {
  if ((await act("reopen_voting")).ok) {
    state.workshop.tallies_revealed = false;
    phases.render();
    $("#reveal").focus();
  }
});

function renderAll() {
  phases.render();
  boardView.renderNow();
  groups.render();
  quotes.render();
  people.render();
  undo.render();
  tick();
}

function render(event) {
  if (["phase", "presence", "workshop_updated", "vote_progress"].includes(event)) phases.render();
  if (event === "presence") people.render();
  if (event === "timer") tick();
  if (event.startsWith("item_") || event.startsWith("theme_") || event === "tally" || event === "phase") boardView.render();
  if (event.startsWith("theme_") || event === "tally" || event === "groups" || event.startsWith("group_")
    || event.startsWith("note_") || event === "phase") groups.render();
  if (event === "groups") phases.render(); // the next step changes once there are groups
  if (event.startsWith("quote_") || event === "workshop_updated") quotes.render();
  if (event === "undo_state" || event === "phase") undo.render();
}
