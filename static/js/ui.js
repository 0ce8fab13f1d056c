// Small pieces every screen shows: the connection state and short messages.
import { t } from "./i18n.js";

export function showConnection(el, state, error) {
  el.dataset.state = state;
  if (state === "refused") el.textContent = t("state_refused", { message: (error && error.message) || "" });
  else el.textContent = t(`state_${state}`);
}

let flashTimer = null;

/** A short message in a live region; errors stay until the next message. */
export function flash(el, text, { error = false } = {}) {
  clearTimeout(flashTimer);
  el.textContent = text;
  el.classList.toggle("is-error", error);
  if (!error) flashTimer = setTimeout(() => { el.textContent = ""; }, 4000);
}

export function phaseTexts(nameEl, doEl, phase) {
  nameEl.textContent = t(`phase_${phase}`);
  if (doEl) doEl.textContent = t(`do_${phase}`);
}

/** The workshop was deleted: nothing of it stays on the screen (its title neither), only a notice. */
export function showDeleted() {
  const main = document.createElement("main");
  main.id = "main";
  main.className = "page narrow";
  const notice = document.createElement("div");
  notice.setAttribute("role", "alert");
  const heading = document.createElement("h1");
  heading.textContent = t("deleted_title");
  const text = document.createElement("p");
  text.textContent = t("deleted_text");
  notice.append(heading, text);
  main.append(notice);
  document.body.className = "";
  document.body.replaceChildren(main);
  document.title = t("deleted_title");
}
