// Text limits said, never enforced by cutting: a pasted text over the limit stays whole and the
// count under the field says how much to shorten (a browser's maxlength cuts it, mid-word, silently).
import { h } from "./dom.js";
import { t } from "./i18n.js";

/** Keep `hint` telling the characters left (or over) of `field`; returns a check: true while over. */
export function watchLength(field, hint, limit) {
  const check = () => {
    const left = limit - [...field.value.trim().normalize("NFC")].length; // code points, as the server counts
    hint.textContent = left >= 0 ? t("chars_left", { n: left }) : t("chars_over", { n: -left });
    hint.classList.toggle("is-error", left < 0);
    if (left < 0) field.setAttribute("aria-invalid", "true");
    else field.removeAttribute("aria-invalid");
    return left < 0;
  };
  field.addEventListener("input", check);
  check();
  return check;
}

/** A counted field built in the page: the hint element (described by) and the check. */
export function counted(field, limit) {
  const id = `${field.id}-count`;
  const hint = h("p", { class: "hint count", id });
  field.setAttribute("aria-describedby", id);
  return { hint, over: watchLength(field, hint, limit) };
}
