"""The Word record, read back with python-docx: heading styles, lists, the SWOT table, every text."""
from __future__ import annotations

import copy
import io

import docx
import pytest

from facilitation.exporters import prose, word

from .record_support import HOSTILE, nfc, played, scenario_facts


def read(data: bytes) -> tuple[list[tuple[str, str, tuple[str, ...]]], docx.document.Document]:
    """The body's paragraphs as (style, text, (heading 1, heading 2)) and the document."""
    document = docx.Document(io.BytesIO(data))
    out, headings = [], ["", ""]
    for paragraph in document.paragraphs:
        style = paragraph.style.name
        if style == "Heading 1":
            headings = [paragraph.text, ""]
        elif style == "Heading 2":
            headings[1] = paragraph.text
        out.append((style, paragraph.text, tuple(headings)))
    return out, document


def texts(paragraphs, style: str, *section: str) -> list[str]:
    return [text for s, text, where in paragraphs if s == style and where[:len(section)] == section]


@pytest.fixture(scope="module")
def hemgang():
    record = played().record("hemgang")
    data = word.render(record)
    return record, data, *read(data), scenario_facts(played().scenario)


@pytest.fixture(scope="module")
def hostile():
    record = played().record("hostile")
    data = word.render(record)
    return record, data, *read(data)


def test_real_heading_styles_in_the_reference_order(hemgang):
    _record, _data, paragraphs, _doc, facts = hemgang
    assert texts(paragraphs, "Title") == ["Dokumentation workshop 2023-03-21 Trygg hemgång – samverkan efter sjukhusvistelse"]
    assert texts(paragraphs, "Heading 1") == ["Inledning", "Dagens frågeställningar", "Reflekterande team",
                                              "Samtalsrundor med SWOT och prioriteringar", "Möjliga vägar framåt",
                                              "Bilaga: lappar utan tema"]
    groups = [f"Tema {n}: {g['title']}" for n, g in enumerate(facts["groups"], 1)]
    assert texts(paragraphs, "Heading 2", "Möjliga vägar framåt") == groups
    assert not any("UTKAST" in text for _s, text, _w in paragraphs)


def test_the_titles_date_never_breaks_across_lines(hemgang):
    _record, _data, _paragraphs, document, _facts = hemgang
    title = document.paragraphs[0]
    xml = title._p.xml
    assert xml.count("<w:noBreakHyphen/>") == 2 and "2023-03" not in xml  # 2023‑03‑21, hyphens that never wrap
    assert title.text.startswith("Dokumentation workshop 2023-03-21 ")


def test_introduction_questions_and_panel(hemgang):
    _record, _data, paragraphs, _doc, facts = hemgang
    intro = texts(paragraphs, "Normal", "Inledning")
    assert "12 deltagare från 11 organisationer" in intro[0]
    assert intro[1:] == ["Syfte: " + facts["workshop"]["purpose"], "Workshopen processleddes av Maria Sundberg."]
    assert texts(paragraphs, "List Bullet", "Dagens frågeställningar") == facts["workshop"]["questions"]
    assert texts(paragraphs, "Quote", "Reflekterande team") == [q["text"] for q in facts["quotes"]]
    assert texts(paragraphs, "Normal", "Reflekterande team") == [f"{q['speaker']}, {q['role']}" for q in facts["quotes"]]


def test_themes_are_ranked_lists_of_their_notes_and_the_rest_is_in_the_appendix(hemgang):
    _record, _data, paragraphs, document, facts = hemgang
    assert document.tables == []  # no matrix repeating the notes
    quadrant = {"strengths": "Styrka", "weaknesses": "Svaghet", "opportunities": "Möjlighet", "threats": "Hot"}
    quadrant_of = {text: q for q, text in facts["items"].values()}
    ranked = [(s, t) for s, t, w in paragraphs if w == ("Samtalsrundor med SWOT och prioriteringar", "Teman efter antal prickar")
              and s.startswith("List")]
    expected = []
    for theme in facts["themes"]:
        expected.append(("List Number", f"{theme['title']} – {theme['votes']} prickar"))
        expected += [("List Bullet 2", f"{quadrant[quadrant_of[text]]}: {text}") for text in theme["texts"]]
    assert ranked == expected
    themed = {ref for theme in facts["themes"] for ref in theme["items"]}
    names = {"strengths": "Styrkor", "weaknesses": "Svagheter", "opportunities": "Möjligheter", "threats": "Hot"}
    appendix = [(w[1], t) for s, t, w in paragraphs if w[0] == "Bilaga: lappar utan tema" and s == "List Bullet"]
    assert appendix == [(names[q], text) for q in names for ref, (q2, text) in facts["items"].items()
                        if q2 == q and ref not in themed]


def test_groups_with_members_summary_and_notes(hemgang):
    _record, _data, paragraphs, _doc, facts = hemgang
    for n, (group, members) in enumerate(zip(facts["groups"], facts["members"]), 1):
        section = ("Möjliga vägar framåt", f"Tema {n}: {group['title']}")
        normal = texts(paragraphs, "Normal", *section)
        assert normal[0] == "Deltagare: " + prose.join_names(members, "sv")
        assert normal[1:] == ([group["summary"]] if group["summary"] else [])
        assert texts(paragraphs, "List Bullet", *section) == group["notes"]


def test_hostile_texts_are_all_there_exactly(hostile):
    _record, data, paragraphs, document = hostile
    t = [nfc(x) for x in HOSTILE]
    assert texts(paragraphs, "Title") == ["Workshop record 2024-03-05 Hostile | *test* " + t[0]]
    assert texts(paragraphs, "List Bullet", "Possible ways forward", f"Theme 1: {t[0]}") == t
    assert texts(paragraphs, "List Bullet", "Questions of the day") == t[6:9]
    assert texts(paragraphs, "Quote", "Reflecting team") == [t[17], t[1]]
    assert texts(paragraphs, "List Bullet", "Reflecting team") == [t[2], t[6]]
    themed = [text.split(": ", 1)[1] for text in texts(paragraphs, "List Bullet 2", "SWOT rounds and priorities")]
    assert sorted(themed) == sorted(t) and document.tables == []
    assert texts(paragraphs, "Normal", "Closing") == [t[13], t[8]]
    assert paragraphs[1][1].startswith("DRAFT: ")  # the workshop is not closed
    assert document.sections[0].header.paragraphs[0].text == "Draft"
    assert b"HYPERLINK" not in _field_codes(data)


def _field_codes(data: bytes) -> bytes:
    """Every Word field instruction in the document (a HYPERLINK field would be one)."""
    import re
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml")
    return b"".join(re.findall(rb"<w:instrText[^>]*>[^<]*</w:instrText>|<w:fldSimple[^>]*>", xml))


def test_control_characters_are_removed_never_a_crash(hostile):
    record, _data, _paragraphs, _doc = hostile
    broken = copy.deepcopy(record)
    broken["groups"][0]["notes"][0]["text"] = "a\x00b\x01c\x0bd\x1fe"
    broken["workshop"]["title"] = "T\x08itel"
    paragraphs, _document = read(word.render(broken))
    assert "abcde" in [text for _s, text, _w in paragraphs]
    assert texts(paragraphs, "Title") == ["Workshop record 2024-03-05 Titel"]


def test_same_record_same_bytes_with_the_workshops_own_time(hemgang):
    record, data, _paragraphs, document, _facts = hemgang
    assert word.render(copy.deepcopy(record)) == data
    core = document.core_properties
    assert core.created == core.modified
    assert core.created.isoformat()[:19] == record["workshop"]["created_at"][:19]
