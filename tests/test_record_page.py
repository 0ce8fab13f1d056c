"""The record page in the console: who may see it, what it shows, and its edit mode (CSRF on)."""
from __future__ import annotations

import json
import re

import lxml.html
import pytest

from facilitation import create_app, operations
from facilitation.exporters import archive, prose
from facilitation.extensions import db
from facilitation.operations import access
from facilitation.operations.errors import DomainError
from facilitation.operations.guards import Actor

from .record_support import HOSTILE, nfc, played, scenario_facts

SECTIONS_SV = ["Inledning", "Dagens frågeställningar", "Reflekterande team", "Samtalsrundor med SWOT och prioriteringar",
               "Möjliga vägar framåt", "Bilaga: lappar utan tema"]
QUADRANTS_SV = {"strengths": "Styrkor", "weaknesses": "Svagheter", "opportunities": "Möjligheter", "threats": "Hot"}


@pytest.fixture
def app(tmp_path):
    """The app as it runs: CSRF checked on every form."""
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "SECRET_KEY": "test",
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'test.db'}"})
    yield app
    db.dispose()


def imported(client, name: str) -> dict:
    """A played workshop (`hemgang`: closed, `hostile`: in groups), imported and opened in the console."""
    answer = client.post("/api/workshops/import", json=json.loads(archive.render(played().record(name))))
    assert answer.status_code == 201, answer.get_data(as_text=True)
    return facilitate(client, answer.get_json())


def facilitate(client, ws: dict) -> dict:
    assert client.get(f"/console/{ws['code']}?key={ws['facilitator_token']}").status_code == 302
    return ws


def page(client, code: str, path: str = "record"):
    answer = client.get(f"/console/{code}/{path}")
    assert answer.status_code == 200
    return lxml.html.fromstring(answer.get_data(as_text=True))


def texts(root, xpath: str) -> list[str]:
    return [element.text_content() for element in root.xpath(xpath)]


def form_fields(root) -> dict[str, str]:
    """The edit form's fields as a browser sends them (it drops a textarea's first newline)."""
    form = root.forms[0]
    fields = dict(form.fields)
    for area in form.xpath(".//textarea"):
        fields[area.name] = fields[area.name].removeprefix("\n")
    return fields


def edit(client, code: str, **changes):
    """Open the edit form, change some fields (`summary_<n>` for the n-th group) and send it."""
    fields = form_fields(page(client, code, "record/edit"))
    for name, value in changes.items():
        fields[f"summaries-{name.split('_')[1]}-summary" if name.startswith("summary_") else name] = value
    return client.post(f"/console/{code}/record/edit", data=fields)


def markdown(client, code: str) -> str:
    answer = client.get(f"/api/workshops/{code}/export.md")
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def set_phase(code: str, phase: str) -> None:
    with db.write() as s:
        workshop = access.workshop_by_code(s, code)
        operations.perform(s, Actor(workshop.id, "facilitator", access.facilitator_of(s, workshop).id), "set_phase",
                           {"phase": phase})


def test_only_the_facilitators_browser_sees_or_edits_the_record(client, app):
    ws = client.post("/api/workshops", json={"title": "Hemlig"}).get_json()
    other = facilitate(client, client.post("/api/workshops", json={"title": "Annan"}).get_json())
    stranger = app.test_client()
    for browser, code in ((stranger, ws["code"]), (client, ws["code"]), (stranger, other["code"])):
        assert browser.get(f"/console/{code}/record").status_code == 403
        assert browser.get(f"/console/{code}/record/edit").status_code == 403
    assert client.get("/console/QQQQQQ/record").status_code == 404
    assert client.get(f"/console/{other['code']}/record").status_code == 200


def test_the_page_holds_every_text_in_its_section_and_order(client):
    facts = scenario_facts(played().scenario)
    ws = imported(client, "hemgang")
    root = page(client, ws["code"])
    assert root.get("lang") == "sv"
    assert texts(root, "//main/h1") == ["Dokumentation workshop 2023-03-21 " + facts["workshop"]["title"]]
    assert texts(root, "//main/section/h2") == SECTIONS_SV
    assert texts(root, "//section[@id='questions']//li") == facts["workshop"]["questions"]
    assert texts(root, "//section[@id='reflecting-team']//blockquote") == [q["text"] for q in facts["quotes"]]
    themed = {ref for theme in facts["themes"] for ref in theme["items"]}
    for quadrant in ("strengths", "weaknesses", "opportunities", "threats"):  # the notes in no theme, in the appendix
        shown = texts(root, f"//section[@id='unthemed']//ul[@data-quadrant='{quadrant}']/li")
        assert shown == [text for ref, (q, text) in facts["items"].items() if q == quadrant and ref not in themed]
    assert root.xpath("//table") == []  # the matrix only while there are no themes
    ranked = root.xpath("//section[@id='swot-rounds']//ol[@class='ranked']/li")
    assert [texts(theme, ".//p[@class='theme-head']")[0] for theme in ranked] == [
        f"{t['title']} – {t['votes']} prickar" for t in facts["themes"]]
    assert [texts(theme, ".//li//span[@class='text']") for theme in ranked] == [t["texts"] for t in facts["themes"]]
    groups = root.xpath("//section[@id='ways-forward']/article")
    for n, (group, members, element) in enumerate(zip(facts["groups"], facts["members"], groups, strict=True), 1):
        assert texts(element, "h3") == [f"Tema {n}: {group['title']}"]
        assert texts(element, "p[@class='members']") == ["Deltagare: " + prose.join_names(members, "sv")]
        assert texts(element, "div[@class='summary']/p") == ([group["summary"]] if group["summary"] else [])
        assert texts(element, "ul[@class='notes']/li") == group["notes"]
    links = {a.text_content(): a.get("href") for a in root.xpath("//ul[@class='downloads']//a")}
    assert links == {name: f"/api/workshops/{ws['code']}/export.{fmt}"
                     for fmt, name in (("docx", "Word"), ("md", "Markdown"), ("xlsx", "Excel"), ("json", "JSON"))}
    assert client.get(links["Word"]).status_code == 200


def test_hostile_text_stays_inert_and_reads_as_written(client):
    ws = imported(client, "hostile")
    html = client.get(f"/console/{ws['code']}/record").get_data(as_text=True)
    root = lxml.html.fromstring(html)
    main = root.xpath("//main")[0]
    assert root.get("lang") == "en"
    assert main.xpath(".//img | .//script | .//a | .//*[@onerror]") == []
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    shown = set(texts(main, ".//li | .//blockquote | .//td//li"))
    for text in HOSTILE:
        assert nfc(text) in shown, text
    group = main.xpath(".//section[@id='ways-forward']/article")[0]
    assert texts(group, "div[@class='summary']/p") == ["Första raden\n- andra raden", "1. ett nytt stycke\n   indraget\n" + HOSTILE[0]]
    assert texts(main, ".//section[@id='closing']/p") == [HOSTILE[13], HOSTILE[8]]
    assert texts(main, ".//section[@id='introduction']/p[@class='text']") == [HOSTILE[12], "Purpose: Första raden\n- andra raden",
                                                                          "1. ett nytt stycke\n   indraget"]


def test_the_draft_mark_shows_until_the_workshop_is_closed(client):
    ws = facilitate(client, client.post("/api/workshops", json={"title": "Utkastet"}).get_json())
    assert texts(page(client, ws["code"]), "//p[@id='draft-mark']") == [
        "Utkast: Workshopen är inte avslutad; dokumentet kan fortfarande ändras."]
    hostile = imported(client, "hostile")
    assert texts(page(client, hostile["code"]), "//p[@id='draft-mark']") == [
        "Draft: The workshop is not closed; this record may still change."]
    set_phase(hostile["code"], "closed")
    assert page(client, hostile["code"]).xpath("//p[@id='draft-mark']") == []
    assert "Draft" not in markdown(client, hostile["code"])


def test_editing_the_texts_in_collect_shows_them_on_the_page_and_in_the_markdown(client):
    ws = facilitate(client, client.post("/api/workshops", json={"title": "Före", "questions": ["Gammal fråga"]}).get_json())
    sent = edit(client, ws["code"], introduction="Vi träffas för att *lära*.\r\n\r\nAndra stycket.", purpose="Ett syfte <b>",
                questions="Första frågan?\r\n\r\n  Andra frågan?  \r\n", conclusion="Tack | alla")
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/console/{ws['code']}/record")
    root = page(client, ws["code"])
    assert texts(root, "//p[@role='status']") == ["Dokumentationens texter är sparade."]
    assert texts(root, "//section[@id='introduction']/p[@class='text']") == [
        "Vi träffas för att *lära*.", "Andra stycket.", "Syfte: Ett syfte <b>"]
    assert texts(root, "//section[@id='questions']//li") == ["Första frågan?", "Andra frågan?"]
    assert texts(root, "//section[@id='closing']/p") == ["Tack | alla"]
    md = markdown(client, ws["code"])
    assert "Vi träffas för att \\*lära\\*.\n\nAndra stycket." in md and "**Syfte:** Ett syfte \\<b>" in md
    kept = client.get(f"/api/workshops/{ws['code']}/export.json").get_json()["workshop"]
    assert kept["introduction"] == "Vi träffas för att *lära*.\n\nAndra stycket."  # a browser's CRLF kept as \n
    assert kept["questions"] == ["Första frågan?", "Andra frågan?"]
    assert "- Första frågan?\n- Andra frågan?" in md and "## Avslutning\n\nTack \\| alla" in md


def test_editing_in_closed_changes_the_conclusion_and_a_summary_and_nothing_else(client):
    facts = scenario_facts(played().scenario)
    ws = imported(client, "hemgang")
    before = page(client, ws["code"])
    sent = edit(client, ws["code"], conclusion="Vi ses igen i vår.", summary_1="Två år i stället för ett.\nMed uppföljning.")
    assert sent.status_code == 302
    root = page(client, ws["code"])
    assert texts(root, "//section[@id='closing']/p") == ["Vi ses igen i vår."]
    groups = root.xpath("//section[@id='ways-forward']/article")
    assert texts(groups[1], "div[@class='summary']/p") == ["Två år i stället för ett.\nMed uppföljning."]
    assert texts(groups[0], "div[@class='summary']/p") == [facts["groups"][0]["summary"]]
    assert texts(root, "//section[@id='swot-rounds']") == texts(before, "//section[@id='swot-rounds']")
    assert texts(root, "//section[@id='introduction']") == texts(before, "//section[@id='introduction']")
    md = markdown(client, ws["code"])
    assert "Två år i stället för ett.\\\nMed uppföljning." in md and "## Avslutning\n\nVi ses igen i vår.\n\n## Bilaga" in md
    assert root.xpath("//p[@id='draft-mark']") == []


def test_a_too_long_text_is_refused_at_its_field_and_nothing_is_saved(client):
    ws = imported(client, "hostile")
    before = markdown(client, ws["code"])
    answer = edit(client, ws["code"], conclusion="x" * 10_001, introduction="Ny inledning", summary_0="Ny summering")
    assert answer.status_code == 200
    root = lxml.html.fromstring(answer.get_data(as_text=True))
    assert root.xpath("//textarea[@id='conclusion']")[0].get("aria-invalid") == "true"
    assert texts(root, "//p[@id='conclusion-error']") == ["At most 10000 characters; this text has 10001."]
    assert form_fields(root)["introduction"] == "Ny inledning"  # what was typed is kept
    assert markdown(client, ws["code"]) == before
    too_many = edit(client, ws["code"], questions="\n".join(f"Fråga {n}" for n in range(101)))
    assert "At most 100 questions." in too_many.get_data(as_text=True)
    assert markdown(client, ws["code"]) == before


def test_a_text_the_server_refuses_is_shown_at_its_field(client):
    ws = imported(client, "hostile")
    before = markdown(client, ws["code"])
    answer = edit(client, ws["code"], purpose="bell \x07")
    assert answer.status_code == 200
    error = lxml.html.fromstring(answer.get_data(as_text=True)).xpath("//p[@id='purpose-error']")[0]
    assert error.text_content() == "Not saved: 'purpose' contains control characters."
    assert markdown(client, ws["code"]) == before


def test_the_form_needs_its_csrf_token(client):
    ws = imported(client, "hemgang")
    before = markdown(client, ws["code"])
    fields = form_fields(page(client, ws["code"], "record/edit"))
    fields["conclusion"] = "Utan token"
    del fields["csrf_token"]
    assert client.post(f"/console/{ws['code']}/record/edit", data=fields).status_code == 400
    fields["csrf_token"] = "forged"
    assert client.post(f"/console/{ws['code']}/record/edit", data=fields).status_code == 400
    assert markdown(client, ws["code"]) == before


def test_a_summary_a_group_wrote_meanwhile_is_kept_when_the_facilitator_saves_other_texts(client):
    ws = imported(client, "hostile")
    form = form_fields(page(client, ws["code"], "record/edit"))
    with db.write() as s:
        workshop = access.workshop_by_code(s, ws["code"])
        group_id = int(form["summaries-1-group_id"])
        actor = Actor(workshop.id, "facilitator", access.facilitator_of(s, workshop).id)
        operations.perform(s, actor, "set_summary", {"group_id": group_id, "text": "Skrivet av gruppen under tiden"})
    form["conclusion"] = "Slutord"
    assert client.post(f"/console/{ws['code']}/record/edit", data=form).status_code == 302
    root = page(client, ws["code"])
    assert texts(root, f"//article[@data-group-id='{group_id}']/div[@class='summary']/p") == ["Skrivet av gruppen under tiden"]
    assert texts(root, "//section[@id='closing']/p") == ["Slutord"]


def test_the_record_summary_event_works_when_closed_for_the_facilitator_only(client):
    ws = imported(client, "hemgang")
    set_phase(ws["code"], "closed")
    group_id = int(re.search(r'data-group-id="(\d+)"', client.get(f"/console/{ws['code']}/record").get_data(as_text=True))[1])
    with db.write() as s:
        workshop = access.workshop_by_code(s, ws["code"])
        facilitator = Actor(workshop.id, "facilitator", access.facilitator_of(s, workshop).id)
        with pytest.raises(DomainError) as refused:
            operations.perform(s, facilitator, "set_summary", {"group_id": group_id, "text": "x"})
        assert refused.value.code == "wrong_phase"
        answer = operations.perform(s, facilitator, "edit_record_summary", {"group_id": group_id, "text": " Efteråt "}).answer
        assert answer["group"]["summary"] == "Efteråt"
        for actor in (Actor(workshop.id, "participant", 999), Actor(workshop.id, "screen")):
            with pytest.raises(DomainError) as refused:
                operations.perform(s, actor, "edit_record_summary", {"group_id": group_id, "text": "y"})
            assert refused.value.code == "forbidden"
        with pytest.raises(DomainError) as refused:
            operations.perform(s, facilitator, "edit_record_summary", {"group_id": group_id, "text": "z" * 10_001})
        assert refused.value.code == "too_long"


def test_a_purpose_typed_into_the_create_form_keeps_plain_line_ends(client):
    start = lxml.html.fromstring(client.get("/console/").get_data(as_text=True))
    form = {"csrf_token": start.forms[0].fields["csrf_token"], "title": "Radslut", "language": "sv",
            "votes_per_participant": "3", "max_votes_per_theme": "3", "purpose": "Ett.\r\n\r\nTvå\r\nrader."}
    created = client.post("/console/", data=form)
    code = re.search(r"/console/(\w+)/created$", created.headers["Location"])[1]
    assert client.get(f"/api/workshops/{code}/export.json").get_json()["workshop"]["purpose"] == "Ett.\n\nTvå\nrader."
    assert texts(page(client, code), "//section[@id='introduction']/p[@class='text']") == ["Syfte: Ett.", "Två\nrader."]
