// The facilitator's countdown, drawn into an element with .timer-value.
import { t } from "./i18n.js";

export function formatSeconds(total) {
  const s = Math.max(0, Math.ceil(total));
  const minutes = Math.floor(s / 60);
  return `${minutes}:${String(s % 60).padStart(2, "0")}`;
}

/** Keep `el` showing the time left in `state` (hidden when there is no timer). */
export function runCountdown(el, state) {
  const value = el.querySelector(".timer-value");
  const label = el.querySelector(".timer-label");
  const tick = () => {
    if (state.timerEnd === null) {
      el.hidden = true;
      return;
    }
    el.hidden = false;
    const left = (state.timerEnd - Date.now()) / 1000;
    el.classList.toggle("done", left <= 0);
    el.classList.toggle("ending", left > 0 && left <= 60);
    if (label) label.textContent = left > 0 ? t("timer_label") : t("timer_done");
    value.textContent = left > 0 ? formatSeconds(left) : "0:00";
  };
  tick();
  setInterval(tick, 250);
  return tick;
}
