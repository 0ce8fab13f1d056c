// The projector: read-only, large, live. Connects as a screen and draws the current phase.
import { $, $$ } from "./dom.js";
import { t } from "./i18n.js";
import { Realtime } from "./realtime.js";
import { WorkshopState } from "./state.js";
import { runCountdown } from "./timer.js";
import { showConnection } from "./ui.js";
import { renderBoard } from "./screen-board.js";
import { learn } from "./screen-hyphens.js";
import { PAGE_SECONDS, turnPages } from "./screen-pages.js";
import { renderSpotlight, spotlightKind } from "./screen-spotlight.js";

const main = $("#main");
const code = main.dataset.code;
const screenKey = main.dataset.screenKey;
main.removeAttribute("data-screen-key");
const state = new WorkshopState("screen");
const extra = { spotlight: null, voteProgress: null }; // what only screens (and the facilitator) are sent
const tick = runCountdown($("#timer"), state);
let pending = false;

/** Every text the board may show, for the words whose breaks the server is asked for. */
function texts() {
  return [...[...state.items.values()].map((i) => i.text), ...[...state.themes.values()].map((theme) => theme.title),
    ...state.groups.map((g) => g.title)];
}

async function draw() {
  pending = false;
  await learn(realtime, texts());
  $("#phase-name").textContent = t(`phase_${state.phase}`);
  $("#join-small").hidden = state.phase === "collect" || state.phase === "closed";
  $("#people").textContent = t("participants", { n: state.participants });
  document.title = `${t(`phase_${state.phase}`)} · ${state.workshop.title}`;
  const spotlight = spotlightKind(state, extra.spotlight);
  for (const section of $$("[data-phase]", main)) section.hidden = Boolean(spotlight) || section.dataset.phase !== state.phase;
  // The legend wherever notes show their quadrant's colour without its name.
  const revealed = state.phase === "vote" && state.workshop.tallies_revealed;
  $("#legend-bar").hidden = spotlight ? spotlight !== "theme" : !(state.phase === "cluster" || (state.phase === "vote" && !revealed));
  renderBoard(state, extra);
  renderSpotlight(state, extra.spotlight);
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
      extra.spotlight = data.spotlight ?? null;
      extra.voteProgress = data.vote_progress ?? null;
      schedule();
    },
    event: (name, data) => {
      if (name === "spotlight") extra.spotlight = data.spotlight;
      if (name === "vote_progress") extra.voteProgress = data;
      if (name === "phase" && data.phase !== "vote") extra.voteProgress = null;
      if (state.apply(name, data) || name === "spotlight" || name === "vote_progress") schedule();
      if (state.stale) realtime.reconnect();
    },
  },
});
window.addEventListener("resize", schedule);
setInterval(() => turnPages(main), PAGE_SECONDS * 1000);
