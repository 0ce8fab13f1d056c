// The phase on the console: what to do now, one primary "next step", and only the panels this phase needs, in its order.
import { $, $$ } from "./dom.js";
import { t } from "./i18n.js";
import { confirmStep } from "./console-confirm.js";

const NEXT = { collect: "cluster", cluster: "vote", vote: "groups", groups: "closed" };

/** The panels (ids in #phase-panels) each phase shows, first things first; the rest are hidden. */
const PANELS = {
  collect: ["board-panel", "spotlight-panel", "quotes-panel", "people-section"],
  cluster: ["board-panel", "spotlight-panel", "quotes-panel", "people-section"],
  vote: ["groups-panel", "spotlight-panel", "board-panel", "quotes-panel", "people-section"],
  groups: ["groups-panel", "spotlight-panel", "conclusion-panel", "quotes-panel", "people-section"],
  closed: ["record-panel", "conclusion-panel", "groups-panel", "quotes-panel"],
};

export function setupPhases(ui) {
  const { state, act } = ui;

  /** Change phase; closing shuts the door on late joiners, so it is asked first. */
  async function setPhase(phase, from) {
    if (phase === "closed" && state.phase !== "closed"
      && !(await confirmStep({ title: t("confirm_close_title"), text: t("confirm_close_text"), yes: t("confirm_close_yes") }))) return;
    if (!(await act("set_phase", { phase }, from)).ok) return;
    // The button pressed may be gone in the new phase: the focus goes on to that phase's next step.
    if (from.hidden || from.closest("[hidden]")) {
      [$("#next-step"), $("#reveal"), $("#groups-top-form button"), $("#record-page-link")].find((b) => !b.closest("[hidden]"))?.focus();
    }
  }

  for (const button of $$("[data-set-phase]")) button.addEventListener("click", () => setPhase(button.dataset.setPhase, button));
  $("#next-step").addEventListener("click", (e) => setPhase(NEXT[state.phase], e.currentTarget));

  function showPanels() {
    const wanted = PANELS[state.phase] || PANELS.collect;
    const holder = $("#phase-panels");
    const panels = [...holder.children];
    for (const panel of panels) panel.hidden = !wanted.includes(panel.id);
    // Ordered in the DOM, not only on the screen, so that the focus order follows; moved only when the order changes.
    const order = [...wanted.map((id) => document.getElementById(id)).filter(Boolean), ...panels.filter((p) => !wanted.includes(p.id))];
    if (order.every((panel, at) => panels[at] === panel)) return;
    const focused = document.activeElement;
    holder.append(...order);
    if (focused && focused !== document.activeElement && focused.isConnected) focused.focus();
  }

  function render() {
    const phase = state.phase;
    for (const button of $$("[data-set-phase]")) button.setAttribute("aria-pressed", String(button.dataset.setPhase === phase));
    $("#phase-now").textContent = t("phase_now", { phase: t(`phase_${phase}`) });
    $("#phase-hint").textContent = t(`fac_${phase}`);
    const revealed = Boolean(state.workshop.tallies_revealed);
    const next = $("#next-step");
    // While voting the next step is to show the results, only then to form groups; in groups, to form them, then to close.
    next.hidden = !NEXT[phase] || (phase === "vote" && !revealed) || (phase === "groups" && !state.groups.length);
    next.textContent = NEXT[phase] ? `${t(`next_${phase}`)} →` : "";
    $("#reveal-box").hidden = phase !== "vote";
    $("#reveal").hidden = revealed;
    $("#reopen").hidden = !revealed;
    $("#reveal-state").textContent = revealed ? `${t("fac_tallies_shown")} ${t("reopen_hint")}` : t("fac_tallies_hidden");
    const progress = state.voteProgress;
    $("#vote-progress").textContent = progress ? t("vote_progress", { used: progress.dots_used, total: progress.dots_total,
      done: progress.done, people: progress.participants }) : "";
    $("#timer-form").hidden = phase === "closed";
    $("#presence").textContent = `${t("participants", { n: state.participants })} · ${t("online", { n: state.online })}`;
    document.title = `${t(`phase_${phase}`)} · ${state.workshop.title}`;
    showPanels();
  }

  return { render };
}
