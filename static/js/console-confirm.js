// A question before a step that cannot be taken back: a modal dialog, "Cancel" focused first.
import { h } from "./dom.js";
import { t } from "./i18n.js";

let open = null;

/** Ask; resolves true when the facilitator confirms, false on cancel or Escape. Focus goes back where it was. */
export function confirmStep({ title, text, yes }) {
  if (open) open.close("no");
  const back = document.activeElement;
  const dialog = h("dialog", { class: "confirm-dialog", "aria-labelledby": "confirm-title", "aria-describedby": "confirm-text" },
    h("h2", { id: "confirm-title" }, title),
    h("p", { id: "confirm-text" }, text),
    h("form", { method: "dialog", class: "confirm-actions" },
      h("button", { type: "submit", value: "no", class: "button secondary", id: "confirm-no" }, t("cancel")),
      h("button", { type: "submit", value: "yes", class: "button danger", id: "confirm-yes" }, yes)));
  document.body.append(dialog);
  open = dialog;
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      open = null;
      dialog.remove();
      if (back && back.isConnected) back.focus();
      resolve(dialog.returnValue === "yes");
    });
    dialog.showModal();
    dialog.querySelector("#confirm-no").focus();
  });
}
