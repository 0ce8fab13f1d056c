// The facilitator's spotlight on the projector: one note, a theme with its notes, or a quadrant
// with its notes (newest first), large, over the board until it is taken away.
import { $, replace } from "./dom.js";
import { t } from "./i18n.js";
import { fit } from "./fit.js";
import { hyphenate as hy } from "./screen-hyphens.js";
import { paginate } from "./screen-pages.js";
import { noteLine, themeItems } from "./screen-board.js";

/** What `shown` ({kind, id} or {kind: "quadrant", quadrant}) points at in `state`, or null when it is gone. */
function target(state, shown) {
  if (!shown || state.phase === "closed") return null;
  if (shown.kind === "quadrant") {
    return { quadrant: shown.quadrant, title: t(`quadrant_${shown.quadrant}`), items: state.itemList({ quadrant: shown.quadrant }).reverse() };
  }
  if (shown.kind === "item") {
    const item = state.items.get(shown.id);
    return item && !item.hidden ? { quadrant: item.quadrant, title: t(`quadrant_${item.quadrant}`), text: item.text } : null;
  }
  const theme = shown.kind === "theme" ? state.themes.get(shown.id) : null;
  return theme ? { title: theme.title, items: themeItems(state, theme) } : null;
}

/** What kind of thing the spotlight shows ("item", "theme", "quadrant"), or null when nothing. */
export function spotlightKind(state, shown) {
  return target(state, shown) ? shown.kind : null;
}

/** Draw the spotlight (or take it away). */
export function renderSpotlight(state, shown) {
  const el = $("#spotlight");
  const what = target(state, shown);
  el.hidden = !what;
  if (!what) return;
  el.className = what.quadrant ? `spotlight q-${what.quadrant}` : "spotlight";
  $("#spotlight-title").textContent = hy(what.title);
  const count = $("#spotlight-count");
  count.hidden = !what.items;
  count.textContent = what.items ? String(what.items.length) : "";
  const text = $("#spotlight-text");
  const list = $("#spotlight-list");
  text.hidden = what.text === undefined;
  list.hidden = !what.items;
  text.textContent = what.text === undefined ? "" : hy(what.text);
  replace(list, (what.items || []).map((item) => noteLine(item)));
  list.classList.add("roomy");
  if (paginate(list) > 1) {
    list.classList.remove("roomy");
    paginate(list);
  }
  if (what.text !== undefined) fit(text, { min: 1.2, max: 3.4 }); // never below the board's own size
}
