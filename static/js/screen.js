// The projector: read-only, large, live. Connects as a screen and draws the current phase.
import { $, $$ } from "./dom.js";
import { t } from "./i18n.js";
import { Realtime } from "./realtime.js";
import { WorkshopState } from "./state.js";
import { runCountdown } from "./timer.js";
import { showConnection } from "./ui.js";
import { renderBoard } from "./screen-board.js";

const main = $("#main");
const code = main.dataset.code;
const screenKey = main.dataset.screenKey;
main.removeAttribute("data-screen-key");
const state = new WorkshopState("screen");
const tick = runCountdown($("#timer"), state);
let pending = false;

function draw() {
  pending = false;
  $("#phase-name").textContent = t(`phase_${state.phase}`);
  for (const section of $$("[data-phase]", main)) section.hidden = section.dataset.phase !== state.phase;
  $("#join-small").hidden = state.phase === "collect" || state.phase === "closed";
  $("#people").textContent = t("participants", { n: state.participants });
  document.title = `${t(`phase_${state.phase}`)} · ${state.workshop.title}`;
  renderBoard(state);
  tick();
}

/** Many events can arrive at once in a big room: draw at most once per frame. */
function schedule() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(draw);
}

const realtime = new Realtime({
  auth: () => ({ code, role: "screen", screen_key: screenKey }),
  handlers: {
    state: (name, error) => showConnection($("#conn"), name, error),
    snapshot: (data) => {
      state.load(data);
      schedule();
    },
    event: (name, data) => {
      if (state.apply(name, data)) schedule();
      if (state.stale) realtime.reconnect();
    },
  },
});
window.addEventListener("resize", schedule);
