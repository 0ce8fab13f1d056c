// "Save as a template" on the console: sent without leaving the console, the answer said beside the form.
const form = document.querySelector("#save-template");
const status = document.querySelector("#save-template-status");

if (form) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("[type=submit]");
    button.disabled = true;
    try {
      const answer = await fetch(form.action, { method: "POST", body: new FormData(form),
        headers: { Accept: "application/json" }, credentials: "same-origin" });
      const body = await answer.json();
      status.textContent = answer.ok ? body.message : body.error.message;
      status.classList.toggle("error", !answer.ok);
      form.querySelector("input[name=name]").setAttribute("aria-invalid", String(!answer.ok));
    } catch { // no answer, or not the JSON one (an expired form's CSRF refusal)
      status.textContent = status.dataset.offline || "";
      status.classList.add("error");
    } finally {
      button.disabled = false;
    }
  });
}
