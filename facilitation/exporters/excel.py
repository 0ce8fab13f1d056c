"""The record as an Excel workbook: one sheet per part, every participant text a text cell."""
from __future__ import annotations

import datetime as dt
import io
import math
import weakref
import zipfile
from itertools import zip_longest
from typing import Any, Iterable

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ..quadrant_colours import INK, WASH
from . import prose
from .labels import labels
from .package import clean, moment, normalise_zip, utc
from .sheetwriter import FastExcelWriter

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
QUADRANT_FILL = dict(WASH)  # the app's colours (quadrant_colours.py)
WRAP = Alignment(wrap_text=True, vertical="top")
TIME_FORMAT = "yyyy-mm-dd hh:mm"
FORMULA_STARTS = ("=", "+", "-", "@")
_STYLES: weakref.WeakKeyDictionary[Any, dict[tuple[bool, type, bool], Any]] = weakref.WeakKeyDictionary()


def put(ws: Worksheet, row: int, col: int, value: Any, *, bold: bool = False) -> Any:
    """One cell, its value returned as stored; a string is always text (never a formula), cleaned of control characters."""
    cell = ws.cell(row=row, column=col)
    fresh = not cell.has_style
    made = _STYLES.setdefault(ws.parent, {})
    if fresh and type(value) is str and (False, str, bold) in made:
        text = clean(value)
        if text and not text.startswith(FORMULA_STARTS):  # the bulk: plain text, as `cell.value = text` stores it
            cell._value, cell.data_type = text[:32767], "s"  # clean() removed what openpyxl would refuse
            cell._style = StyleArray(made[(False, str, bold)])
            return text[:32767]
    if isinstance(value, str) or value is None:
        text = clean(value)
        cell.value = text or None
        if text:
            cell.data_type = "s"  # set after the value: openpyxl would read a leading "=" as a formula
        quoted = text.startswith(FORMULA_STARTS)
    else:
        cell.value = value
        quoted = False
    # The same formatting on thousands of cells: made through openpyxl once, then copied (its setters hash every style).
    key = (quoted, type(value), bold)  # a value's type can bring its own number format
    if fresh and key in made:
        cell._style = StyleArray(made[key])
        return cell.value
    if quoted:
        cell.quotePrefix = True  # and Excel keeps it text when someone edits the cell
    if isinstance(value, dt.datetime):
        cell.number_format = TIME_FORMAT
    cell.alignment = WRAP
    if bold:
        cell.font = Font(bold=True)
    if fresh:
        made[key] = StyleArray(cell._style)
    return cell.value


def lines_in(value: Any, width: float) -> int:
    """About how many lines a wrapped cell of `width` characters needs for `value`."""
    if not isinstance(value, str) or not value:
        return 1
    if len(value) <= max(1.0, width * 1.1) and "\n" not in value:
        return 1  # the common case, without the arithmetic below
    return sum(max(1, math.ceil(len(line) / max(1.0, width * 1.1))) for line in value.split("\n"))


def finish(ws: Worksheet, *, landscape: bool = True, title_rows: str | None = "1:1",
           lines: dict[int, int] | None = None) -> None:
    """Rows tall enough for their wrapped text (`lines` a row, or measured here), and a print layout one page wide."""
    if lines is None:
        widths = {column_index_from_string(key): dim.width or 10 for key, dim in ws.column_dimensions.items()}
        lines = {row[0].row: max(lines_in(c._value, widths.get(c.column, 10)) for c in row) for row in ws.iter_rows()}
    for row_number, needed in lines.items():
        if needed > 1:
            ws.row_dimensions[row_number].height = 15 * min(needed, 400 // 15)
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    if title_rows:
        ws.print_title_rows = title_rows


def table(ws: Worksheet, headers: list[str], rows: Iterable[list[Any]], widths: list[int]) -> int:
    """A sheet laid out as one table: styled header, frozen header row, filter, widths, wrapped text."""
    lines = {1: 1}
    for col, (header, width) in enumerate(zip(headers, widths), start=1):
        lines[1] = max(lines[1], lines_in(put(ws, 1, col, header), width or 10))
        ws.cell(row=1, column=col).font = HEADER_FONT
        ws.cell(row=1, column=col).fill = HEADER_FILL
        ws.column_dimensions[get_column_letter(col)].width = width
    count, full, width_of = 0, len(headers) == len(widths), dict(enumerate(widths, start=1))
    for count, values in enumerate(rows, start=1):
        full = full and len(values) == len(headers)
        lines[count + 1] = max([lines_in(put(ws, count + 1, col, value), width_of.get(col) or 10)
                                for col, value in enumerate(values, start=1)], default=1)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    finish(ws, lines=lines if full else None)  # every cell of a full table is measured as it is put
    return count


def overview(ws: Worksheet, record: dict[str, Any], t: dict[str, Any]) -> None:
    w, f = record["workshop"], t["fields"]
    put(ws, 1, 1, prose.title(record))
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    ws.merge_cells("A1:B1")
    rows = [
        (f["title"], w["title"]), (f["date"], w["date"] or ""), (f["organisation"], w["organisation"]),
        (f["location"], w["location"]), (f["status"], t["status"]["draft" if record["draft"] else "final"]),
        (f["phase"], t["phases"].get(record["phase"], record["phase"])),
        (f["participants"], len(record["participants"])), (f["organisations"], "\n".join(record["organisations"])),
        (f["facilitators"], "\n".join(w["facilitators"])), (f["purpose"], w["purpose"]),
        (f["introduction"], w["introduction"]), (f["questions"], "\n".join(w["questions"])),
        (f["panel"], "\n".join(w.get("panel") or [])), (f["round_question"], w.get("round_question") or ""),
        (f["method"], prose.method(record)), (f["conclusion"], w["conclusion"]), (f["items"], sum(1 for i in record["items"] if not i["hidden"])),
        (f["themes"], len(record["themes"])), (f["votes"], sum(th["votes"] for th in record["themes"])),
        (f["groups"], len(record["groups"])),
    ]
    for row, (label, value) in enumerate(rows, start=3):
        put(ws, row, 1, label, bold=True)
        put(ws, row, 2, value)
        ws.cell(row=row, column=2).alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 90
    finish(ws, landscape=False, title_rows=None)


def swot(ws: Worksheet, record: dict[str, Any], t: dict[str, Any]) -> None:
    """The matrix laid out 2×2: strengths | weaknesses above, opportunities | threats below."""
    row = 1
    for left, right in (("strengths", "weaknesses"), ("opportunities", "threats")):
        for col, quadrant in ((1, left), (2, right)):
            put(ws, row, col, t["quadrants"][quadrant], bold=True)
            ws.cell(row=row, column=col).fill = PatternFill("solid", fgColor=QUADRANT_FILL[quadrant])
            ws.cell(row=row, column=col).font = Font(bold=True, color=INK[quadrant])
        for a, b in zip_longest(record["swot"][left], record["swot"][right]):
            row += 1
            put(ws, row, 1, a["text"] if a else "")
            put(ws, row, 2, b["text"] if b else "")
        row += 2
    ws.column_dimensions["A"].width = ws.column_dimensions["B"].width = 70
    ws.freeze_panes = "A2"
    finish(ws, title_rows=None)


def items(ws: Worksheet, record: dict[str, Any], t: dict[str, Any]) -> None:
    c = t["columns"]
    rows = ([n, t["quadrants"][i["quadrant"]], i["text"], i["theme"] or "", i["table"],
             i["author"]["name"] if i["author"] else t["anonymous"], utc(i["created_at"]), t["yes"] if i["hidden"] else ""]
            for n, i in enumerate(record["items"], start=1))
    headers = [c["number"], c["quadrant"], c["text"], c["theme"], c["table"], c["author"], c["time"], c["hidden"]]
    table(ws, headers, rows, [6, 14, 60, 30, 10, 24, 17, 8])


def themes(ws: Worksheet, record: dict[str, Any], t: dict[str, Any]) -> None:
    c = t["columns"]
    rows = ([th["rank"], th["title"], th["votes"], len(th["items"])] for th in record["themes"])
    count = table(ws, [c["rank"], c["theme"], c["votes"], c["item_count"]], rows, [8, 50, 10, 12])
    if not count:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.title = t["chart"]
    chart.legend = None
    chart.y_axis.title = c["votes"]
    chart.add_data(Reference(ws, min_col=3, min_row=1, max_row=count + 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, min_row=2, max_row=count + 1))
    chart.x_axis.scaling.orientation = "maxMin"  # the most voted theme on top
    chart.y_axis.crosses = "max"  # and the vote axis below the bars
    chart.height, chart.width = max(6.0, 1.2 * count + 3), 18.0
    ws.add_chart(chart, "F2")


def groups(ws: Worksheet, record: dict[str, Any], t: dict[str, Any]) -> None:
    c = t["columns"]
    lang = prose.language(record)
    rows = ([g["number"], g["title"], len(g["members"]), "\n".join(prose.member_names(g, lang)), g["summary"]]
            for g in record["groups"])
    table(ws, [c["number"], c["group"], c["member_count"], c["members"], c["summary"]], rows, [6, 40, 8, 45, 70])


def notes(ws: Worksheet, record: dict[str, Any], t: dict[str, Any]) -> None:
    c = t["columns"]
    rows = ([g["number"], g["title"], n, note["text"], utc(note["created_at"])]
            for g in record["groups"] for n, note in enumerate(g["notes"], start=1))
    table(ws, [c["group"], c["title"], c["number"], c["note"], c["time"]], rows, [8, 40, 6, 70, 17])


def quotes(ws: Worksheet, record: dict[str, Any], t: dict[str, Any]) -> None:
    c = t["columns"]
    everything = [("panel", q) for q in record["quotes"]["panel"]] + [("room", q) for q in record["quotes"]["room"]]
    rows = ([n, t["quote_kinds"][kind], q["speaker"], q["role"], q["text"]] for n, (kind, q) in enumerate(everything, start=1))
    table(ws, [c["number"], c["kind"], c["speaker"], c["role"], c["quote"]], rows, [6, 14, 26, 26, 80])


def participants(ws: Worksheet, record: dict[str, Any], t: dict[str, Any]) -> None:
    """Who took part ("Anonym" for whoever gave no name); in an anonymous workshop without the table column
    (items name their table)."""
    c = t["columns"]
    group_titles = {g["id"]: g["title"] for g in record["groups"]}
    if record["workshop"]["anonymous_items"]:
        rows = ([p["number"], p["name"] or t["anonymous"], p["organisation"], group_titles.get(p["group_id"], "")]
                for p in record["participants"])
        table(ws, [c["number"], c["name"], c["organisation"], c["group"]], rows, [6, 30, 40, 40])
        return
    rows = ([p["number"], p["name"] or t["anonymous"], p["organisation"], p["table"], group_titles.get(p["group_id"], "")]
            for p in record["participants"])
    table(ws, [c["number"], c["name"], c["organisation"], c["table"], c["group"]], rows, [6, 30, 40, 10, 40])


SHEETS = (("overview", overview), ("swot", swot), ("items", items), ("themes", themes), ("groups", groups),
          ("notes", notes), ("quotes", quotes), ("participants", participants))


def render(record: dict[str, Any]) -> bytes:
    """The record as .xlsx bytes; the same record gives the same bytes."""
    t = labels(prose.language(record))
    workbook = Workbook()
    workbook.remove(workbook.active)
    for key, fill in SHEETS:
        fill(workbook.create_sheet(t["sheets"][key]), record, t)
    when = moment(record)
    props = workbook.properties
    props.title = clean(prose.title(record))
    props.creator = props.lastModifiedBy = "facilitation"
    props.created = props.modified = when
    props.language = record["workshop"]["language"]
    buffer = io.BytesIO()  # stored, not compressed: normalise_zip compresses every member once
    FastExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED, allowZip64=True)).save()
    return normalise_zip(buffer.getvalue(), when)
