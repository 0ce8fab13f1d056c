"""The Markdown record, read back with markdown-it-py: every text in its section, in order, inert."""
from __future__ import annotations

import copy

import pytest
from markdown_it import MarkdownIt

from facilitation.exporters import markdown, mdtext, prose

from .markdown_reader import read
from .record_support import HOSTILE, nfc, played, scenario_facts

SV_SECTIONS = ["Inledning", "Dagens frågeställningar", "Reflekterande team", "Samtalsrundor med SWOT och prioriteringar",
               "Möjliga vägar framåt", "Bilaga: lappar utan tema"]
QUADRANT = {"strengths": "Styrka", "weaknesses": "Svaghet", "opportunities": "Möjlighet", "threats": "Hot"}


@pytest.fixture(scope="module")
def hemgang():
    record = played().record("hemgang")
    return record, read(markdown.render(record)), scenario_facts(played().scenario)


@pytest.fixture(scope="module")
def hostile():
    record = played().record("hostile")
    return record, read(markdown.render(record))


def test_title_block_and_sections_in_the_reference_order(hemgang):
    _record, doc, facts = hemgang
    assert doc.headings(1) == ["Dokumentation workshop 2023-03-21 Trygg hemgång – samverkan efter sjukhusvistelse"]
    assert doc.headings(2) == SV_SECTIONS
    first = doc.where("paragraph")[0]
    assert first.text == "Norrbacka kommun\n2023-03-21\nStadshuset, Storgatan 8, Norrbacka"
    assert "Utkast" not in "\n".join(b.text for b in doc.blocks)  # the workshop is closed: final
    assert not doc.markup


def test_introduction_is_written_from_the_data(hemgang):
    _record, doc, facts = hemgang
    intro = doc.texts("paragraph", "Inledning")
    assert intro[0].startswith("Det här dokumentet sammanfattar workshopen ”Trygg hemgång – samverkan efter sjukhusvistelse” "
                               "som hölls på Stadshuset, Storgatan 8, Norrbacka den 21 mars 2023.")
    assert "Workshopen samlade 12 deltagare från 11 organisationer: " in intro[0]
    for person in facts["participants"]:
        if person.get("organisation"):
            assert person["organisation"] in intro[0]
    assert intro[1] == "Syfte: " + facts["workshop"]["purpose"]
    assert intro[2] == "Workshopen processleddes av Maria Sundberg."
    assert doc.texts("item", "Dagens frågeställningar") == facts["workshop"]["questions"]


def test_panel_quotes_follow_their_speakers(hemgang):
    _record, doc, facts = hemgang
    panel = [b for b in doc.blocks if b.section[1:] == ("Reflekterande team", "Panelen") and b.kind in ("paragraph", "quote")]
    expected = []
    for quote in facts["quotes"]:
        expected += [("paragraph", f"{quote['speaker']}, {quote['role']}"), ("quote", quote["text"])]
    assert [(b.kind, b.text) for b in panel] == expected


def test_the_notes_in_no_theme_are_in_the_appendix_by_quadrant(hemgang):
    _record, doc, facts = hemgang
    themed = {ref for theme in facts["themes"] for ref in theme["items"]}
    names = {"strengths": "Styrkor", "weaknesses": "Svagheter", "opportunities": "Möjligheter", "threats": "Hot"}
    appendix = [(b.section[2], b.text) for b in doc.where("item", "Bilaga: lappar utan tema")]
    assert appendix == [(names[q], text) for q in names for ref, (quadrant, text) in facts["items"].items()
                        if quadrant == q and ref not in themed]
    assert doc.where("cell") == []  # no SWOT matrix: the themes and the appendix hold every note once


def test_themes_ranked_by_votes_with_counts_and_items(hemgang):
    _record, doc, facts = hemgang
    blocks = doc.where("item", "Samtalsrundor med SWOT och prioriteringar", "Teman efter antal prickar")
    quadrant_of = {text: quadrant for quadrant, text in facts["items"].values()}
    expected = []
    for theme in facts["themes"]:
        expected.append((1, True, f"{theme['title']} – {theme['votes']} prickar"))
        expected += [(2, False, f"{QUADRANT[quadrant_of[text]]}: {text}") for text in theme["texts"]]
    assert [(b.depth, b.ordered, b.text) for b in blocks] == expected
    assert [b.strong for b in blocks if b.depth == 1] == [[t["title"]] for t in facts["themes"]]


def test_every_group_has_its_section_members_summary_and_notes_in_order(hemgang):
    _record, doc, facts = hemgang
    titles = [g["title"] for g in facts["groups"]]
    assert [h for h in doc.headings(3) if h.startswith("Tema ")] == [f"Tema {n}: {t}" for n, t in enumerate(titles, start=1)]
    for n, (group, members) in enumerate(zip(facts["groups"], facts["members"]), start=1):
        section = ("Möjliga vägar framåt", f"Tema {n}: {group['title']}")
        paragraphs = doc.texts("paragraph", *section)
        assert paragraphs[0] == "Deltagare: " + prose.join_names(members, "sv")
        for name in group["members"]:
            assert name in paragraphs[0]
        assert paragraphs[1:] == ([group["summary"]] if group["summary"] else [])
        assert doc.texts("item", *section) == group["notes"]


def test_hostile_texts_stay_inert_and_exactly_as_written(hostile):
    record, doc = hostile
    assert doc.markup == []  # no link, image, HTML, code or rule anywhere
    html = MarkdownIt("commonmark").enable("table").render(markdown.render(record).decode())
    for needle in ("<img", "<script", "href=", "<code", "<em>", "<del>", "<h4", "<hr"):
        assert needle not in html
    texts = [nfc(t) for t in HOSTILE]
    theme_items = [b.text.split(": ", 1)[1] for b in doc.where("item", "SWOT rounds and priorities", "Themes by dots")
                   if b.depth == 2]
    assert sorted(theme_items) == sorted(texts)  # each in its theme, and nowhere else
    assert doc.where("cell") == [] and doc.where("item", "Appendix: notes in no theme") == []
    group = ("Possible ways forward", f"Theme 1: {texts[0]}")
    assert doc.texts("item", *group) == texts  # the notes, in the order written
    summary = doc.texts("paragraph", *group)[1:]
    assert "\n\n".join(summary) == texts[17] + "\n" + texts[0]
    members = prose.join_names([f"{texts[0]} ({texts[1]})", f"{texts[5]} ({texts[2]})"], "en")
    assert doc.texts("paragraph", *group)[0] == f"Participants: {members}"
    assert doc.headings(3)[-2:] == [f"Theme 1: {texts[0]}", f"Theme 2: {texts[2]}"]
    assert doc.texts("quote", "Reflecting team", "The panel") == [texts[17], texts[1]]
    assert doc.texts("item", "Reflecting team", "Reflections from the room") == [texts[2], texts[6]]
    assert doc.texts("item", "Questions of the day") == texts[6:9]
    assert doc.texts("paragraph", "Closing") == [texts[13], texts[8]]
    assert doc.headings(1) == ["Workshop record 2024-03-05 Hostile | *test* " + texts[0]]


def test_english_headings_and_a_draft_until_the_workshop_is_closed(hostile):
    record, doc = hostile
    assert doc.headings(2) == ["Introduction", "Questions of the day", "Reflecting team", "SWOT rounds and priorities",
                               "Possible ways forward", "Closing"]
    assert doc.blocks[1].text.startswith("Draft: ")
    closed = copy.deepcopy(record)
    closed["draft"], closed["phase"] = False, "closed"
    assert "Draft" not in markdown.render(closed).decode()


def test_same_record_same_bytes(hemgang):
    record, _doc, _facts = hemgang
    assert markdown.render(record) == markdown.render(copy.deepcopy(record))


def test_a_municipality_template_in_the_data_folder_wins(hemgang, tmp_path):
    record, _doc, _facts = hemgang
    (tmp_path / "record.md.j2").write_text("# {{ w.title | md_inline }} ({{ r.participants | length }})\n")
    assert markdown.render(record, [tmp_path]) == "# Trygg hemgång – samverkan efter sjukhusvistelse (12)\n".encode()


@pytest.mark.parametrize("text", [*HOSTILE, "  indrag\n\tflik  ", "a\r\nb", "x\n===", "1) ett", "![bild](x.png)",
                                  "<!-- kommentar -->", "[a]: http://x", "~~~", "    kod", "a  \nb", "_", "\\", "www.x.se",
                                  "Hälsa & vård!", "&#x41; &copy; &copy", ">> a > b", "! [x]", "1.5 miljoner", "2021."])
@pytest.mark.parametrize("place", ["block", "item", "quote", "cell", "heading"])
def test_escaping_any_text_in_any_place_reads_back_unchanged(text, place):
    expected = text.replace("\r\n", "\n")
    if place == "block":
        source, kind = mdtext.block(text) + "\n", "paragraph"
    elif place == "item":
        source, kind = "- " + mdtext.block(text, "  ") + "\n", "item"
    elif place == "quote":
        source, kind = "> " + mdtext.block(text, "> ") + "\n", "quote"
    elif place == "cell":
        source, kind = "| h |\n| --- |\n| " + mdtext.cell(text) + " |\n", "cell"
    else:
        source, kind = "## " + mdtext.inline(text) + "\n", "heading"
        expected = " ".join(line.strip(" \t") for line in expected.split("\n") if line.strip(" \t"))
    doc = read(source)
    assert doc.markup == []
    found = [b.text for b in doc.blocks if b.kind == kind and not (kind == "cell" and b.row == 0)]
    if place == "block":
        found = ["\n\n".join(found)]
    assert found == [expected]
