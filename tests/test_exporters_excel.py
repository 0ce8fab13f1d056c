"""The Excel record, read back with openpyxl: sheets, layout, and participant text always as text."""
from __future__ import annotations

import copy
import io
import re
import zipfile

import openpyxl
import pytest

from facilitation.exporters import excel

from .record_support import HOSTILE, nfc, played, scenario_facts

SV_SHEETS = ["Översikt", "SWOT", "Lappar", "Teman", "Grupper", "Anteckningar", "Citat", "Deltagare"]


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def rows(ws, first: int = 2) -> list[list]:
    return [list(r) for r in ws.iter_rows(min_row=first, values_only=True)]


@pytest.fixture(scope="module")
def hemgang():
    record = played().record("hemgang")
    data = excel.render(record)
    return record, data, load(data), scenario_facts(played().scenario)


@pytest.fixture(scope="module")
def hostile():
    record = played().record("hostile")
    data = excel.render(record)
    return record, data, load(data)


def test_one_sheet_per_part_with_styled_frozen_filtered_headers(hemgang):
    _record, _data, wb, _facts = hemgang
    assert wb.sheetnames == SV_SHEETS
    for name in SV_SHEETS[2:]:
        ws = wb[name]
        assert ws.freeze_panes == "A2", name
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), name
        assert ws["A1"].font.bold and ws["A1"].fill.fgColor.rgb.endswith("1F4E79"), name
        assert all(ws.column_dimensions[c].width > 5 for c in "ABC"), name
        assert ws.cell(row=2, column=3).alignment.wrap_text, name


def test_overview_and_swot_matrix(hemgang):
    record, _data, wb, facts = hemgang
    overview = {r[0]: r[1] for r in rows(wb["Översikt"], 3)}
    assert overview["Titel"] == facts["workshop"]["title"]
    assert overview["Status"] == "Slutlig (workshopen är avslutad)"
    assert overview["Antal deltagare"] == 12 and overview["Antal prickar"] == 36 and overview["Antal lappar"] == 16
    assert overview["SWOT-rundorna"].startswith("Deltagarna skrev 16 lappar i en SWOT-matris")
    assert overview["Frågeställningar"] == "\n".join(facts["workshop"]["questions"])
    swot = rows(wb["SWOT"], 1)
    middle = next(n for n, r in enumerate(swot) if r[0] == "Möjligheter")
    assert swot[0][:2] == ["Styrkor", "Svagheter"] and swot[middle][:2] == ["Möjligheter", "Hot"]
    for col, quadrant in ((0, "strengths"), (1, "weaknesses")):
        assert [r[col] for r in swot[1:middle] if r[col]] == [t for q, t in facts["items"].values() if q == quadrant]
    for col, quadrant in ((0, "opportunities"), (1, "threats")):
        assert [r[col] for r in swot[middle + 1:] if r[col]] == [t for q, t in facts["items"].values() if q == quadrant]


def test_items_sheet_keeps_anonymous_items_anonymous(hemgang):
    _record, _data, wb, facts = hemgang
    items = rows(wb["Lappar"])
    assert [r[2] for r in items] == [t for _q, t in facts["items"].values()]
    assert {r[5] for r in items} == {"Anonym"}
    assert [r[1] for r in items] == [{"strengths": "Styrkor", "weaknesses": "Svagheter", "opportunities": "Möjligheter",
                                      "threats": "Hot"}[q] for q, _t in facts["items"].values()]
    assert items[0][4] == "1" and items[0][6] is not None  # table and time
    names = {p["name"] for p in facts["participants"] if p.get("name")}
    assert not names & {v for r in items for v in r}


def test_themes_with_votes_and_a_native_bar_chart(hemgang):
    _record, data, wb, facts = hemgang
    assert [r[:3] for r in rows(wb["Teman"])] == [[n, t["title"], t["votes"]] for n, t in enumerate(facts["themes"], 1)]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = archive.read(charts[0]).decode()
    assert '<barChart><barDir val="bar"/>' in xml and "Teman'!$C$2:$C$5" in xml and "Teman'!$B$2:$B$5" in xml


def test_groups_notes_quotes_and_participants(hemgang):
    _record, _data, wb, facts = hemgang
    groups = rows(wb["Grupper"])
    assert [r[1] for r in groups] == [g["title"] for g in facts["groups"]]
    assert [r[3].split("\n") for r in groups] == facts["members"]
    assert [r[4] or "" for r in groups] == [g["summary"] for g in facts["groups"]]
    notes = rows(wb["Anteckningar"])
    assert [r[3] for r in notes] == [n for g in facts["groups"] for n in g["notes"]]
    assert [r[0] for r in notes] == [n for n, g in enumerate(facts["groups"], 1) for _ in g["notes"]]
    quotes = rows(wb["Citat"])
    assert [(r[1], r[2], r[3], r[4]) for r in quotes] == [("Panel", q["speaker"], q["role"], q["text"]) for q in facts["quotes"]]
    people = rows(wb["Deltagare"])
    assert [r[1] for r in people] == [p.get("name") or "Anonym" for p in facts["participants"]]


def test_hostile_texts_are_text_cells_never_formulas(hostile):
    _record, data, wb = hostile
    texts = [nfc(t) for t in HOSTILE]
    items = rows(wb["Notes"])
    assert [r[2] for r in items] == texts
    for row in wb["Notes"].iter_rows(min_row=2):
        text = row[2]
        assert text.data_type == "s"
        assert text.quotePrefix == text.value.startswith(("=", "+", "-", "@"))
    notes = rows(wb["Group notes"])
    assert [r[3] for r in notes if r[0] == 1] == texts
    assert rows(wb["Participants"])[0][1:4] == [texts[0], texts[1], texts[3]]
    assert rows(wb["Groups"])[0][4] == texts[17] + "\n" + texts[0]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any(re.search(r"<f[ >]", xml) for xml in sheets)  # not one formula in the workbook


def test_control_characters_are_removed_never_a_crash(hostile):
    record, _data, _wb = hostile
    broken = copy.deepcopy(record)
    broken["items"][0]["text"] = "a\x00b\x01c\x0bd\x1fe\ufffe\tf\ng"
    broken["groups"][0]["title"] = "\x07=1+1"
    broken["quotes"]["room"][0]["text"] = "\x1b[31mröd"
    wb = load(excel.render(broken))
    assert wb["Notes"]["C2"].value == "abcde\tf\ng"
    assert wb["Groups"]["B2"].value == "=1+1" and wb["Groups"]["B2"].data_type == "s"
    assert any(r[4] == "[31mröd" for r in rows(wb["Quotes"]))


def test_same_record_same_bytes_with_the_workshops_own_time(hemgang):
    record, data, wb, _facts = hemgang
    assert excel.render(copy.deepcopy(record)) == data
    assert wb.properties.created == wb.properties.modified
    assert wb.properties.created.isoformat()[:19] == record["workshop"]["created_at"][:19]
