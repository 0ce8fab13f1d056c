// The facilitator's console: phases, timer, results, clustering, groups and quotes, all live.
import { $, $$ } from "./dom.js";
import { errorText, t } from "./i18n.js";
import { Realtime } from "./realtime.js";
import { WorkshopState } from "./state.js";
import { runCountdown } from "./timer.js";
import { flash, showConnection } from "./ui.js";
import { setupBoard } from "./console-board.js";
import { setupGroups } from "./console-groups.js";
import { setupQuotes } from "./console-quotes.js";
import { setupUndo } from "./console-undo.js";
import { confirmStep } from "./console-confirm.js";
import { setupPeople } from "./console-people.js";
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

/** Send an event as the facilitator; a refusal is shown, the answer returned. */
async function act(event, payload = {}) {
  const answer = await realtime.call(event, payload);
  if (!answer.ok) flash(flashEl, errorText(answer.error), { error: true });
  return answer;
}

const ui = { state, act, call: (event, payload = {}) => realtime.call(event, payload), flash: (text, opts) => flash(flashEl, text, opts) };
const boardView = setupBoard(ui);
const groups = setupGroups(ui);
const quotes = setupQuotes(ui);
const undo = setupUndo(ui);
const people = setupPeople(ui);
const spotlight = setupSpotlight(ui);
const tick = runCountdown($("#timer"), state);

for (const button of $$("[data-set-phase]")) {
  button.addEventListener("click", async () => {
    const phase = button.dataset.setPhase;
    // Closing shuts the door on late joiners: asked first. The other phases change at once.
    if (phase === "closed" && state.phase !== "closed"
      && !(await confirmStep({ title: t("confirm_close_title"), text: t("confirm_close_text"), yes: t("confirm_close_yes") }))) return;
    act("set_phase", { phase });
  });
}
$("#timer-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const minutes = Number($("#timer-minutes").value);
  if (!(minutes > 0)) return $("#timer-minutes").focus();
  act("start_timer", { seconds: Math.round(minutes * 60) });
});
$("#timer-stop").addEventListener("click", () => act("stop_timer"));
$("#reveal").addEventListener("click", async () => {
  if ((await act("reveal_tallies")).ok) {
    state.workshop.tallies_revealed = true;
    renderControls();
    $("#reopen").focus();
  }
});
$("#reopen").addEventListener("click", async () => {
  if ((await act("reopen_voting")).ok) {
    state.workshop.tallies_revealed = false;
    renderControls();
    $("#reveal").focus();
  }
});

function renderControls() {
  for (const button of $$("[data-set-phase]")) {
    button.setAttribute("aria-pressed", String(button.dataset.setPhase === state.phase));
  }
  $("#phase-hint").textContent = t(`fac_${state.phase}`);
  // While voting and in groups, results and groups come before the board (in the DOM, so focus order follows).
  const late = ["vote", "groups", "closed"].includes(state.phase);
  const board = $(".board", main);
  for (const panel of [$(".groups", main), $(".quotes", main)]) {
    const before = Boolean(panel.compareDocumentPosition(board) & Node.DOCUMENT_POSITION_FOLLOWING);
    if (late && !before) main.insertBefore(panel, board);
    if (!late && before) main.append(panel);
  }
  $("#presence").textContent = `${t("participants", { n: state.participants })} · ${t("online", { n: state.online })}`;
  const revealed = Boolean(state.workshop.tallies_revealed);
  $("#reveal-box").hidden = state.phase !== "vote";
  $("#reveal").hidden = revealed;
  $("#reopen").hidden = !revealed;
  $("#reveal-state").textContent = revealed ? `${t("fac_tallies_shown")} ${t("reopen_hint")}` : t("fac_tallies_hidden");
  const progress = state.voteProgress;
  $("#vote-progress").textContent = progress ? t("vote_progress", { used: progress.dots_used, total: progress.dots_total,
    done: progress.done, people: progress.participants }) : "";
  document.title = `${t(`phase_${state.phase}`)} · ${state.workshop.title}`;
}

function renderAll() {
  renderControls();
  boardView.render();
  groups.render();
  quotes.render();
  people.render();
  undo.render();
  tick();
}

function render(event) {
  if (event === "phase" || event === "presence" || event === "workshop_updated" || event === "vote_progress") renderControls();
  if (event === "presence") people.render();
  if (event === "timer") tick();
  if (event.startsWith("item_") || event.startsWith("theme_")) boardView.render();
  if (event.startsWith("theme_") || event === "tally" || event === "groups" || event.startsWith("group_")
    || event.startsWith("note_") || event === "phase") groups.render();
  if (event === "tally" || event === "phase") boardView.render();
  if (event.startsWith("quote_") || event === "workshop_updated") quotes.render();
  if (event === "undo_state" || event === "phase") undo.render();
}
