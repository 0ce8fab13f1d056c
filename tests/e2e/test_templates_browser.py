"""Workshop templates and the record's own sentences in a real browser: saved from the console without
leaving it, chosen on the new-workshop form, a pasted title over the limit kept whole with its count, and
the record's first sentence rewritten on the record page."""
from __future__ import annotations

import pytest

from .browser_support import LAPTOP, Watched, assert_accessible, screenshot

expect = pytest.importorskip("playwright.sync_api").expect

SETUP = {
    "title": "Samverkan i fokus", "organisation": "Göteborgs stad", "location": "Scandic Opalen",
    "purpose": "Samla kunskap till planen mot missbruk och beroende.",
    "introduction": "Dagen inleddes med några ord av nämndens ordförande.",
    "questions": ["Hur ser samverkansprocesserna ut idag?", "Vilka områden vill vi fokusera?"],
    "round_question": "Hur stärker vi samverkansprocessen?",
    "facilitators": ["Sophia Kaså"], "panel": ["Kerstin Nordin, Mini-maria", "Anna Rydén, Järntorgsteamet"],
    "votes_per_participant": 5, "max_votes_per_theme": 2,
}


def test_a_template_saved_on_the_console_starts_the_next_workshop(server, browser):
    first = server.create_workshop(**SETUP)
    fac = Watched(browser, LAPTOP)
    console = fac.page
    console.goto(f"{server.url}/console/{first['code']}?key={first['facilitator_token']}")
    expect(console.locator("#conn")).to_have_attribute("data-state", "online")
    console.locator("#save-template-panel summary").click()
    name = console.get_by_label("Mallens namn")
    expect(name).to_have_value("Samverkan i fokus")
    name.fill("Samverkan – missbruk och beroende")
    console.get_by_role("button", name="Spara som mall").click()
    expect(console.locator("#save-template-status")).to_have_text("Sparad som mallen ”Samverkan – missbruk och beroende”.")
    assert console.url.endswith(f"/console/{first['code']}")  # still on the console, still connected
    expect(console.locator("#conn")).to_have_attribute("data-state", "online")
    console.get_by_role("button", name="Spara som mall").click()  # the same name again: said beside the form
    expect(console.locator("#save-template-status")).to_contain_text("Det finns redan en mall som heter")

    form = fac.new_page()
    form.goto(f"{server.url}/console/")
    form.get_by_label("Utgå från en mall").select_option(label="Samverkan – missbruk och beroende")
    form.get_by_role("button", name="Fyll i formuläret").click()
    expect(form.get_by_label("Rubrik")).to_have_value("Samverkan i fokus")
    expect(form.locator("#questions")).to_have_value("\n".join(SETUP["questions"]))
    expect(form.locator("#panel")).to_have_value("\n".join(SETUP["panel"]))
    expect(form.get_by_label("Prickar per person")).to_have_value("5")
    expect(form.get_by_label("Plats", exact=True)).to_have_value("")
    assert_accessible(form, "new workshop from a template")

    # A pasted title over the limit stays whole; the count under it says by how much.
    pasted = "Samverkan i fokus: " + "missbruks- och beroendevården i Göteborg, " * 5
    form.get_by_label("Rubrik").fill(pasted)
    expect(form.locator("#title-count")).to_be_visible()
    expect(form.locator("#title-count")).to_have_text(f"{len(pasted)} tecken: högst 200. Korta texten; inget klipps bort.")
    assert form.get_by_label("Rubrik").input_value() == pasted
    form.get_by_role("button", name="Skapa workshopen").click()
    expect(form.locator("#title-error")).to_have_text(f"Högst 200 tecken; den här texten har {len(pasted)}.")
    expect(form.get_by_label("Rubrik")).to_have_value(pasted)
    form.get_by_label("Rubrik").fill("Samverkan i fokus – Angered")
    expect(form.locator("#title-count")).to_be_hidden()
    form.get_by_label("Plats", exact=True).fill("Stadshuset i Angered")
    screenshot(form, "template-new-workshop")
    form.get_by_role("button", name="Skapa workshopen").click()
    expect(form).to_have_url(f"{server.url}/console/" + form.url.split("/console/")[1].split("/")[0] + "/created")

    # The record of the new workshop: the template's texts, and its first sentence rewritten.
    code = form.url.split("/console/")[1].split("/")[0]
    form.goto(f"{server.url}/console/{code}/record")
    expect(form.locator("#opening")).to_contain_text("som hölls på Stadshuset i Angered")
    expect(form.locator("#panel-members li")).to_have_text(SETUP["panel"])
    expect(form.locator("#questions li")).to_have_text(SETUP["questions"])
    form.get_by_role("link", name="Redigera texterna").click()
    opening = form.get_by_label("Första stycket")
    opening.fill(opening.input_value().replace("som hölls på Stadshuset i Angered", "som hölls i Stadshusets aula"))
    assert_accessible(form, "record edit")
    form.get_by_role("button", name="Spara texterna").click()
    expect(form.locator("#opening")).to_contain_text("som hölls i Stadshusets aula")
    screenshot(form, "template-record")

    form.goto(f"{server.url}/console/templates")
    expect(form.locator("#templates .template-name")).to_have_text(["Samverkan – missbruk och beroende"])
    assert_accessible(form, "templates page")
    screenshot(form, "templates-page")
    assert fac.errors == ["Failed to load resource: the server responded with a status of 409 (CONFLICT)"]  # the name taken
    assert not fac.dialogs
    fac.close()
