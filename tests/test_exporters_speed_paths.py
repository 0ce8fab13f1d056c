"""The exporters' fast paths write exactly what the slow library calls they replace would have written."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import docx
import pytest
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet._writer import WorksheetWriter

from facilitation.exporters import excel, word
from facilitation.exporters.package import clean
from facilitation.exporters.sheetwriter import FastExcelWriter, RowWriter

TEXTS = ["Styrkor och svagheter", "", "  leading and trailing  ", "tab\there", "line\nbreak\r\nand\rcarriage",
         "\t", " ", "a\x00b\x0bc", "<b>&amp;</b> \"q\" 'a'", "Glädje 🎉 och 👩‍👩‍👧", "\u00a0nbsp\u00a0", "=SUM(A1)"]
STYLES = [None, "List Bullet", "List Bullet 2", "List Number", "Quote"]


def library_para(container, text: str, style: str | None, label: str, bold: bool):
    """What word.para did before: python-docx's own calls."""
    paragraph = container.add_paragraph(style=style)
    if label:
        paragraph.add_run(label + " ").bold = True
    paragraph.add_run(clean(text)).bold = bold or None
    return paragraph


@pytest.mark.parametrize("in_cell", [False, True])
def test_word_paragraphs_built_with_lxml_match_python_docx(in_cell):
    fast, slow = docx.Document(), docx.Document()
    containers = [d.add_table(rows=1, cols=1).cell(0, 0) if in_cell else d for d in (fast, slow)]
    cases = [(text, style, label, bold) for text in TEXTS for style in STYLES
             for label, bold in (("", False), ("Syfte:", False), ("", True))]
    for text, style, label, bold in cases:
        word.para(containers[0], text, style, label=label, bold=bold)
        library_para(containers[1], text, style, label, bold)
    assert fast.element.body.xml == slow.element.body.xml
    assert fast.element.body[-1].tag.endswith("}sectPr")  # the section properties stay last
    reread = docx.Document(_saved(fast))
    paragraphs = reread.tables[0].cell(0, 0).paragraphs[1:] if in_cell else reread.paragraphs
    assert [(p.style.name, p.text) for p in paragraphs] == [
        (style or "Normal", (label + " " if label else "") + clean(text).replace("\r", "\n"))  # each break is one
        for text, style, label, _bold in cases]


def _saved(document) -> io.BytesIO:
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    return buffer


def _reference_put(ws, row: int, col: int, value, *, bold: bool = False) -> None:
    """What excel.put did before: every style set through openpyxl on every cell."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str) or value is None:
        text = clean(value)
        cell.value = text or None
        if text:
            cell.data_type = "s"
        if text.startswith(excel.FORMULA_STARTS):
            cell.quotePrefix = True
    else:
        cell.value = value
        if isinstance(value, dt.datetime):
            cell.number_format = excel.TIME_FORMAT
    cell.alignment = excel.WRAP
    if bold:
        cell.font = Font(bold=True)


VALUES = TEXTS + [None, 0, 7, 2.5, dt.datetime(2026, 3, 2, 9, 30), dt.date(2026, 3, 2), "-1+2", "@x", "#N/A"]


def _sheet_xml(writer_class, fill) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    fill(ws)
    ws.row_dimensions[3].height = 45
    ws.row_dimensions[40].height = 30  # a row with no cells
    writer = writer_class(ws, out=io.BytesIO())
    writer.write()
    return writer.read()


def _put_all(put):
    def fill(ws):
        for n, value in enumerate(VALUES * 3):
            put(ws, 1 + n // 4 + (n >= 20), 1 + n % 4, value, bold=n % 5 == 0)  # row 6 left empty
        ws.cell(row=2, column=3).alignment = Alignment(horizontal="left")
    return fill


def test_excel_cells_with_copied_styles_match_styles_set_one_by_one():
    assert _sheet_xml(WorksheetWriter, _put_all(excel.put)) == _sheet_xml(WorksheetWriter, _put_all(_reference_put))


def test_excel_rows_written_as_strings_match_openpyxl_writer():
    def fill(ws):
        _put_all(excel.put)(ws)
        ws.cell(row=30, column=2).value = "=1+1"  # a formula and a comment: openpyxl writes those rows itself
        ws.cell(row=31, column=1).value = "kommentar"
        ws.cell(row=31, column=1).comment = Comment("text", "author")

    ours, theirs = _sheet_xml(RowWriter, fill), _sheet_xml(WorksheetWriter, fill)
    assert b'<row r="40" ht="30" customHeight="1"></row>' in theirs and b"<f>" in theirs and b"xml:space" in theirs
    assert ours == theirs


def test_fast_excel_writer_writes_the_same_workbook():
    def workbook_bytes(writer_class) -> dict[str, bytes]:
        workbook = Workbook()
        _put_all(excel.put)(workbook.active)
        buffer = io.BytesIO()
        writer_class(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
        with zipfile.ZipFile(buffer) as archive:
            return {name: archive.read(name) for name in archive.namelist()}

    from openpyxl.writer.excel import ExcelWriter

    assert workbook_bytes(FastExcelWriter) == workbook_bytes(ExcelWriter)
