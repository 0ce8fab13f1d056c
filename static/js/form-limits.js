// The count and the limit under every form field that has one (data-limit, from forms.Limit), kept
// up to date as people type or paste. Nothing is cut: a text over the limit stays whole, is marked,
// and the server refuses it at the field with the same numbers.
for (const field of document.querySelectorAll("[data-limit]")) {
  const hint = document.getElementById(`${field.id}-count`);
  const limit = Number(field.dataset.limit);
  const show = () => {
    const used = [...field.value.replace(/\r\n/g, "\n")].length; // code points, as the server counts
    const over = used > limit;
    hint.textContent = hint.dataset[over ? "over" : "count"].replace("{n}", used).replace("{max}", limit);
    hint.classList.toggle("is-error", over);
    hint.hidden = field.tagName !== "TEXTAREA" && used <= 0.8 * limit; // a one-line field: said once it is near
    field.setAttribute("aria-invalid", String(over || field.closest(".has-error") !== null));
  };
  if (hint) {
    field.addEventListener("input", show);
    show();
  }
}
