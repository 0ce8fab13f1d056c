"""One set of quadrant colours everywhere (issue 10): the app's stylesheet (and so the projector's
legend, the phones and the console) and the record's Word and Excel files follow
facilitation/quadrant_colours.py. Threats were purple in the app and yellow in Word."""
from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import openpyxl
from docx.oxml.ns import qn

from facilitation.exporters import excel, word
from facilitation.exporters.labels import labels
from facilitation.models import QUADRANTS
from facilitation.quadrant_colours import INK, WASH

from .record_support import played

ROOT = Path(__file__).resolve().parent.parent
NAMES = labels("sv")["quadrants"]


def stylesheet_colours() -> dict[str, str]:
    root = re.search(r":root\s*\{(.*?)\}", (ROOT / "static" / "css" / "base.css").read_text(), re.S).group(1)
    return {name: value.upper() for name, value in re.findall(r"--([a-z-]+):\s*#([0-9a-fA-F]{6})\s*;", root)}


def test_the_stylesheet_has_the_records_colours():
    css = stylesheet_colours()
    assert {q: css[q] for q in QUADRANTS} == INK
    assert {q: css[f"{q}-bg"] for q in QUADRANTS} == WASH


def test_word_shades_each_box_of_the_swot_table_in_the_apps_colours():
    record = dict(played().record("hemgang"), themes=[])  # the matrix (with themes, the record may show those instead)
    document = docx.Document(io.BytesIO(word.render(record)))
    table = next(t for t in document.tables if t.cell(0, 0).paragraphs[0].text == NAMES["strengths"])
    for index, quadrant in enumerate(QUADRANTS):
        cell = table.cell(index // 2, index % 2)
        name = cell.paragraphs[0].runs[0]
        assert name.text == NAMES[quadrant] and name.bold
        assert str(name.font.color.rgb) == INK[quadrant]
        assert cell._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")).upper() == WASH[quadrant]


def test_excel_colours_each_box_of_the_swot_sheet_like_the_app():
    sheet = openpyxl.load_workbook(io.BytesIO(excel.render(played().record("hemgang"))))["SWOT"]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if c.value in NAMES.values()}
    for quadrant in QUADRANTS:
        cell = cells[NAMES[quadrant]]
        assert cell.fill.fgColor.rgb.upper().endswith(WASH[quadrant])
        assert cell.font.bold and cell.font.color.rgb.upper().endswith(INK[quadrant])
