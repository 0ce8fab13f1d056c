"""The record reads like the Göteborg record of 2016-09-01: how the SWOT rounds went (an editable
paragraph written from what happened), the round's question, every note once (under its theme, or in an
appendix of notes in no theme), group members named or counted ("och 1 anonym deltagare"), the panel, the
generated sentences editable, the glossary's words, and a text over a limit refused whole, never cut."""
from __future__ import annotations

import io
import json
import re

import docx
import lxml.html
import openpyxl
import pytest

from facilitation.exporters import archive

from .record_support import played, scenario_facts
from .test_record_page import app, edit, facilitate, form_fields, imported, markdown, page, texts  # noqa: F401

GENERATED_METHOD = ("Deltagarna skrev 16 lappar i en SWOT-matris med styrkor, svagheter, möjligheter och hot. "
                    "Lapparna sorterades i 4 teman. 4 lappar hamnade inte i något tema och finns i bilagan. "
                    "Var och en fick 3 prickar att sätta på de teman som var viktigast att fördjupa samtalen om; "
                    "sammanlagt sattes 36 prickar. Utifrån prioriteringen bildades 3 temagrupper som samtalade om "
                    "möjliga vägar framåt.")
PLACE = "som hölls på Stadshuset, Storgatan 8, Norrbacka"


def download(client, code: str, fmt: str) -> bytes:
    answer = client.get(f"/api/workshops/{code}/export.{fmt}")
    assert answer.status_code == 200
    return answer.data


def word_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [p.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def excel_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join([name for name in book.sheetnames] + [str(v) for ws in book for row in ws.iter_rows(values_only=True)
                                                           for v in row if v is not None])


def everywhere(client, code: str) -> dict[str, str]:
    """What a reader sees in each form of the record: the page, Markdown, Word and Excel."""
    root = page(client, code)
    return {"page": root.xpath("//main")[0].text_content(), "md": markdown(client, code),
            "docx": word_text(download(client, code, "docx")), "xlsx": excel_text(download(client, code, "xlsx"))}


def test_the_swot_rounds_are_told_from_what_happened_and_the_facilitator_may_rewrite_it(client):
    ws = imported(client, "hemgang")
    root = page(client, ws["code"])
    assert texts(root, "//section[@id='swot-rounds']/p") == [GENERATED_METHOD]
    form = form_fields(page(client, ws["code"], "record/edit"))
    assert form["method"] == GENERATED_METHOD  # the generated text is the field's default
    sent = edit(client, ws["code"], round_question="Hur blir hemgången trygg?",
                method="Vid fyra bord skrev deltagarna styrkor och svagheter.\n\nSedan prioriterade alla med prickar.")
    assert sent.status_code == 302
    for where, text in everywhere(client, ws["code"]).items():
        assert "Vid fyra bord skrev deltagarna styrkor och svagheter." in text, where
        assert "Sedan prioriterade alla med prickar." in text and "Deltagarna skrev 16 lappar" not in text, where
    assert texts(page(client, ws["code"]), "//section[@id='swot-rounds']/p") == [
        "Vid fyra bord skrev deltagarna styrkor och svagheter.", "Sedan prioriterade alla med prickar."]
    cleared = edit(client, ws["code"], method="")  # empty: written from what happened again, now with the question
    assert cleared.status_code == 302
    assert texts(page(client, ws["code"]), "//section[@id='swot-rounds']/p") == [GENERATED_METHOD.replace(
        "möjligheter och hot.", "möjligheter och hot utifrån frågan ”Hur blir hemgången trygg?”", 1)]


def test_the_first_sentence_is_an_editable_field_with_the_generated_text_as_its_default(client):
    ws = imported(client, "hemgang")
    form = form_fields(page(client, ws["code"], "record/edit"))
    assert PLACE in form["opening"] and form["opening"].startswith("Det här dokumentet sammanfattar workshopen")
    edited = form["opening"].replace(PLACE, "som hölls i Stadshusets aula i Norrbacka")
    assert edit(client, ws["code"], opening=edited).status_code == 302
    for where, text in everywhere(client, ws["code"]).items():
        if where != "xlsx":  # the workbook keeps the data, not the introduction's sentence
            assert "som hölls i Stadshusets aula i Norrbacka" in text and PLACE not in text, where
    kept = json.loads(download(client, ws["code"], "json"))["workshop"]
    assert kept["opening"] == edited
    again = client.post("/api/workshops/import", json=json.loads(download(client, ws["code"], "json"))).get_json()
    facilitate(client, again)
    assert "som hölls i Stadshusets aula i Norrbacka" in markdown(client, again["code"])  # the archive carries it


def test_saving_other_texts_leaves_the_generated_sentences_following_the_data(client):
    ws = facilitate(client, client.post("/api/workshops", json={"title": "Trygghet", "location": "Folkets hus"}).get_json())
    assert edit(client, ws["code"], conclusion="Tack!").status_code == 302
    client.post(f"/console/{ws['code']}/record/edit", data={})  # a form without its token changes nothing
    with_place = texts(page(client, ws["code"]), "//p[@id='opening']")[0]
    assert "som hölls på Folkets hus" in with_place
    built = json.loads(download(client, ws["code"], "json"))["workshop"]
    assert built["opening"] == "" and built["method"] == ""  # not stored: still written from the data


def test_every_note_shows_once_under_its_theme_or_in_the_appendix(client):
    facts = scenario_facts(played().scenario)
    ws = imported(client, "hemgang")
    record = everywhere(client, ws["code"])
    for _ref, (_quadrant, text) in facts["items"].items():
        for where in ("page", "md", "docx"):
            assert record[where].count(text) == 1, (where, text)
    root = page(client, ws["code"])
    appendix = texts(root, "//section[@id='unthemed']//li")
    themed = {ref for theme in facts["themes"] for ref in theme["items"]}
    assert appendix == [facts["items"][ref][1] for q in ("strengths", "weaknesses", "opportunities", "threats")
                        for ref in facts["items"] if ref not in themed and facts["items"][ref][0] == q]
    first = root.xpath("//ol[@class='ranked']/li")[0]
    assert texts(first, ".//li") == [f"Svaghet: {text}" for text in facts["themes"][0]["texts"]]


def test_a_workshop_without_themes_shows_its_matrix_and_no_appendix(client):
    empty = facilitate(client, client.post("/api/workshops", json={"title": "Inget än"}).get_json())
    root = page(client, empty["code"])
    assert not root.xpath("//table") and texts(root, "//p[@id='opening']") == [
        "Det här dokumentet sammanfattar workshopen ”Inget än”."]  # no "samlade 0 deltagare", no empty matrix
    notes = {"schema_version": 1, "workshop": {"title": "Bara lappar"}, "participants": [{"id": 1, "name": "Eva"}],
             "items": [{"id": 1, "quadrant": "strengths", "text": "Korta vägar", "author_id": 1},
                       {"id": 2, "quadrant": "threats", "text": "Personalbrist", "author_id": 1}]}
    ws = facilitate(client, client.post("/api/workshops/import", json=notes).get_json())
    root = page(client, ws["code"])
    assert texts(root, "//table[contains(@class, 'swot')]//td//li") == ["Korta vägar", "Personalbrist"]
    assert not root.xpath("//section[@id='unthemed']") and "Bilaga" not in markdown(client, ws["code"])
    assert texts(root, "//section[@id='swot-rounds']/p") == [
        "Deltagarna skrev 2 lappar i en SWOT-matris med styrkor, svagheter, möjligheter och hot."]


def test_group_members_are_named_or_counted_never_given_a_made_up_name(client):
    ws = imported(client, "hemgang")
    record = everywhere(client, ws["code"])
    assert "Deltagare: Johanna Berglund (Hemtjänsten Norr), Göran Wikström (Hemsjukvården), Marie Forsberg " \
           "(Demensförbundet i Norrbacka) och 1 anonym deltagare" in record["md"]
    for where, text in record.items():
        assert not re.search(r"Deltagare \d", text.replace("Deltagare\n", "")), where
        assert "1 anonym deltagare" in text, where


def test_the_panel_is_listed_above_its_quotes(client):
    ws = imported(client, "hemgang")
    assert edit(client, ws["code"], panel="Sofia Nyberg, Trygg hemgång-teamet\nHenrik Sjöberg, Regionen").status_code == 302
    root = page(client, ws["code"])
    assert texts(root, "//ul[@id='panel-members']/li") == ["Sofia Nyberg, Trygg hemgång-teamet", "Henrik Sjöberg, Regionen"]
    md = markdown(client, ws["code"])
    assert "### Panelen\n\nSofia Nyberg, Trygg hemgång-teamet\\\nHenrik Sjöberg, Regionen\n\n**Sofia Nyberg**" in md


@pytest.mark.parametrize("name, lang", [("hemgang", "sv"), ("hostile", "en")])
def test_one_word_per_concept_in_every_form_of_the_record(client, name, lang):
    """The glossary (docs/glossary.md): a sticky note is a "lapp" (note), a vote a "prick" (dot), as on the screens."""
    ws = imported(client, name)
    record = everywhere(client, ws["code"])
    counts, heading = (r"\d+ (prickar|prick)\b", "Teman efter antal prickar") if lang == "sv" else (r"\d+ dots?\b", "Themes by dots")
    for where in ("page", "md", "docx"):
        assert heading in record[where] and re.search(counts, record[where]), where
        assert not re.search(r"\d+ (röster|röst|votes?|synpunkter)\b", record[where]), where
    book = openpyxl.load_workbook(io.BytesIO(download(client, ws["code"], "xlsx")))
    sheets = {"sv": ["Översikt", "SWOT", "Lappar", "Teman", "Grupper", "Anteckningar", "Citat", "Deltagare"],
              "en": ["Overview", "SWOT", "Notes", "Themes", "Groups", "Group notes", "Quotes", "Participants"]}
    assert book.sheetnames == sheets[lang]
    overview = [row[0] for row in book[sheets[lang][0]].iter_rows(min_row=3, values_only=True)]
    assert {"sv": {"Antal lappar", "Antal prickar"}, "en": {"Notes", "Dots"}}[lang] <= set(overview)
    assert next(book[sheets[lang][3]].iter_rows(values_only=True))[2:4] == {"sv": ("Prickar", "Lappar"),
                                                                           "en": ("Dots", "Notes")}[lang]


def test_a_pasted_text_over_the_limit_is_kept_whole_and_refused_with_its_count(client):
    ws = imported(client, "hemgang")
    before = markdown(client, ws["code"])
    edit_page = page(client, ws["code"], "record/edit")
    field = edit_page.xpath("//textarea[@id='method']")[0]
    assert field.get("maxlength") is None and field.get("data-limit") == "10000"  # the browser never cuts it
    assert edit_page.xpath("//*[@data-limit][@maxlength]") == []
    pasted = "Samverkan kräver tid och tillit. " * 304 + "Sista ordet."  # cut at 10,000 it would end mid-word
    answer = edit(client, ws["code"], method=pasted)
    root = lxml.html.fromstring(answer.get_data(as_text=True))
    assert answer.status_code == 200 and markdown(client, ws["code"]) == before
    assert texts(root, "//p[@id='method-error']") == [f"Högst 10000 tecken; den här texten har {len(pasted)}."]
    assert texts(root, "//p[@id='method-count']") == [f"{len(pasted)} tecken: högst 10000. Korta texten; inget klipps bort."]
    assert form_fields(root)["method"] == pasted  # all of it, as pasted, to shorten where the facilitator chooses
