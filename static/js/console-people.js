// The console's list of people: who has joined, and removing someone after a confirmation.
import { $, h, replace } from "./dom.js";
import { errorText, t } from "./i18n.js";

export function setupPeople(ui) {
  const panel = $("#people-panel");
  const list = $("#people-list");
  let people = [];
  let asking = null; // the id of the person whose removal waits for a confirmation
  let loading = false;
  let again = false;

  /** Ask the server for the list (while the panel is open); calls that come while one runs make one more. */
  async function load() {
    if (!panel.open) return;
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    const answer = await ui.call("list_participants"); // a read, also after each join: it clears no one's errors
    loading = false;
    if (answer.ok) {
      people = answer.participants;
      draw();
    } else ui.error(errorText(answer.error), panel.querySelector("summary"));
    if (again) {
      again = false;
      load();
    }
  }

  async function remove(person, withItems) {
    const answer = await ui.act("remove_participant", { participant_id: person.id, remove_items: withItems });
    if (!answer.ok) return;
    asking = null;
    people = people.filter((p) => p.id !== person.id);
    draw();
    ui.flash(t("removed_person", { name: person.name }));
    load();
  }

  function confirmation(person) {
    const box = h("input", { type: "checkbox", id: `remove-items-${person.id}` });
    return h("div", { class: "confirm", role: "group", "aria-label": t("remove_person_label", { name: person.name }) },
      h("p", {}, t("remove_confirm", { name: person.name })),
      person.items ? h("p", { class: "check" }, box, " ", h("label", { for: box.id }, t("remove_items", { n: person.items }))) : null,
      h("button", { type: "button", class: "button danger", dataset: { focus: `remove-yes-${person.id}` },
        onclick: () => remove(person, box.checked) }, t("remove_yes")),
      " ",
      h("button", { type: "button", class: "button secondary", onclick: () => { asking = null; draw(); } }, t("cancel")));
  }

  function row(person) {
    const about = [person.organisation, person.table].filter(Boolean).join(" · ");
    return h("li", { class: "person", dataset: { personId: person.id } },
      h("span", { class: "person-name" }, person.name),
      about ? h("span", { class: "person-about" }, ` · ${about}`) : null,
      h("span", { class: "person-state" }, ` · ${t("person_items", { n: person.items })}`, person.online ? ` · ${t("person_online")}` : ""),
      asking === person.id
        ? confirmation(person)
        : h("button", { type: "button", class: "button secondary small", dataset: { focus: `remove-${person.id}` },
          "aria-label": t("remove_person_label", { name: person.name }),
          onclick: () => { asking = person.id; draw(); $(`[data-focus="remove-yes-${person.id}"]`).focus(); } }, t("remove_person")));
  }

  function draw() {
    replace(list, people.length ? people.map(row) : h("li", { class: "empty" }, t("no_people")));
  }

  panel.addEventListener("toggle", load);
  return { render: load };
}
